"""Meeting reminders: which reminder point is due, and what each side is sent.

Reminders go to both sides (owner on Telegram, guest by email) at each configured offset
before an accepted meeting. A reminder point is used only if it came after the meeting was
confirmed (no "24 hours before" burst at booking time) and, when several points were missed
(errands was down), only the latest is sent. Keys include the meeting's start, so a moved
meeting is reminded afresh and a rerun sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings import messages
from agents.meetings.links import manage_link
from agents.meetings.notices import mail_to_guest, note_owner
from store import bookings, owners
from store.models import Booking


def due_offset(
    offsets: tuple[timedelta, ...], *, start: datetime, confirmed: datetime, now: datetime
) -> timedelta | None:
    """The latest reminder point in ``(confirmed, now]`` before ``start``, if any."""
    points = [o for o in offsets if confirmed < start - o <= now < start]
    return min(points) if points else None


def _remind(
    ctx: AppContext, session: Session, booking: Booking, *, offset: timedelta, now: datetime
) -> int:
    """Queue one meeting's reminder at ``offset`` to both sides; how many were new."""
    owner = owners.get_owner(session, owner_id=booking.owner_id)
    start, end = booking.start_at, booking.end_at
    stamp = f"{booking.id}:{int(start.timestamp())}:{int(offset.total_seconds() // 60)}"
    due = start - offset
    text = messages.owner_reminder(
        name=booking.guest_name, topic=booking.topic, start=start, end=end, zone=owner.timezone
    )
    key = f"meetings:remind-owner:{stamp}"
    queued = int(note_owner(session, owner, text=text, key=key, now=now, due_at=due))
    mail = messages.guest_reminder(
        owner_name=owner.name,
        start=start,
        end=end,
        zone=booking.guest_timezone,
        manage=manage_link(ctx, booking),
    )
    key = f"meetings:remind-guest:{stamp}"
    queued += mail_to_guest(session, booking, mail, key=key, now=now, due_at=due)
    return queued


def queue_due(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> int:
    """Queue due meeting reminders; returns how many messages were newly queued."""
    offsets = ctx.config.meetings.reminder_offsets
    if not offsets:
        return 0
    queued = 0
    with ctx.db.write() as session:
        rows = bookings.accepted_starting(
            session, after=now, until=now + max(offsets), owner_id=owner_id
        )
        for booking in rows:
            confirmed = booking.decided_at or booking.created_at
            offset = due_offset(offsets, start=booking.start_at, confirmed=confirmed, now=now)
            if offset is not None:
                queued += _remind(ctx, session, booking, offset=offset, now=now)
    return queued
