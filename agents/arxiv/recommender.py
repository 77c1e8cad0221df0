"""An owner's recommender as stored: train from the store, persist, load, rank, explain.

The blob of a ``RecommenderModel`` version holds everything ranking needs (IDF, centroid,
classifier weights, liked rows) as sparse float32 arrays, so ranking never re-reads history.
Training re-reads the owner's labels (newest tap per paper wins), so a tap is in the very
next ranking; the new version becomes active and the old ones stay for rollback.

Dense embeddings (``agents.arxiv.embeddings``), when given, are an extra feature block: a row
is ``[sqrt(1 - w) * tfidf, sqrt(w) * embedding]``, both parts unit-norm, so the row stays
unit-norm. The two parts stay apart (``rows.Rows``: CSR plus a float32 ndarray) and
``model.py`` splits its weights the same way, so the TF-IDF weights still index term columns.
A model records the embedding model, dimension and weight it was trained with; a candidate
without a vector gets a zero block, which leaves the model's TF-IDF part to rank it. Blobs
keep one merged layout (TF-IDF columns first, then the block), split again on load.
"""

from __future__ import annotations

import math
import pickle
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
import scipy.sparse as sp
from sqlalchemy.orm import Session

from agents.arxiv import features
from agents.arxiv import model as rec
from agents.arxiv.embeddings import PaperVectors
from agents.arxiv.rows import Rows, as_rows, split
from store import papers as repo
from store.models import Owner, Paper

FORMAT = 2  # 2: dense embedding block (format-1 blobs load as TF-IDF-only models)
_CACHE_LIMIT = 50_000
_counts_cache: dict[tuple[str, int], Any] = {}  # (paper id, version) -> 1-row raw counts


def text_of(paper: Paper) -> str:
    return features.paper_text(paper.title, paper.abstract, paper.authors, paper.categories)


def counts_for(papers: Sequence[Paper]) -> Any:
    """Raw hashed counts, one row per paper, cached by id and version (hashing is the cost)."""
    missing = [p for p in papers if (p.id, p.version) not in _counts_cache]
    if missing:
        if len(_counts_cache) + len(missing) > _CACHE_LIMIT:
            _counts_cache.clear()
        rows = features.raw_counts([text_of(p) for p in missing])
        for i, p in enumerate(missing):
            _counts_cache[(p.id, p.version)] = rows[i]
    if not papers:
        return sp.csr_matrix((0, features.N_FEATURES), dtype=np.float32)
    return sp.vstack([_counts_cache[(p.id, p.version)] for p in papers]).tocsr()


def owner_settings(owner: Owner) -> dict[str, Any]:
    prefs = owner.preferences or {}
    value = prefs.get("arxiv", {})
    return dict(value) if isinstance(value, dict) else {}


@dataclass
class OwnerModel:
    """A loaded model: the fitted blend plus its IDF and the liked papers' ids and titles.

    ``dense_model``/``dense_dim``/``dense_weight`` say which embeddings it was trained with
    (None/0/0.0: TF-IDF only); ``dense_missing`` counts training papers that had no vector.
    """

    fitted: rec.FittedModel
    idf: np.ndarray[Any, Any]
    liked_ids: list[str]
    liked_titles: list[str]
    version: int = 0
    dense_model: str | None = None
    dense_dim: int = 0
    dense_weight: float = 0.0
    dense_missing: int = 0

    @property
    def uses_embeddings(self) -> bool:
        return bool(self.dense_model) and self.dense_dim > 0

    def matches(self, vectors: PaperVectors | None) -> bool:
        """Whether ``vectors`` are of the embedding model this model was trained with."""
        return (
            vectors is not None
            and self.uses_embeddings
            and vectors.model == self.dense_model
            and vectors.dim == self.dense_dim
        )

    def weigh(self, counts: Any, dense: np.ndarray[Any, Any] | None = None) -> Any:
        """Feature rows: TF-IDF (CSR), plus the dense block (``Rows``) when the model has one."""
        x = features.weigh(counts, self.idf)
        if not self.uses_embeddings:
            return x
        return features.with_dense(x, dense, weight=self.dense_weight, dim=self.dense_dim)


def _sparse(vector: np.ndarray[Any, Any] | None) -> Any:
    if vector is None:
        return None
    return sp.csr_matrix(vector.astype(np.float32).reshape(1, -1))


def _dense(matrix: Any) -> np.ndarray[Any, Any] | None:
    if matrix is None:
        return None
    return np.asarray(matrix.toarray(), dtype=np.float64).ravel()


def _merged(sparse: np.ndarray[Any, Any] | None, dense: np.ndarray[Any, Any] | None) -> Any:
    """A weight vector's halves as one (the blob's layout: TF-IDF columns, then the block)."""
    if sparse is None or dense is None:
        return sparse
    return np.r_[sparse, dense]


