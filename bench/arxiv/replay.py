"""The CiteULike daily-replay benchmark: errands' model against the arxiv-sanity-lite SVM.

For each sampled user (library >= 50 papers, chosen by ``seed``): 5 seed likes (1 with
``cold_start``); each day a batch of 200 papers never shown before, 3 from the library and
197 from outside it. A model shows its top 10; the simulated user taps 👍 on library papers
and 👎 on the rest of what was shown; unshown papers stay unlabelled. Both models see the
same batches and the same TF-IDF features (sublinear tf over the dataset's bag of words).

The baseline follows arxiv-sanity-lite: ``LinearSVC(C=0.01, class_weight="balanced")`` refit
before every ranking with liked papers positive and every other corpus paper negative; it has
no notion of a dislike. Users run in worker processes (``workers``), each user independently.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfTransformer
from sklearn.svm import LinearSVC

from agents.arxiv import model as rec
from store.errors import InvalidInput

J = TypeVar("J")
R = TypeVar("R")

BATCH = 200
IN_LIBRARY = 3
SHOWN = 10
MIN_LIBRARY = 50
BACKGROUND = 500


@dataclass(frozen=True)
class Dataset:
    features: Any  # CSR, one L2-normalised TF-IDF row per paper
    libraries: list[np.ndarray[Any, Any]]


def load_citeulike(folder: Path) -> Dataset:
    """Read ``mult.dat`` (bag of words) and ``users.dat`` (libraries); TF-IDF the papers."""
    mult, users = folder / "mult.dat", folder / "users.dat"
    for path in (mult, users):
        if not path.is_file():
            raise InvalidInput(f"{path} is missing: --citeulike must be the citeulike-t folder.")
    indptr, indices, counts = [0], [], []
    with mult.open() as handle:
        for line in handle:
            for pair in line.split()[1:]:
                word, count = pair.split(":")
                indices.append(int(word))
                counts.append(float(count))
            indptr.append(len(indices))
    n_words = max(indices) + 1 if indices else 1
    matrix = sp.csr_matrix(
        (np.array(counts), np.array(indices), np.array(indptr)),
        shape=(len(indptr) - 1, n_words),
    )
    matrix.sum_duplicates()
    features = TfidfTransformer(sublinear_tf=True).fit_transform(matrix).tocsr()
    libraries = []
    with users.open() as handle:
        for line in handle:
            libraries.append(np.array([int(t) for t in line.split()[1:]], dtype=np.int64))
    return Dataset(features=features, libraries=libraries)


def sample_users(data: Dataset, *, users: int, seed: int) -> list[int]:
    eligible = [u for u, lib in enumerate(data.libraries) if len(lib) >= MIN_LIBRARY]
    if users > len(eligible):
        raise InvalidInput(f"only {len(eligible)} users have >= {MIN_LIBRARY} papers.")
    rng = np.random.default_rng(seed)
    return sorted(int(u) for u in rng.choice(eligible, size=users, replace=False))


@dataclass
class Trace:
    """One model's record for one user."""

    hits_by_day: list[int] = field(default_factory=list)
    rank_ms: list[float] = field(default_factory=list)
    update_ms: list[float] = field(default_factory=list)


def _batches(
    data: Dataset, user: int, *, seed: int, days: int, seeds: int
) -> tuple[list[int], list[np.ndarray[Any, Any]]]:
    rng = np.random.default_rng([seed, user])
    library = data.libraries[user]
    n = data.features.shape[0]
    order = rng.permutation(library)
    seed_likes = [int(i) for i in order[:seeds]]
    pool_in = list(order[seeds:])
    outside = np.setdiff1d(np.arange(n), library)
    pool_out = rng.permutation(outside)
    batches = []
    for day in range(days):
        take_in = pool_in[day * IN_LIBRARY : (day + 1) * IN_LIBRARY]
        take_out = pool_out[day * (BATCH - IN_LIBRARY) : (day + 1) * (BATCH - IN_LIBRARY)]
        batches.append(rng.permutation(np.r_[np.array(take_in, dtype=np.int64), take_out]))
    return seed_likes, batches


def _run_errands(
    data: Dataset,
    user: int,
    seed_likes: list[int],
    batches: list[np.ndarray[Any, Any]],
    *,
    seed: int,
    params: rec.ModelParams,
) -> Trace:
    x = data.features
    library = set(data.libraries[user].tolist())
    rng = np.random.default_rng([seed, user, 1])
    background = x[rng.choice(x.shape[0], size=BACKGROUND, replace=False)]
    liked, disliked = list(seed_likes), list[int]()
    trace = Trace()
    started = time.perf_counter()
    model = rec.fit(x[liked], x[disliked], background, params=params)
    trace.update_ms.append((time.perf_counter() - started) * 1000)
    for batch in batches:
        started = time.perf_counter()
        shown = [int(batch[i]) for i in rec.rank(model, x[batch], top=SHOWN, rng=rng)]
        trace.rank_ms.append((time.perf_counter() - started) * 1000)
        hits = [p for p in shown if p in library]
        trace.hits_by_day.append(len(hits))
        liked += hits
        disliked += [p for p in shown if p not in library]
        started = time.perf_counter()
        model = rec.fit(x[liked], x[disliked], background, params=params)
        trace.update_ms.append((time.perf_counter() - started) * 1000)
    return trace


