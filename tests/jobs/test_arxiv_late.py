"""arXiv unreachable: the digest ranks what the store has, says so, and runs again later.

Real local servers on 127.0.0.1 that refuse, hang or answer 500/503, a real store, the
SQLite checkpointer and the fake Bot API.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from datetime import timedelta
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from sqlalchemy import select
from telegram import Bot

from agents.arxiv.config import ArxivConfig
from agents.arxiv.fetch import fetch_listing, make_client
from agents.context import AppConfig, AppContext
from bots.telegram.notifier import TelegramNotifier
from jobs import arxiv as arxiv_job
from jobs import outbox as outbox_job
from jobs import scheduler
from store import job_runs, owners
from store.db import Database
from store.models import OutboxMessage
from tests.agents.arxiv.arxiv_server import DEFAULT_RSS, ArxivReplay, serve
from tests.agents.arxiv.unreachable import hanging, refusing
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI

TUESDAY = NOW + timedelta(days=1)  # 10:00 in Berlin
LATE_WITH_PAPERS = (
    "arXiv could not be reached (10:00, {reason}); these are from papers already in the "
    "store — today's listing is late."
)


@pytest.fixture
def replay() -> ArxivReplay:
    return ArxivReplay()


@pytest.fixture
def arxiv_url(replay: ArxivReplay) -> Iterator[str]:
    with serve(replay) as url:
        yield url


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    fake = FakeTelegramAPI()
    await fake.start()
    yield fake
    await fake.stop()


ContextFactory = Callable[[str], AppContext]


@pytest.fixture
async def make_ctx(
    db: Database, data_dir: Path, api: FakeTelegramAPI
) -> AsyncIterator[ContextFactory]:
    """A context whose arXiv is at ``base`` (two tries, no backoff, 0.5 s patience)."""
    bot = Bot("123:abc", base_url=api.bot_base_url)
    await bot.initialize()
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
    async with AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as saver:

        def make(base: str) -> AppContext:
            config = ArxivConfig(
                api_url=f"{base}/api/query",
                rss_url=f"{base}/rss",
                categories=("cs.LG", "cs.AI"),
                min_interval=0.0,
                timeout=0.5,
                retries=1,
                backoff=0.0,
                tldr=False,
                embeddings=False,
            )
            return AppContext(
                db=db,
                config=AppConfig(owner_chat_ids=(42,), arxiv=config),
                clock=lambda: TUESDAY,
                checkpointer=saver,
                notifiers={"telegram": TelegramNotifier(bot)},
            )

        yield make
    await bot.shutdown()


async def store_mondays_listing(ctx: AppContext) -> None:
    async with make_client(ctx.config.arxiv) as client:
        await fetch_listing(ctx, client, categories=("cs.LG", "cs.AI"), day=NOW.date(), now=NOW)


def queued(db: Database) -> list[OutboxMessage]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def unreachable(mode: str, replay: ArxivReplay, arxiv_url: str) -> AbstractContextManager[str]:
    if mode == "refused":
        return nullcontext(refusing())
    if mode == "hangs":
        return hanging()
    replay.fail_next(2, 500)
    return nullcontext(arxiv_url)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("refused", "could not connect after 2 tries"),
        ("hangs", "timed out after 2 tries"),
        ("500", "HTTP 500 after 2 tries"),
    ],
)
async def test_unreachable_arxiv_gets_a_digest_from_the_store_that_says_so(
    make_ctx: ContextFactory,
    replay: ArxivReplay,
    arxiv_url: str,
    api: FakeTelegramAPI,
    mode: str,
    reason: str,
) -> None:
    await store_mondays_listing(make_ctx(arxiv_url))
    with unreachable(mode, replay, arxiv_url) as base:
        ctx = make_ctx(base)
        report = await arxiv_job.run(ctx, now=TUESDAY)
    assert report["ada"]["late"] is True and report["ada"]["ranked"] == 10
    assert report["ada"]["queued"] == 11  # the line, then the papers
    await outbox_job.run(ctx, now=TUESDAY)
    sent = api.sent("sendMessage")
    assert sent[0]["text"] == LATE_WITH_PAPERS.format(reason=reason)
    assert [m["text"].split(". ", 1)[0] for m in sent[1:]] == [str(n) for n in range(1, 11)]
    with ctx.db.read() as session:
        fetch = job_runs.get_run(session, key="arxiv-fetch")
    assert fetch is not None and (fetch.ok, fetch.error) == (False, reason)
    assert fetch.failing_since == TUESDAY


async def test_an_empty_store_gets_a_short_late_message_and_a_retry(
    make_ctx: ContextFactory,
) -> None:
    ctx = make_ctx(refusing())
    report = await arxiv_job.run(ctx, now=TUESDAY)
    assert report["ada"] == {
        "fetched": 0,
        "ranked": 0,
        "queued": 1,
        "tldrs": 0,
        "late": True,
        "retry_in_minutes": 30,
    }
    assert arxiv_job.retry_after(report) == timedelta(minutes=30)
    [message] = queued(ctx.db)
    assert message.payload["text"] == (
        "arXiv could not be reached (10:00, could not connect after 2 tries) and no unseen "
        "papers are in the store: today's listing is late. I'll try again in 30 minutes."
    )
    again = await arxiv_job.run(ctx, now=TUESDAY + timedelta(minutes=30))  # still down
    assert again["ada"]["queued"] == 0 and again["ada"]["late"] is True
    assert len(queued(ctx.db)) == 1  # said once a day


async def test_the_scheduler_runs_a_late_digest_again_and_the_listing_follows(
    make_ctx: ContextFactory,
    replay: ArxivReplay,
    arxiv_url: str,
    api: FakeTelegramAPI,
    tmp_path: Path,
) -> None:
    ctx = make_ctx(arxiv_url)
    await store_mondays_listing(ctx)
    tuesday_rss = tmp_path / "rss_2026-03-03.xml"
    monday = DEFAULT_RSS.read_text()
    tuesday_rss.write_text(
        monday.replace("2603.100", "2603.200").replace("Mon, 02 Mar 2026", "Tue, 03 Mar 2026")
    )
    replay.rss_default = tuesday_rss
    replay.fail_next(2, 503)  # Tuesday 10:00: arXiv is down
    running = scheduler.start(ctx, [])
    running.pause()  # runs are ours to start here; APScheduler only keeps the retry
    try:
        await scheduler.fire("arxiv-digest", 1)
        retry = running.get_job("arxiv-digest:1:retry")
        assert retry is not None and retry.next_run_time == TUESDAY + timedelta(minutes=30)
    finally:
        running.shutdown(wait=False)
    with ctx.db.read() as session:
        digest_run = job_runs.get_run(session, key="arxiv-digest:1")
    assert digest_run is not None and digest_run.ok  # a late listing is not a failed job
    requests = len(replay.requests)
    await outbox_job.run(ctx, now=TUESDAY)

    later = make_ctx(arxiv_url)  # the retry, arXiv is back
    report = await arxiv_job.run(later, now=TUESDAY + timedelta(minutes=30))
    assert report["ada"]["late"] is False and report["ada"]["retry_in_minutes"] is None
    assert report["ada"]["queued"] == 11
    again = await arxiv_job.run(later, now=TUESDAY + timedelta(hours=1))
    assert again["ada"]["queued"] == 0 and len(replay.requests) == requests + 1

    await outbox_job.run(later, now=TUESDAY + timedelta(minutes=30))
    texts = [m["text"] for m in api.sent("sendMessage")]
    assert len(texts) == 22
    assert texts[0].startswith("arXiv could not be reached (10:00, HTTP 503 after 2 tries)")
    assert texts[11] == "Today's arXiv listing arrived after all; its best papers:"
    assert all("2603.100" in t for t in texts[1:11])  # Monday's papers from the store
    assert all("2603.200" in t for t in texts[12:])  # then Tuesday's, ranked on
    assert [t.split(". ", 1)[0] for t in texts[12:]] == [str(n) for n in range(11, 21)]
    with later.db.read() as session:
        fetch = job_runs.get_run(session, key="arxiv-fetch")
    assert fetch is not None and fetch.ok and fetch.failures == 0
