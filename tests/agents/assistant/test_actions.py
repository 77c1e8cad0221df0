"""State-changing tools: describe resolves refs (or refuses), apply changes one thing once."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from agents.assistant import actions
from agents.assistant.tools import Call, parse_call
from agents.context import AppContext
from store import availability, todos
from store import papers as repo
from store.errors import InvalidInput, NotFound
from store.models import OutboxMessage, Owner, PaperEvent, Todo
from tests.agents.assistant.actions_seed import (
    NOW,
    add_booking,
    add_todo,
    local,
    show,
    store_papers,
)


def call(name: str, **args: Any) -> Call:
    return parse_call(name, args)


def describe(ctx: AppContext, owner: Owner, name: str, **args: Any) -> str:
    return actions.describe(ctx, owner, call(name, **args), now=NOW)


def apply(ctx: AppContext, owner: Owner, name: str, key: str = "k1", **args: Any) -> str:
    return asyncio.run(actions.apply(ctx, owner, call(name, **args), now=NOW, key=key))


def todo(ctx: AppContext, todo_id: int) -> Todo:
    with ctx.db.read() as session:
        row = session.get(Todo, todo_id)
        assert row is not None
        return row


def outbox(ctx: AppContext) -> list[OutboxMessage]:
    with ctx.db.read() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_complete_resolves_words_once_and_never_another_owners_task(
    ctx: AppContext, ada: Owner, bob: Owner
) -> None:
    dentist = add_todo(ctx.db, ada, "Dentist", local(2026, 3, 2, 16))
    add_todo(ctx.db, ada, "Dentist bill", local(2026, 3, 5))
    call_mom = add_todo(ctx.db, ada, "Call mom")
    add_todo(ctx.db, ada, "Call the bank")
    bobs = add_todo(ctx.db, bob, "Bob's task")
    done = add_todo(ctx.db, ada, "Old thing", done=True)

    assert describe(ctx, ada, "complete_todo", ref="dentist") == f"Mark #{dentist} “Dentist” done"
    assert describe(ctx, ada, "complete_todo", ref=f"#{call_mom}").startswith(f"Mark #{call_mom}")
    with pytest.raises(InvalidInput) as which:
        describe(ctx, ada, "complete_todo", ref="call")
    question = which.value.user_message
    assert "fits 2 to-dos" in question and f"#{call_mom}" in question
    with pytest.raises(NotFound):
        describe(ctx, ada, "complete_todo", ref="dragons")
    with pytest.raises(NotFound, match=f"no to-do #{bobs}"):
        describe(ctx, ada, "complete_todo", ref=f"#{bobs}")
    with pytest.raises(InvalidInput, match="already done"):
        describe(ctx, ada, "complete_todo", ref=f"#{done}")
    with pytest.raises(NotFound):
        apply(ctx, ada, "complete_todo", ref=f"#{bobs}")
    assert todo(ctx, bobs).status == "open"

    first = apply(ctx, ada, "complete_todo", ref="dentist")
    assert first == f"✅ #{dentist} “Dentist”: Done."
    assert apply(ctx, ada, "complete_todo", ref="dentist") == first  # same key: nothing more
    assert todo(ctx, dentist).status == "done"
    with pytest.raises(InvalidInput, match="already done"):  # a new key says so, changes nothing
        apply(ctx, ada, "complete_todo", key="k2", ref=f"#{dentist}")


def test_completing_a_repeating_task_twice_by_one_key_moves_it_once(
    ctx: AppContext, ada: Owner
) -> None:
    gym = add_todo(ctx.db, ada, "Gym", local(2026, 3, 2, 8), rrule="FREQ=DAILY")
    assert "it repeats" in describe(ctx, ada, "complete_todo", ref="gym")
    first = apply(ctx, ada, "complete_todo", ref="gym")
    due = todo(ctx, gym).due_at
    assert apply(ctx, ada, "complete_todo", ref="gym") == first
    assert todo(ctx, gym).due_at == due == local(2026, 3, 3, 8)


def test_snooze_and_reschedule_read_time_words_in_the_owners_zone(
    ctx: AppContext, ada: Owner
) -> None:
    gym = add_todo(ctx.db, ada, "Gym", local(2026, 3, 2, 8))
    line = describe(ctx, ada, "snooze_todo", ref="gym", until="tomorrow 9am")
    assert line == f"Snooze #{gym} “Gym” until Tue 3 Mar 09:00"
    result = apply(ctx, ada, "snooze_todo", ref="gym", until="tomorrow 9am")
    assert result == f"💤 Snoozed {line[7:]}."
    assert todo(ctx, gym).snoozed_until == local(2026, 3, 3, 9)
    with pytest.raises(InvalidInput, match="morning or evening"):
        describe(ctx, ada, "snooze_todo", ref="gym", until="at 7")
    with pytest.raises(InvalidInput):
        describe(ctx, ada, "snooze_todo", ref="gym", until="whenever")

    line = describe(ctx, ada, "reschedule_todo", ref=f"#{gym}", when="friday 10am")
    assert line == f"Move #{gym} “Gym” to Fri 6 Mar 10:00"
    assert describe(ctx, ada, "reschedule_todo", ref="gym", when="friday").endswith("Fri 6 Mar")
    assert apply(ctx, ada, "reschedule_todo", key="r", ref="gym", when="friday 10am") == (
        f"📅 Moved #{gym} “Gym” to Fri 6 Mar 10:00."
    )
    row = todo(ctx, gym)
    assert row.due_at == local(2026, 3, 6, 10) and row.snoozed_until is None
    with pytest.raises(InvalidInput, match="could not read"):
        describe(ctx, ada, "reschedule_todo", ref="gym", when="every monday")


def test_add_todo_once_per_key(ctx: AppContext, ada: Owner) -> None:
    line = describe(ctx, ada, "add_todo", text="review PR <script> friday")
    assert line == "Add to-do “Review PR &lt;script&gt;” · Fri 6 Mar"
    first = apply(ctx, ada, "add_todo", text="review PR <script> friday")
    assert apply(ctx, ada, "add_todo", text="review PR <script> friday") == first
    with ctx.db.read() as session:
        rows = todos.search(session, owner_id=ada.id, words=["review"])
    assert [(t.title, t.due_at, t.all_day) for t in rows] == [
        ("Review PR <script>", local(2026, 3, 6), True)
    ]
    assert first == f"📝 Added #{rows[0].id} “Review PR &lt;script&gt;” · Fri 6 Mar."
    with pytest.raises(InvalidInput, match="morning or evening"):
        describe(ctx, ada, "add_todo", text="call mom at 7")


def test_offer_times_mails_a_known_guest_once(ctx: AppContext, ada: Owner, bob: Owner) -> None:
    add_booking(ctx.db, ada, local(2026, 3, 10, 10))  # Grace, a guest of Ada's
    add_booking(ctx.db, ada, local(2026, 3, 3, 10), name="Alan", email="alan@example.org")
    add_booking(ctx.db, bob, local(2026, 3, 4, 10), name="Eve Secret", email="eve@example.org")

    line = describe(ctx, ada, "offer_times", guest="grace", range="tomorrow")
    assert line == (
        "Mail grace@example.org (Grace Hopper) 3 free times on Tue 3 Mar (09:00, 13:00, 16:30)"
    )
    result = apply(ctx, ada, "offer_times", guest="Grace", range="tomorrow")
    assert result.startswith("📧 Mailed grace@example.org (Grace Hopper) 3 free times on Tue 3 Mar")
    assert apply(ctx, ada, "offer_times", guest="Grace", range="tomorrow") == result
    mails = [m for m in outbox(ctx) if m.channel == "email"]
    assert len(mails) == 1 and mails[0].recipient == "grace@example.org"
    body = mails[0].payload["text"]
    assert "Ada Lovelace would be glad to meet" in body and body.count("/book/ada/slot?") == 3
    assert "(America/New_York)" in body  # the guest's own zone

    with pytest.raises(NotFound, match="give their email"):
        describe(ctx, ada, "offer_times", guest="eve secret", range="tomorrow")
    assert describe(ctx, ada, "offer_times", guest="new@example.com", range="tomorrow").startswith(
        "Mail new@example.com 3 free times"
    )
    with pytest.raises(InvalidInput, match="valid email"):
        describe(ctx, ada, "offer_times", guest="bad@", range="tomorrow")
    with pytest.raises(InvalidInput, match="no free times"):
        describe(ctx, ada, "offer_times", guest="grace", range="weekend")


def test_block_time_adds_one_block(ctx: AppContext, ada: Owner) -> None:
    line = describe(ctx, ada, "block_time", when="fri 14:00-16:00", title="writing")
    assert line == "Block Fri 6 Mar 14:00-16:00 “writing”"
    assert describe(ctx, ada, "block_time", when="on friday from 14 to 16") == (
        "Block Fri 6 Mar 14:00-16:00"
    )
    assert describe(ctx, ada, "block_time", when="14:00-16:00 on friday") == (
        "Block Fri 6 Mar 14:00-16:00"
    )
    assert describe(ctx, ada, "block_time", when="tomorrow afternoon") == (
        "Block Tue 3 Mar 12:00-18:00"
    )
    result = apply(ctx, ada, "block_time", when="fri 14:00-16:00", title="writing")
    assert result == "⛔ Blocked Fri 6 Mar 14:00-16:00 “writing”."
    assert apply(ctx, ada, "block_time", when="fri 14:00-16:00", title="writing") == result
    with ctx.db.read() as session:
        rows = availability.list_overrides(session, owner_id=ada.id)
    assert [(r.on_date, r.kind, r.start_time, r.end_time, r.note) for r in rows] == [
        (date(2026, 3, 6), "block", time(14), time(16), "writing")
    ]
    with pytest.raises(InvalidInput, match="already blocked"):
        describe(ctx, ada, "block_time", when="friday 14:00-16:00")
    with pytest.raises(InvalidInput, match="could not read a day"):
        describe(ctx, ada, "block_time", when="someday soon")
    with pytest.raises(InvalidInput, match="over"):
        describe(ctx, ada, "block_time", when="2026-03-01")


def test_rate_paper_taps_once_and_only_own_papers(ctx: AppContext, ada: Owner, bob: Owner) -> None:
    store_papers(ctx)
    show(ctx, ada, ["2603.10005", "2603.10006"], whys=None)
    show(ctx, bob, ["2603.10011"], whys=None)

    line = describe(ctx, ada, "rate_paper", ref="2", rating="like")
    assert line == "👍 paper 2: “Equivariant Graph Networks for Protein Structure”"
    result = apply(ctx, ada, "rate_paper", ref="2", rating="like")
    assert result == f"Noted: {line} (more like this)."
    assert apply(ctx, ada, "rate_paper", ref="2", rating="like") == result
    with ctx.db.read() as session:
        taps = session.scalars(select(PaperEvent).where(PaperEvent.kind == "liked")).all()
        assert [(t.owner_id, t.paper_id) for t in taps] == [(ada.id, "2603.10006")]
        assert repo.current_tap(session, owner_id=bob.id, paper_id="2603.10011") is None
    with pytest.raises(InvalidInput, match="already liked"):
        describe(ctx, ada, "rate_paper", ref="equivariant", rating="like")
    assert describe(ctx, ada, "rate_paper", ref="equivariant", rating="dislike").startswith("👎")
    for forged in ("2603.10011", "retrieval", "3"):
        with pytest.raises(NotFound):
            describe(ctx, ada, "rate_paper", ref=forged, rating="like")
        with pytest.raises(NotFound):
            apply(ctx, ada, "rate_paper", key=forged, ref=forged, rating="like")


def test_pin_replaces_words_by_what_they_name(ctx: AppContext, ada: Owner) -> None:
    gym = add_todo(ctx.db, ada, "Gym", local(2026, 3, 2, 8))
    add_booking(ctx.db, ada, local(2026, 3, 3, 10))
    pinned = actions.pin(ctx, ada, call("snooze_todo", ref="gym", until="tonight"), now=NOW)
    assert pinned.args == {"ref": f"#{gym}", "until": "tonight"}
    offer = actions.pin(ctx, ada, call("offer_times", guest="grace", range="friday"), now=NOW)
    assert offer.args == {"guest": "grace@example.org", "range": "friday"}


def test_describe_refuses_a_read_only_call(ctx: AppContext, ada: Owner) -> None:
    with pytest.raises(InvalidInput, match="answered directly"):
        describe(ctx, ada, "agenda", range="today")


@pytest.mark.parametrize(
    ("name", "args", "message"),
    [
        ("delete_everything", {}, "no tool"),
        ("complete_todo", {"ref": "#1", "owner_id": 2}, "owner_id"),
        ("complete_todo", {"ref": ""}, "ref"),
        ("agenda", {"range": "yesterday"}, "range"),
        ("free_slots", {"range": "today", "length_minutes": 3}, "length_minutes"),
        ("rate_paper", {"ref": "1", "rating": "love"}, "rating"),
        ("add_todo", {"text": "x" * 201}, "text"),
        ("offer_times", {"guest": "bob"}, "range"),
    ],
)
def test_parse_call_refuses_bad_arguments(name: str, args: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        parse_call(name, args)


def test_nothing_changes_for_another_owner(ctx: AppContext, ada: Owner, bob: Owner) -> None:
    mine = add_todo(ctx.db, bob, "Bob's dentist", NOW + timedelta(days=1))
    for name, args in (
        ("complete_todo", {"ref": f"#{mine}"}),
        ("snooze_todo", {"ref": f"#{mine}", "until": "tomorrow 9am"}),
        ("reschedule_todo", {"ref": "dentist", "when": "friday"}),
    ):
        with pytest.raises(NotFound):
            apply(ctx, ada, name, key=name, **args)
    row = todo(ctx, mine)
    assert (row.status, row.snoozed_until, row.due_at) == ("open", None, NOW + timedelta(days=1))
    assert row.due_at is not None and row.due_at.tzinfo is UTC


def test_snooze_card_says_why_when_the_time_moves(ctx: AppContext, ada: Owner) -> None:
    """The card shows the snooze rules' note: never earlier than due, quiet hours."""
    later = add_todo(ctx.db, ada, "Grant report", local(2026, 3, 4, 10))
    line = describe(ctx, ada, "snooze_todo", ref="grant", until="tomorrow 9am")
    assert line.startswith(f"Snooze #{later} “Grant report” until Wed 4 Mar 10:00 ")
    result = apply(ctx, ada, "snooze_todo", ref="grant", until="tomorrow 9am")
    assert "Wed 4 Mar 10:00" in result
    assert todo(ctx, later).snoozed_until == local(2026, 3, 4, 10)

    late = add_todo(ctx.db, ada, "Water plants")
    line = describe(ctx, ada, "snooze_todo", ref="water", until="tonight at 11pm")
    assert line.startswith(f"Snooze #{late} “Water plants” until Tue 3 Mar 07:00 ")
    assert "quiet" in line.lower()
