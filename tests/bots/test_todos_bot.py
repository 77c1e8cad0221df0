"""The to-do feature in a real PTB Application polling the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from sqlalchemy import select

from agents.context import AppConfig, AppContext
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.todos import TodoFeature
from store import todos
from store.db import Database
from store.models import Todo
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 10:00 Berlin


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def bot(db: Database, data_dir: Path) -> AsyncIterator[tuple[FakeTelegramAPI, Clock]]:
    clock = Clock()
    async with (
        FakeTelegramAPI() as api,
        AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as saver,
    ):
        ctx = AppContext(
            db=db,
            config=AppConfig(owner_chat_ids=(42,), default_timezone="Europe/Berlin"),
            clock=clock,
            checkpointer=saver,
        )
        app, surface = build_application(
            ctx, token="123:abc", base_url=api.bot_base_url, features=[TodoFeature()]
        )
        await start_bot(app, surface, poll_timeout=1)
        api.user_message("/start")
        await api.wait_for("sendMessage")
        try:
            yield api, clock
        finally:
            await stop_bot(app)


def _open(db: Database) -> list[Todo]:
    with db.read() as session:
        return list(session.scalars(select(Todo).where(Todo.status == "open").order_by(Todo.id)))


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
    return [b["callback_data"] for row in rows for b in row]


async def test_text_confirmation_save(bot: Any, db: Database) -> None:
    api, _ = bot
    card = await _say(api, "call mom tomorrow at 6pm")
    assert "Call mom" in card["text"] and "Tue 03 Mar 18:00" in card["text"]
    capture = card["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in capture] == ["✅ Save", "✏️ Edit", "✖️ Cancel"]
    assert _open(db) == []
    assert await _press(api, card, capture[0]["callback_data"]) == "Saved."
    [todo] = _open(db)
    assert todo.title == "Call mom" and todo.due_at == datetime(2026, 3, 3, 17, tzinfo=UTC)
    assert api.messages[(42, card["message_id"])]["text"].startswith("✅ Saved")
    assert await _press(api, card, capture[0]["callback_data"]) == "Already handled."
    assert len(_open(db)) == 1
    assert api.sent("sendChatAction") == []  # no LLM to wait for: no "typing…"


async def test_ambiguous_text_asks_and_the_choice_saves(bot: Any, db: Database) -> None:
    api, _ = bot
    card = await _say(api, "/todo call bob at 7")
    datas = _buttons(card)
    assert len(datas) == 3 and datas[-1].endswith(":cancel")
    assert "morning or evening" in card["text"] and _open(db) == []
    assert await _press(api, card, datas[1]) == "Saved."
    [todo] = _open(db)
    assert todo.due_at == datetime(2026, 3, 3, 6, tzinfo=UTC)  # "07:00" tomorrow in Berlin


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("every 0 days water plants", "never repeats"),
        ("Feb 30 dentist", "February 30 does not exist"),
        ("x" * 5000, "5,000 characters"),
        ("/todo", "Usage: /todo"),
        ("/done abc", "Usage: /done"),
        ("/done 999", "no to-do #999"),
    ],
)
async def test_bad_input_gets_a_clear_reply_and_saves_nothing(
    bot: Any, db: Database, text: str, expected: str
) -> None:
    api, _ = bot
    reply = await _say(api, text)
    assert expected in reply["text"]
    assert "reply_markup" not in reply
    assert _open(db) == []


async def test_list_done_snooze_delete(bot: Any, db: Database) -> None:
    api, clock = bot
    for text in ("pay rent every 1st at 9am", "buy milk", "report due today at 5pm"):
        card = await _say(api, text)
        await _press(api, card, _buttons(card)[0])
    rent, milk, report = _open(db)
    listing = await _say(api, "/list")
    text = listing["text"]
    assert text.index("Today") < text.index("Upcoming") < text.index("No date")
    assert f"rem:{rent.id}" not in _buttons(listing)
    assert _buttons(listing) == [
        f"tlist:{report.id}:done",
        f"tlist:{report.id}:snooze",
        f"tlist:{rent.id}:done",
        f"tlist:{rent.id}:snooze",
        f"tlist:{milk.id}:done",
        f"tlist:{milk.id}:snooze",
    ]
    assert await _press(api, listing, f"tlist:{milk.id}:done") == "Done."
    assert "Buy milk" not in listing["text"] and "No date" not in listing["text"]  # redrawn
    assert "Report" in listing["text"] and f"tlist:{milk.id}:done" not in _buttons(listing)
    assert await _press(api, listing, f"tlist:{milk.id}:done") == "Already done."

    assert await _press(api, listing, f"tlist:{report.id}:snooze") is None
    presets = ("snz_hour", "snz_evening", "snz_tomorrow", "snz_monday", "back")
    assert _buttons(listing) == [
        *(f"tlist:{report.id}:{a}" for a in presets),  # in place of the item's row
        f"tlist:{rent.id}:done",
        f"tlist:{rent.id}:snooze",
    ]
    answer = await _press(api, listing, f"tlist:{report.id}:snz_tomorrow")
    assert answer == "Snoozed until Tue 03 Mar 09:00."
    assert "💤 Tue 03 Mar 09:00" in listing["text"] and "Today" not in listing["text"]
    assert len(_buttons(listing)) == 4
    await _press(api, listing, f"tlist:{rent.id}:snooze")
    await _press(api, listing, f"tlist:{rent.id}:back")  # changed nothing: the list again
    assert _buttons(listing)[2:] == [f"tlist:{rent.id}:done", f"tlist:{rent.id}:snooze"]
    assert [t.snoozed_until is None for t in _open(db)] == [True, False]

    menu_answer = await _press(api, listing, f"todo:{report.id}:snooze")  # an older list's 💤
    assert menu_answer is None
    menu = api.bot_messages[-1]
    assert _buttons(menu) == [
        f"todo:{report.id}:{a}" for a in ("snz_hour", "snz_evening", "snz_tomorrow", "snz_monday")
    ]
    typed = await _say(api, f"/snooze {report.id} in 2 hours")  # due 17:00: never earlier (#14)
    assert "Snoozed until Mon 02 Mar 17:00" in typed["text"] and "never" in typed["text"]
    rent_done = await _say(api, f"/done {rent.id}")
    assert "Next: Fri 01 May 09:00" in rent_done["text"]  # done early: April is used up
    gone = await _say(api, f"/delete {report.id}")
    assert "Deleted" in gone["text"]
    assert [t.title for t in _open(db)] == ["Pay rent"]
    clock.now = NOW + timedelta(days=1)


async def test_review_button_moves_a_slipped_task_to_tomorrow(bot: Any, db: Database) -> None:
    api, clock = bot
    card = await _say(api, "submit form today at 11am")
    await _press(api, card, _buttons(card)[0])
    [todo] = _open(db)
    clock.now = datetime(2026, 3, 2, 20, tzinfo=UTC)
    review = await _say(api, "/list")  # any message carrying the task's buttons will do
    with db.write() as session:
        assert todos.get_owned(session, owner_id=todo.owner_id, todo_id=todo.id).status == "open"
    api.press_button(review, f"todo:{todo.id}:tomorrow")
    answers = await api.wait_for("answerCallbackQuery", 2)
    assert answers[-1]["text"] == "Moved to tomorrow."
    [moved] = _open(db)
    assert moved.due_at == datetime(2026, 3, 3, 10, tzinfo=UTC)


async def test_a_tap_on_a_mixed_message_edits_only_its_own_row(bot: Any, db: Database) -> None:
    """The morning briefing carries to-dos, papers and requests with the same ids: a ✅ on the
    to-do drops that to-do's row and keeps the others where they were."""
    from telegram import Bot

    from bots.telegram.notifier import build_keyboard

    api, _ = bot
    card = await _say(api, "buy milk")
    await _press(api, card, _buttons(card)[0])
    [milk] = _open(db)
    n = milk.id
    rows = [
        [{"text": "👍", "callback_data": f"arxiv:{n}:like"}],
        [{"text": "✅ Buy milk", "callback_data": f"todo:{n}:done"}],
        [{"text": "Approve", "callback_data": f"mtg:{n}:approve"}],
    ]
    async with Bot("123:abc", base_url=api.bot_base_url) as sender:
        sent = await sender.send_message(42, "☀️ briefing", reply_markup=build_keyboard(rows))
    briefing = api.messages[(42, sent.message_id)]
    await _press(api, briefing, f"todo:{n}:done")
    assert _open(db) == []
    assert _buttons(api.messages[(42, sent.message_id)]) == [f"arxiv:{n}:like", f"mtg:{n}:approve"]


