"""Dense paper embeddings from the LLM server, cached in the store: an optional extra feature.

``paper_vectors`` returns unit-norm vectors for papers: cached ones from the store, the rest
from ``ctx.embeddings_client`` (ERRANDS_EMBEDDINGS_BASE_URL if set, else the chat LLM) in
bounded concurrent batches, then cached, so a paper is embedded once per model name. When
embeddings are off, no LLM is configured, the server fails, or its vectors have the wrong
shape, it returns None after one warning and the recommender ranks with TF-IDF alone,
exactly as without this module.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from agents.arxiv.fetch import arxiv_config
from agents.context import AppContext
from agents.llm import Embeddings, LLMError
from store import embeddings as repo
from store.models import Paper

log = logging.getLogger(__name__)

MAX_CHARS = 1500  # ~400 tokens: under llama.cpp's default batch (512) and BERT-style limits
BATCH = 8  # texts per request: ~16 s on the CPU engine (0.5/s), inside the 60 s timeout
CONCURRENCY = 2  # requests in flight; a local server works through them one at a time anyway
PURPOSE = "arxiv-embed"


@dataclass(frozen=True)
class PaperVectors:
    """Unit-norm float32 embeddings of one model, by paper id (missing papers are absent)."""

    model: str
    dim: int
    vectors: dict[str, np.ndarray[Any, Any]] = field(default_factory=dict)

    def block(self, ids: Sequence[str]) -> np.ndarray[Any, Any]:
        """One row per id, in order; a zero row where a paper has no vector."""
        out = np.zeros((len(ids), self.dim), dtype=np.float32)
        for i, pid in enumerate(ids):
            vector = self.vectors.get(pid)
            if vector is not None:
                out[i] = vector
        return out

    def missing(self, ids: Sequence[str]) -> list[str]:
        return [pid for pid in ids if pid not in self.vectors]

    def with_cached(self, session: Session, ids: Sequence[str]) -> PaperVectors:
        """These vectors plus any of ``ids`` the store has for this model (no LLM call)."""
        todo = self.missing(ids)
        if not todo:
            return self
        found = dict(self.vectors)
        for row in repo.get_many(session, ids=todo, model=self.model):
            if row.dim == self.dim:
                found[row.paper_id] = _decode(row.data)
        return PaperVectors(self.model, self.dim, found)


class _WrongShape(Exception):
    pass


def embedding_text(paper: Paper) -> str:
    """Title and abstract, whitespace collapsed, cut at a word boundary near ``MAX_CHARS``."""
    text = " ".join(f"{paper.title}. {paper.abstract}".split())
    if len(text) <= MAX_CHARS:
        return text
    cut = text[:MAX_CHARS]
    space = cut.rfind(" ")
    return cut[:space] if space > MAX_CHARS // 2 else cut


def _decode(data: bytes) -> np.ndarray[Any, Any]:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def _unit_rows(vectors: list[list[float]], count: int) -> np.ndarray[Any, Any]:
    """The answer as an (n, d) float32 array of unit rows, or ``_WrongShape``."""
    try:
        array = np.asarray(vectors, dtype=np.float64)
    except (TypeError, ValueError) as exc:  # ragged or nested (per-token vectors)
        raise _WrongShape(f"vectors are not flat lists of numbers ({exc})") from None
    if array.ndim != 2 or array.shape[0] != count or array.shape[1] < 1:
        raise _WrongShape(f"expected {count} flat vectors, got shape {array.shape}")
    if not np.isfinite(array).all():
        raise _WrongShape("vectors contain NaN or infinity")
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    if (norms < 1e-12).any():
        raise _WrongShape("a vector is all zeros")
    unit: np.ndarray[Any, Any] = (array / norms).astype(np.float32)
    return unit


async def paper_vectors(
    ctx: AppContext, papers: Sequence[Paper], *, now: datetime
) -> PaperVectors | None:
    """Embeddings of ``papers`` (cached first), or None when they cannot be had right now."""
    config = arxiv_config(ctx)
    if not config.embeddings or config.embedding_weight <= 0:
        return None
    unique = list({p.id: p for p in papers}.values())
    if not unique:
        return None
    if ctx.embeddings_client is None:
        log.warning("arXiv embeddings skipped: no LLM is configured; ranking uses TF-IDF only")
        return None
    ids = [p.id for p in unique]
    with ctx.db.read() as session:
        stored = repo.get_many(session, ids=ids)
    by_model: dict[str, dict[str, repo.StoredVector]] = {}
    for row in stored:
        by_model.setdefault(row.model, {})[row.paper_id] = row
    try:
        return await _complete(ctx, unique, by_model, now=now)
    except LLMError as exc:
        log.warning("arXiv embeddings unavailable (%s); ranking uses TF-IDF only", exc.user_message)
    except _WrongShape as exc:
        log.warning("arXiv embeddings ignored: %s; ranking uses TF-IDF only", exc)
    return None


async def _complete(
    ctx: AppContext,
    papers: list[Paper],
    by_model: dict[str, dict[str, repo.StoredVector]],
    *,
    now: datetime,
) -> PaperVectors:
    # The model that already covers most papers; its cache may make any call unnecessary.
    guess = max(sorted(by_model), key=lambda m: len(by_model[m]), default=None)
    if guess is not None and len(by_model[guess]) == len(papers):
        return _vectors(guess, by_model[guess], {})
    cached = by_model.get(guess, {}) if guess else {}
    first = [p for p in papers if p.id not in cached][:BATCH]
    # One batch alone first: it says which model the server serves (and whether it answers
    # at all, so a down server costs one failed request, not one per batch).
    served, fresh = await _embed_batch(ctx, first)
    have = by_model.get(served, {})
    rest = [p for p in papers if p.id not in have and p.id not in fresh]
    limit = asyncio.Semaphore(CONCURRENCY)

    async def bounded(batch: list[Paper]) -> tuple[str, dict[str, np.ndarray[Any, Any]]]:
        async with limit:
            return await _embed_batch(ctx, batch)

    batches = [rest[i : i + BATCH] for i in range(0, len(rest), BATCH)]
    try:  # a failing batch cancels the others
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(bounded(b)) for b in batches]
    except ExceptionGroup as failed:
        raise failed.exceptions[0] from None
    for model, vectors in (t.result() for t in tasks):
        if model != served:
            raise _WrongShape(f"the server switched from {served!r} to {model!r} mid-run")
        fresh.update(vectors)
    dims = {v.shape[0] for v in fresh.values()} | {r.dim for r in have.values()}
    if len(dims) != 1:
        raise _WrongShape(f"{served!r} returned vectors of dimensions {sorted(dims)}")
    with ctx.db.write() as session:
        repo.put_many(
            session,
            model=served,
            vectors=[(pid, v.shape[0], v.astype("<f4").tobytes()) for pid, v in fresh.items()],
            now=now,
        )
    return _vectors(served, have, fresh)


async def _embed_batch(
    ctx: AppContext, batch: list[Paper]
) -> tuple[str, dict[str, np.ndarray[Any, Any]]]:
    client = ctx.embeddings_client
    assert client is not None
    answer: Embeddings = await client.embed([embedding_text(p) for p in batch], purpose=PURPOSE)
    rows = _unit_rows(answer.vectors, len(batch))
    return answer.model, {p.id: rows[i] for i, p in enumerate(batch)}


def _vectors(
    model: str, stored: dict[str, repo.StoredVector], fresh: dict[str, np.ndarray[Any, Any]]
) -> PaperVectors:
    vectors = {pid: _decode(row.data) for pid, row in stored.items()}
    vectors.update(fresh)
    dims = {v.shape[0] for v in vectors.values()}
    if len(dims) != 1:
        raise _WrongShape(f"cached vectors of {model!r} have dimensions {sorted(dims)}")
    return PaperVectors(model=model, dim=dims.pop(), vectors=vectors)
