"""Repository for an owner's arXiv pins and mutes, and the versions of papers each was shown.

Follows are unique by (owner, kind, mode, normalized value), so adding one twice is a no-op.
``paper_seen`` holds one row per owner, paper (base id) and version shown: the key "one paper
once" is checked against, and where a new version of a liked paper is told apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from store.models import ArxivFollow, Paper, PaperEvent, PaperSeen

KINDS = ("author", "keyword")
MODES = ("follow", "mute")


def add_follow(
    session: Session, *, owner_id: int, kind: str, mode: str, value: str, norm: str, now: datetime
) -> bool:
    """Add a pin or mute; False when the owner already has it (the same normalized value)."""
    found = session.scalar(
        select(ArxivFollow.id).where(
            ArxivFollow.owner_id == owner_id,
            ArxivFollow.kind == kind,
            ArxivFollow.mode == mode,
            ArxivFollow.norm == norm,
        )
    )
    if found is not None:
        return False
    session.add(
        ArxivFollow(owner_id=owner_id, kind=kind, mode=mode, value=value, norm=norm, created_at=now)
    )
    session.flush()
    return True


def remove_follow(session: Session, *, owner_id: int, kind: str, mode: str, norm: str) -> bool:
    """Remove a pin or mute; False when there was none."""
    row = session.scalar(
        select(ArxivFollow).where(
            ArxivFollow.owner_id == owner_id,
            ArxivFollow.kind == kind,
            ArxivFollow.mode == mode,
            ArxivFollow.norm == norm,
        )
    )
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def list_follows(session: Session, *, owner_id: int) -> list[ArxivFollow]:
    """An owner's follows and mutes, oldest first."""
    return list(
        session.scalars(
            select(ArxivFollow)
            .where(ArxivFollow.owner_id == owner_id)
            .order_by(ArxivFollow.created_at, ArxivFollow.id)
        )
    )


# ---------------------------------------------------------------- versions shown


def mark_seen(
    session: Session,
    *,
    owner_id: int,
    paper_id: str,
    version: int,
    shown_on: date | None,
    now: datetime,
) -> bool:
    """Record that ``owner`` was shown ``version`` of a paper; False when already recorded."""
    if session.get(PaperSeen, (owner_id, paper_id, version)) is not None:
        return False
    session.add(
        PaperSeen(
            owner_id=owner_id, paper_id=paper_id, version=version, shown_on=shown_on, created_at=now
        )
    )
    session.flush()
    return True


def seen_versions(
    session: Session, *, owner_id: int, paper_ids: Iterable[str] | None = None
) -> dict[str, int]:
    """The newest version of each paper the owner was shown (all papers when ``paper_ids`` is
    None)."""
    query = (
        select(PaperSeen.paper_id, func.max(PaperSeen.version))
        .where(PaperSeen.owner_id == owner_id)
        .group_by(PaperSeen.paper_id)
    )
    if paper_ids is not None:
        ids = list(paper_ids)
        if not ids:
            return {}
        query = query.where(PaperSeen.paper_id.in_(ids))
    return {pid: int(version) for pid, version in session.execute(query)}


def shown_between(
    session: Session, *, owner_id: int, since: date, until: date
) -> list[tuple[PaperEvent, Paper]]:
    """The owner's 'shown' events with digest days from ``since`` to ``until`` (both included),
    with their papers, in day and rank order."""
    rows = session.execute(
        select(PaperEvent, Paper)
        .join(Paper, Paper.id == PaperEvent.paper_id)
        .where(
            PaperEvent.owner_id == owner_id,
            PaperEvent.kind == "shown",
            PaperEvent.digest_date >= since,
            PaperEvent.digest_date <= until,
        )
        .order_by(PaperEvent.digest_date, PaperEvent.rank, PaperEvent.id)
    )
    return [(event, paper) for event, paper in rows]


def newest_taps(session: Session, *, owner_id: int, paper_ids: Sequence[str]) -> dict[str, str]:
    """Each paper's newest 👍/👎 ('liked' or 'disliked'); papers never tapped are left out."""
    if not paper_ids:
        return {}
    rows = session.execute(
        select(PaperEvent.paper_id, PaperEvent.kind)
        .where(
            PaperEvent.owner_id == owner_id,
            PaperEvent.paper_id.in_(list(paper_ids)),
            PaperEvent.kind.in_(("liked", "disliked")),
        )
        .order_by(PaperEvent.id)
    )
    newest: dict[str, str] = {}
    for paper_id, kind in rows:
        newest[paper_id] = kind
    return newest
