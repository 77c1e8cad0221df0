"""``errands bench embed``: embed real arXiv abstracts the way the recommender does.

The texts are cut by ``agents.arxiv.embeddings.embedding_text`` and sent in its batch size and
concurrency, to the endpoint the recommender would use (ERRANDS_EMBEDDINGS_BASE_URL, else the
LLM chain). The figure that matters is papers per second: a first digest with embeddings embeds
the owner's background sample plus the day's listing (500 + ~300 papers) once; after that only
new papers, a few hundred a day.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import numpy as np

from agents.arxiv import embeddings
from agents.llm import LLMClient, LLMError
from store.models import Paper


def _percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else 0.0


async def run_benchmark(client: LLMClient, abstracts: list[dict[str, str]]) -> dict[str, Any]:
    """Embed every abstract once; report throughput, per-request latency and the vectors' shape."""
    texts = [
        embeddings.embedding_text(Paper(id=str(i), title=a["title"], abstract=a["abstract"]))
        for i, a in enumerate(abstracts)
    ]
    batches = [texts[i : i + embeddings.BATCH] for i in range(0, len(texts), embeddings.BATCH)]
    limit = asyncio.Semaphore(embeddings.CONCURRENCY)
    latencies: list[float] = []
    failed = 0
    dims: set[int] = set()
    vectors: list[list[float]] = []

    async def one(batch: list[str]) -> None:
        nonlocal failed
        async with limit:
            started = time.perf_counter()
            try:
                answer = await client.embed(batch, purpose="bench-embed")
            except LLMError:
                failed += len(batch)
                return
            latencies.append((time.perf_counter() - started) * 1000)
            dims.update(len(v) for v in answer.vectors)
            vectors.extend(answer.vectors)

    started = time.perf_counter()
    await asyncio.gather(*(one(b) for b in batches))
    wall = time.perf_counter() - started
    done = len(texts) - failed
    unit = np.array(vectors, dtype=np.float64) if vectors and len(dims) == 1 else None
    mean_cos = None
    if unit is not None and len(unit) > 1:
        unit /= np.linalg.norm(unit, axis=1, keepdims=True)
        sims = unit @ unit.T
        mean_cos = round(float((sims.sum() - len(unit)) / (len(unit) * (len(unit) - 1))), 3)
    return {
        "papers": len(texts),
        "embedded": done,
        "failed": failed,
        "dims": sorted(dims),
        "wall_s": round(wall, 2),
        "papers_per_s": round(done / wall, 2) if wall > 0 else None,
        "batch": embeddings.BATCH,
        "concurrency": embeddings.CONCURRENCY,
        "request_ms_p50": round(_percentile(latencies, 50), 1),
        "request_ms_p95": round(_percentile(latencies, 95), 1),
        "mean_pairwise_cosine": mean_cos,
    }