async def test_typing_is_shown_while_the_llm_may_read_a_todo(db: Database) -> None:
    from agents.llm import Backend, LLMClient
    from tests.fakes.openai_server import unused_base_url

    down = Backend(
        name="local", base_url=unused_base_url(), model="m", api_key="", schema_mode="json_schema"
    )
    llm = LLMClient([down], timeout=1.0, max_retries=0, concurrency=1, clock=lambda: NOW)
    ctx = AppContext(
        db=db,
        config=AppConfig(owner_chat_ids=(42,), default_timezone="Europe/Berlin"),
        clock=lambda: NOW,
        llm=llm,
    )
    async with FakeTelegramAPI() as api:
        app, surface = build_application(
            ctx, token="123:abc", base_url=api.bot_base_url, features=[TodoFeature()]
        )
        await start_bot(app, surface, poll_timeout=1)
        try:
            await _say(api, "/start")
            card = await _say(api, "call mom tomorrow at 6pm")
        finally:
            await stop_bot(app)
            await llm.aclose()
    assert "Call mom" in card["text"]  # no model answered: the rules' reading
    assert [(int(a["chat_id"]), a["action"]) for a in api.sent("sendChatAction")][:1] == [
        (42, "typing")
    ]


async def test_this_evening_after_the_evening_says_tomorrow_evening(bot: Any, db: Database) -> None:
    api, clock = bot
    card = await _say(api, "water the ferns")
    await _press(api, card, _buttons(card)[0])
    [todo] = _open(db)
    clock.now = datetime(2026, 3, 2, 18, 40, tzinfo=UTC)  # Monday 19:40 in Berlin
    menu = await _say(api, f"/snooze {todo.id}")
    assert f"todo:{todo.id}:snz_evening" in _buttons(menu)
    answer = await _press(api, menu, f"todo:{todo.id}:snz_evening")
    note = "It is already past 19:00: tomorrow evening."
    assert answer == f"Snoozed until Tue 03 Mar 19:00. {note}"
    assert (
        api.messages[(42, menu["message_id"])]["text"]
        == f"💤 Snoozed until Tue 03 Mar 19:00. {note}"
    )
    [snoozed] = _open(db)
    assert snoozed.snoozed_until == datetime(2026, 3, 3, 18, tzinfo=UTC)


