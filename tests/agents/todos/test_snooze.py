"""Snooze rules (issue 14): "This evening" after the evening is tomorrow evening, a snooze
into quiet hours moves to their end, a snooze never moves a task earlier than it is due; each
says so. Also across DST, and on a stored task through ``actions.snooze``."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from agents.todos import actions
from agents.todos.config import TodoConfig
from agents.todos.snooze import preset, typed
from store import owners, todos
from store.db import Database
from store.errors import InvalidInput
from store.models import Todo

BER = "Europe/Berlin"
CONFIG = TodoConfig()  # quiet 22:00-07:00, evening 19:00, morning 09:00


def _at(iso: str) -> datetime:
    return datetime.fromisoformat(iso)


@pytest.mark.parametrize(
    ("now", "until", "note"),
    [
        ("2026-03-02T15:00:00+01:00", "2026-03-02T19:00:00+01:00", ""),
        ("2026-03-02T19:00:00+01:00", "2026-03-03T19:00:00+01:00", "past 19:00: tomorrow evening"),
        ("2026-03-02T21:30:00+01:00", "2026-03-03T19:00:00+01:00", "past 19:00: tomorrow evening"),
    ],
)
def test_this_evening_after_the_evening_is_tomorrow_evening(
    now: str, until: str, note: str
) -> None:
    got = preset("snz_evening", now=_at(now), timezone=BER, config=CONFIG)
    assert got.until.isoformat() == until
    assert (note in got.note) if note else got.note == ""


def test_a_snooze_into_quiet_hours_moves_to_their_end_and_says_so() -> None:
    got = preset("snz_hour", now=_at("2026-03-02T21:30:00+01:00"), timezone=BER, config=CONFIG)
    assert got.until.isoformat() == "2026-03-03T07:00:00+01:00"
    assert "quiet hours (22:00–07:00)" in got.note and "07:00" in got.note
    early = typed("tomorrow 5am", now=_at("2026-03-02T12:00:00+01:00"), timezone=BER, config=CONFIG)
    assert early.until.isoformat() == "2026-03-03T07:00:00+01:00" and "quiet" in early.note
    fine = preset("snz_hour", now=_at("2026-03-02T12:00:00+01:00"), timezone=BER, config=CONFIG)
    assert fine.until.isoformat() == "2026-03-02T13:00:00+01:00" and fine.note == ""


def test_quiet_hours_that_do_not_wrap_midnight() -> None:
    config = TodoConfig(quiet_start=time(13), quiet_end=time(14))
    got = preset("snz_hour", now=_at("2026-03-02T12:30:00+01:00"), timezone=BER, config=config)
    assert got.until.isoformat() == "2026-03-02T14:00:00+01:00" and "quiet" in got.note


def test_a_snooze_never_moves_a_task_earlier_than_it_is_due() -> None:
    due = _at("2026-03-05T09:00:00+01:00")
    got = preset(
        "snz_hour", now=_at("2026-03-02T12:00:00+01:00"), timezone=BER, config=CONFIG, due=due
    )
    assert got.until == due and "never moves it earlier" in got.note
    later = preset(
        "snz_monday", now=_at("2026-03-02T12:00:00+01:00"), timezone=BER, config=CONFIG, due=due
    )
    assert later.until.isoformat() == "2026-03-09T09:00:00+01:00" and later.note == ""


def test_quiet_hours_end_on_the_spring_forward_morning() -> None:
    # Berlin 2026-03-29: 02:00 -> 03:00. At 21:30 the evening before, "1 hour" is 22:30 (quiet),
    # so 07:00 the next morning, which is summer time (+02:00).
    got = preset("snz_hour", now=_at("2026-03-28T21:30:00+01:00"), timezone=BER, config=CONFIG)
    assert got.until.isoformat() == "2026-03-29T07:00:00+02:00"
    # "1 hour" across the jump is one real hour: 01:30 +01:00 -> 03:30 +02:00 (still quiet)
    night = preset("snz_hour", now=_at("2026-03-29T01:30:00+01:00"), timezone=BER, config=CONFIG)
    assert night.until.isoformat() == "2026-03-29T07:00:00+02:00"


def test_this_evening_on_the_fall_back_day() -> None:
    got = preset("snz_evening", now=_at("2026-10-25T10:00:00+01:00"), timezone=BER, config=CONFIG)
    assert got.until.isoformat() == "2026-10-25T19:00:00+01:00"


def test_unknown_preset_is_refused() -> None:
    with pytest.raises(InvalidInput):
        preset("snz_never", now=_at("2026-03-02T12:00:00+01:00"), timezone=BER, config=CONFIG)


def test_stored_task_is_not_snoozed_earlier_than_due(data_dir: Path, db: Database) -> None:
    now = datetime(2026, 3, 2, 11, tzinfo=UTC)
    with db.write() as session:
        owner = owners.create_owner(session, name="Ada", timezone=BER, now=now, chat_id=42)
        todo = todos.create_todo(
            session,
            owner_id=owner.id,
            title="Report",
            timezone=BER,
            now=now,
            due_at=datetime(2026, 3, 4, 8, tzinfo=UTC),
        )
        answer = actions.snooze(todo, until=datetime(2026, 3, 2, 12, tzinfo=UTC), now=now)
        assert "never moves it earlier" in answer
        todo_id = todo.id
    with db.read() as session:
        stored = session.get(Todo, todo_id)
        assert stored is not None and stored.snoozed_until is not None
        assert stored.snoozed_until.replace(tzinfo=UTC) == datetime(2026, 3, 4, 8, tzinfo=UTC)
    with db.write() as session:
        stored = session.get(Todo, todo_id)
        assert stored is not None
        note = "It is already past 19:00: tomorrow evening."
        said = actions.snooze(
            stored, until=datetime(2026, 3, 5, 18, tzinfo=UTC), now=now, note=note
        )
        assert said == "Snoozed until Thu 05 Mar 19:00. " + note
