"""The booking flow on a real SQLite store: hold, approve once, decline kindly, survive restarts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from sqlalchemy import select

from agents.meetings import graph, lifecycle, links, moves
from agents.meetings.lifecycle import BookingInput, TooManyRequests
from agents.meetings.slots import SlotTaken
from store import bookings
from store.db import Database
from store.errors import Conflict, InvalidInput, NotFound
from store.models import Booking, OutboxMessage
from tests.agents.meetings.helpers import SECRET, add_owner, make_ctx

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday 09:00 in Berlin
SLOT = datetime(2026, 3, 3, 9, tzinfo=UTC)  # Tuesday 10:00 in Berlin


def ask(ctx, start=SLOT, email="guest@example.org", name="Grace", ip="10.0.0.1", length=30):
    return lifecycle.request_booking(
        ctx,
        BookingInput("ada", start, length, name, email, "Plans", "America/New_York", ip),
        now=NOW,
    )


def outbox_rows(db: Database) -> list[OutboxMessage]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_pending_holds_slot_and_second_request_gets_alternatives(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    assert booking.status == "pending"
    assert booking.expires_at == NOW + timedelta(hours=24)
    with pytest.raises(SlotTaken) as taken:
        ask(ctx, email="other@example.org")
    assert len(taken.value.alternatives) == 3
    assert SLOT not in [s.start for s in taken.value.alternatives]
    rows = outbox_rows(db)
    assert [r.idempotency_key for r in rows] == [
        f"meetings:card:{booking.id}",
        f"meetings:received:{booking.id}",
    ]
    received = rows[1].payload
    assert received["subject"] == "Request received: meeting with Ada Lovelace"
    assert "Tue 3 Mar 2026, 04:00-04:30 (America/New_York)" in received["text"]
    assert "/book/manage/" in received["text"]
    buttons = rows[0].payload["buttons"]
    assert [b["callback_data"] for row in buttons for b in row] == [
        f"mtg:{booking.id}:approve",
        f"mtg:{booking.id}:decline",
        f"mtg:{booking.id}:offer",
    ]
    assert "Tue 3 Mar 2026, 10:00-10:30 (Europe/Berlin)" in rows[0].payload["text"]


def test_bad_requests_store_nothing(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW, open_requests_per_email=1)
    with pytest.raises(InvalidInput, match="past"):
        ask(ctx, start=NOW - timedelta(hours=1))
    with pytest.raises(InvalidInput, match="not offered"):
        ask(ctx, start=datetime(2026, 3, 3, 20, tzinfo=UTC))  # 21:00 Berlin
    with pytest.raises(InvalidInput, match="not offered"):
        ask(ctx, start=SLOT + timedelta(minutes=7))  # off the grid
    with pytest.raises(InvalidInput, match="minutes long"):
        ask(ctx, length=45)
    with pytest.raises(InvalidInput, match="email"):
        ask(ctx, email="not-an-email")
    with pytest.raises(InvalidInput):
        ask(ctx, name="x" * 101)
    with pytest.raises(NotFound):
        lifecycle.request_booking(
            ctx, BookingInput("nobody", SLOT, 30, "G", "g@example.org", "", "UTC", ""), now=NOW
        )
    with db.read() as session:
        assert session.scalar(select(Booking.id)) is None
    ask(ctx)
    with pytest.raises(TooManyRequests):
        ask(ctx, start=SLOT + timedelta(hours=1))


def test_database_refuses_overlap_even_without_the_check(db: Database) -> None:
    owner_id = add_owner(db, now=NOW)
    kwargs = dict(
        owner_id=owner_id,
        guest_name="A",
        guest_email="a@example.org",
        guest_timezone="UTC",
        topic="",
        client_ip="",
        expires_at=SLOT,
        now=NOW,
        gap=timedelta(0),
    )
    with db.write() as session:
        bookings.create_pending(
            session, start_at=SLOT, end_at=SLOT + timedelta(minutes=30), **kwargs
        )
    with pytest.raises(Conflict), db.write() as session:
        # negative gap defeats the app-level check; the trigger still refuses the overlap
        bookings.create_pending(
            session,
            start_at=SLOT + timedelta(minutes=15),
            end_at=SLOT + timedelta(minutes=45),
            **{**kwargs, "gap": timedelta(minutes=-60)},
        )


def test_approve_once_then_already_handled_with_invite_and_links(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW, organizer_email="bot@example.org")
    booking = ask(ctx, name="<script>alert(1)</script>")
    first = lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    again = lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    late_decline = lifecycle.apply_decision(ctx, booking_id=booking.id, action="decline", now=NOW)
    assert first.changed and not again.changed and not late_decline.changed
    assert again.text == "Already handled."
    rows = {r.idempotency_key: r for r in outbox_rows(db)}
    card = rows[f"meetings:card:{booking.id}"].payload["text"]
    assert "&lt;script&gt;" in card and "<script>" not in card
    edit = rows[f"meetings:card:{booking.id}:approved"].payload
    assert edit["edit_of"] == f"meetings:card:{booking.id}" and "Approved" in edit["text"]
    mail = rows[f"meetings:confirm:{booking.id}:0"].payload
    assert mail["ics_method"] == "REQUEST"
    event = Calendar.from_ical(mail["ics"]).walk("VEVENT")[0]
    assert str(event["uid"]) == booking.ical_uid
    assert int(event["sequence"]) == 0
    assert event.decoded("dtstart") == SLOT
    alarm = event.walk("VALARM")[0]
    assert alarm.decoded("trigger") == timedelta(minutes=-15)
    assert "Tue 3 Mar 2026, 04:00-04:30 (America/New_York)" in mail["text"]
    token = mail["text"].split("/book/manage/")[1].split()[0]
    links.verify(SECRET, token, nonce=booking.manage_token, now=NOW)


def test_approve_rechecks_overlap_with_accepted(db: Database) -> None:
    owner_id = add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    # another path accepted an overlapping meeting meanwhile (a direct insert, guard off)
    drop_guard = (
        "DROP TRIGGER bookings_no_overlap_insert"
        if db.is_sqlite
        else "ALTER TABLE bookings DROP CONSTRAINT bookings_no_overlap"
    )
    with db.write() as session:
        session.execute(__import__("sqlalchemy").text(drop_guard))
        session.add(
            Booking(
                owner_id=owner_id,
                guest_name="B",
                guest_email="b@example.org",
                start_at=SLOT,
                end_at=SLOT + timedelta(minutes=30),
                status="accepted",
                manage_token="t",
                ical_uid="u@x",
                created_at=NOW,
            )
        )
    out = lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    assert not out.changed and "clashes" in out.text
    with db.read() as session:
        assert bookings.get(session, booking_id=booking.id).status == "pending"


def test_decline_offers_three_alternatives_and_frees_the_slot(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    assert lifecycle.apply_decision(ctx, booking_id=booking.id, action="offer", now=NOW).changed
    mail = next(r for r in outbox_rows(db) if r.idempotency_key == f"meetings:offer:{booking.id}")
    assert mail.payload["text"].count("/book/ada/slot?start=") == 3
    assert "glad to meet" in mail.payload["text"]
    ask(ctx, email="next@example.org")  # the slot is free again


def test_tampered_and_expired_links_are_refused(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    token = links.make_token(
        SECRET, booking_id=booking.id, nonce=booking.manage_token, expires=booking.start_at
    )
    bid, stamp, sig = token.split(".")
    for bad in (
        f"{int(bid) + 1}.{stamp}.{sig}",
        f"{bid}.{int(stamp) + 60}.{sig}",
        f"{bid}.{stamp}.{'0' * 32}",
        "garbage",
        token + "x",
    ):
        with pytest.raises(NotFound):
            lifecycle.guest_cancel(ctx, token=bad, now=NOW)
    with pytest.raises(InvalidInput, match="expired"):
        lifecycle.guest_cancel(ctx, token=token, now=SLOT + timedelta(minutes=1))
    lifecycle.guest_cancel(ctx, token=token, now=NOW)
    with pytest.raises(InvalidInput, match="already cancelled"):
        lifecycle.guest_cancel(ctx, token=token, now=NOW)


def test_guest_reschedule_and_cancel_bump_sequence(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    with db.read() as session:
        booking = bookings.get(session, booking_id=booking.id)
    token = links.make_token(
        SECRET, booking_id=booking.id, nonce=booking.manage_token, expires=booking.start_at
    )
    new_start = SLOT + timedelta(hours=2)
    asked = lifecycle.guest_reschedule(ctx, token=token, start=new_start, sequence=0, now=NOW)
    # the default type needs approval: the meeting keeps its time until the owner says yes
    assert (asked.start_at, asked.proposed_start_at, asked.sequence) == (SLOT, new_start, 0)
    assert moves.decide_move(
        ctx, booking_id=booking.id, approve=True, now=NOW, owner_id=booking.owner_id
    ) == (True, "Moved. The guest gets the updated invite.")
    with db.read() as session:
        moved = bookings.get(session, booking_id=booking.id)
    assert (moved.start_at, moved.sequence, moved.status) == (new_start, 1, "accepted")
    assert moved.proposed_start_at is None
    with pytest.raises(NotFound):  # the old link died with the old time
        lifecycle.guest_cancel(ctx, token=token, now=NOW)
    fresh = links.make_token(
        SECRET, booking_id=moved.id, nonce=moved.manage_token, expires=moved.start_at
    )
    lifecycle.guest_cancel(ctx, token=fresh, now=NOW)
    rows = {r.idempotency_key: r.payload for r in outbox_rows(db)}
    moved_ics = Calendar.from_ical(rows[f"meetings:moved:{booking.id}:1"]["ics"])
    assert int(moved_ics.walk("VEVENT")[0]["sequence"]) == 1
    cancel = rows[f"meetings:cancel:{booking.id}:2"]
    assert cancel["ics_method"] == "CANCEL"
    cal = Calendar.from_ical(cancel["ics"])
    assert str(cal["method"]) == "CANCEL"
    event = cal.walk("VEVENT")[0]
    assert (str(event["uid"]), int(event["sequence"])) == (booking.ical_uid, 2)
    card = rows[f"meetings:move:{booking.id}:0:{int(new_start.timestamp())}"]
    assert "Move request" in card["text"]
    assert (
        "Moved." in rows[f"meetings:move:{booking.id}:0:{int(new_start.timestamp())}:moved"]["text"]
    )
    assert "cancelled" in rows[f"meetings:cancelled:{booking.id}"]["text"]


async def test_graph_pauses_and_resumes_after_a_restart(db: Database, tmp_path: Path) -> None:
    add_owner(db, now=NOW)
    path = str(tmp_path / "graphs.db")
    async with AsyncSqliteSaver.from_conn_string(path) as saver:
        ctx = make_ctx(db, lambda: NOW, checkpointer=saver)
        booking = ask(ctx)
        assert await graph.start_request(ctx, booking_id=booking.id, owner_id=booking.owner_id)
        assert await graph.is_waiting(ctx, booking.id)
    async with AsyncSqliteSaver.from_conn_string(path) as saver:  # a new process, same file
        ctx = make_ctx(db, lambda: NOW, checkpointer=saver)
        assert await graph.is_waiting(ctx, booking.id)
        wrong = await graph.decide(
            ctx, booking_id=booking.id, action="approve", now=NOW, owner_id=booking.owner_id + 1
        )
        assert not wrong.changed
        out = await graph.decide(
            ctx, booking_id=booking.id, action="approve", now=NOW, owner_id=booking.owner_id
        )
        assert out.changed
        assert not await graph.is_waiting(ctx, booking.id)
        again = await graph.decide(
            ctx, booking_id=booking.id, action="approve", now=NOW, owner_id=booking.owner_id
        )
        assert not again.changed and again.text == "Already handled."
    with db.read() as session:
        assert bookings.get(session, booking_id=booking.id).status == "accepted"
