"""Days far from now are refused with a clear InvalidInput, never an OverflowError."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from agents.meetings import lifecycle
from agents.meetings.availability import (
    OUT_OF_REACH,
    check_reach,
    compute_slots,
    visitor_range,
)
from agents.meetings.config import Policy
from agents.meetings.lifecycle import BookingInput
from agents.meetings.slots import ensure_free, free_slots
from store import owners
from store.db import Database
from store.errors import InvalidInput
from store.models import Booking
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)
EAST, WEST = timezone(timedelta(hours=14)), timezone(timedelta(hours=-12))
FAR = [
    datetime(1, 1, 1, tzinfo=EAST),
    datetime(1, 1, 1, tzinfo=UTC),
    datetime(9999, 12, 31, 23, 59, tzinfo=WEST),
    datetime(9999, 12, 31, 23, 59, tzinfo=UTC),
]
JUST_OUT = [NOW - timedelta(days=367), NOW + timedelta(days=733)]
"""Outside the window for one time; a range may reach a little further (``check_range``)."""


def test_the_window_is_a_year_back_to_two_years_ahead() -> None:
    for inside in (NOW - timedelta(days=365), NOW, NOW + timedelta(days=731)):
        check_reach(inside, NOW)
        check_reach(inside.date(), NOW)
    for far in [*FAR, *JUST_OUT, date.min, date.max]:
        with pytest.raises(InvalidInput) as refused:
            check_reach(far, NOW)
        assert refused.value.user_message == OUT_OF_REACH


@pytest.mark.parametrize("day", [date.min, date(1, 1, 2), date.max, date(9999, 12, 1)])
def test_visitor_range_refuses_days_that_would_overflow(day: date) -> None:
    with pytest.raises(InvalidInput):
        visitor_range(day, 62, ZoneInfo("Pacific/Kiritimati"))


@pytest.mark.parametrize("far", [*FAR, NOW - timedelta(days=500), NOW + timedelta(days=900)])
def test_slot_computation_refuses_far_ranges(db: Database, far: datetime) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    with pytest.raises(InvalidInput):
        compute_slots(
            policy=Policy(),
            length=30,
            rules=[],
            overrides=[],
            busy=[],
            zone=ZoneInfo("Europe/Berlin"),
            now=NOW,
            start=far,
            end=far,
        )
    with db.read() as session:
        owner = owners.get_owner(session, owner_id=1)
        with pytest.raises(InvalidInput):
            free_slots(ctx, session, owner, start=far, end=far, length=30, now=NOW)
        with pytest.raises(InvalidInput):
            ensure_free(ctx, session, owner, start=far, length=30, now=NOW, not_offered="no")


@pytest.mark.parametrize("far", FAR + JUST_OUT)
def test_booking_or_moving_to_a_far_time_is_invalid_and_stores_nothing(
    db: Database, far: datetime
) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    data = BookingInput("ada", far, 30, "Grace", "g@example.org", "", "UTC", "10.0.0.1")
    with pytest.raises(InvalidInput):
        lifecycle.request_booking(ctx, data, now=NOW)
    with pytest.raises(InvalidInput):
        lifecycle.guest_reschedule(ctx, token="1.2.abc", start=far, sequence=0, now=NOW)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 0
