"""Repository for the arXiv agent: papers (deduped by id across versions), events, models.

Papers are keyed by their id without version; a newer version updates the text but keeps the
day it was first announced. Events record what an owner was shown and tapped; the newest tap
on a paper is its label. Models are versioned per owner with exactly one active version, so a
bad update can be rolled back.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from store.errors import NotFound
from store.models import Paper, PaperEvent, RecommenderModel

TAPS = ("liked", "disliked")
KEEP_MODEL_VERSIONS = 30


@dataclass(frozen=True)
class PaperData:
    """What ``upsert_papers`` needs to know about one paper."""

    id: str
    version: int
    title: str
    abstract: str = ""
    authors: Sequence[str] = ()
    categories: Sequence[str] = ()
    primary_category: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    announce_type: str = "new"


def upsert_papers(
    session: Session,
    *,
    papers: Iterable[PaperData],
    announced_on: date | None,
    now: datetime,
    known_only: bool = False,
) -> tuple[int, int]:
    """Insert new papers, refresh ones seen again with a newer version; (added, updated).

    ``known_only`` (replacements of earlier papers) refreshes stored papers and adds none.
    """
    batch: dict[str, PaperData] = {}
    for paper in papers:  # the same id twice in one batch: keep the newest version
        if paper.id not in batch or paper.version > batch[paper.id].version:
            batch[paper.id] = paper
    if not batch:
        return 0, 0
    existing = {p.id: p for p in session.scalars(select(Paper).where(Paper.id.in_(list(batch))))}
    added = updated = 0
    for pid, data in batch.items():
        row = existing.get(pid)
        if row is None and known_only:
            continue
        if row is None:
            session.add(
                Paper(
                    id=pid,
                    version=data.version,
                    title=data.title[:2000],
                    abstract=data.abstract,
                    authors=list(data.authors),
                    categories=list(data.categories),
                    primary_category=data.primary_category[:32],
                    published_at=data.published_at,
                    updated_at=data.updated_at,
                    announced_on=announced_on,
                    announce_type=data.announce_type[:16],
                    fetched_at=now,
                )
            )
            added += 1
        elif data.version > row.version:
            row.version = data.version
            row.title = data.title[:2000]
            row.abstract = data.abstract or row.abstract
            row.authors = list(data.authors) or row.authors
            row.categories = list(data.categories) or row.categories
            row.updated_at = data.updated_at or row.updated_at
            row.fetched_at = now
            if row.announced_on is None:
                row.announced_on = announced_on
            updated += 1
        elif row.announced_on is None and announced_on is not None:
            row.announced_on = announced_on
    session.flush()
    return added, updated


def get_papers(session: Session, *, ids: Sequence[str]) -> dict[str, Paper]:
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Paper).where(Paper.id.in_(list(ids))))}


def announced_on(session: Session, *, day: date) -> list[Paper]:
    return list(session.scalars(select(Paper).where(Paper.announced_on == day).order_by(Paper.id)))


def announced_between(session: Session, *, since: date, until: date) -> list[Paper]:
    """Papers announced from ``since`` to ``until`` (both included), newest day first."""
    query = select(Paper).where(Paper.announced_on >= since, Paper.announced_on <= until)
    return list(session.scalars(query.order_by(Paper.announced_on.desc(), Paper.id)))


def latest_announcement(session: Session, *, until: date) -> date | None:
    return session.scalar(select(func.max(Paper.announced_on)).where(Paper.announced_on <= until))


def background_ids(session: Session, *, limit: int, exclude: Iterable[str] = ()) -> list[str]:
    """The most recently fetched paper ids (a stable sample of what arXiv publishes)."""
    skip = set(exclude)
    rows = session.scalars(
        select(Paper.id).order_by(Paper.fetched_at.desc(), Paper.id).limit(limit + len(skip))
    )
    return [pid for pid in rows if pid not in skip][:limit]


# ---------------------------------------------------------------- events


def add_event(
    session: Session,
    *,
    owner_id: int,
    paper_id: str,
    kind: str,
    now: datetime,
    digest_date: date | None = None,
    rank: int | None = None,
) -> PaperEvent:
    event = PaperEvent(
        owner_id=owner_id,
        paper_id=paper_id,
        kind=kind,
        digest_date=digest_date,
        rank=rank,
        created_at=now,
    )
    session.add(event)
    session.flush()
    return event


def get_event(session: Session, *, event_id: int, owner_id: int) -> PaperEvent:
    event = session.get(PaperEvent, event_id)
    if event is None or event.owner_id != owner_id:
        raise NotFound("That paper is not in your digest.")
    return event


def current_tap(session: Session, *, owner_id: int, paper_id: str) -> str | None:
    """The newest 👍/👎 on a paper, or None."""
    return session.scalar(
        select(PaperEvent.kind)
        .where(
            PaperEvent.owner_id == owner_id,
            PaperEvent.paper_id == paper_id,
            PaperEvent.kind.in_(TAPS),
        )
        .order_by(PaperEvent.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Labels:
    liked: list[str]
    disliked: list[str]
    seeded: list[str]


def labels(session: Session, *, owner_id: int) -> Labels:
    """Each paper's newest tap decides its label; seeded papers count as likes separately."""
    newest: dict[str, str] = {}
    seeded: list[str] = []
    rows = session.execute(
        select(PaperEvent.paper_id, PaperEvent.kind)
        .where(PaperEvent.owner_id == owner_id, PaperEvent.kind.in_((*TAPS, "seeded")))
        .order_by(PaperEvent.id)
    )
    for paper_id, kind in rows:
        if kind == "seeded":
            if paper_id not in seeded:
                seeded.append(paper_id)
        else:
            newest[paper_id] = kind
    return Labels(
        liked=[p for p, k in newest.items() if k == "liked"],
        disliked=[p for p, k in newest.items() if k == "disliked"],
        seeded=seeded,
    )


