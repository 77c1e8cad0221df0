"""The bot surface: a real python-telegram-bot Application polling the fake Bot API."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from agents.context import AppConfig, AppContext
from agents.messaging import callback_data
from bots.telegram.app import REFUSAL, build_application, start_bot, stop_bot
from bots.telegram.feature import (
    APOLOGY,
    STALE,
    CallbackRequest,
    CommandRequest,
    Handler,
    command,
    on_button,
    reply,
    typing,
)
from store import outbox, owners
from store.db import Database
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
GROUP = -100500  # an allowlisted group chat


class CounterFeature:
    """A tiny feature: /boom crashes, button ``count:<id>:inc`` counts once per id."""

    commands = (
        ("boom", "Crash on purpose"),
        ("whoami", "The owner's name"),
        ("slow", "Work until released"),
    )

    def __init__(self) -> None:
        self.handled: set[int] = set()
        self.release = asyncio.Event()

    def handlers(self, ctx: AppContext) -> list[Handler]:
        async def boom(request: CommandRequest) -> None:
            raise RuntimeError("kaboom internals")

        async def whoami(request: CommandRequest) -> None:
            await reply(request.update, f"You are {request.owner().name}.")

        async def slow(request: CommandRequest) -> None:
            async with typing(request.update, every=0.01):
                await self.release.wait()
            await reply(request.update, "Done.")

        return [
            command(ctx, "boom", boom),
            command(ctx, "whoami", whoami),
            command(ctx, "slow", slow),
            on_button(ctx, "count", self.on_press),
        ]

    async def on_press(self, request: CallbackRequest) -> str:
        if request.action != "inc" or request.object_id in self.handled:
            return STALE
        self.handled.add(request.object_id)
        return "Counted."


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    fake = FakeTelegramAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def running(api: FakeTelegramAPI, db: Database) -> AsyncIterator[tuple[Any, CounterFeature]]:
    with db.write() as session:
        outbox.enqueue(
            session,
            channel="telegram",
            recipient="42",
            payload={"text": "x"},
            due_at=NOW,
            idempotency_key="broken",
            now=NOW,
        )
        row = outbox.claim_due(session, now=NOW, worker="w", lease=timedelta(seconds=1))[0]
        outbox.mark_failed(session, message_id=row.id, worker="w", error="chat not found")
    ctx = AppContext(
        db=db,
        config=AppConfig(owner_chat_ids=(42, GROUP), default_timezone="Europe/Berlin"),
        clock=lambda: NOW,
        schedule_view=lambda: [("outbox", NOW)],
    )
    feature = CounterFeature()
    app, surface = build_application(
        ctx, token="123:abc", base_url=api.bot_base_url, features=[feature]
    )
    await start_bot(app, surface, poll_timeout=1)
    yield app, feature
    await stop_bot(app)


async def test_start_from_allowlisted_chat_creates_owner_and_lists_commands(
    api: FakeTelegramAPI, running: Any, db: Database
) -> None:
    commands = await api.wait_for("setMyCommands")
    names = [c["command"] for c in commands[0]["commands"]]
    assert names[:3] == ["start", "help", "status"]
    assert "boom" in names
    api.user_message("/start", chat_id=42)
    sent = await api.wait_for("sendMessage")
    assert sent[0]["parse_mode"] == "HTML"
    assert "Welcome" in sent[0]["text"] and "/help lists everything" in sent[0]["text"]
    assert "/status" not in sent[0]["text"]  # the full list is /help's
    with db.read() as session:
        owner = owners.get_by_chat_id(session, chat_id=42)
    assert owner is not None
    assert owner.timezone == "Europe/Berlin"
    api.user_message("/start", chat_id=42)
    again = await api.wait_for("sendMessage", 2)
    assert "Welcome back" in again[1]["text"]
    api.user_message("/help", chat_id=42)
    listed = (await api.wait_for("sendMessage", 3))[2]["text"]
    assert all(f"/{name} - " in listed for name in ("start", "help", "status", "tz", "boom"))


async def test_unknown_chat_gets_one_refusal_with_its_id_and_nothing_else(
    api: FakeTelegramAPI, running: Any, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bots.telegram.app")
    api.user_message("/start", chat_id=7)
    api.user_message("/status", chat_id=7)
    api.user_message("hello", chat_id=7)
    api.user_message("/help", chat_id=42)  # a marker that the three above were processed
    await api.wait_for("sendMessage", 2)
    to_seven = [m for m in api.bot_messages if m["chat"]["id"] == 7]
    assert len(to_seven) == 1
    text = to_seven[0]["text"]
    assert text.startswith(REFUSAL)
    assert "this chat's id is 7." in text and "ERRANDS_OWNER_CHAT_IDS=7 " in text
    assert "status" not in text
    refused = [r for r in caplog.records if "refused chat" in r.getMessage()]
    assert [(r.levelno, r.getMessage()) for r in refused] == [
        (logging.INFO, "refused chat 7: not in ERRANDS_OWNER_CHAT_IDS")
    ]
    with db.read() as session:
        assert owners.get_by_chat_id(session, chat_id=7) is None


async def test_status_shows_schedule_outbox_failures_and_llm(
    api: FakeTelegramAPI, running: Any
) -> None:
    api.user_message("/start", chat_id=42)
    api.user_message("/status", chat_id=42)
    sent = await api.wait_for("sendMessage", 2)
    text = sent[1]["text"]
    assert "outbox: Mon 02 Mar 10:00:00" in text  # 09:00 UTC in Berlin
    assert "failed 1" in text
    assert "chat not found" in text
    assert "LLM" in text


async def test_button_is_validated_and_repeat_answers_already_handled(
    api: FakeTelegramAPI, running: Any
) -> None:
    api.user_message("/start", chat_id=42)
    await api.wait_for("sendMessage")
    message = api.bot_messages[-1]
    data = callback_data("count", 5, "inc")
    api.press_button(message, data)
    api.press_button(message, data)
    api.press_button(message, "count:5:inc;drop table")
    api.press_button(message, "other:1:x")
    answers = await api.wait_for("answerCallbackQuery", 4)
    assert [a.get("text") for a in answers] == ["Counted.", STALE, STALE, STALE]


async def test_crash_in_a_handler_gets_an_apology(api: FakeTelegramAPI, running: Any) -> None:
    api.user_message("/boom", chat_id=42)
    sent = await api.wait_for("sendMessage")
    assert sent[0]["text"] == APOLOGY
    assert "kaboom" not in sent[0]["text"]


async def test_429_then_success_is_retried(api: FakeTelegramAPI, running: Any) -> None:
    api.fail_next("sendMessage", "429", retry_after=1)
    api.user_message("/help", chat_id=42)
    sent = await api.wait_for("sendMessage", timeout=10)
    assert "/start" in sent[0]["text"]
    failed = [c for c in api.calls if c.method == "sendMessage" and c.status == 429]
    assert len(failed) == 1


async def test_network_error_then_success_is_retried(api: FakeTelegramAPI, running: Any) -> None:
    api.fail_next("sendMessage", "network")
    api.user_message("/help", chat_id=42)
    sent = await api.wait_for("sendMessage", timeout=10)
    assert len(sent) == 1
    assert "/start" in sent[0]["text"]


async def _answer(api: FakeTelegramAPI, message: dict[str, Any], data: str, user: int) -> str:
    before = len(api.sent("answerCallbackQuery"))
    api.press_button(message, data, chat_id=GROUP, user_id=user)
    answers = await api.wait_for("answerCallbackQuery", before + 1)
    return str(answers[-1].get("text"))


async def _said(api: FakeTelegramAPI, text: str, user: int) -> str:
    before = len(api.sent("sendMessage"))
    api.user_message(text, chat_id=GROUP, user_id=user)
    return str((await api.wait_for("sendMessage", before + 1))[-1]["text"])


async def test_in_a_group_only_the_owner_may_press_or_command(
    api: FakeTelegramAPI, running: Any, db: Database
) -> None:
    _, feature = running
    assert "Welcome, User5" in await _said(api, "/start", user=5)
    with db.read() as session:
        owner = owners.get_by_chat_id(session, chat_id=GROUP)
        assert owner is not None and owners.telegram_user_id(owner) == 5
    message = api.bot_messages[-1]
    data = callback_data("count", 9, "inc")
    assert await _answer(api, message, data, user=6) == "Only User5 can do that."
    assert feature.handled == set()
    assert await _said(api, "/whoami", user=6) == "Only User5 can do that."
    assert await _said(api, "/start", user=6) == "Only User5 can do that."
    assert await _said(api, "/whoami", user=5) == "You are User5."
    assert await _answer(api, message, data, user=5) == "Counted."
    assert feature.handled == {9}


async def test_a_group_owner_from_before_user_ids_is_claimed_by_the_next_start(
    api: FakeTelegramAPI, running: Any, db: Database
) -> None:
    _, feature = running
    with db.write() as session:
        owners.create_owner(session, name="Team", timezone="UTC", now=NOW, chat_id=GROUP)
    api.user_message("/help", chat_id=GROUP, user_id=5)
    await api.wait_for("sendMessage")
    message = api.bot_messages[-1]
    answer = await _answer(api, message, callback_data("count", 1, "inc"), user=5)
    assert answer.startswith("Only Team can do that") and "send /start" in answer
    assert feature.handled == set()
    assert "Welcome back" in await _said(api, "/start", user=5)
    assert await _answer(api, message, callback_data("count", 1, "inc"), user=6) == (
        "Only Team can do that."
    )
    assert await _answer(api, message, callback_data("count", 1, "inc"), user=5) == "Counted."


async def test_an_unknown_command_is_answered_with_a_pointer_to_help(
    api: FakeTelegramAPI, running: Any
) -> None:
    api.user_message("/foo bar", chat_id=42)
    api.user_message("/foo@other_bot", chat_id=42)  # another bot's command: not answered
    api.user_message("/x<b>@fake_bot", chat_id=42)
    api.user_message("/help@fake_bot", chat_id=42)
    sent = await api.wait_for("sendMessage", 3)
    texts = [m["text"] for m in api.bot_messages]
    assert texts[:2] == [
        "I don't know /foo. /help lists what I can do.",
        "I don't know /x<b>. /help lists what I can do.",
    ]
    assert texts[2].startswith("Here is what I can do")
    assert len(sent) == 3


async def test_typing_is_shown_and_repeated_while_slow_work_runs(
    api: FakeTelegramAPI, running: Any
) -> None:
    _, feature = running
    api.fail_next("sendChatAction", "400")  # a failed chat action does not fail the work
    api.user_message("/slow", chat_id=42)
    actions = await api.wait_for("sendChatAction", 3)
    assert {(int(a["chat_id"]), a["action"]) for a in actions} == {(42, "typing")}
    assert api.sent("sendMessage") == []
    feature.release.set()
    assert (await api.wait_for("sendMessage"))[0]["text"] == "Done."
    api.user_message("/help", chat_id=42)  # a round trip for a chat action still in flight
    await api.wait_for("sendMessage", 2)
    shown = len(api.sent("sendChatAction"))
    api.user_message("/help", chat_id=42)  # the work ended: no more "typing…" after it
    await api.wait_for("sendMessage", 3)
    assert len(api.sent("sendChatAction")) == shown
