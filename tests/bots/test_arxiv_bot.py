"""👍/👎, /papers, /more and /seed through a real PTB application and the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest

from agents.arxiv import recommender
from agents.arxiv.config import ArxivConfig
from agents.arxiv.fetch import fetch_listing, make_client
from agents.arxiv.parse import ArxivError
from agents.context import AppConfig, AppContext
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.arxiv import SEED_LATE, ArxivFeature
from bots.telegram.feature import STALE
from bots.telegram.notifier import TelegramNotifier
from jobs import arxiv as arxiv_job
from jobs import outbox as outbox_job
from store import owners
from store import papers as repo
from store.db import Database
from tests.agents.arxiv.arxiv_server import ArxivReplay, serve
from tests.agents.arxiv.unreachable import hanging
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI


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
async def bot(api: FakeTelegramAPI, db: Database, arxiv_url: str) -> AsyncIterator[AppContext]:
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
    ctx = AppContext(
        db=db,
        config=AppConfig(
            owner_chat_ids=(42,),
            arxiv=ArxivConfig(
                api_url=f"{arxiv_url}/api/query",
                rss_url=f"{arxiv_url}/rss",
                categories=("cs.LG", "cs.AI"),
                min_interval=0.0,
                digest_size=5,
                tldr=False,
            ),
        ),
        clock=lambda: NOW,
    )
    app, surface = build_application(
        ctx, token="123:abc", base_url=api.bot_base_url, features=[ArxivFeature()]
    )
    await start_bot(app, surface, poll_timeout=1)
    ctx.notifiers["telegram"] = TelegramNotifier(app.bot)
    await arxiv_job.run(ctx, now=NOW)
    await outbox_job.run(ctx, now=NOW)
    yield ctx
    await stop_bot(app)


def order(ctx: AppContext) -> list[str]:
    with ctx.db.read() as session:
        owner = owners.get_by_slug(session, slug="ada")
        assert owner is not None
        model = recommender.load(session, owner_id=owner.id)
        papers = repo.announced_on(session, day=NOW.date())
    assert model is not None
    return [r.paper.id for r in recommender.rank_papers(model, papers, top=len(papers))]


def buttons_of(message: dict[str, Any]) -> list[dict[str, str]]:
    return list(message["reply_markup"]["inline_keyboard"][0])


async def test_like_edits_the_message_changes_ranking_and_repeats_are_idempotent(
    api: FakeTelegramAPI, bot: AppContext
) -> None:
    digest = await api.wait_for("sendMessage", 5)
    assert len(digest) == 5
    before = order(bot)
    message = api.bot_messages[0]
    like, dislike, _read = (b["callback_data"] for b in buttons_of(digest[0]))

    api.press_button(message, like)
    edits = await api.wait_for("editMessageReplyMarkup", 1)
    assert [b["text"] for b in edits[0]["reply_markup"]["inline_keyboard"][0]] == [
        "✅ 👍",
        "👎",
        "📖",
    ]
    answers = await api.wait_for("answerCallbackQuery", 1)
    assert "more like this" in answers[0]["text"]
    assert order(bot) != before  # the very next ranking reflects the tap

    api.press_button(message, like)
    answers = await api.wait_for("answerCallbackQuery", 2)
    assert answers[1]["text"] == STALE
    assert len(api.sent("editMessageReplyMarkup")) == 1

    api.press_button(message, dislike)
    edits = await api.wait_for("editMessageReplyMarkup", 2)
    assert [b["text"] for b in edits[1]["reply_markup"]["inline_keyboard"][0]] == [
        "👍",
        "✅ 👎",
        "📖",
    ]
    with bot.db.read() as session:
        labels = repo.labels(session, owner_id=1)
    assert labels.liked == [] and len(labels.disliked) == 1

    api.press_button(message, "arxiv:99999:like")
    answers = await api.wait_for("answerCallbackQuery", 4)
    assert "not in your digest" in answers[3]["text"]


async def test_papers_more_and_seed(api: FakeTelegramAPI, bot: AppContext) -> None:
    await api.wait_for("sendMessage", 5)
    api.user_message("/papers", chat_id=42)
    sent = await api.wait_for("sendMessage", 10)
    # today's digest again, word for word as it was sent ("why this" included)
    assert [m["text"] for m in sent[5:10]] == [m["text"] for m in sent[:5]]
    assert all("<i>Why this:</i>" in m["text"] for m in sent[5:10])
    api.user_message("/more", chat_id=42)
    sent = await api.wait_for("sendMessage", 15)
    more = sent[10:15]
    assert all(m["text"].startswith(f"{6 + i}. ") for i, m in enumerate(more))
    api.user_message("/more", chat_id=42)  # 14 papers: 4 left
    sent = await api.wait_for("sendMessage", 19)
    api.user_message("/more", chat_id=42)
    sent = await api.wait_for("sendMessage", 20)
    assert "everything" in sent[19]["text"]
    shown_ids = {b["callback_data"] for m in sent[:19] for b in buttons_of(m)}
    assert len(shown_ids) == 3 * 14  # /papers repeats the same 5 buttons, /more adds new ones

    api.user_message("/seed protein structure, molecules", chat_id=42)
    sent = await api.wait_for("sendMessage", 21)
    assert "Interests added: protein structure, molecules" in sent[20]["text"]
    api.user_message("/seed", chat_id=42)
    sent = await api.wait_for("sendMessage", 22)
    assert "Usage: /seed" in sent[21]["text"]


async def test_status_shows_the_last_arxiv_fetch_and_no_failed_jobs(
    api: FakeTelegramAPI, bot: AppContext
) -> None:
    await api.wait_for("sendMessage", 5)
    api.user_message("/status", chat_id=42)
    text = (await api.wait_for("sendMessage", 6))[5]["text"]
    assert "<b>Failed jobs</b>\n  all jobs ran fine" in text
    assert "<b>arXiv</b>\n  last fetch 10:00: ok" in text  # 09:00 UTC in Berlin


TUESDAY = NOW + timedelta(days=1)


def arxiv_at(base: str) -> ArxivConfig:
    """arXiv at ``base``, with little patience: one try, half a second."""
    return ArxivConfig(
        api_url=f"{base}/api/query",
        rss_url=f"{base}/rss",
        categories=("cs.LG", "cs.AI"),
        min_interval=0.0,
        digest_size=5,
        tldr=False,
        timeout=0.5,
        retries=0,
    )


@pytest.fixture
async def late_bot(api: FakeTelegramAPI, db: Database, arxiv_url: str) -> AsyncIterator[AppContext]:
    """Tuesday, arXiv hangs; the store holds Monday's listing (fetched while arXiv was up)."""
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
    with hanging() as down:
        ctx = AppContext(
            db=db,
            config=AppConfig(owner_chat_ids=(42,), arxiv=arxiv_at(down)),
            clock=lambda: TUESDAY,
        )
        monday = replace(ctx, clock=lambda: NOW)
        async with make_client(arxiv_at(arxiv_url)) as up:
            await fetch_listing(monday, up, categories=("cs.LG",), day=NOW.date(), now=NOW)
        app, surface = build_application(
            ctx,
            token="123:abc",
            base_url=api.bot_base_url,
            features=[ArxivFeature(seed_timeout=1.0)],
        )
        await start_bot(app, surface, poll_timeout=1)
        ctx.notifiers["telegram"] = TelegramNotifier(app.bot)
        yield ctx
        await stop_bot(app)


