"""Outside calendars' tables (#16), beside ``store.models`` (same ``Base``, same metadata).

An owner's calendar (CalDAV or a read-only subscription URL; only a password's env var NAME),
the expanded busy times of its last good copy, and which SEQUENCE of each booking is on a
CalDAV server.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from store.models import Base


class OwnerCalendar(Base):
    """An owner's outside calendar: a CalDAV collection (read and written) or a read-only
    iCalendar subscription URL. Only the NAME of the env var holding a password is stored.

    ``state`` is the ETag (subscription) or ctag (CalDAV) of the last good copy, which stays in
    ``calendar_busy`` until a newer good copy replaces it: a failed sync never frees a time.
    """

    __tablename__ = "calendars"
    __table_args__ = (
        CheckConstraint("kind IN ('caldav', 'ics')", name="kind"),
        UniqueConstraint("owner_id", "url", name="owner_url"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(8))
    url: Mapped[str] = mapped_column(String(2000))
    username: Mapped[str] = mapped_column(String(200), default="")
    password_env: Mapped[str] = mapped_column(String(100), default="")
    state: Mapped[str | None] = mapped_column(String(300))
    covered_until: Mapped[datetime | None]
    last_attempt_at: Mapped[datetime | None]
    last_ok_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(500))
    failing_since: Mapped[datetime | None]
    busy_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime]


class CalendarBusy(Base):
    """One busy interval of an outside calendar (an expanded occurrence), UTC."""

    __tablename__ = "calendar_busy"
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="span"),
        Index("ix_calendar_busy_owner_start", "owner_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(
        ForeignKey("calendars.id", ondelete="CASCADE"), index=True
    )
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id", ondelete="CASCADE"))
    start_at: Mapped[datetime]
    end_at: Mapped[datetime]
    uid: Mapped[str] = mapped_column(String(300), default="")
    all_day: Mapped[bool] = mapped_column(Boolean, default=False)


class CalendarWrite(Base):
    """A booking as written to a CalDAV calendar: which SEQUENCE is on the server.

    The calendar job compares it with the booking and PUTs or DELETEs until they agree, so a
    failed write is retried, never lost, and a repeat is a no-op (same UID, same href).
    """

    __tablename__ = "calendar_writes"
    __table_args__ = (
        CheckConstraint("state IN ('written', 'deleted')", name="state"),
        UniqueConstraint("calendar_id", "booking_id", name="calendar_booking"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("calendars.id", ondelete="CASCADE"))
    booking_id: Mapped[int] = mapped_column(
        ForeignKey("bookings.id", ondelete="CASCADE"), index=True
    )
    uid: Mapped[str] = mapped_column(String(200))
    sequence: Mapped[int] = mapped_column(default=0)
    state: Mapped[str] = mapped_column(String(16), default="written")
    updated_at: Mapped[datetime]
