"""How much precision@10 the CiteULike replay allows at all with its TF-IDF features.

The replay (``bench.arxiv.replay``) starts a user from 5 likes (1 at cold start) and adds the
library papers it shows. Here each day's batch is instead ranked with the user's WHOLE library
as positives, minus that day's 3 papers: what a model could reach if it already knew every
other paper the user saved, which no model learning from taps can. Three rankers on the same
features: the centroid of those positives, kNN (mean cosine to the 3 closest) and the
arxiv-sanity-lite SVM (``LinearSVC(C=0.01, class_weight="balanced")`` on the whole corpus;
it costs a corpus-wide fit per day, so only the first ``svm_days`` days).

If even these leave the target out of reach, no ranking of the same features closes the gap.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from sklearn.svm import LinearSVC

from bench.arxiv import replay
from store.errors import InvalidInput


def _top_hits(scores: np.ndarray[Any, Any], batch: np.ndarray[Any, Any], library: set[int]) -> int:
    shown = np.argsort(-scores, kind="stable")[: replay.SHOWN]
    return sum(int(batch[i]) in library for i in shown)


def _one_user(args: tuple[int, int, int, int]) -> dict[str, list[int]]:
    user, seed, days, svm_days = args
    data = replay.worker_data()
    x = data.features
    library = data.libraries[user]
    members = set(library.tolist())
    _, batches = replay._batches(data, user, seed=seed, days=days, seeds=5)
    hits: dict[str, list[int]] = {"centroid": [], "knn": [], "svm": []}
    for day, batch in enumerate(batches):
        today = set(batch.tolist())
        positives = np.array([p for p in library if int(p) not in today])
        xb = x[batch]
        centroid = np.asarray(x[positives].mean(axis=0)).ravel()
        hits["centroid"].append(_top_hits(np.asarray(xb @ centroid).ravel(), batch, members))
        sims = (xb @ x[positives].T).toarray()
        k = min(3, sims.shape[1])
        knn = -np.partition(-sims, k - 1, axis=1)[:, :k].mean(axis=1)
        hits["knn"].append(_top_hits(knn, batch, members))
        if day < svm_days:
            y = np.zeros(x.shape[0])
            y[positives] = 1
            svm = LinearSVC(C=0.01, class_weight="balanced").fit(x, y)
            hits["svm"].append(_top_hits(svm.decision_function(xb), batch, members))
    return hits


def run_ceiling(
    folder: Path,
    *,
    users: int = 400,
    seed: int = 0,
    days: int = 15,
    svm_days: int = 1,
    workers: int | None = None,
) -> dict[str, Any]:
    """Mean precision@10 of the three whole-library rankers, on the replay's users and batches."""
    if days < 1 or users < 1 or svm_days < 0:
        raise InvalidInput("--users and --days must be at least 1, --svm-days at least 0.")
    data = replay.load_citeulike(folder)
    chosen = replay.sample_users(data, users=users, seed=seed)
    jobs = [(u, seed, days, min(svm_days, days)) for u in chosen]
    results = replay.map_users(data, _one_user, jobs, workers=workers)
    out: dict[str, Any] = {"users": len(chosen), "days": days, "svm_days": min(svm_days, days)}
    for name in ("centroid", "knn", "svm"):
        values = [h for r in results for h in r[name]]
        out[f"{name}_p10"] = round(float(np.mean(values)) / replay.SHOWN, 4) if values else None
    return out
