"""Meeting types, alternatives that never repeat the declined time, the owner's offer picker,
and moves that follow the type's approval rule, on a real SQLite store."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from sqlalchemy import select

from agents.meetings import lifecycle, links, moves, offers
from agents.meetings.config import Policy
from agents.meetings.lifecycle import BookingInput
from agents.meetings.meeting_types import (
    MeetingType,
    add_type,
    remove_type,
    save_types,
    stored_types,
    type_named,
    types_of,
    validate_type,
)
from agents.meetings.slots import free_slots
from store import bookings, owners
from store.db import Database
from store.errors import InvalidInput, NotFound
from store.models import Booking, OutboxMessage
from tests.agents.meetings.helpers import SECRET, add_owner, make_ctx

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday 09:00 in Berlin
SLOT = datetime(2026, 3, 3, 9, tzinfo=UTC)  # Tuesday 10:00 in Berlin
ZONE = ZoneInfo("Europe/Berlin")
VIDEO = "https://meet.example.org/{slug}-{booking_id}"


def payloads(db: Database, prefix: str = "") -> dict[str, dict[str, object]]:
    with db.read() as session:
        rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        return {r.idempotency_key: r.payload for r in rows if r.idempotency_key.startswith(prefix)}


def ask(ctx, start=SLOT, *, kind="", email="g@example.org", length=30):  # type: ignore[no-untyped-def]
    data = BookingInput("ada", start, length, "Grace", email, "", "Europe/Berlin", "", kind)
    return lifecycle.request_booking(ctx, data, now=NOW)


def set_types(db: Database, *types: MeetingType) -> None:
    with db.write() as session:
        owner = owners.get_by_slug(session, slug="ada")
        assert owner is not None
        save_types(owner, list(types))


def token_of(db: Database, booking_id: int) -> str:
    with db.read() as session:
        b = bookings.get(session, booking_id=booking_id)
        return links.make_token(SECRET, booking_id=b.id, nonce=b.manage_token, expires=b.start_at)


def overlaps(start: datetime, end: datetime) -> bool:
    return start < SLOT + timedelta(minutes=30) and end > SLOT


# ---------------------------------------------------------------- types


def test_types_are_validated_stored_and_default_to_the_policy(db: Database) -> None:
    add_owner(db, now=NOW, policy=Policy(lengths=(30, 60)))
    ctx = make_ctx(db, lambda: NOW)
    intro = MeetingType("intro", "Intro call", (15, 30), VIDEO, "Say hello.", approval=False)
    bad = [
        MeetingType("Intro!", "x", (30,)),
        MeetingType("a", "", (30,)),
        MeetingType("a", "A", ()),
        MeetingType("a", "A", (3,)),
        MeetingType("a", "A", (30,), location="https://x/{password}"),
        MeetingType("a", "A", (30,), location="https://x/{slug"),
    ]
    for t in bad:
        with pytest.raises(InvalidInput):
            validate_type(t)
    with db.write() as session:
        owner = owners.get_by_slug(session, slug="ada")
        assert owner is not None
        policy = ctx.config.meetings.default_policy
        (default,) = types_of(owner, Policy(lengths=(30, 60)))
        assert (default.key, default.lengths, default.approval) == ("meeting", (30, 60), True)
        add_type(owner, intro)
        add_type(owner, MeetingType("deep", "Deep dive", (60,)))
        add_type(owner, MeetingType("intro", "Intro chat", (20,)))  # replaces, keeps its place
        assert [(t.key, t.name) for t in stored_types(owner)] == [
            ("intro", "Intro chat"),
            ("deep", "Deep dive"),
        ]
        assert type_named(owner, policy, "").key == "intro"  # blank = the first
        with pytest.raises(NotFound):
            type_named(owner, policy, "nope")
        remove_type(owner, "intro")
        remove_type(owner, "deep")
        assert types_of(owner, policy)[0].key == "meeting"  # back to the default
        with pytest.raises(NotFound):
            remove_type(owner, "deep")


def test_a_type_without_approval_books_at_once_with_its_video_link(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW, organizer_email="bot@example.org")
    set_types(db, MeetingType("intro", "Intro call", (15, 30), VIDEO, approval=False))
    with pytest.raises(InvalidInput, match="Intro call meetings here are 15, 30 minutes"):
        ask(ctx, kind="intro", length=60)
    booking = ask(ctx, kind="intro", length=15)
    assert (booking.status, booking.meeting_type) == ("accepted", "intro")
    sent = payloads(db)
    assert f"meetings:received:{booking.id}" not in sent  # booked: the invite says it all
    mail = sent[f"meetings:confirm:{booking.id}:0"]
    link = f"https://meet.example.org/ada-{booking.id}"
    assert f"What: Intro call\n  Where: {link}" in str(mail["text"])
    event = Calendar.from_ical(str(mail["ics"])).walk("VEVENT")[0]
    assert str(event["location"]) == link
    assert str(event["summary"]).startswith("Intro call: Ada Lovelace")
    note = sent[f"meetings:card:{booking.id}"]
    assert "Booked:" in str(note["text"]) and note["buttons"] == []  # nothing to decide


def test_a_type_with_approval_sends_request_received_at_once(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    set_types(db, MeetingType("deep", "Deep dive", (30,), "Room 4", "Bring data."))
    booking = ask(ctx, kind="deep")
    assert booking.status == "pending"
    mail = payloads(db)[f"meetings:received:{booking.id}"]
    assert mail["subject"] == "Request received: meeting with Ada Lovelace"
    assert "What: Deep dive" in str(mail["text"]) and "/book/manage/" in str(mail["text"])
    card = payloads(db)[f"meetings:card:{booking.id}"]
    assert str(card["text"]).startswith("📅 <b>Meeting request</b>: Deep dive")
    lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    confirm = payloads(db)[f"meetings:confirm:{booking.id}:0"]
    assert "Where: Room 4" in str(confirm["text"])


# ---------------------------------------------------------------- alternatives


@pytest.mark.parametrize("action", ["decline", "offer", "expire"])
def test_alternatives_never_include_the_declined_time_nor_an_overlapping_one(
    db: Database, action: str
) -> None:
    # slots every 15 minutes: 10:15 and 09:45 overlap the requested 10:00-10:30
    add_owner(db, now=NOW, policy=Policy(lengths=(30,), interval=15))
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    lifecycle.apply_decision(ctx, booking_id=booking.id, action=action, now=NOW)
    reason = {"decline": "declined", "offer": "offer", "expire": "expired"}[action]
    text = str(payloads(db)[f"meetings:{reason}:{booking.id}"]["text"])
    times = [line for line in text.splitlines() if line.startswith("  - ")]
    assert len(times) == 3
    assert not any("10:00-10:30" in t or "10:15-" in t or "09:45-" in t for t in times), times
    assert "Tue 3 Mar 2026, 10:30-11:00" in text  # the nearest time that does not overlap
    if action == "offer":
        card = str(payloads(db)[f"meetings:card:{booking.id}:offer"]["text"])
        offered = card.split("Offered other times:")[1]
        assert "10:00-10:30" not in offered and "10:15-" not in offered


# ---------------------------------------------------------------- the offer picker


def test_the_picker_offers_the_nearest_free_times_and_sends_only_the_chosen(
    db: Database,
) -> None:
    add_owner(db, now=NOW, policy=Policy(lengths=(30,), interval=15))
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    slots, picks = offers.open_picker(ctx, booking_id=booking.id, owner_id=1, now=NOW)
    assert len(slots) == 6 and slots == sorted(slots, key=lambda s: s.start)
    assert not any(overlaps(s.start, s.end) for s in slots)
    assert len(picks) == 3
    nearest = sorted(slots, key=lambda s: abs(s.start - SLOT))[:3]
    assert {slots[offers.LETTERS.index(p)] for p in picks} == set(nearest)
    with pytest.raises(Exception, match="Already handled"):
        offers.open_picker(ctx, booking_id=booking.id, owner_id=2, now=NOW)  # not theirs
    rows = offers.picker_buttons(booking.id, slots, picks, offers.SlotLabel("Europe/Berlin"))
    datas = [b["callback_data"] for row in rows for b in row]
    assert all(len(d.encode()) <= 64 for d in datas)
    assert rows[-1][0]["callback_data"] == f"mtg:{booking.id}:send_{picks}"
    marks = [row[0]["text"][0] for row in rows[:-1]]
    assert marks.count("✅") == 3
    # a chosen time taken meanwhile is dropped, the other one is sent
    b, e = slots[1], slots[4]
    other = ask(ctx, start=b.start, email="other@example.org")
    assert other.status == "pending"
    out = lifecycle.apply_decision(ctx, booking_id=booking.id, action="offer", now=NOW, picks="be")
    assert out.changed
    text = str(payloads(db)[f"meetings:offer:{booking.id}"]["text"])
    times = [line for line in text.splitlines() if line.startswith("  - ")]
    assert len(times) == 1
    assert f"{e.start.astimezone(ZONE):%H:%M}-" in times[0]
    again = lifecycle.apply_decision(ctx, booking_id=booking.id, action="offer", now=NOW, picks="a")
    assert not again.changed


# ---------------------------------------------------------------- moves


def test_a_move_waits_for_the_owner_and_holds_both_times(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    token = token_of(db, booking.id)
    later = SLOT + timedelta(hours=2)
    asked = lifecycle.guest_reschedule(ctx, token=token, start=later, sequence=0, now=NOW)
    assert (asked.start_at, asked.proposed_start_at, asked.status) == (SLOT, later, "accepted")
    with db.read() as session:
        owner = owners.get_owner(session, owner_id=1)
        free = free_slots(
            ctx, session, owner, start=SLOT - timedelta(hours=1), end=later + timedelta(hours=1),
            length=30, now=NOW,
        )  # fmt: skip
    starts = {s.start for s in free}
    assert SLOT not in starts and later not in starts  # both are held
    with pytest.raises(InvalidInput, match="already asked"):
        lifecycle.guest_reschedule(ctx, token=token, start=later, sequence=0, now=NOW)
    sent = payloads(db, "meetings:move:")
    key = f"meetings:move:{booking.id}:0:{int(later.timestamp())}"
    assert [b["callback_data"] for b in sent[key]["buttons"][0]] == [  # type: ignore[index]
        f"mtg:{booking.id}:move_yes",
        f"mtg:{booking.id}:move_no",
    ]
    assert "Move requested" in str(sent[f"{key}:mail-asked"]["subject"])
    kept = moves.decide_move(ctx, booking_id=booking.id, approve=False, now=NOW, owner_id=1)
    assert kept == (True, "Kept at its time. The guest was told.")
    assert moves.decide_move(ctx, booking_id=booking.id, approve=True, now=NOW, owner_id=1) == (
        False,
        "Already handled.",
    )
    sent = payloads(db, "meetings:move:")
    assert "stays at Tue 3 Mar 2026, 10:00-10:30" in str(sent[f"{key}:mail-kept"]["text"])
    assert "Kept at its time" in str(sent[f"{key}:kept"]["text"])
    with db.read() as session:
        b = bookings.get(session, booking_id=booking.id)
        assert (b.start_at, b.proposed_start_at, b.sequence) == (SLOT, None, 0)
    # asked again, approved: it moves (same UID, SEQUENCE 1), the card says so
    lifecycle.guest_reschedule(ctx, token=token, start=later, sequence=0, now=NOW)
    assert moves.decide_move(ctx, booking_id=booking.id, approve=True, now=NOW, owner_id=2) == (
        False,
        "Already handled.",
    )  # another owner's tap
    done = moves.decide_move(ctx, booking_id=booking.id, approve=True, now=NOW, owner_id=1)
    assert done == (True, "Moved. The guest gets the updated invite.")
    with db.read() as session:
        b = bookings.get(session, booking_id=booking.id)
        assert (b.start_at, b.sequence, b.proposed_start_at) == (later, 1, None)
    assert f"meetings:moved:{booking.id}:1" in payloads(db)


def test_a_type_without_approval_moves_at_once(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    set_types(db, MeetingType("intro", "Intro call", (30,), approval=False))
    booking = ask(ctx, kind="intro")
    later = SLOT + timedelta(hours=2)
    moved = lifecycle.guest_reschedule(
        ctx, token=token_of(db, booking.id), start=later, sequence=0, now=NOW
    )
    assert (moved.start_at, moved.sequence, moved.proposed_start_at) == (later, 1, None)
    sent = payloads(db)
    assert "moved the meeting" in str(sent[f"meetings:moved-owner:{booking.id}:1"]["text"])
    assert not payloads(db, "meetings:move:")


def test_a_cancelled_meeting_frees_its_move_request(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    token = token_of(db, booking.id)
    later = SLOT + timedelta(hours=2)
    lifecycle.guest_reschedule(ctx, token=token, start=later, sequence=0, now=NOW)
    lifecycle.guest_cancel(ctx, token=token, now=NOW)
    key = f"meetings:move:{booking.id}:0:{int(later.timestamp())}"
    closed = payloads(db, key)[f"{key}:cancelled"]
    assert closed["edit_of"] == key and "The guest cancelled" in str(closed["text"])
    assert moves.decide_move(ctx, booking_id=booking.id, approve=True, now=NOW, owner_id=1) == (
        False,
        "Already handled.",
    )
    assert ask(ctx, start=later, email="next@example.org").status == "pending"  # free again
    with db.read() as session:
        assert session.scalar(select(Booking.status).where(Booking.id == booking.id)) == (
            "cancelled"
        )


async def test_an_unanswered_move_request_lapses_when_its_time_nears(db: Database) -> None:
    from agents.meetings import graph

    add_owner(db, now=NOW)  # 2 h minimum notice
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    later = SLOT + timedelta(hours=2)
    lifecycle.guest_reschedule(
        ctx, token=token_of(db, booking.id), start=later, sequence=0, now=NOW
    )
    assert await graph.expire_due(ctx, now=later - timedelta(hours=2, minutes=1)) == 0
    assert await graph.expire_due(ctx, now=later - timedelta(hours=2)) == 1
    assert await graph.expire_due(ctx, now=later - timedelta(hours=1)) == 0
    key = f"meetings:move:{booking.id}:0:{int(later.timestamp())}"
    sent = payloads(db, key)
    assert "No answer in time" in str(sent[f"{key}:kept"]["text"])
    assert "stays at" in str(sent[f"{key}:mail-kept"]["text"])
    with db.read() as session:
        b = bookings.get(session, booking_id=booking.id)
        assert (b.start_at, b.proposed_start_at) == (SLOT, None)


def test_sending_no_times_gives_the_guest_the_page_link(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    booking = ask(ctx)
    offers.open_picker(ctx, booking_id=booking.id, owner_id=1, now=NOW)
    assert lifecycle.apply_decision(
        ctx, booking_id=booking.id, action="offer", now=NOW, picks=""
    ).changed
    sent = payloads(db)
    text = str(sent[f"meetings:offer:{booking.id}"]["text"])
    assert "  - " not in text and "pick another time here: http://127.0.0.1:8080/book/ada" in text
    assert "Not this time." in str(sent[f"meetings:card:{booking.id}:offer"]["text"])


def test_links_to_other_times_keep_the_meeting_type(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    set_types(db, MeetingType("deep", "Deep dive", (60,)))
    booking = ask(ctx, kind="deep", length=60)
    lifecycle.apply_decision(ctx, booking_id=booking.id, action="decline", now=NOW)
    text = str(payloads(db)[f"meetings:declined:{booking.id}"]["text"])
    lines = [line for line in text.splitlines() if line.startswith("  - ")]
    assert len(lines) == 3 and all("length=60" in x and "type=deep" in x for x in lines)
