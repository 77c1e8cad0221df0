"""Request counts per key (a client address) in fixed clock windows, kept in the store.

Counting in the store, not in a process, makes a limit hold across every instance on one
database. A hit is one SQL upsert that increments and returns the window's count
(``INSERT … ON CONFLICT DO UPDATE SET count = count + 1 RETURNING count``), so concurrent
hits never lose an increment on either engine. Windows before the current one are never read
again: ``prune`` deletes them (by the ``window_start`` index).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Index, Integer, String, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from store.models import Base

WINDOW = timedelta(minutes=1)
KEY_LENGTH = 200
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class RateHit(Base):
    """How many times ``key`` was counted in the window starting at ``window_start``."""

    __tablename__ = "rate_hits"
    __table_args__ = (Index("ix_rate_hits_window_start", "window_start"),)

    key: Mapped[str] = mapped_column(String(KEY_LENGTH), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(Integer)


def window_of(now: datetime, window: timedelta = WINDOW) -> datetime:
    """The start of the window ``now`` falls in (windows are aligned to the epoch, in UTC)."""
    return now - (now - _EPOCH) % window


def hit(session: Session, *, key: str, now: datetime, window: timedelta = WINDOW) -> int:
    """Count one hit for ``key`` at ``now``; the window's count, this hit included."""
    values = {"key": key[:KEY_LENGTH], "window_start": window_of(now, window), "count": 1}
    postgres = session.get_bind().dialect.name == "postgresql"
    insert = postgresql.insert(RateHit) if postgres else sqlite.insert(RateHit)
    statement = (
        insert.values(**values)
        .on_conflict_do_update(
            index_elements=["key", "window_start"], set_={"count": RateHit.count + 1}
        )
        .returning(RateHit.count)
    )
    return int(session.execute(statement).scalar_one())


def prune(session: Session, *, now: datetime, window: timedelta = WINDOW) -> int:
    """Delete every window before ``now``'s; how many rows went."""
    result = session.execute(delete(RateHit).where(RateHit.window_start < window_of(now, window)))
    return int(getattr(result, "rowcount", 0) or 0)
