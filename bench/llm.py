"""``errands bench llm``: TL;DRs of real arXiv abstracts against the configured backend.

The same N abstracts are summarised twice in one run: one request at a time, then with up to
``concurrency`` requests in flight, so the speedup compares like with like on one server.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import statistics
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from agents.llm import LLMClient, LLMError

DEFAULT_PAPERS = Path("../shared/data/arxiv-stream/papers.jsonl.gz")
PROMPT = (
    "Summarise this paper for a busy researcher in one plain sentence of at most 25 words. "
    "No preamble.\n\nTitle: {title}\n\nAbstract: {abstract}"
)


@dataclass
class PassResult:
    wall_s: float
    ok: int
    failed: int
    completion_tokens: int
    tokens_per_s: float
    latency_ms_p50: float
    latency_ms_p95: float


def load_abstracts(path: Path, n: int) -> list[dict[str, str]]:
    """The first ``n`` papers with a non-empty abstract (deterministic)."""
    papers: list[dict[str, str]] = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row.get("abstract"):
                papers.append({"title": row["title"], "abstract": row["abstract"][:2000]})
            if len(papers) >= n:
                break
    return papers


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


async def _one(client: LLMClient, paper: dict[str, str]) -> tuple[float, int, bool]:
    started = time.perf_counter()
    try:
        reply = await client.chat(
            [{"role": "user", "content": PROMPT.format(**paper)}],
            purpose="bench-tldr",
            max_tokens=64,
            temperature=0.0,
        )
    except LLMError:
        return (time.perf_counter() - started) * 1000, 0, False
    return (time.perf_counter() - started) * 1000, reply.completion_tokens or 0, True


async def _pass(client: LLMClient, papers: list[dict[str, str]], concurrency: int) -> PassResult:
    gate = asyncio.Semaphore(concurrency)

    async def limited(paper: dict[str, str]) -> tuple[float, int, bool]:
        async with gate:
            return await _one(client, paper)

    started = time.perf_counter()
    results = await asyncio.gather(*(limited(p) for p in papers))
    wall = time.perf_counter() - started
    latencies = [ms for ms, _, ok in results if ok]
    tokens = sum(t for _, t, _ in results)
    return PassResult(
        wall_s=round(wall, 3),
        ok=len(latencies),
        failed=len(results) - len(latencies),
        completion_tokens=tokens,
        tokens_per_s=round(tokens / wall, 2) if wall > 0 else 0.0,
        latency_ms_p50=round(_percentile(latencies, 50), 1),
        latency_ms_p95=round(_percentile(latencies, 95), 1),
    )


async def run_benchmark(
    client: LLMClient, papers: list[dict[str, str]], *, concurrency: int
) -> dict[str, Any]:
    """Sequential pass, then concurrent pass; returns the JSON report."""
    states = await client.check(timeout=5.0)
    up = next((s for s in states if s.ok), None)
    if up is None:
        details = "; ".join(f"{s.name}: {s.detail}" for s in states)
        raise LLMError(f"no LLM backend answers ({details})")
    await _one(client, papers[0])  # warm-up (model load, grammar caches); not measured
    sequential = await _pass(client, papers, 1)
    concurrent = await _pass(client, papers, concurrency)
    speedup = sequential.wall_s / concurrent.wall_s if concurrent.wall_s > 0 else 0.0
    return {
        "backend": up.name,
        "base_url": up.base_url,
        "models": up.models,
        "n": len(papers),
        "concurrency": concurrency,
        "sequential": asdict(sequential),
        "concurrent": asdict(concurrent),
        "speedup": round(speedup, 2),
    }
