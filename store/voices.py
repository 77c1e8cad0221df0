"""Voice notes kept for 🔁 Try again (``pending_voices``): owner-scoped, deleted once heard."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from store.errors import Conflict
from store.models import PendingVoice

REASON_LENGTH = 300


def keep(
    session: Session,
    *,
    owner_id: int,
    file_id: str,
    duration: int | None,
    size: int | None,
    reason: str,
    now: datetime,
) -> int:
    """Remember a note that failed; its id goes in the retry button's callback data."""
    row = PendingVoice(
        owner_id=owner_id,
        file_id=file_id,
        duration=duration,
        size=size,
        reason=reason[:REASON_LENGTH],
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def get_owned(session: Session, *, owner_id: int, voice_id: int) -> PendingVoice:
    """The owner's kept note; ``Conflict`` ("Already handled.") when it was heard since, or
    belongs to someone else (a forged press is told nothing more)."""
    row = session.scalar(
        select(PendingVoice).where(PendingVoice.id == voice_id, PendingVoice.owner_id == owner_id)
    )
    if row is None:
        raise Conflict("That voice message was already handled.")
    return row


def failed_again(session: Session, *, owner_id: int, voice_id: int, reason: str) -> None:
    """Count another failed try (the note stays for the next one)."""
    row = get_owned(session, owner_id=owner_id, voice_id=voice_id)
    session.execute(
        update(PendingVoice)
        .where(PendingVoice.id == row.id)
        .values(attempts=PendingVoice.attempts + 1, reason=reason[:REASON_LENGTH])
        .execution_options(synchronize_session=False)
    )
    session.expire(row)


def forget(session: Session, *, owner_id: int, voice_id: int) -> None:
    """Drop the note once it is transcribed (a second 🔁 then answers "Already handled.")."""
    session.delete(get_owned(session, owner_id=owner_id, voice_id=voice_id))
