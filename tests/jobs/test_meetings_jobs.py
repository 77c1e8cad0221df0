"""Meeting reminders (both sides, no burst, once) and the expiry of unanswered requests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from agents.meetings import lifecycle, moves
from jobs import meetings, reminders
from store.db import Database
from store.models import Booking, OutboxMessage
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)
SLOT = datetime(2026, 3, 4, 9, tzinfo=UTC)  # Wednesday 10:00 Berlin, 49 h after NOW


def keys(db: Database, prefix: str) -> list[str]:
    with db.read() as session:
        return [
            k
            for k in session.scalars(select(OutboxMessage.idempotency_key))
            if k.startswith(prefix)
        ]


def book(ctx, start=SLOT):  # type: ignore[no-untyped-def]
    return lifecycle.request_booking(
        ctx,
        lifecycle.BookingInput("ada", start, 30, "Grace", "g@example.org", "", "UTC", ""),
        now=NOW,
    )


async def test_reminders_go_to_both_sides_once_per_offset(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    b = book(ctx)
    lifecycle.apply_decision(ctx, booking_id=b.id, action="approve", now=NOW)
    assert "meetings" in reminders.SOURCES
    assert (await reminders.run(ctx, now=SLOT - timedelta(hours=25)))["meetings"] == 0
    at24 = SLOT - timedelta(hours=24)
    assert (await reminders.run(ctx, now=at24))["meetings"] == 2
    assert (await reminders.run(ctx, now=at24 + timedelta(minutes=1)))["meetings"] == 0
    assert (await reminders.run(ctx, now=SLOT - timedelta(minutes=30)))["meetings"] == 2
    assert (await reminders.run(ctx, now=SLOT + timedelta(minutes=1)))["meetings"] == 0
    assert len(keys(db, "meetings:remind-owner")) == 2
    assert len(keys(db, "meetings:remind-guest")) == 2


async def test_no_reminder_burst_for_a_meeting_confirmed_late(db: Database) -> None:
    add_owner(db, now=NOW)
    late = NOW + timedelta(hours=30)  # confirmed 19 h before the meeting
    ctx = make_ctx(db, lambda: NOW)
    b = book(ctx)
    lifecycle.apply_decision(ctx, booking_id=b.id, action="approve", now=late)
    assert (await reminders.run(ctx, now=late + timedelta(minutes=1)))["meetings"] == 0
    assert (await reminders.run(ctx, now=SLOT - timedelta(minutes=59)))["meetings"] == 2


async def test_expiry_releases_the_hold_and_tells_the_guest(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    b = book(ctx)
    assert await meetings.expire(ctx, now=NOW + timedelta(hours=23)) == {"expired": 0}
    assert await meetings.expire(ctx, now=NOW + timedelta(hours=24)) == {"expired": 1}
    assert await meetings.expire(ctx, now=NOW + timedelta(hours=25)) == {"expired": 0}
    with db.read() as session:
        assert session.scalar(select(Booking.status).where(Booking.id == b.id)) == "expired"
    assert keys(db, "meetings:expired") == [f"meetings:expired:{b.id}"]
    assert keys(db, f"meetings:card:{b.id}:expired")


async def test_a_moved_meeting_is_reminded_afresh_without_a_burst(db: Database) -> None:
    from agents.meetings import links
    from tests.agents.meetings.helpers import SECRET

    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    b = book(ctx)
    lifecycle.apply_decision(ctx, booking_id=b.id, action="approve", now=NOW)
    at24 = SLOT - timedelta(hours=24)
    assert (await reminders.run(ctx, now=at24))["meetings"] == 2
    with db.read() as session:
        current = session.get(Booking, b.id)
        assert current is not None
        token = links.make_token(
            SECRET, booking_id=b.id, nonce=current.manage_token, expires=current.start_at
        )
    moved_at = at24 + timedelta(minutes=5)
    new_start = SLOT - timedelta(hours=1)  # its 24 h point passed before the move
    lifecycle.guest_reschedule(ctx, token=token, start=new_start, sequence=0, now=moved_at)
    assert moves.decide_move(ctx, booking_id=b.id, approve=True, now=moved_at, owner_id=1)[0]
    # the new 24 h point (before the move) is skipped; the 1 h point comes fresh
    assert (await reminders.run(ctx, now=moved_at + timedelta(minutes=1)))["meetings"] == 0
    assert (await reminders.run(ctx, now=new_start - timedelta(minutes=60)))["meetings"] == 2
