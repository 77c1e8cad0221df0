"""Repository for cached paper embeddings: one float32 vector per paper and embedding model.

A vector is written once and never replaced: the same model name gives the same vector, so
``put_many`` only inserts the (paper, model) pairs that are not stored yet.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import PaperEmbedding

_CHUNK = 500  # ids per IN (...) clause, well under SQLite's variable limit


@dataclass(frozen=True)
class StoredVector:
    """One cached embedding; ``data`` is ``dim`` little-endian float32 values."""

    paper_id: str
    model: str
    dim: int
    data: bytes


def _chunks(ids: Sequence[str]) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _CHUNK):
        yield unique[start : start + _CHUNK]


def get_many(
    session: Session, *, ids: Sequence[str], model: str | None = None
) -> list[StoredVector]:
    """The cached vectors of ``ids`` (of one model, or of every model when ``model`` is None)."""
    found: list[StoredVector] = []
    for chunk in _chunks(ids):
        query = select(PaperEmbedding).where(PaperEmbedding.paper_id.in_(chunk))
        if model is not None:
            query = query.where(PaperEmbedding.model == model)
        found.extend(
            StoredVector(row.paper_id, row.model, row.dim, row.vector)
            for row in session.scalars(query.order_by(PaperEmbedding.paper_id))
        )
    return found


def put_many(
    session: Session, *, model: str, vectors: Sequence[tuple[str, int, bytes]], now: datetime
) -> int:
    """Store ``(paper id, dim, bytes)`` rows for ``model``; existing pairs are kept. Returns
    how many rows were added."""
    wanted: dict[str, tuple[int, bytes]] = {}
    for paper_id, dim, data in vectors:
        if len(data) != 4 * dim or dim < 1:
            raise ValueError(f"{paper_id}: {len(data)} bytes is not {dim} float32 values")
        wanted.setdefault(paper_id, (dim, data))
    existing: set[str] = set()
    for chunk in _chunks(list(wanted)):
        existing.update(
            session.scalars(
                select(PaperEmbedding.paper_id).where(
                    PaperEmbedding.model == model, PaperEmbedding.paper_id.in_(chunk)
                )
            )
        )
    added = 0
    for paper_id, (dim, data) in wanted.items():
        if paper_id in existing:
            continue
        session.add(
            PaperEmbedding(paper_id=paper_id, model=model, dim=dim, vector=data, created_at=now)
        )
        added += 1
    session.flush()
    return added
