"""Repeat rules in the task's own zone: DST-safe steps, COUNT/UNTIL, every!, roll-over."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from agents.todos.config import TodoConfig
from agents.todos.recurrence import advance, describe, latest_due, validate_rrule
from agents.todos.reminding import in_quiet_hours, parse_key, reminder_key
from agents.todos.snooze import preset_time, typed_time
from agents.todos.timeutil import localize
from store.errors import InvalidInput

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def test_daily_0900_stays_0900_local_across_both_dst_changes() -> None:
    due = datetime(2026, 3, 28, 9, tzinfo=BERLIN)
    nxt = advance("FREQ=DAILY", due=due, tz=BERLIN, after=due)
    assert nxt is not None and nxt.due.isoformat() == "2026-03-29T09:00:00+02:00"
    due = datetime(2026, 10, 31, 9, tzinfo=NEW_YORK)
    nxt = advance("FREQ=DAILY", due=due, tz=NEW_YORK, after=due)
    assert nxt is not None and nxt.due.isoformat() == "2026-11-01T09:00:00-05:00"


def test_gap_moves_forward_and_overlap_takes_the_first() -> None:
    assert localize(datetime(2026, 3, 29, 2, 30), BERLIN).isoformat() == "2026-03-29T03:30:00+02:00"
    assert (
        localize(datetime(2026, 10, 25, 2, 30), BERLIN).isoformat() == "2026-10-25T02:30:00+02:00"
    )
    rule = "FREQ=DAILY;BYHOUR=2;BYMINUTE=30"  # the wall time is part of the rule
    due = datetime(2026, 3, 28, 2, 30, tzinfo=BERLIN)
    nxt = advance(rule, due=due, tz=BERLIN, after=due)
    assert nxt is not None and nxt.due.isoformat() == "2026-03-29T03:30:00+02:00"
    after_gap = advance(rule, due=nxt.due, tz=BERLIN, after=nxt.due)
    assert after_gap is not None and after_gap.due.isoformat() == "2026-03-30T02:30:00+02:00"


def test_count_is_used_up_and_ends_the_series() -> None:
    due = datetime(2026, 3, 2, 9, tzinfo=UTC)
    first = advance("FREQ=DAILY;COUNT=2", due=due, tz=ZoneInfo("UTC"), after=due)
    assert first is not None and first.rule == "FREQ=DAILY;COUNT=1"
    assert advance(first.rule, due=first.due, tz=ZoneInfo("UTC"), after=first.due) is None


def test_until_ends_the_series() -> None:
    due = datetime(2026, 3, 31, 9, tzinfo=UTC)
    rule = "FREQ=DAILY;UNTIL=20260331T235959"
    assert advance(rule, due=due, tz=ZoneInfo("UTC"), after=due) is None


def test_every_bang_counts_from_completion() -> None:
    due = datetime(2026, 3, 2, 8, tzinfo=UTC)
    done = datetime(2026, 3, 5, 17, tzinfo=UTC)
    nxt = advance(
        "FREQ=DAILY;INTERVAL=3", due=due, tz=ZoneInfo("UTC"), after=done, from_completion=done
    )
    assert nxt is not None and nxt.due == datetime(2026, 3, 8, 8, tzinfo=UTC)


def test_done_late_skips_to_the_first_future_occurrence() -> None:
    due = datetime(2026, 3, 2, 8, tzinfo=UTC)
    late = datetime(2026, 3, 4, 12, tzinfo=UTC)
    nxt = advance("FREQ=DAILY", due=due, tz=ZoneInfo("UTC"), after=late)
    assert nxt is not None and nxt.due == datetime(2026, 3, 5, 8, tzinfo=UTC) and nxt.skipped == 2


def test_roll_forward_to_the_latest_occurrence() -> None:
    due = datetime(2026, 3, 2, 8, tzinfo=UTC)
    rolled = latest_due(
        "FREQ=DAILY", due=due, tz=ZoneInfo("UTC"), now=datetime(2026, 3, 4, 9, tzinfo=UTC)
    )
    assert rolled is not None and rolled.due == datetime(2026, 3, 4, 8, tzinfo=UTC)
    assert latest_due("FREQ=DAILY", due=due, tz=ZoneInfo("UTC"), now=due) is None


@pytest.mark.parametrize(
    "rule",
    ["FREQ=DAILY;INTERVAL=0", "FREQ=HOURLY", "FREQ=WEEKLY;BYDAY=XX", "FREQ=DAILY;FOO=1", "",
     "FREQ=MONTHLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=DAILY;COUNT=2;UNTIL=20260101T000000"],
)  # fmt: skip
def test_bad_rules_are_refused(rule: str) -> None:
    with pytest.raises(InvalidInput):
        validate_rrule(rule)


def test_rules_are_described_in_words() -> None:
    assert describe("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO") == "every other week on Monday"
    assert describe("FREQ=MONTHLY;BYDAY=+3FR") == "every month on the 3rd Friday"
    assert describe("FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR") == "every weekday"


def test_snooze_presets_in_the_owner_zone() -> None:
    now = datetime(2026, 3, 2, 20, tzinfo=UTC)  # 21:00 in Berlin, Monday
    config = TodoConfig()
    hour = preset_time("snz_hour", now=now, timezone="Europe/Berlin", config=config)
    assert hour.isoformat() == "2026-03-03T07:00:00+01:00"  # 22:00 is quiet: their end
    evening = preset_time("snz_evening", now=now, timezone="Europe/Berlin", config=config)
    assert evening.isoformat() == "2026-03-03T19:00:00+01:00"  # already evening: tomorrow's
    tomorrow = preset_time("snz_tomorrow", now=now, timezone="Europe/Berlin", config=config)
    assert tomorrow.isoformat() == "2026-03-03T09:00:00+01:00"
    monday = preset_time("snz_monday", now=now, timezone="Europe/Berlin", config=config)
    assert monday.isoformat() == "2026-03-09T09:00:00+01:00"
    typed = typed_time("tomorrow 8am", now=now, timezone="Europe/Berlin", config=config)
    assert typed.isoformat() == "2026-03-03T08:00:00+01:00"
    with pytest.raises(InvalidInput):
        typed_time("whenever", now=now, timezone="Europe/Berlin", config=config)


def test_quiet_hours_wrap_midnight() -> None:
    config = TodoConfig(quiet_start=time(22), quiet_end=time(7))
    assert in_quiet_hours(time(23, 30), config) and in_quiet_hours(time(6, 59), config)
    assert not in_quiet_hours(time(7), config) and not in_quiet_hours(time(12), config)


def test_reminder_keys_round_trip() -> None:
    when = datetime(2026, 3, 2, 9, tzinfo=UTC)
    key = parse_key(reminder_key(5, when, 2))
    assert key is not None and (key.todo_id, key.occurrence, key.nag) == (5, when, 2)
    assert parse_key("todo-agenda:1:2026-03-02") is None