def dump(model: OwnerModel) -> bytes:
    f = model.fitted
    state = {
        "format": FORMAT,
        "idf_df": _sparse(model.idf - model.idf.max()),  # mostly zeros: unseen terms
        "idf_max": float(model.idf.max()),
        "centroid": _sparse(_merged(f.centroid, f.centroid_dense)),
        "coef": _sparse(_merged(f.coef, f.coef_dense)),
        "intercept": f.intercept,
        "linear_weight": f.linear_weight,
        "liked": Rows(f.liked, f.liked_dense).tocsr().astype(np.float32),
        "n_likes": f.n_likes,
        "n_dislikes": f.n_dislikes,
        "params": f.params,
        "liked_ids": model.liked_ids,
        "liked_titles": model.liked_titles,
        "dense_model": model.dense_model,
        "dense_dim": model.dense_dim,
        "dense_weight": model.dense_weight,
        "dense_missing": model.dense_missing,
    }
    return zlib.compress(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL), 6)


def load_blob(blob: bytes, *, version: int = 0) -> OwnerModel:
    state = pickle.loads(zlib.decompress(blob))  # our own blobs only, written by dump()
    idf_delta = _dense(state["idf_df"])
    assert idf_delta is not None
    centroid = _dense(state["centroid"])
    assert centroid is not None
    dim = int(state.get("dense_dim", 0)) if state.get("dense_model") else 0
    width = centroid.shape[0] - dim  # merged layout: the TF-IDF columns, then the block
    coef = _dense(state["coef"])
    liked = split(state["liked"], dim)
    fitted = rec.FittedModel(
        n_features=centroid.shape[0],
        centroid=centroid[:width],
        liked=liked.sparse,
        coef=None if coef is None else coef[:width],
        intercept=state["intercept"],
        linear_weight=state["linear_weight"],
        n_likes=state["n_likes"],
        n_dislikes=state["n_dislikes"],
        params=state["params"],
        centroid_dense=centroid[width:] if dim else None,
        coef_dense=coef[width:] if dim and coef is not None else None,
        liked_dense=liked.dense,
    )
    return OwnerModel(
        fitted=fitted,
        idf=(idf_delta + state["idf_max"]).astype(np.float32),
        liked_ids=list(state["liked_ids"]),
        liked_titles=list(state["liked_titles"]),
        version=version,
        dense_model=state.get("dense_model"),  # format 1 blobs: TF-IDF only
        dense_dim=int(state.get("dense_dim", 0)),
        dense_weight=float(state.get("dense_weight", 0.0)),
        dense_missing=int(state.get("dense_missing", 0)),
    )


def load(session: Session, *, owner_id: int) -> OwnerModel | None:
    row = repo.active_model(session, owner_id=owner_id)
    return None if row is None else load_blob(row.blob, version=row.version)


@dataclass(frozen=True)
class TrainingSet:
    """The papers a fit uses: likes (seeds included), dislikes and background papers."""

    labels: repo.Labels
    liked: list[Paper]
    disliked: list[Paper]
    background: list[Paper]

    @property
    def papers(self) -> list[Paper]:
        return [*self.liked, *self.disliked, *self.background]


def training_set(session: Session, *, owner_id: int, background: int = 500) -> TrainingSet:
    labels = repo.labels(session, owner_id=owner_id)
    liked_ids = list(dict.fromkeys([*labels.seeded, *labels.liked]))
    labelled = set(liked_ids) | set(labels.disliked)
    bg_ids = repo.background_ids(session, limit=background, exclude=labelled)
    found = repo.get_papers(session, ids=[*liked_ids, *labels.disliked, *bg_ids])
    return TrainingSet(
        labels=labels,
        liked=[found[i] for i in liked_ids if i in found],
        disliked=[found[i] for i in labels.disliked if i in found],
        background=[found[i] for i in bg_ids if i in found],
    )


def active_vectors(session: Session, *, owner_id: int) -> PaperVectors | None:
    """An empty ``PaperVectors`` naming the active model's embeddings (None: TF-IDF only).

    For refits that cannot wait for the LLM (a tap): ``train`` fills it from the cache.
    """
    model = load(session, owner_id=owner_id)
    if model is None or not model.uses_embeddings or model.dense_model is None:
        return None
    return PaperVectors(model=model.dense_model, dim=model.dense_dim)


