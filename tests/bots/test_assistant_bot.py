"""The assistant in the composed bot (every feature), polling the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from sqlalchemy import func, select

from agents.context import AppConfig, AppContext
from bots.telegram.app import build_application, start_bot, stop_bot
from store import owners, todos
from store.db import Database
from store.models import Booking, OutboxMessage, Todo
from tests.fakes.openai_server import FakeOpenAI, fake_llm_client
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 10:00 Berlin
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeOpenAI) -> FakeOpenAI:
    server.reset()
    return server


@pytest.fixture
async def bot(
    db: Database, data_dir: Path, fake: FakeOpenAI
) -> AsyncIterator[tuple[FakeTelegramAPI, AppContext]]:
    async with (
        FakeTelegramAPI() as api,
        AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as saver,
        fake_llm_client(fake.base_url) as llm,
    ):
        ctx = AppContext(
            db=db,
            config=AppConfig(owner_chat_ids=(42,), default_timezone="Europe/Berlin"),
            clock=lambda: NOW,
            checkpointer=saver,
            llm=llm,
        )
        app, surface = build_application(ctx, token="123:abc", base_url=api.bot_base_url)
        await start_bot(app, surface, poll_timeout=1)
        api.user_message("/start")
        await api.wait_for("sendMessage")
        with db.write() as session:
            owner = owners.get_by_chat_id(session, chat_id=42)
            assert owner is not None
            todos.create_todo(
                session, owner_id=owner.id, title="Dentist appointment", timezone="Europe/Berlin",
                now=NOW, due_at=NOW + timedelta(days=1, hours=5),
            )  # fmt: skip
        try:
            yield api, ctx
        finally:
            await stop_bot(app)


def _state(db: Database) -> tuple[object, ...]:
    with db.read() as session:
        rows = session.execute(select(Todo.id, Todo.status, Todo.due_at, Todo.title)).all()
        counts = [
            session.scalar(select(func.count()).select_from(m)) for m in (Booking, OutboxMessage)
        ]
    return tuple(map(tuple, rows)), tuple(counts)


def _dentist(db: Database) -> str:
    with db.read() as session:
        todo = session.scalars(select(Todo).where(Todo.title == "Dentist appointment")).one()
        return todo.status


async def _say(api: FakeTelegramAPI, text: str) -> dict[str, Any]:
    before = len(api.sent("sendMessage"))
    api.user_message(text)
    await api.wait_for("sendMessage", before + 1)
    return api.bot_messages[-1]


async def _press(api: FakeTelegramAPI, message: dict[str, Any], data: str) -> str | None:
    before = len(api.sent("answerCallbackQuery"))
    api.press_button(message, data)
    answers = await api.wait_for("answerCallbackQuery", before + 1)
    return answers[-1].get("text")


def _buttons(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row if "callback_data" in b]


async def test_questions_are_answered_from_the_store(bot: Any, fake: FakeOpenAI) -> None:
    api, _ = bot
    answer = await _say(api, "what's on tomorrow?")
    assert "Dentist appointment" in answer["text"]
    assert not any(b.startswith("tcap:") for b in _buttons(answer))
    agenda = await _say(api, "/agenda tomorrow")
    assert "Dentist appointment" in agenda["text"]
    assert "Usage: /agenda" in (await _say(api, "/agenda someday"))["text"]
    assert fake.bodies() == []  # the rules answered: no LLM call


async def test_action_proposed_then_confirmed(bot: Any, db: Database, fake: FakeOpenAI) -> None:
    api, _ = bot
    fake.tool_calls = [{"name": "complete_todo", "arguments": {"ref": "dentist"}}]
    card = await _say(api, "mark the dentist one done")
    yes, no = _buttons(card)[-2:]
    assert yes.startswith("asst:") and yes.endswith(":yes") and no.endswith(":no")
    assert _dentist(db) == "open"
    assert await _press(api, card, yes) == "Done."
    assert _dentist(db) == "done"
    assert api.messages[(42, card["message_id"])]["text"].startswith("✅ Done")
    assert await _press(api, card, yes) == "Already handled."
    assert await _press(api, card, no) == "Already handled."


async def test_action_proposed_then_cancelled(bot: Any, db: Database, fake: FakeOpenAI) -> None:
    api, _ = bot
    fake.tool_calls = [{"name": "complete_todo", "arguments": {"ref": "dentist"}}]
    before = _state(db)
    card = await _say(api, "mark the dentist one done")
    assert await _press(api, card, _buttons(card)[-1]) == "Cancelled."
    assert "nothing changed" in api.messages[(42, card["message_id"])]["text"]
    assert _state(db) == before


async def test_to_dos_still_go_to_the_capture_card(bot: Any, db: Database) -> None:
    api, _ = bot
    card = await _say(api, "buy milk tomorrow")
    assert [b.split(":")[0] for b in _buttons(card)] == ["tcap"] * 3
    assert await _press(api, card, _buttons(card)[0]) == "Saved."
    with db.read() as session:
        assert session.scalars(select(Todo.title).where(Todo.title == "Buy milk")).all()


async def test_after_edit_the_next_text_is_the_corrected_to_do(bot: Any, fake: FakeOpenAI) -> None:
    api, _ = bot
    card = await _say(api, "buy milk tomorrow")
    assert await _press(api, card, _buttons(card)[1]) == "Send the new text."
    corrected = await _say(api, "agenda review with bob tomorrow 3pm")  # a question, else
    assert _buttons(corrected)[0].startswith("tcap:") and "Agenda review" in corrected["text"]
    assert fake.bodies() == []
    other = await _say(api, "agenda tomorrow?")  # only the first text after Edit
    assert not any(b.startswith("tcap:") for b in _buttons(other))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("   ", "some words"),
        ("x" * 10_000, "too long"),
        ("🙂🙂🙂", "not sure what you mean"),
        ("asdfgh", "not sure what you mean"),
    ],
)
async def test_bad_input_gets_a_clear_reply(
    bot: Any, db: Database, fake: FakeOpenAI, text: str, expected: str
) -> None:
    api, _ = bot
    before = _state(db)
    answer = await _say(api, text)
    assert expected in answer["text"] and _buttons(answer) == []
    assert _state(db) == before and fake.bodies() == []


async def test_forged_callbacks_change_nothing(bot: Any, db: Database, fake: FakeOpenAI) -> None:
    api, _ = bot
    before = _state(db)
    message = await _say(api, "what's on tomorrow?")
    for data in ("asst:999:yes", "asst:1:yes", "asst:1:approve", "asst:x:yes", "asst"):
        assert await _press(api, message, data) == "Already handled."
    assert _state(db) == before


async def test_without_the_llm_free_form_requests_say_so(bot: Any, db: Database) -> None:
    api, ctx = bot
    ctx.llm = None
    before = _state(db)
    answer = await _say(api, "move the dentist to friday 10am")
    assert "language model" in answer["text"] and "/agenda" in answer["text"]
    assert "Dentist appointment" in (await _say(api, "what's on tomorrow?"))["text"]
    assert _state(db) == before
