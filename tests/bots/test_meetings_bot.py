"""The meeting feature on a real PTB application against the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from agents.meetings import lifecycle
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.meetings import MeetingsFeature
from store.db import Database
from store.models import AvailabilityOverride, Booking
from tests.agents.meetings.helpers import add_owner, make_ctx
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday
SLOT = datetime(2026, 3, 3, 9, tzinfo=UTC)


@pytest.fixture
async def bot(db: Database) -> AsyncIterator[tuple[FakeTelegramAPI, Any]]:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    api = FakeTelegramAPI()
    await api.start()
    app, surface = build_application(
        ctx, token="123:abc", base_url=api.bot_base_url, features=[MeetingsFeature()]
    )
    await start_bot(app, surface, poll_timeout=1)
    yield api, ctx
    await stop_bot(app)
    await api.stop()


async def test_buttons_decide_once_and_check_the_owner(bot: Any, db: Database) -> None:
    api, ctx = bot
    booking = lifecycle.request_booking(
        ctx,
        lifecycle.BookingInput(
            "ada", SLOT, 30, "<i>Eve</i>", "eve@example.org", "x", "UTC", "1.2.3.4"
        ),
        now=NOW,
    )
    api.user_message("/meetings", chat_id=42)
    listing = (await api.wait_for("sendMessage"))[0]["text"]
    assert "pending" in listing and "&lt;i&gt;Eve&lt;/i&gt;" in listing
    message = api.bot_messages[-1]
    api.press_button(message, f"mtg:{booking.id}:decline")
    api.press_button(message, f"mtg:{booking.id}:approve")
    api.press_button(message, f"mtg:{booking.id + 7}:approve")  # tampered id
    api.press_button(message, f"mtg:{booking.id}:bogus")
    answers = [a.get("text") for a in await api.wait_for("answerCallbackQuery", 4)]
    assert answers == ["Declined.", "Already handled.", "Already handled.", "Already handled."]
    with db.read() as session:
        assert session.scalar(select(Booking.status)) == "declined"


async def test_availability_and_block_commands(bot: Any, db: Database) -> None:
    api, _ = bot
    api.user_message("/availability Mon-Thu 10:00-16:00", chat_id=42)
    api.user_message("/availability buffer 10 5", chat_id=42)
    api.user_message("/block Friday afternoon", chat_id=42)
    api.user_message("/block someday", chat_id=42)
    sent = [m["text"] for m in await api.wait_for("sendMessage", 4)]
    assert "Mon 10:00-16:00" in sent[0] and "Fri" not in sent[0].split("Rules")[0]
    assert "buffers 10/5" in sent[1]
    assert sent[2] == "Blocked: Fri 2026-03-06: blocked 12:00-18:00."
    assert "could not read a day" in sent[3]
    with db.read() as session:
        rows = list(session.scalars(select(AvailabilityOverride)))
    assert [(r.kind, r.on_date.isoformat()) for r in rows] == [("block", "2026-03-06")]
    assert api.sent("sendChatAction") == []  # rules alone: no "typing…"


async def test_block_words_the_rules_cannot_read_go_to_the_llm(bot: Any, db: Database) -> None:
    from agents.llm import Backend, LLMClient
    from tests.fakes.openai_server import FakeOpenAI, unused_base_url

    api, ctx = bot
    with FakeOpenAI() as fake:
        fake.replies = ['{"day_offset": 4, "part": "afternoon"}']
        ctx.llm = LLMClient(
            [
                Backend(
                    name="local",
                    base_url=fake.base_url,
                    model="fake-model",
                    api_key="",
                    schema_mode="json_schema",
                )
            ],
            timeout=2.0,
            max_retries=0,
            concurrency=1,
            clock=lambda: NOW,
        )
        api.user_message("/block end of the week after lunch", chat_id=42)
        reply = (await api.wait_for("sendMessage", timeout=30))[0]["text"]
        await ctx.llm.aclose()
    assert reply.startswith("Blocked: Fri 2026-03-06: blocked 12:00-18:00.")
    assert "my reading" in reply
    assert [c["action"] for c in api.sent("sendChatAction")] == ["typing"]  # while the LLM read
    ctx.llm = LLMClient(
        [
            Backend(
                name="local",
                base_url=unused_base_url(),
                model="m",
                api_key="",
                schema_mode="json_schema",
            )
        ],
        timeout=1.0,
        max_retries=0,
        concurrency=1,
        clock=lambda: NOW,
    )
    api.user_message("/block end of the week after lunch", chat_id=42)
    refused = (await api.wait_for("sendMessage", 2, timeout=30))[1]["text"]
    await ctx.llm.aclose()
    assert "no language model answered" in refused
    with db.read() as session:
        assert len(list(session.scalars(select(AvailabilityOverride)))) == 1