def _run_baseline(
    data: Dataset, user: int, seed_likes: list[int], batches: list[np.ndarray[Any, Any]]
) -> Trace:
    x = data.features
    library = set(data.libraries[user].tolist())
    liked = list(seed_likes)
    trace = Trace()
    for batch in batches:
        started = time.perf_counter()
        y = np.zeros(x.shape[0])
        y[liked] = 1
        svm = LinearSVC(C=0.01, class_weight="balanced").fit(x, y)
        scores = svm.decision_function(x[batch])
        shown = [int(batch[i]) for i in np.argsort(-scores, kind="stable")[:SHOWN]]
        trace.rank_ms.append((time.perf_counter() - started) * 1000)
        hits = [p for p in shown if p in library]
        trace.hits_by_day.append(len(hits))
        started = time.perf_counter()
        liked += hits  # arxiv-sanity only records positives; the refit happens at ranking
        trace.update_ms.append((time.perf_counter() - started) * 1000)
    return trace


_DATA: Dataset | None = None


def _init_worker(data: Dataset) -> None:
    """One BLAS thread per worker: parallelism comes from the processes, not oversubscription."""
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    global _DATA
    _DATA = data
    threadpool_limits(limits=1)


def _one_user(args: tuple[int, int, int, bool, rec.ModelParams, bool]) -> tuple[Trace, Trace]:
    user, seed, days, cold_start, params, with_baseline = args
    data = worker_data()
    seed_likes, batches = _batches(data, user, seed=seed, days=days, seeds=1 if cold_start else 5)
    mine = _run_errands(data, user, seed_likes, batches, seed=seed, params=params)
    base = _run_baseline(data, user, seed_likes, batches) if with_baseline else Trace()
    return mine, base


def worker_data() -> Dataset:
    """The dataset of this worker process (set by ``map_users``)."""
    assert _DATA is not None, "call through map_users"
    return _DATA


def map_users(
    data: Dataset, work: Callable[[J], R], jobs: list[J], *, workers: int | None
) -> list[R]:
    """``work`` over ``jobs`` in ``workers`` processes that each hold ``data`` (in order)."""
    workers = workers or min(2, os.cpu_count() or 1)
    if workers <= 1:
        _init_worker(data)
        return [work(j) for j in jobs]
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(data,)) as pool:
        return list(pool.map(work, jobs, chunksize=4))


def _summary(traces: list[Trace], days: int) -> dict[str, Any]:
    hits = np.array([t.hits_by_day for t in traces], dtype=float)  # users x days
    p10 = hits / SHOWN
    thirds = [p10[:, i : i + 5].mean() for i in range(0, days, 5)]
    ranks = np.concatenate([t.rank_ms for t in traces]) if traces else np.zeros(1)
    updates = np.concatenate([t.update_ms for t in traces]) if traces else np.zeros(1)
    return {
        "p10": round(float(p10.mean()), 4),
        "p10_days": [round(float(v), 4) for v in thirds],
        "likes": round(float(hits.sum(axis=1).mean()), 2),
        "rank_ms_p50": round(float(np.median(ranks)), 2),
        "update_ms_p50": round(float(np.median(updates)), 2),
        "rank_ms_p95": round(float(np.percentile(ranks, 95)), 2),
        "update_ms_p95": round(float(np.percentile(updates, 95)), 2),
    }


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run_benchmark(
    folder: Path,
    *,
    users: int = 400,
    seed: int = 0,
    days: int = 15,
    cold_start: bool = False,
    workers: int | None = None,
    params: rec.ModelParams | None = None,
    with_baseline: bool = True,
) -> dict[str, Any]:
    """Replay ``days`` days for ``users`` users; the JSON the CLI prints."""
    if days < 1 or users < 1:
        raise InvalidInput("--users and --days must be at least 1.")
    data = load_citeulike(folder)
    chosen = sample_users(data, users=users, seed=seed)
    params = params or rec.ModelParams()
    jobs = [(u, seed, days, cold_start, params, with_baseline) for u in chosen]
    results = map_users(data, _one_user, jobs, workers=workers)
    mine = _summary([r[0] for r in results], days)
    base = _summary([r[1] for r in results], days) if with_baseline else {}
    ratio = mine["p10"] / base["p10"] if base and base["p10"] else None
    return {
        "errands": mine,
        "baseline_svm": base,
        "ratio_p10": round(ratio, 3) if ratio is not None else None,
        "users": len(chosen),
        "days": days,
        "seed": seed,
        "cold_start": cold_start,
    }
