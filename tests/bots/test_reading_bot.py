"""The reading list and a never-silent digest, end to end: a real PTB application, the fake Bot
API, a replayed (or unreachable) arXiv on 127.0.0.1 and a real SQLite store.

digest -> 📖 -> Friday -> a 'Read: …' to-do due Friday evening in New York -> its reminder's
✅ -> the paper is liked once (a second 📖/Friday or ✅ changes nothing).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from agents.arxiv import recommender
from agents.arxiv.config import ArxivConfig
from agents.arxiv.fetch import fetch_listing, make_client
from agents.context import AppConfig, AppContext
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.arxiv import ArxivFeature
from bots.telegram.feature import Feature
from bots.telegram.notifier import TelegramNotifier
from bots.telegram.reading import PICK, ReadingFeature
from bots.telegram.todos import TodoFeature
from jobs import outbox as outbox_job
from jobs import todos as todo_jobs
from jobs.registry import run_job
from store import owners
from store.db import Database
from store.models import PaperEvent, Todo
from tests.agents.arxiv.arxiv_server import ArxivReplay, serve
from tests.agents.arxiv.unreachable import refusing
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI

pytestmark = pytest.mark.slow

FRIDAY_EVENING = datetime(2026, 3, 7, 0, 0, tzinfo=UTC)  # Fri 6 Mar 19:00 in New York (EST)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def arxiv_at(base: str) -> ArxivConfig:
    return ArxivConfig(
        api_url=f"{base}/api/query",
        rss_url=f"{base}/rss",
        categories=("cs.LG", "cs.AI"),
        min_interval=0.0,
        digest_size=5,
        tldr=False,
        embeddings=False,
        timeout=0.5,
        retries=0,
    )


@pytest.fixture
def arxiv_url() -> Iterator[str]:
    with serve(ArxivReplay()) as url:
        yield url


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    fake = FakeTelegramAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(
    api: FakeTelegramAPI, db: Database, arxiv_url: str
) -> AsyncIterator[tuple[AppContext, Clock]]:
    """Ada in New York; Monday's digest (04:00 her time) has been sent."""
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="America/New_York", now=NOW, chat_id=42, slug="ada"
        )
    clock = Clock(NOW)
    ctx = AppContext(
        db=db, config=AppConfig(owner_chat_ids=(42,), arxiv=arxiv_at(arxiv_url)), clock=clock
    )
    features: list[Feature] = [TodoFeature(), ArxivFeature(), ReadingFeature()]
    app, surface = build_application(
        ctx, token="123:abc", base_url=api.bot_base_url, features=features
    )
    await start_bot(app, surface, poll_timeout=1)
    ctx.notifiers["telegram"] = TelegramNotifier(app.bot)
    await run_job("arxiv-digest", ctx, now=NOW)
    await outbox_job.run(ctx, now=NOW)
    yield ctx, clock
    await stop_bot(app)


def row(api: FakeTelegramAPI, message_id: int) -> list[str]:
    message = api.messages[(42, message_id)]
    return [b["text"] for b in message["reply_markup"]["inline_keyboard"][0]]


def data(api: FakeTelegramAPI, message_id: int, text: str) -> str:
    message = api.messages[(42, message_id)]
    [found] = [
        b["callback_data"]
        for r in message["reply_markup"]["inline_keyboard"]
        for b in r
        if b["text"] == text
    ]
    return str(found)


async def press(api: FakeTelegramAPI, message_id: int, text: str) -> str:
    """Press the button labelled ``text`` under the message as it is now; the answer."""
    before = len(api.sent("answerCallbackQuery"))
    api.press_button(message_id, data(api, message_id, text))
    answers = await api.wait_for("answerCallbackQuery", before + 1)
    return str(answers[before].get("text") or "")


def likes(ctx: AppContext) -> list[str]:
    with ctx.db.read() as session:
        return list(session.scalars(select(PaperEvent.paper_id).where(PaperEvent.kind == "liked")))


def reading_todos(ctx: AppContext) -> list[Todo]:
    with ctx.db.read() as session:
        return list(session.scalars(select(Todo).where(Todo.title.like("Read: %"))))