def shown(session: Session, *, owner_id: int, digest_date: date | None = None) -> list[PaperEvent]:
    """'shown' events, of one digest day or all, in rank order."""
    query = select(PaperEvent).where(PaperEvent.owner_id == owner_id, PaperEvent.kind == "shown")
    if digest_date is not None:
        query = query.where(PaperEvent.digest_date == digest_date)
    return list(session.scalars(query.order_by(PaperEvent.digest_date, PaperEvent.rank)))


def shown_event(
    session: Session, *, owner_id: int, paper_id: str, digest_date: date
) -> PaperEvent | None:
    return session.scalar(
        select(PaperEvent).where(
            PaperEvent.owner_id == owner_id,
            PaperEvent.paper_id == paper_id,
            PaperEvent.kind == "shown",
            PaperEvent.digest_date == digest_date,
        )
    )


def shown_ids(session: Session, *, owner_id: int) -> set[str]:
    return set(
        session.scalars(
            select(PaperEvent.paper_id).where(
                PaperEvent.owner_id == owner_id, PaperEvent.kind == "shown"
            )
        )
    )


# ---------------------------------------------------------------- models


def save_model(
    session: Session, *, owner_id: int, blob: bytes, metrics: dict[str, Any], now: datetime
) -> int:
    """Store a new active version (older ones kept for rollback, the oldest pruned)."""
    latest = session.scalar(
        select(func.max(RecommenderModel.version)).where(RecommenderModel.owner_id == owner_id)
    )
    version = int(latest or 0) + 1
    session.execute(
        update(RecommenderModel)
        .where(RecommenderModel.owner_id == owner_id, RecommenderModel.active.is_(True))
        .values(active=False)
    )
    session.add(
        RecommenderModel(
            owner_id=owner_id,
            version=version,
            active=True,
            blob=blob,
            metrics=metrics,
            created_at=now,
        )
    )
    stale = session.scalars(
        select(RecommenderModel)
        .where(RecommenderModel.owner_id == owner_id)
        .order_by(RecommenderModel.version.desc())
        .offset(KEEP_MODEL_VERSIONS)
    )
    for row in stale:
        session.delete(row)
    session.flush()
    return version


def active_model(session: Session, *, owner_id: int) -> RecommenderModel | None:
    return session.scalar(
        select(RecommenderModel).where(
            RecommenderModel.owner_id == owner_id, RecommenderModel.active.is_(True)
        )
    )


def model_versions(session: Session, *, owner_id: int) -> list[RecommenderModel]:
    return list(
        session.scalars(
            select(RecommenderModel)
            .where(RecommenderModel.owner_id == owner_id)
            .order_by(RecommenderModel.version)
        )
    )


def rollback_model(session: Session, *, owner_id: int, version: int | None = None) -> int:
    """Make ``version`` (default: the one before the active) the active model; returns it."""
    rows = model_versions(session, owner_id=owner_id)
    if not rows:
        raise NotFound("This owner has no arXiv model yet.")
    if version is None:
        current = next((r.version for r in rows if r.active), rows[-1].version)
        older = [r.version for r in rows if r.version < current]
        if not older:
            raise NotFound(f"No model version older than {current} to roll back to.")
        version = older[-1]
    target = next((r for r in rows if r.version == version), None)
    if target is None:
        known = ", ".join(str(r.version) for r in rows)
        raise NotFound(f"No model version {version} (known: {known}).")
    for row in rows:
        row.active = row.version == version
    session.flush()
    return version


def with_words(session: Session, *, words: Sequence[str], limit: int = 300) -> list[Paper]:
    """Stored papers whose title or abstract contains any of ``words``, newest first."""
    if not words:
        return []
    hits = [
        func.lower(column).contains(w.lower(), autoescape=True)
        for w in words
        for column in (Paper.title, Paper.abstract)
    ]
    query = select(Paper).where(or_(*hits)).order_by(Paper.fetched_at.desc(), Paper.id)
    return list(session.scalars(query.limit(limit)))


def shown_with_words(
    session: Session, *, owner_id: int, words: Sequence[str], limit: int = 50
) -> list[tuple[PaperEvent, Paper]]:
    """This owner's 'shown' events (newest first) of papers whose title contains every word."""
    query = (
        select(PaperEvent, Paper)
        .join(Paper, Paper.id == PaperEvent.paper_id)
        .where(PaperEvent.owner_id == owner_id, PaperEvent.kind == "shown")
    )
    for w in words:
        query = query.where(func.lower(Paper.title).contains(w.lower(), autoescape=True))
    rows = session.execute(query.order_by(PaperEvent.id.desc()).limit(limit))
    return [(event, paper) for event, paper in rows]