async def test_this_evening_before_the_evening_has_no_note(bot: Any, db: Database) -> None:
    api, clock = bot
    card = await _say(api, "water the ferns")
    await _press(api, card, _buttons(card)[0])
    [todo] = _open(db)
    clock.now = datetime(2026, 3, 2, 16, 0, tzinfo=UTC)  # Monday 17:00 in Berlin
    menu = await _say(api, f"/snooze {todo.id}")
    answer = await _press(api, menu, f"todo:{todo.id}:snz_evening")
    assert answer == "Snoozed until Mon 02 Mar 19:00."


@pytest.mark.parametrize("text", ["asdfgh", "what's on tomorrow?"])
async def test_text_that_is_no_task_asks_save_this_first(bot: Any, db: Database, text: str) -> None:
    api, _ = bot  # the to-do feature alone: no assistant routes plain text
    card = await _say(api, text)
    assert "Save this as a to-do?" in card["text"] and text[:5] in card["text"]
    datas = _buttons(card)
    assert [d.rsplit(":", 1)[1] for d in datas] == ["save", "cancel"]
    assert _open(db) == []
    assert await _press(api, card, datas[1]) == "Cancelled."
    assert _open(db) == []
    assert await _press(api, card, datas[0]) == "Already handled."
    again = await _say(api, text)
    assert await _press(api, again, _buttons(again)[0]) == "Saved."
    [saved] = _open(db)  # the owner's yes saves it as the rules read it
    assert saved.title[:5].lower() == text[:5]


async def test_a_task_is_not_asked_save_this(bot: Any, db: Database) -> None:
    api, _ = bot
    card = await _say(api, "renew the passport")
    assert "Save this as a to-do?" not in card["text"] and "Renew the passport" in card["text"]
