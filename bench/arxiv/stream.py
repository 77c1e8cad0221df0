"""``errands arxiv bench --stream``: ranking quality on real arXiv text, readers by authorship.

CiteULike ships bags of words, so the dense embedding block cannot be judged there. This
replay uses the shipped arXiv stream (titles, abstracts, authors; ``stream_data`` defines the
readers: an author's earliest papers are their seed likes, and later papers by them or their
co-authors are what they want). For each reader, on each of their first ``days`` later days
whose listing holds such a paper, every method ranks that day's whole listing (~250 papers)
and shows 10; the simulated reader taps 👍 on wanted papers and 👎 on the rest of what was
shown, as in the CiteULike replay. Methods, side by side on the same readers and days:

- ``tfidf``: errands' model, TF-IDF only (what the digest does without an embeddings server);
- ``tfidf_embed``: the same plus the dense block from a sentence embedder (local or endpoint);
- ``svm``: arxiv-sanity-lite, ``LinearSVC(C=0.01, class_weight="balanced")`` refit before every
  ranking, likes positive and the newest ``SVM_CORPUS`` papers (its database) negative.

errands' two methods go through the digest's code: features from ``agents.arxiv.features``, an
``OwnerModel`` fitted as ``recommender.train`` fits one (IDF over background + labelled papers,
the 500 newest papers as background, the default categories as the seed hint, labels = taps),
and ``recommender.rank_papers`` with its exploration slot. The SVM sees the same hashed TF-IDF
(IDF over the whole stream), as in the CiteULike replay, so the learners differ, not the words.
"""

from __future__ import annotations

import math
import multiprocessing
import time
import zlib
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.svm import LinearSVC

from agents.arxiv import features, recommender
from agents.arxiv import model as rec
from agents.arxiv.config import ArxivConfig
from agents.arxiv.embeddings import PaperVectors
from bench.arxiv.stream_data import Reader, Stream

SHOWN = 10
SVM_CORPUS = 5000  # papers in the SVM's database: the newest ones, about 20 days of listings
CONFIG = ArxivConfig()  # the digest's defaults: background size, embedding weight, categories


@dataclass
class Shared:
    """What every reader's replay reads (built once, inherited by forked workers)."""

    stream: Stream
    counts: Any  # raw hashed counts, one CSR row per paper
    svm_x: Any  # TF-IDF rows with the whole stream's IDF
    vectors: PaperVectors | None
    seed: int = 0


_SHARED: Shared | None = None


def background(stream: Stream, upto_day: int, exclude: set[int]) -> list[int]:
    """The ``CONFIG.background`` newest papers up to a day, as ``store.papers.background_ids``."""
    out: list[int] = []
    for day in range(upto_day, -1, -1):
        out += [int(i) for i in stream.by_day[day] if int(i) not in exclude]
        if len(out) >= CONFIG.background:
            break
    return out[: CONFIG.background]


def _category_seed(idf: np.ndarray[Any, Any], dense_weight: float) -> np.ndarray[Any, Any] | None:
    """``recommender.train``'s seed vector for an owner with categories and no keywords."""
    text = " ".join(f"cat_{c.lower().replace('.', '_')}" for c in CONFIG.categories)
    seed = np.asarray(features.weigh(features.raw_counts([text]), idf).toarray()).ravel() * 0.3
    return seed * math.sqrt(1.0 - dense_weight) if dense_weight else seed


def owner_model(
    shared: Shared, liked: list[int], disliked: list[int], bg: list[int], *, taps_liked: int
) -> recommender.OwnerModel:
    """An owner's model as ``recommender.train`` builds it, from paper indices (no store)."""
    vectors, weight = shared.vectors, CONFIG.embedding_weight if shared.vectors else 0.0
    counts, papers = shared.counts, shared.stream.papers
    idf = features.fit_idf(counts[[*bg, *liked, *disliked]])

    def rows(ix: list[int]) -> Any:
        x = features.weigh(counts[ix], idf)
        if vectors is None:
            return x
        block = vectors.block([papers[i].id for i in ix])
        return features.with_dense(x, block, weight=weight, dim=vectors.dim)

    fitted = rec.fit(
        rows(liked),
        rows(disliked),
        rows(bg),
        seed_vector=_category_seed(idf, weight),
        n_likes=taps_liked,
        n_dislikes=len(disliked),
    )
    return recommender.OwnerModel(
        fitted=fitted,
        idf=idf,
        liked_ids=[papers[i].id for i in liked],
        liked_titles=[papers[i].title for i in liked],
        dense_model=vectors.model if vectors else None,
        dense_dim=vectors.dim if vectors else 0,
        dense_weight=weight,
    )


@dataclass
class Trace:
    """One method's record for one reader: per ranked day, what it got right and how fast."""

    hits: list[int] = field(default_factory=list)
    hits_coauthor: list[int] = field(default_factory=list)  # own papers removed; days with one
    own_found: int = 0  # the reader's own papers that made the top 10
    coauthor_found: int = 0
    fit_ms: list[float] = field(default_factory=list)
    rank_ms: list[float] = field(default_factory=list)


Ranker = Callable[[np.ndarray[Any, Any], np.random.Generator | None], list[int]]