async def test_papers_says_the_listing_is_late_while_arxiv_is_unreachable(
    api: FakeTelegramAPI, late_bot: AppContext
) -> None:
    ctx = late_bot
    with pytest.raises(ArxivError):  # the morning fetch finds arXiv silent
        async with make_client(ctx.config.arxiv) as client:
            await fetch_listing(ctx, client, categories=("cs.LG",), day=TUESDAY.date(), now=TUESDAY)
    late = "Today's listing is late: arXiv unreachable since 10:00 (timed out)."
    api.user_message("/papers", chat_id=42)
    sent = await api.wait_for("sendMessage", 1)
    assert sent[0]["text"] == late  # not "No digest yet today"

    await arxiv_job.run(ctx, now=TUESDAY)  # the digest, from the store, says so too
    await outbox_job.run(ctx, now=TUESDAY)
    sent = await api.wait_for("sendMessage", 7)
    assert sent[1]["text"].startswith("arXiv could not be reached (10:00, timed out); these are")
    api.user_message("/papers", chat_id=42)
    sent = await api.wait_for("sendMessage", 13)
    assert sent[7]["text"] == late
    assert [m["text"] for m in sent[8:13]] == [m["text"] for m in sent[2:7]]

    api.user_message("/status", chat_id=42)
    text = (await api.wait_for("sendMessage", 14))[13]["text"]
    assert "last fetch 10:00: failed (timed out)" in text
    assert "unreachable since 10:00 (2 tries); last good fetch: Mon 02 Mar 10:00" in text


async def test_seed_ids_fails_fast_with_a_way_out_and_shows_typing(
    api: FakeTelegramAPI, late_bot: AppContext
) -> None:
    api.user_message("/seed 2501.01234", chat_id=42)
    sent = await api.wait_for("sendMessage", 1, timeout=5.0)  # not 45 s of silence
    assert sent[0]["text"] == SEED_LATE
    assert [a["action"] for a in api.sent("sendChatAction")] == ["typing"]
    typing_call = next(i for i, c in enumerate(api.calls) if c.method == "sendChatAction")
    reply_call = next(i for i, c in enumerate(api.calls) if c.method == "sendMessage")
    assert typing_call < reply_call
    with late_bot.db.read() as session:
        assert repo.labels(session, owner_id=1).seeded == []
