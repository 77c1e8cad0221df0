"""Speed and scale on real arXiv text (``arxiv-stream/papers.jsonl.gz``, 74,728 papers).

Builds the hashed features for the whole stream once, then for ``owners`` synthetic owners
(5 random liked papers, 10 disliked, a 500-paper background) fits a model, ranks one real
day's batch, ranks 2,000 papers, and applies one tap (a refit). Reports medians and the
process's peak memory. Owners are synthetic: this measures cost, not quality.

``embedding_dim > 0`` adds a dense block of that dimension to every row (random unit vectors
standing in for the LLM server's embeddings, weight 0.5), as ``recommender`` does when an
owner's model uses embeddings (CSR part plus a dense ndarray, ``rows.Rows``); building the
rows is inside the timed regions, the random draw not.
"""

from __future__ import annotations

import gzip
import json
import resource
import time
from pathlib import Path
from typing import Any

import numpy as np

from agents.arxiv import features
from agents.arxiv import model as rec
from store.errors import InvalidInput


def _load(path: Path) -> list[dict[str, Any]]:
    if not path.is_file():
        raise InvalidInput(f"{path} is missing (expected arxiv-stream/papers.jsonl.gz).")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def run_scale(
    path: Path, *, owners: int = 100, seed: int = 0, embedding_dim: int = 0
) -> dict[str, Any]:
    started = time.perf_counter()
    papers = _load(path)
    loaded = time.perf_counter()
    texts = [
        features.paper_text(p["title"], p["abstract"], p["authors"], p["categories"])
        for p in papers
    ]
    counts = features.raw_counts(texts)
    built = time.perf_counter()
    days = sorted({p["announced"] for p in papers})
    day = days[len(days) // 2]
    batch = np.array([i for i, p in enumerate(papers) if p["announced"] == day])
    rng = np.random.default_rng(seed)
    fit_ms, day_ms, rank2k_ms, tap_ms = [], [], [], []
    blocks: dict[int, Any] = {}

    def block(rows: Any) -> Any:
        if not embedding_dim:
            return None
        out = rng.normal(size=(len(rows), embedding_dim)).astype(np.float32)
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    def weigh(raw: Any, idf: Any, dense: Any = None) -> Any:
        x = features.weigh(raw, idf)
        if not embedding_dim:
            return x
        return features.with_dense(x, dense, weight=0.5, dim=embedding_dim)

    day_started = time.perf_counter()
    for _ in range(owners):
        picks = rng.choice(len(papers), size=515, replace=False)
        liked, disliked, bg = picks[:5], picks[5:15], rng.choice(len(papers), 500, replace=False)
        many = rng.choice(len(papers), 2000, replace=False)
        tapped = np.r_[liked, many[:1]]
        for key, rows in enumerate((liked, disliked, bg, batch, many, tapped)):
            blocks[key] = block(rows)
        t0 = time.perf_counter()
        idf = features.fit_idf(counts[bg])
        model = rec.fit(
            weigh(counts[liked], idf, blocks[0]),
            weigh(counts[disliked], idf, blocks[1]),
            weigh(counts[bg], idf, blocks[2]),
        )
        t1 = time.perf_counter()
        rec.rank(model, weigh(counts[batch], idf, blocks[3]), top=10)
        raw = counts[many]  # in production the day's raw counts are built once, shared
        t2 = time.perf_counter()
        rec.rank(model, weigh(raw, idf, blocks[4]), top=10)
        t3 = time.perf_counter()
        rec.fit(
            weigh(counts[tapped], idf, blocks[5]),
            weigh(counts[disliked], idf, blocks[1]),
            weigh(counts[bg], idf, blocks[2]),
        )
        t4 = time.perf_counter()
        fit_ms.append((t1 - t0) * 1000)
        day_ms.append((t2 - t1) * 1000)
        rank2k_ms.append((t3 - t2) * 1000)
        tap_ms.append((t4 - t3) * 1000)
    finished = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "papers": len(papers),
        "day": day,
        "day_batch": int(batch.size),
        "owners": owners,
        "embedding_dim": embedding_dim,
        "load_s": round(loaded - started, 2),
        "features_s": round(built - loaded, 2),
        "owners_total_s": round(finished - day_started, 2),
        "fit_ms_p50": round(float(np.median(fit_ms)), 2),
        "rank_day_ms_p50": round(float(np.median(day_ms)), 2),
        "rank_2000_ms_p50": round(float(np.median(rank2k_ms)), 2),
        "tap_update_ms_p50": round(float(np.median(tap_ms)), 2),
        "peak_rss_mb": round(peak_kib / 1024, 1),
    }
