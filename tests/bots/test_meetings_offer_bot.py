"""The owner's card on a real PTB application against the fake Bot API: 🕒 opens a picker of
free times (toggle, send only the chosen ones), and a guest's move request is approved by tap."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from agents.meetings import lifecycle, links
from agents.meetings.config import Policy
from bots.email.notifier import EmailNotifier
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.meetings import MeetingsFeature
from bots.telegram.notifier import TelegramNotifier
from jobs import outbox
from store.db import Database
from store.models import Booking
from tests.agents.meetings.helpers import SECRET, add_owner, make_ctx
from tests.fakes.smtp import FakeSMTP
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday 09:00 in Berlin
SLOT = datetime(2026, 3, 3, 9, tzinfo=UTC)  # Tuesday 10:00 in Berlin


@pytest.fixture
async def bot(db: Database) -> AsyncIterator[tuple[FakeTelegramAPI, Any, FakeSMTP]]:
    add_owner(db, now=NOW, policy=Policy(lengths=(30,), interval=15))
    ctx = make_ctx(db, lambda: NOW)
    api, smtp = FakeTelegramAPI(), FakeSMTP().start()
    await api.start()
    app, surface = build_application(
        ctx, token="123:abc", base_url=api.bot_base_url, features=[MeetingsFeature()]
    )
    await start_bot(app, surface, poll_timeout=1)
    ctx.notifiers["telegram"] = TelegramNotifier(app.bot)
    ctx.notifiers["email"] = EmailNotifier(
        host=smtp.host,
        port=smtp.port,
        username=None,
        password=None,
        from_addr="bot@example.org",
        starttls=False,
    )
    yield api, ctx, smtp
    await stop_bot(app)
    await api.stop()
    smtp.stop()


def ask(ctx: Any, start: datetime = SLOT) -> Booking:
    data = lifecycle.BookingInput(
        "ada", start, 30, "Grace", "grace@example.org", "", "Europe/Berlin", ""
    )
    return lifecycle.request_booking(ctx, data, now=NOW)


def keyboard(message: dict[str, Any]) -> list[list[dict[str, Any]]]:
    return list(message.get("reply_markup", {}).get("inline_keyboard", []))


async def test_offer_other_times_lets_the_owner_pick_which(bot: Any, db: Database) -> None:
    api, ctx, smtp = bot
    booking = ask(ctx)
    await outbox.run(ctx, now=NOW)
    await api.wait_for("sendMessage")
    card = api.bot_messages[-1]
    api.press_button(card, f"mtg:{booking.id}:offer")
    answer = (await api.wait_for("answerCallbackQuery"))[0]
    assert answer["text"] == "Pick the times to offer, then Send."
    await api.wait_for("editMessageReplyMarkup")
    rows = keyboard(card)
    assert len(rows) == 7  # six free times and Send / Back
    texts = [row[0]["text"] for row in rows[:6]]
    assert sum(t.startswith("✅") for t in texts) == 3
    assert not any("Tue 3 Mar 10:00" in t or "10:15" in t or "09:45" in t for t in texts)
    datas = [b["callback_data"] for row in rows for b in row]
    assert all(len(d.encode()) <= 64 for d in datas)
    send = rows[6][0]
    assert send["text"] == "📨 Send 3 times"
    # untick two of the chosen times, then tick the farthest free one: two are chosen
    edits = 1
    for want in ("✅", "✅", "▫️"):
        rows = keyboard(card)
        candidates = [r[0] for r in rows[:6] if r[0]["text"].startswith(want)]
        tap = candidates[-1] if want == "▫️" else candidates[0]
        api.press_button(card, tap["callback_data"])
        edits += 1
        await api.wait_for("editMessageReplyMarkup", edits)
    rows = keyboard(card)
    picked = [r[0]["text"][2:] for r in rows[:6] if r[0]["text"].startswith("✅")]
    assert len(picked) == 2 and rows[6][0]["text"] == "📨 Send 2 times"
    api.press_button(card, rows[6][0]["callback_data"])
    answers = await api.wait_for("answerCallbackQuery", 5)
    assert answers[-1]["text"] == "Offered other times."
    await outbox.run(ctx, now=NOW)
    mail = smtp.wait_for(2)[1]  # after "request received"
    body = mail.get_body(("plain",)).get_content()
    offered = [line for line in body.splitlines() if line.startswith("  - ")]
    assert len(offered) == 2
    for label in picked:  # "Tue 3 Mar 11:00" in the owner's zone = the guest's here
        hour = label.rsplit(" ", 1)[1]
        assert any(hour + "-" in line for line in offered), (label, offered)
    api.press_button(card, rows[6][0]["callback_data"])  # a second Send
    assert (await api.wait_for("answerCallbackQuery", 6))[-1]["text"] == "Already handled."
    with db.read() as session:
        assert session.scalar(select(Booking.status)) == "declined"


async def test_a_guest_move_is_approved_from_its_card(bot: Any, db: Database) -> None:
    api, ctx, _ = bot
    booking = ask(ctx)
    lifecycle.apply_decision(ctx, booking_id=booking.id, action="approve", now=NOW)
    with db.read() as session:
        b = session.get(Booking, booking.id)
        assert b is not None
        token = links.make_token(SECRET, booking_id=b.id, nonce=b.manage_token, expires=b.start_at)
    later = SLOT + timedelta(hours=3)
    lifecycle.guest_reschedule(ctx, token=token, start=later, sequence=0, now=NOW)
    await outbox.run(ctx, now=NOW)
    sent = await api.wait_for("sendMessage", 2)
    assert "Move request" in sent[-1]["text"]
    move_card = api.bot_messages[-1]
    assert [b["callback_data"] for b in keyboard(move_card)[0]] == [
        f"mtg:{booking.id}:move_yes",
        f"mtg:{booking.id}:move_no",
    ]
    api.user_message("/meetings", chat_id=42)
    listing = (await api.wait_for("sendMessage", 3))[-1]["text"]
    assert "asks to move to Tue 3 Mar 2026, 13:00-13:30 (Europe/Berlin)" in listing
    api.press_button(move_card, f"mtg:{booking.id}:move_yes")
    api.press_button(move_card, f"mtg:{booking.id}:move_no")
    answers = [a.get("text") for a in await api.wait_for("answerCallbackQuery", 2)]
    assert answers == ["Moved. The guest gets the updated invite.", "Already handled."]
    with db.read() as session:
        moved = session.get(Booking, booking.id)
        assert moved is not None and (moved.start_at, moved.sequence) == (later, 1)
