"""The assistant's read-only tools against a real SQLite store, in Europe/Berlin."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time
from typing import Any

import pytest

from agents.arxiv import feedback
from agents.assistant import actions
from agents.assistant.actions import Answer
from agents.assistant.tools import parse_call
from agents.context import AppContext
from agents.meetings.availability import DateOverride
from agents.meetings.policy import add_override
from store.errors import InvalidInput, NotFound
from store.models import Owner
from tests.agents.assistant.actions_seed import (
    DAY,
    NOW,
    add_booking,
    add_todo,
    local,
    show,
    store_papers,
)


def read(ctx: AppContext, owner: Owner, name: str, now: datetime = NOW, **args: Any) -> Answer:
    return asyncio.run(actions.run_read(ctx, owner, parse_call(name, args), now=now))


def items(answer: Answer, key: str) -> list[Any]:
    value = answer.facts[key]
    assert isinstance(value, list)
    return value


def callbacks(answer: Answer) -> list[str]:
    return [b.get("callback_data", "") for row in answer.buttons for b in row]


def test_agenda_today_lists_meetings_todos_overdue_and_the_digest(
    ctx: AppContext, ada: Owner, bob: Owner
) -> None:
    meeting = add_booking(ctx.db, ada, local(2026, 3, 2, 14), topic="Plans <b>bold</b>")
    pending = add_booking(
        ctx.db, ada, local(2026, 3, 2, 15), name="Alan", email="alan@example.org", accept=False
    )
    add_booking(ctx.db, ada, local(2026, 3, 3, 14), name="Tomorrow Guest", email="t@example.org")
    due = add_todo(ctx.db, ada, "Dentist", local(2026, 3, 2, 16, 30))
    late = add_todo(ctx.db, ada, "Taxes", local(2026, 3, 1), all_day=True)
    add_todo(ctx.db, ada, "Gym", local(2026, 3, 3, 8))
    add_todo(ctx.db, bob, "Bob's secret", local(2026, 3, 2, 12))
    store_papers(ctx)
    show(ctx, ada, ["2603.10001", "2603.10002", "2603.10003"], whys=None)

    answer = read(ctx, ada, "agenda", range="today")

    lines = answer.text.splitlines()
    assert lines[0] == "<b>Today, Mon 2 Mar</b>"
    assert lines[1] == "📅 14:00-14:30 Grace Hopper: Plans &lt;b&gt;bold&lt;/b&gt;"
    assert lines[2] == "⏳ 15:00-15:30 Alan: Plans <i>(pending)</i>"
    assert lines[3] == f"📝 #{due} Dentist · 16:30"
    assert "<b>Overdue (1)</b>" in lines and f"📝 #{late} Taxes · Sun 1 Mar" in lines
    assert lines[-1] == "📰 3 papers in today's digest (/papers)"
    assert "secret" not in answer.text and "Tomorrow Guest" not in answer.text
    assert [m["id"] for m in items(answer, "meetings")] == [meeting, pending]
    assert answer.facts["digest_today"] == 3
    assert f"mtg:{pending}:approve" in callbacks(answer)
    assert f"mtg:{meeting}:approve" not in callbacks(answer)
    assert {f"todo:{late}:done", f"todo:{due}:done"} <= set(callbacks(answer))


def test_agenda_of_a_day_without_anything_says_so(ctx: AppContext, ada: Owner) -> None:
    answer = read(ctx, ada, "agenda", range="tomorrow")
    assert answer.text == "<b>Tomorrow, Tue 3 Mar</b>\nNothing planned."
    assert answer.facts["digest_today"] is None and answer.buttons == []


def test_agenda_over_the_spring_forward_day_uses_local_days(ctx: AppContext, ada: Owner) -> None:
    # Sunday 29 March 2026: Berlin jumps from 02:00 CET to 03:00 CEST (a 23-hour day).
    early = add_todo(ctx.db, ada, "Early", datetime(2026, 3, 28, 23, 30, tzinfo=UTC))  # 00:30
    late = add_todo(ctx.db, ada, "Late", datetime(2026, 3, 29, 21, 30, tzinfo=UTC))  # 23:30
    add_todo(ctx.db, ada, "Monday", datetime(2026, 3, 29, 22, 30, tzinfo=UTC))  # Mon 00:30
    add_todo(ctx.db, ada, "Saturday", datetime(2026, 3, 28, 22, 30, tzinfo=UTC))  # Sat 23:30
    meeting = add_booking(ctx.db, ada, local(2026, 3, 29, 3, 30))  # 01:30 UTC, after the jump

    answer = read(ctx, ada, "agenda", range="2026-03-29")

    assert answer.text.splitlines() == [
        "<b>Sun 29 Mar</b>",
        f"📝 #{early} Early · 00:30",
        "📅 03:30-04:00 Grace Hopper: Plans",
        f"📝 #{late} Late · 23:30",
    ]
    assert [t["id"] for t in items(answer, "todos")] == [early, late]
    assert items(answer, "meetings")[0]["id"] == meeting

    friday = datetime(2026, 3, 27, 9, tzinfo=UTC)
    week = read(ctx, ada, "agenda", now=friday, range="this_week")
    assert week.facts["last_day"] == "2026-03-29"
    assert "Monday" not in week.text and "Sun 29 Mar 23:30" in week.text


def test_list_todos_filters_and_words_stay_with_the_owner(
    ctx: AppContext, ada: Owner, bob: Owner
) -> None:
    dentist = add_todo(ctx.db, ada, "Call the dentist", local(2026, 3, 2, 17))
    add_todo(ctx.db, ada, "Dentist <invoice>", local(2026, 2, 27), all_day=True)
    add_todo(ctx.db, ada, "Passed this morning", local(2026, 3, 2, 8))
    add_todo(ctx.db, ada, "No date")
    add_todo(ctx.db, ada, "Old dentist visit", done=True)
    add_todo(ctx.db, bob, "Bob dentist", local(2026, 3, 2, 11))

    found = read(ctx, ada, "list_todos", query="DENTIST")
    assert found.facts["count"] == 2
    assert "Dentist &lt;invoice&gt;" in found.text and "Bob" not in found.text
    assert found.text.startswith("<b>Open to-dos matching “DENTIST” (2)</b>")

    overdue = read(ctx, ada, "list_todos", filter="overdue")
    assert [t["title"] for t in items(overdue, "todos")] == [
        "Dentist <invoice>",
        "Passed this morning",
    ]
    today = read(ctx, ada, "list_todos", filter="today")
    assert [t["title"] for t in items(today, "todos")] == [
        "Passed this morning",
        "Call the dentist",
    ]
    assert f"todo:{dentist}:done" in callbacks(today)
    done = read(ctx, ada, "list_todos", filter="done", query="dentist")
    assert done.facts["count"] == 1 and "✅" in done.text and done.buttons == []
    nothing = read(ctx, ada, "list_todos", filter="today", query="gym")
    assert nothing.text == "Nothing due today matching “gym”."


def test_free_slots_use_the_meetings_rules(ctx: AppContext, ada: Owner) -> None:
    add_booking(ctx.db, ada, local(2026, 3, 3, 10))
    with ctx.db.write() as session:
        add_override(session, ada.id, DateOverride(date(2026, 3, 3), "block", *_hours(14, 16)))

    answer = read(ctx, ada, "free_slots", range="tomorrow")

    slots = items(answer, "slots")
    assert answer.facts["length_minutes"] == 30
    assert local(2026, 3, 3, 10).astimezone(UTC).isoformat() not in slots
    assert answer.facts["count"] == 16 - 1 - 4
    assert answer.text.splitlines()[1] == (
        "Tue 3 Mar: 09:00, 09:30, 10:30, 11:00, 11:30, 12:00, 12:30, 13:00 (+3 more)"
    )
    with pytest.raises(InvalidInput, match="30 minutes"):
        read(ctx, ada, "free_slots", range="tomorrow", length_minutes=45)
    weekend = read(ctx, ada, "free_slots", range="weekend")
    assert weekend.text == "No free 30-minute times between Sat 7 Mar and Sun 8 Mar."


def _hours(a: int, b: int) -> tuple[time, time]:
    return time(a), time(b)


def test_list_bookings_by_status(ctx: AppContext, ada: Owner, bob: Owner) -> None:
    add_booking(ctx.db, ada, local(2026, 3, 3, 10))
    pending = add_booking(
        ctx.db, ada, local(2026, 3, 4, 11), name="Alan", email="alan@example.org", accept=False
    )
    add_booking(ctx.db, bob, local(2026, 3, 4, 12), name="Bob's guest", email="b@example.org")

    both = read(ctx, ada, "list_bookings", range="this_week")
    assert both.facts["count"] == 2 and "Bob's guest" not in both.text
    only = read(ctx, ada, "list_bookings", range="this_week", status="pending")
    assert only.text.splitlines() == [
        "<b>Booking requests · This week, Mon 2 Mar – Sun 8 Mar (1)</b>",
        "⏳ Wed 4 Mar 11:00-11:30 Alan: Plans <i>(pending)</i>",
    ]
    assert callbacks(only) == [f"mtg:{pending}:approve", f"mtg:{pending}:decline"]
    none = read(ctx, ada, "list_bookings", range="next_week")
    assert none.text == "No meetings between Mon 9 Mar and Sun 15 Mar."


def test_search_papers_ranks_by_words_and_escapes_titles(ctx: AppContext, ada: Owner) -> None:
    store_papers(ctx)
    graphs = read(ctx, ada, "search_papers", query="graph neural networks")
    ids = [p["id"] for p in items(graphs, "papers")]
    assert set(ids[:3]) == {"2603.10005", "2603.10006", "2603.10007"}
    assert len(ids) <= 5
    assert graphs.text.startswith("<b>Papers about “graph neural networks”</b>\n1. <a href=")
    calibration = read(ctx, ada, "search_papers", query="temperature calibration")
    assert items(calibration, "papers")[0]["id"] == "2603.10014"
    assert "&lt;Temperature&gt;" in calibration.text and "<Temperature>" not in calibration.text
    nothing = read(ctx, ada, "search_papers", query="zebrafish")
    assert nothing.text == "No stored paper matches “zebrafish”." and nothing.facts["count"] == 0


def test_why_recommended_from_the_digest_or_the_model(
    ctx: AppContext, ada: Owner, bob: Owner
) -> None:
    store_papers(ctx)
    events = show(
        ctx,
        ada,
        ["2603.10006", "2603.10001", "2603.10007"],
        whys={"2603.10006": "close to a paper you liked: <Graphs> & more"},
    )
    show(ctx, bob, ["2603.10011"], whys=None)
    feedback.apply_tap(ctx, owner_id=ada.id, event_id=events["2603.10006"], action="like", now=NOW)

    stored = read(ctx, ada, "why_recommended", ref="1")
    assert stored.facts["source"] == "digest" and stored.facts["paper_id"] == "2603.10006"
    assert stored.text.endswith("\nClose to a paper you liked: &lt;Graphs&gt; &amp; more.")
    assert stored.text.startswith("<b>Why paper 1</b>: <a href=")

    model = read(ctx, ada, "why_recommended", ref="oversmoothing")
    assert model.facts["source"] == "model" and model.facts["paper_id"] == "2603.10007"
    assert model.facts["why"]

    with pytest.raises(NotFound, match="no paper 4 in today's digest"):
        read(ctx, ada, "why_recommended", ref="4")
    with pytest.raises(NotFound):  # Bob's paper, by words and by id
        read(ctx, ada, "why_recommended", ref="retrieval augmented")
    with pytest.raises(NotFound):
        read(ctx, ada, "why_recommended", ref="2603.10011")
    with pytest.raises(InvalidInput, match="fits 2 papers"):
        read(ctx, ada, "why_recommended", ref="graph")
    tomorrow = datetime(2026, 3, 3, 9, tzinfo=UTC)
    old = read(ctx, ada, "why_recommended", now=tomorrow, ref="equivariant")
    assert old.text.startswith("<b>Why paper 2603.10006</b>")
    assert DAY.isoformat() == old.facts["digest_date"]


def test_run_read_refuses_a_state_changing_call(ctx: AppContext, ada: Owner) -> None:
    with pytest.raises(InvalidInput, match="confirmation"):
        read(ctx, ada, "complete_todo", ref="#1")
