"""Reading-list rows (``reading_list``) and the paper look-ups the reading list and guests need.

Plain repository functions on a ``Session``; what saving or reading a paper means lives in
``agents.arxiv.reading`` and who a guest is in ``agents.arxiv.guest_papers``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Text, cast, or_, select
from sqlalchemy.orm import Session

from store.models import Paper, PaperEvent, ReadingItem, Todo

MAX_CANDIDATES = 5000
"""Papers a name pre-filter may return (the most recently fetched): a very common name in a
year of listings stays bounded."""


def get(session: Session, *, owner_id: int, paper_id: str) -> ReadingItem | None:
    return session.scalar(
        select(ReadingItem).where(
            ReadingItem.owner_id == owner_id, ReadingItem.paper_id == paper_id
        )
    )


def by_todo(session: Session, *, todo_id: int) -> ReadingItem | None:
    """The reading-list entry whose 'Read: …' to-do is ``todo_id``, if it is one."""
    return session.scalar(select(ReadingItem).where(ReadingItem.todo_id == todo_id))


def states(session: Session, *, owner_id: int, paper_ids: Sequence[str]) -> dict[str, str]:
    """Each listed paper's to-do status ('open' or 'done'); papers off the list (or whose
    to-do is gone or deleted) are left out."""
    if not paper_ids:
        return {}
    rows = session.execute(
        select(ReadingItem.paper_id, Todo.status)
        .join(Todo, Todo.id == ReadingItem.todo_id)
        .where(ReadingItem.owner_id == owner_id, ReadingItem.paper_id.in_(list(paper_ids)))
    )
    return {pid: status for pid, status in rows if status != "deleted"}


def save(
    session: Session, *, owner_id: int, paper_id: str, todo_id: int, now: datetime
) -> ReadingItem:
    """Put a paper on the list with its to-do (or point an existing entry at a new to-do)."""
    item = get(session, owner_id=owner_id, paper_id=paper_id)
    if item is None:
        item = ReadingItem(owner_id=owner_id, paper_id=paper_id, todo_id=todo_id, saved_at=now)
        session.add(item)
    else:
        item.todo_id = todo_id
    session.flush()
    return item


def last_shown(session: Session, *, owner_id: int, paper_id: str) -> PaperEvent | None:
    """The newest 'shown' event of a paper for an owner (its digest day and rank)."""
    return session.scalar(
        select(PaperEvent)
        .where(
            PaperEvent.owner_id == owner_id,
            PaperEvent.paper_id == paper_id,
            PaperEvent.kind == "shown",
        )
        .order_by(PaperEvent.id.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Authored:
    """A candidate paper for a name: its id, author list and the day it came out."""

    paper_id: str
    authors: list[Any]
    day: date | None


def with_author_text(
    session: Session, *, fragments: Sequence[str], since: datetime
) -> list[Authored]:
    """Papers out since ``since`` whose stored author list contains every fragment
    (ASCII, case-insensitive), newest first: a cheap pre-filter (ids, authors and days only,
    no abstracts); the caller matches the names exactly."""
    if not fragments:
        return []
    text = cast(Paper.authors, Text)
    sqlite = session.get_bind().dialect.name == "sqlite"  # its LIKE ignores ASCII case already
    patterns = [f"%{_escape(f.lower())}%" for f in fragments]
    query = select(Paper.id, Paper.authors, Paper.published_at, Paper.announced_on).where(
        or_(Paper.published_at >= since, Paper.announced_on >= since.date()),
        *(text.like(p, escape="\\") if sqlite else text.ilike(p, escape="\\") for p in patterns),
    )
    rows = session.execute(query.order_by(Paper.fetched_at.desc()).limit(MAX_CANDIDATES))
    found = [
        Authored(pid, list(authors or ()), published.date() if published else announced)
        for pid, authors, published, announced in rows
    ]
    return sorted(found, key=lambda a: (a.day or since.date(), a.paper_id), reverse=True)


def paper_day(paper: Paper) -> date | None:
    """The day a paper came out: published, else announced."""
    if paper.published_at is not None:
        return paper.published_at.date()
    return paper.announced_on


def _escape(fragment: str) -> str:
    return fragment.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
