"""The booking bench's outside calendar: 500 events (50 weekly) expand, cache and block slots."""

from __future__ import annotations

from datetime import UTC, datetime

from bench.booking import BUSY_WEEKLY, _setup, add_busy_calendar, busy_feed, time_slot_computation
from store.db import Database

NOW = datetime(2026, 10, 1, 6, 0, tzinfo=UTC)


def test_the_busy_calendar_blocks_slots(db: Database) -> None:
    assert busy_feed(NOW, 60) == busy_feed(NOW, 60)  # deterministic
    assert busy_feed(NOW, 60).count("RRULE:FREQ=WEEKLY") == BUSY_WEEKLY
    _setup(db, NOW)
    free = time_slot_computation(db, NOW, 14, 1)["slots"]
    cached = add_busy_calendar(db, NOW, 60)
    assert cached["events"] == 500 and cached["busy_intervals"] > 500  # recurrences expanded
    assert time_slot_computation(db, NOW, 14, 1)["slots"] < free
