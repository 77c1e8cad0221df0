"""Cached calendar busy times in the live slots: padded by the owner's buffers like a meeting,
never counted toward the daily cap, and ignored for "is this time offered at all"."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from agents.meetings.availability import resolve_local, visitor_range
from agents.meetings.config import Policy
from agents.meetings.slots import SlotTaken, ensure_free, free_slots
from store import calendars, owners
from store.db import Database
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 10, 15, 6, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2026, 10, 20)


def test_busy_is_buffered_not_capped_and_a_taken_time_offers_alternatives(db: Database) -> None:
    ctx = make_ctx(db, lambda: NOW)
    policy = Policy(min_notice=0, buffer_before=15, buffer_after=15, max_per_day=1)
    owner_id = add_owner(db, now=NOW, hours="Mon-Fri 09:00-13:00", policy=policy)
    busy_start = resolve_local(DAY, time(10, 0), BERLIN)
    busy_end = resolve_local(DAY, time(11, 0), BERLIN)
    with db.write() as session:
        row = calendars.add(session, owner_id=owner_id, kind="ics", url="https://c/x", now=NOW)
        calendars.replace_busy(
            session, row, [(busy_start, busy_end, "gym", False)], state=None,
            covered_until=NOW, now=NOW,
        )  # fmt: skip
    start, end = visitor_range(DAY, 1, BERLIN)
    with db.read() as session:
        owner = owners.get_owner(session, owner_id=owner_id)
        found = free_slots(ctx, session, owner, start=start, end=end, length=30, now=NOW)
        starts = [s.start.astimezone(BERLIN).time() for s in found]
        # 09:30 would end 10:00 + 15 min buffer inside the busy hour; 11:00 starts in its tail.
        assert starts == [time(9, 0), time(11, 30), time(12, 0), time(12, 30)]
        with pytest.raises(SlotTaken) as taken:
            ensure_free(ctx, session, owner, start=busy_start, length=30, now=NOW, not_offered="no")
        assert taken.value.alternatives
