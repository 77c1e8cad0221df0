"""One paper once: what an owner was already shown, and new versions of papers they liked.

The key is the arXiv id without its version (``store.papers`` keys papers so), per owner. A
paper comes back in a listing as a new version, a cross-list, a replacement or an RSS
re-announcement; whichever it is, a paper the owner was shown (or seeded themselves) is not
shown again. The one exception: a new version of a paper the owner 👍'd is shown once per
version, headed "v2 of a paper you liked" (``paper_seen`` holds the versions shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.arxiv.follows import Rules
from agents.context import AppContext
from agents.messaging import esc
from store import follows as seen_repo
from store import papers as repo
from store.models import Owner, PaperEvent, PaperSeen


def already_shown(session: Session, *, owner_id: int) -> set[str]:
    """Base ids this owner must not be shown as new: shown before, in any version, or seeded."""
    labels = repo.labels(session, owner_id=owner_id)
    return (
        repo.shown_ids(session, owner_id=owner_id)
        | set(seen_repo.seen_versions(session, owner_id=owner_id))
        | set(labels.seeded)
    )


def version_line(version: int) -> str:
    return f"v{version} of a paper you liked"


def with_version_line(text: str, version: int) -> str:
    """A digest message headed by the new-version line."""
    return f"<b>{esc(version_line(version))}</b>\n{text}"


def liked_updates(
    ctx: AppContext, owner: Owner, *, day: date, now: datetime, after: int
) -> dict[int, int]:
    """Show each liked paper that has a version newer than any the owner saw, once per version.

    Writes a 'shown' event (ranks ``after + 1 …``) and the version as seen, in one
    transaction; returns {event id: version}. A paper liked but never recorded as seen at some
    version (it predates version tracking) is left alone rather than announced as new.
    """
    found: dict[int, int] = {}
    with ctx.db.write() as session:
        liked = repo.labels(session, owner_id=owner.id).liked
        seen = seen_repo.seen_versions(session, owner_id=owner.id, paper_ids=liked)
        papers = repo.get_papers(session, ids=[pid for pid in liked if pid in seen])
        rank = after
        for pid in sorted(papers):
            paper = papers[pid]
            if paper.version <= seen[pid]:
                continue
            event = repo.shown_event(session, owner_id=owner.id, paper_id=pid, digest_date=day)
            if event is None:
                rank += 1
                event = repo.add_event(
                    session,
                    owner_id=owner.id,
                    paper_id=pid,
                    kind="shown",
                    now=now,
                    digest_date=day,
                    rank=rank,
                )
            seen_repo.mark_seen(
                session,
                owner_id=owner.id,
                paper_id=pid,
                version=paper.version,
                shown_on=day,
                now=now,
            )
            found[event.id] = paper.version
    return found


def mark_shown(
    session: Session, *, owner_id: int, paper_id: str, version: int, day: date, now: datetime
) -> None:
    """Record the version shown (inside the caller's transaction, beside its 'shown' event)."""
    seen_repo.mark_seen(
        session, owner_id=owner_id, paper_id=paper_id, version=version, shown_on=day, now=now
    )


@dataclass(frozen=True)
class Redone:
    """A day's digest rebuilt from its 'shown' events (a rerun after the ranking was stored)."""

    events: list[int]
    pins: list[str]
    updates: dict[str, int]


def redo_day(
    session: Session, *, owner_id: int, events: Sequence[PaperEvent], rules: Rules, size: int
) -> Redone:
    """Which of a day's events were the digest, which were pinned and which new versions.

    A new version is a paper shown today at a version above one shown before; pinned papers
    and new versions are all kept, the rest up to ``size`` in rank order (later 'shown'
    events of the day are /more's).
    """
    ids = [e.paper_id for e in events]
    rows = session.execute(
        select(PaperSeen.paper_id, PaperSeen.version, PaperSeen.shown_on).where(
            PaperSeen.owner_id == owner_id, PaperSeen.paper_id.in_(ids)
        )
    )
    versions: dict[str, list[tuple[int, date | None]]] = {}
    for pid, version, shown_on in rows:
        versions.setdefault(pid, []).append((version, shown_on))
    day = events[0].digest_date if events else None
    papers = repo.get_papers(session, ids=ids)
    kept: list[int] = []
    pins: list[str] = []
    updates: dict[str, int] = {}
    rest = 0
    for event in events:
        seen_at = versions.get(event.paper_id, [])
        today = [v for v, on in seen_at if on == day]
        if today and any(v < max(today) for v, _ in seen_at):
            updates[str(event.id)] = max(today)
        elif event.paper_id in papers and rules.pin_reason(papers[event.paper_id]):
            pins.append(str(event.id))
        elif rest < size:
            rest += 1
        else:
            continue
        kept.append(event.id)
    return Redone(kept, pins, updates)
