"""store.calendars: a good copy replaces busy times, a failure keeps them, own bookings skip."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from store import bookings, calendars, owners
from store.db import Database
from store.errors import Conflict, NotFound

NOW = datetime(2026, 10, 15, 6, 0, tzinfo=UTC)
H = timedelta(hours=1)


def test_busy_copy_failure_and_own_bookings(db: Database) -> None:
    with db.write() as session:
        owner = owners.create_owner(session, name="Ada", timezone="UTC", now=NOW, slug="ada")
        other = owners.create_owner(session, name="Bob", timezone="UTC", now=NOW, slug="bob")
        row = calendars.add(session, owner_id=owner.id, kind="ics", url="https://c/x", now=NOW)
        with pytest.raises(Conflict):
            calendars.add(session, owner_id=owner.id, kind="ics", url="https://c/x", now=NOW)
        booking = bookings.create_pending(
            session, owner_id=owner.id, start_at=NOW + 5 * H, end_at=NOW + 6 * H,
            guest_name="G", guest_email="g@example.org", guest_timezone="UTC", topic="",
            client_ip="", expires_at=NOW + 5 * H, now=NOW, gap=timedelta(0),
        )  # fmt: skip
        calendars.replace_busy(
            session,
            row,
            [
                (NOW + H, NOW + 2 * H, "a", False),
                (NOW + 5 * H, NOW + 6 * H, booking.ical_uid, False),
            ],
            state='"e1"',
            covered_until=NOW + timedelta(days=60),
            now=NOW,
        )
        owner_id, other_id, cal_id = owner.id, other.id, row.id
    with db.read() as session:
        span = {"start": NOW, "end": NOW + timedelta(days=1)}
        assert calendars.busy_between(session, owner_id=owner_id, **span) == [
            (NOW + H, NOW + 2 * H)
        ]
        assert calendars.busy_between(session, owner_id=other_id, **span) == []
    with db.write() as session:
        row = calendars.get(session, owner_id=owner_id, calendar_id=cal_id)
        calendars.record_failure(row, error="down", now=NOW + H)
        calendars.record_failure(row, error="still down", now=NOW + 2 * H)
    with db.read() as session:
        row = calendars.get(session, owner_id=owner_id, calendar_id=cal_id)
        assert (row.last_error, row.failing_since, row.last_ok_at) == ("still down", NOW + H, NOW)
        assert row.busy_count == 2 and row.state == '"e1"'
        with pytest.raises(NotFound):
            calendars.get(session, owner_id=other_id, calendar_id=cal_id)
    with db.write() as session:
        calendars.remove(session, owner_id=owner_id, calendar_id=cal_id)
    with db.read() as session:
        assert calendars.busy_between(session, owner_id=owner_id, **span) == []
