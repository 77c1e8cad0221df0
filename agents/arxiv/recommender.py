"""An owner's recommender as stored: train from the store, persist, load, rank, explain.

The blob of a ``RecommenderModel`` version holds everything ranking needs (IDF, centroid,
classifier weights, liked rows) as sparse float32 arrays, so ranking never re-reads history.
Training re-reads the owner's labels (newest tap per paper wins), so a tap is in the very
next ranking; the new version becomes active and the old ones stay for rollback.
"""

from __future__ import annotations

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
from store import papers as repo
from store.models import Owner, Paper

FORMAT = 1
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
    """A loaded model: the fitted blend plus its IDF and the liked papers' ids and titles."""

    fitted: rec.FittedModel
    idf: np.ndarray[Any, Any]
    liked_ids: list[str]
    liked_titles: list[str]
    version: int = 0

    def weigh(self, counts: Any) -> Any:
        return features.weigh(counts, self.idf)


def _sparse(vector: np.ndarray[Any, Any] | None) -> Any:
    if vector is None:
        return None
    return sp.csr_matrix(vector.astype(np.float32).reshape(1, -1))


def _dense(matrix: Any) -> np.ndarray[Any, Any] | None:
    if matrix is None:
        return None
    return np.asarray(matrix.toarray(), dtype=np.float64).ravel()


def dump(model: OwnerModel) -> bytes:
    f = model.fitted
    state = {
        "format": FORMAT,
        "idf_df": _sparse(model.idf - model.idf.max()),  # mostly zeros: unseen terms
        "idf_max": float(model.idf.max()),
        "centroid": _sparse(f.centroid),
        "coef": _sparse(f.coef),
        "intercept": f.intercept,
        "linear_weight": f.linear_weight,
        "liked": f.liked.astype(np.float32),
        "n_likes": f.n_likes,
        "n_dislikes": f.n_dislikes,
        "params": f.params,
        "liked_ids": model.liked_ids,
        "liked_titles": model.liked_titles,
    }
    return zlib.compress(pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL), 6)


def load_blob(blob: bytes, *, version: int = 0) -> OwnerModel:
    state = pickle.loads(zlib.decompress(blob))  # our own blobs only, written by dump()
    idf_delta = _dense(state["idf_df"])
    assert idf_delta is not None
    centroid = _dense(state["centroid"])
    assert centroid is not None
    fitted = rec.FittedModel(
        n_features=centroid.shape[0],
        centroid=centroid,
        liked=state["liked"].tocsr(),
        coef=_dense(state["coef"]),
        intercept=state["intercept"],
        linear_weight=state["linear_weight"],
        n_likes=state["n_likes"],
        n_dislikes=state["n_dislikes"],
        params=state["params"],
    )
    return OwnerModel(
        fitted=fitted,
        idf=(idf_delta + state["idf_max"]).astype(np.float32),
        liked_ids=list(state["liked_ids"]),
        liked_titles=list(state["liked_titles"]),
        version=version,
    )


def load(session: Session, *, owner_id: int) -> OwnerModel | None:
    row = repo.active_model(session, owner_id=owner_id)
    return None if row is None else load_blob(row.blob, version=row.version)


def train(
    session: Session,
    *,
    owner: Owner,
    now: datetime,
    categories: Sequence[str] = (),
    background: int = 500,
    params: rec.ModelParams | None = None,
) -> OwnerModel:
    """Fit from the owner's labels, seeds and keywords; save it as the new active version."""
    labels = repo.labels(session, owner_id=owner.id)
    prefs = owner_settings(owner)
    liked_ids = list(dict.fromkeys([*labels.seeded, *labels.liked]))
    labelled = set(liked_ids) | set(labels.disliked)
    bg_ids = repo.background_ids(session, limit=background, exclude=labelled)
    found = repo.get_papers(session, ids=[*liked_ids, *labels.disliked, *bg_ids])
    liked = [found[i] for i in liked_ids if i in found]
    disliked = [found[i] for i in labels.disliked if i in found]
    bg = [found[i] for i in bg_ids if i in found]
    idf = features.fit_idf(counts_for([*bg, *liked, *disliked]))
    keywords = " ".join(str(k) for k in prefs.get("keywords", []))
    cats = list(prefs.get("categories") or categories)
    seed_text = " ".join([keywords, *[f"cat_{c.lower().replace('.', '_')}" for c in cats]])
    seed_vector = None
    if seed_text.strip():
        seed_vector = _dense(features.weigh(features.raw_counts([seed_text]), idf))
        if seed_vector is not None and not keywords.strip():
            seed_vector = seed_vector * 0.3  # categories alone are a weak hint
    fitted = rec.fit(
        features.weigh(counts_for(liked), idf),
        features.weigh(counts_for(disliked), idf),
        features.weigh(counts_for(bg), idf),
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
    )
    model.version = repo.save_model(
        session,
        owner_id=owner.id,
        blob=dump(model),
        metrics={"likes": len(labels.liked), "dislikes": len(labels.disliked), "seeds": len(liked)},
        now=now,
    )
    return model


@dataclass(frozen=True)
class Ranked:
    paper: Paper
    score: float
    why: str


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
    values = row.toarray().ravel()
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
) -> list[Ranked]:
    """The owner's best ``top`` papers after the first ``skip`` (for /more), explained."""
    if not papers:
        return []
    x = model.weigh(counts if counts is not None else counts_for(papers))
    order = rec.rank(model.fitted, x, top=min(len(papers), skip + top), rng=rng)[skip:]
    scores = rec.score(model.fitted, x)
    parts = rec.components(model.fitted, x[order]) if order else {}
    return [
        Ranked(
            paper=papers[idx],
            score=float(scores[idx]),
            why=explain(model, x[idx], parts, j, text_of(papers[idx])),
        )
        for j, idx in enumerate(order)
    ]