def _replay(
    reader: Reader, fit: Callable[[list[int], list[int], int], Ranker], *, seed: int
) -> Trace:
    """The daily loop every method shares: rank, score, tap, refit.

    A day's exploration draws come from (seed, reader, day), so both errands methods explore
    alike; the ranking without the reader's own papers draws its own.
    """
    who = zlib.crc32(reader.name.encode())
    liked, disliked = list(reader.seeds), list[int]()
    trace = Trace()
    started = time.perf_counter()
    rank = fit(list(liked), list(disliked), reader.days[0].day - 1)
    trace.fit_ms.append((time.perf_counter() - started) * 1000)
    for rd in reader.days:
        started = time.perf_counter()
        shown = rank(rd.candidates, np.random.default_rng([seed, who, rd.day]))
        trace.rank_ms.append((time.perf_counter() - started) * 1000)
        hits = [i for i in shown if i in rd.positives]
        trace.hits.append(len(hits))
        trace.own_found += sum(i in rd.own for i in shown)
        trace.coauthor_found += sum(i in rd.coauthored for i in shown)
        if rd.coauthored:
            others = np.array([i for i in rd.candidates if int(i) not in rd.own], dtype=np.int64)
            again = rank(others, np.random.default_rng([seed, who, rd.day, 1]))
            trace.hits_coauthor.append(sum(i in rd.coauthored for i in again))
        liked += hits
        disliked += [i for i in shown if i not in rd.positives]
        started = time.perf_counter()
        rank = fit(list(liked), list(disliked), rd.day)
        trace.fit_ms.append((time.perf_counter() - started) * 1000)
    return trace


def run_errands(shared: Shared, reader: Reader) -> Trace:
    papers = shared.stream.papers

    def fit(liked: list[int], disliked: list[int], day: int) -> Ranker:
        bg = background(shared.stream, day, set(liked) | set(disliked))
        taps_liked = len(liked) - len(reader.seeds)  # seeds are not taps (train's n_likes)
        model = owner_model(shared, liked, disliked, bg, taps_liked=taps_liked)

        def rank(ix: np.ndarray[Any, Any], rng: np.random.Generator | None) -> list[int]:
            pool = [papers[int(i)] for i in ix]
            ranked = recommender.rank_papers(
                model, pool, top=SHOWN, counts=shared.counts[ix], rng=rng, vectors=shared.vectors
            )
            where = {p.id: int(i) for p, i in zip(pool, ix, strict=True)}
            return [where[r.paper.id] for r in ranked]

        return rank

    return _replay(reader, fit, seed=shared.seed)


def run_svm(shared: Shared, reader: Reader) -> Trace:
    x, stream = shared.svm_x, shared.stream

    def fit(liked: list[int], disliked: list[int], day: int) -> Ranker:
        fitted: dict[int, LinearSVC] = {}  # by ranking day: refit once, rank twice

        def rank(ix: np.ndarray[Any, Any], rng: np.random.Generator | None) -> list[int]:
            today = int(stream.day_of[ix[0]])
            if today not in fitted:
                # arxiv-sanity refits at ranking time on its database, today's papers included
                newest = int(stream.by_day[today][-1]) + 1
                corpus = np.union1d(np.arange(max(0, newest - SVM_CORPUS), newest), liked)
                y = np.isin(corpus, liked).astype(float)
                fitted[today] = LinearSVC(C=0.01, class_weight="balanced").fit(x[corpus], y)
            scores = fitted[today].decision_function(x[ix])
            return [int(ix[i]) for i in np.argsort(-scores, kind="stable")[:SHOWN]]

        return rank

    return _replay(reader, fit, seed=shared.seed)


def _init_worker(shared: Shared) -> None:
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    global _SHARED
    _SHARED = shared
    threadpool_limits(limits=1)


def _one_reader(reader: Reader) -> dict[str, Trace]:
    assert _SHARED is not None, "call through map_readers"
    out = {"tfidf": run_errands(_without_vectors(_SHARED), reader)}
    if _SHARED.vectors is not None:
        out["tfidf_embed"] = run_errands(_SHARED, reader)
    out["svm"] = run_svm(_SHARED, reader)
    return out


def _without_vectors(shared: Shared) -> Shared:
    return Shared(shared.stream, shared.counts, shared.svm_x, None, shared.seed)


def map_readers(shared: Shared, readers: list[Reader], *, workers: int) -> list[dict[str, Trace]]:
    """Every reader's traces, in order; forked workers inherit ``shared`` without pickling."""
    if workers <= 1:
        _init_worker(shared)
        return [_one_reader(r) for r in readers]
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(shared,)
    ) as pool:
        return list(pool.map(_one_reader, readers, chunksize=2))


def summarize(traces: list[Trace]) -> dict[str, Any]:
    hits = np.array([h for t in traces for h in t.hits], dtype=float)
    hits_co = np.array([h for t in traces for h in t.hits_coauthor], dtype=float)
    fits = np.array([v for t in traces for v in t.fit_ms] or [0.0])
    ranks = np.array([v for t in traces for v in t.rank_ms] or [0.0])
    return {
        "p10": round(float(hits.mean()) / SHOWN, 4) if hits.size else None,
        "p10_coauthor": round(float(hits_co.mean()) / SHOWN, 4) if hits_co.size else None,
        "reader_days": int(hits.size),
        "reader_days_coauthor": int(hits_co.size),
        "own_found": sum(t.own_found for t in traces),
        "coauthor_found": sum(t.coauthor_found for t in traces),
        "fit_ms_p50": round(float(np.median(fits)), 2),
        "rank_ms_p50": round(float(np.median(ranks)), 2),
    }