async def test_read_friday_then_done_is_one_like(
    api: FakeTelegramAPI, bot: tuple[AppContext, Clock]
) -> None:
    ctx, clock = bot
    digest = await api.wait_for("sendMessage", 5)
    first, second = (m["message_id"] for m in api.bot_messages[:2])
    assert row(api, first) == ["👍", "👎", "📖"]
    assert all(
        len(b["callback_data"].encode()) <= 64
        for m in digest
        for b in m["reply_markup"]["inline_keyboard"][0]
    )

    assert await press(api, first, "📖") == PICK
    assert row(api, first) == ["Today", "Friday", "Next week", "✖️"]
    assert await press(api, first, "Friday") == "📖 On your reading list: due Fri 06 Mar 19:00."
    assert row(api, first) == ["👍", "👎", "✅ 📖"]
    [todo] = reading_todos(ctx)
    assert todo.due_at == FRIDAY_EVENING and todo.timezone == "America/New_York"
    paper_link = digest[0]["text"].split('href="')[1].split('"')[0]
    assert todo.notes == paper_link

    # tapping it again: still one to-do
    await press(api, first, "✅ 📖")
    assert (
        await press(api, first, "Friday") == "📖 Already on your reading list for Fri 06 Mar 19:00."
    )
    assert len(reading_todos(ctx)) == 1

    # ✖️ puts the paper's own buttons back and saves nothing
    await press(api, second, "📖")
    assert await press(api, second, "✖️") == ""
    assert row(api, second) == ["👍", "👎", "📖"]
    assert len(reading_todos(ctx)) == 1

    # Friday 19:00 in New York: reminded like any to-do, ✅ counts the paper as a 👍
    with ctx.db.read() as session:
        before = recommender.load(session, owner_id=1)
    clock.now = FRIDAY_EVENING
    assert await todo_jobs.remind(ctx, now=FRIDAY_EVENING) == 1
    await outbox_job.run(ctx, now=FRIDAY_EVENING)
    reminder = (await api.wait_for("sendMessage", 6))[5]
    assert todo.title in reminder["text"]
    message_id = api.bot_messages[5]["message_id"]
    assert await press(api, message_id, "✅ Done") == "Done."
    liked = likes(ctx)
    assert liked == [paper_link.rsplit("/", 1)[1]]
    with ctx.db.read() as session:
        after = recommender.load(session, owner_id=1)
    assert before is not None and after is not None and after.version > before.version

    api.press_button(message_id, f"rem:{todo.id}:done")  # the same ✅ again
    answers = await api.wait_for("answerCallbackQuery", 8)
    assert answers[7]["text"] == "Already done."
    api.user_message(f"/done {todo.id}", chat_id=42)
    sent = await api.wait_for("sendMessage", 7)
    assert "Already done." in sent[6]["text"]
    assert likes(ctx) == liked  # once

    # 📖 on a paper read already offers no days; an old day button changes nothing
    assert await press(api, first, "✅ 📖") == "📖 You have read it already."
    api.press_button(first, data(api, first, "✅ 📖").replace(":open", ":today"))
    answers = await api.wait_for("answerCallbackQuery", 10)
    assert answers[9]["text"] == "📖 You have read it already."
    assert row(api, first) == ["✅ 👍", "👎", "✅ 📖"]  # the like is shown on the paper
    assert likes(ctx) == liked and len(reading_todos(ctx)) == 1

    # 👍 and /papers keep 📖's mark
    await press(api, second, "📖")
    assert await press(api, second, "Next week") == "📖 On your reading list: due Mon 09 Mar 19:00."
    assert await press(api, second, "👍") == "👍 Noted: more like this."
    assert row(api, second) == ["✅ 👍", "👎", "✅ 📖"]
    clock.now = NOW
    api.user_message("/papers", chat_id=42)
    again = (await api.wait_for("sendMessage", 12))[7:12]
    rows = [[b["text"] for b in m["reply_markup"]["inline_keyboard"][0]] for m in again]
    assert rows[:3] == [["✅ 👍", "👎", "✅ 📖"], ["✅ 👍", "👎", "✅ 📖"], ["👍", "👎", "📖"]]


@pytest.fixture
async def late(api: FakeTelegramAPI, db: Database, arxiv_url: str) -> AsyncIterator[AppContext]:
    """Tuesday with every feature of the bot; arXiv refuses; Monday's listing is stored."""
    tuesday = NOW + timedelta(days=1)
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
    ctx = AppContext(
        db=db,
        config=AppConfig(owner_chat_ids=(42,), arxiv=arxiv_at(refusing())),
        clock=lambda: tuesday,
    )
    monday = replace(ctx, clock=lambda: NOW, config=replace(ctx.config, arxiv=arxiv_at(arxiv_url)))
    async with make_client(monday.config.arxiv) as up:
        await fetch_listing(monday, up, categories=("cs.LG",), day=NOW.date(), now=NOW)
    app, surface = build_application(ctx, token="123:abc", base_url=api.bot_base_url)
    await start_bot(app, surface, poll_timeout=1)
    ctx.notifiers["telegram"] = TelegramNotifier(app.bot)
    yield ctx
    await stop_bot(app)


async def test_arxiv_down_still_sends_a_digest_from_the_store_and_status_says_why(
    api: FakeTelegramAPI, late: AppContext
) -> None:
    tuesday = late.clock()
    report = await run_job("arxiv-digest", late, now=tuesday)
    assert report["ada"]["late"] is True and report["ada"]["ranked"] == 5
    await outbox_job.run(late, now=tuesday)
    sent = await api.wait_for("sendMessage", 6)
    assert sent[0]["text"].startswith(
        "arXiv could not be reached (10:00, could not connect); these are from papers already "
        "in the store — today's listing is late."
    )
    assert [m["text"].split(". ", 1)[0] for m in sent[1:]] == ["1", "2", "3", "4", "5"]
    assert all(
        [b["text"] for b in m["reply_markup"]["inline_keyboard"][0]] == ["👍", "👎", "📖"]
        for m in sent[1:]
    )
    api.user_message("/status", chat_id=42)
    status: dict[str, Any] = (await api.wait_for("sendMessage", 7))[6]
    assert "<b>arXiv</b>\n  last fetch 10:00: failed (could not connect)" in status["text"]
    assert "unreachable since 10:00 (1 try); last good fetch: Mon 02 Mar 10:00" in status["text"]
    with late.db.read() as session:  # the late digest's papers can go on the reading list too
        assert session.scalar(select(func.count()).select_from(PaperEvent)) == 5