def train(
    session: Session,
    *,
    owner: Owner,
    now: datetime,
    categories: Sequence[str] = (),
    background: int = 500,
    params: rec.ModelParams | None = None,
    vectors: PaperVectors | None = None,
    dense_weight: float = 0.5,
) -> OwnerModel:
    """Fit from the owner's labels, seeds and keywords; save it as the new active version.

    With ``vectors`` (and ``dense_weight > 0``) the model gets the dense block; training
    papers without a vector there are looked up in the cache, and get a zero block if absent.
    """
    data = training_set(session, owner_id=owner.id, background=background)
    labels, liked, disliked, bg = data.labels, data.liked, data.disliked, data.background
    prefs = owner_settings(owner)
    dense = vectors if vectors is not None and 0.0 < dense_weight < 1.0 else None
    if dense is not None:
        dense = dense.with_cached(session, [p.id for p in data.papers])
    idf = features.fit_idf(counts_for([*bg, *liked, *disliked]))

    def rows(papers: Sequence[Paper]) -> Any:
        x = features.weigh(counts_for(papers), idf)
        if dense is None:
            return x
        block = dense.block([p.id for p in papers])
        return features.with_dense(x, block, weight=dense_weight, dim=dense.dim)

    keywords = " ".join(str(k) for k in prefs.get("keywords", []))
    cats = list(prefs.get("categories") or categories)
    seed_text = " ".join([keywords, *[f"cat_{c.lower().replace('.', '_')}" for c in cats]])
    seed_vector = None
    if seed_text.strip():
        seed_vector = _dense(features.weigh(features.raw_counts([seed_text]), idf))
        if seed_vector is not None and not keywords.strip():
            seed_vector = seed_vector * 0.3  # categories alone are a weak hint
    if seed_vector is not None and dense is not None:  # keywords live in the TF-IDF block
        seed_vector = seed_vector * math.sqrt(1.0 - dense_weight)
    fitted = rec.fit(
        rows(liked),
        rows(disliked),
        rows(bg),
        params=params,
        seed_vector=seed_vector,
        n_likes=len(labels.liked),
        n_dislikes=len(labels.disliked),
    )
    model = OwnerModel(
        fitted=fitted,
        idf=idf,
        liked_ids=[p.id for p in liked],
        liked_titles=[p.title for p in liked],
        dense_model=dense.model if dense is not None else None,
        dense_dim=dense.dim if dense is not None else 0,
        dense_weight=dense_weight if dense is not None else 0.0,
        dense_missing=len(dense.missing([p.id for p in data.papers])) if dense is not None else 0,
    )
    model.version = repo.save_model(
        session,
        owner_id=owner.id,
        blob=dump(model),
        metrics={
            "likes": len(labels.liked),
            "dislikes": len(labels.disliked),
            "seeds": len(liked),
            "embeddings": model.dense_model,
            "embedding_dim": model.dense_dim,
            "embedding_missing": model.dense_missing,
        },
        now=now,
    )
    return model


@dataclass(frozen=True)
class Ranked:
    paper: Paper
    score: float
    why: str


def _word_nearest(model: OwnerModel, rows: Any) -> dict[str, np.ndarray[Any, Any]]:
    """The nearest liked paper by TF-IDF similarity alone, for "why this".

    Embedding cosines of unrelated abstracts are often high (0.9 with a chat model's pooled
    states), so the combined similarity would call almost anything "close to a paper you
    liked"; the 0.15 threshold is calibrated for words.
    """
    scale = max(1.0 - model.dense_weight, 1e-6)  # both sides carry sqrt(1 - w)
    sims = (as_rows(rows).sparse @ model.fitted.liked.T).toarray() / scale
    return {"nearest": sims.argmax(axis=1).astype(float), "nearest_sim": sims.max(axis=1)}


def explain(model: OwnerModel, row: Any, parts: dict[str, Any], i: int, text: str) -> str:
    """ "Why this": the nearest liked paper when it is close, else the terms that weigh most."""
    if "nearest_sim" in parts and parts["nearest_sim"][i] >= 0.15 and model.liked_titles:
        title = model.liked_titles[int(parts["nearest"][i])]
        return f"close to a paper you liked: {title[:90]}"
    weights = model.fitted.centroid
    if model.fitted.coef is not None and model.fitted.linear_weight > 0:
        weights = weights + model.fitted.linear_weight * model.fitted.coef / (
            np.abs(model.fitted.coef).max() or 1.0
        )
    terms = [t for t in dict.fromkeys(features.analyze(text)) if not t.startswith(("au_", "cat_"))]
    if not terms:
        return "new in your categories"
    cols = features.term_columns(terms)
    values = as_rows(row).sparse.toarray().ravel()  # the TF-IDF part: term columns index it
    contrib = [(values[c] * weights[c], t) for c, t in zip(cols, terms, strict=True)]
    top = [t for v, t in sorted(contrib, reverse=True)[:3] if v > 0]
    return "matches: " + ", ".join(top) if top else "new in your categories"


def rank_papers(
    model: OwnerModel,
    papers: Sequence[Paper],
    *,
    top: int,
    counts: Any | None = None,
    rng: np.random.Generator | None = None,
    skip: int = 0,
    vectors: PaperVectors | None = None,
) -> list[Ranked]:
    """The owner's best ``top`` papers after the first ``skip`` (for /more), explained.

    ``vectors`` are the candidates' embeddings; they are used when they are of the model's
    embedding model, and a candidate without one (or all, when None) gets a zero block.
    """
    if not papers:
        return []
    dense = vectors.block([p.id for p in papers]) if vectors and model.matches(vectors) else None
    x = model.weigh(counts if counts is not None else counts_for(papers), dense)
    order = rec.rank(model.fitted, x, top=min(len(papers), skip + top), rng=rng)[skip:]
    scores = rec.score(model.fitted, x)
    parts = rec.components(model.fitted, x[order]) if order else {}
    if order and model.uses_embeddings and "nearest_sim" in parts:
        parts.update(_word_nearest(model, x[order]))
    return [
        Ranked(
            paper=papers[idx],
            score=float(scores[idx]),
            why=explain(model, x[idx], parts, j, text_of(papers[idx])),
        )
        for j, idx in enumerate(order)
    ]
