"""/status shows failed jobs (last error, when, how many times in a row) and arXiv's state.

A real PTB application against the fake Bot API, reading a real SQLite store.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta

import pytest

from agents.context import AppConfig, AppContext
from bots.telegram.app import build_application, start_bot, stop_bot
from store import job_runs, owners
from store.db import Database
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    fake = FakeTelegramAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def ctx(api: FakeTelegramAPI, db: Database) -> AsyncIterator[AppContext]:
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
        owners.create_owner(session, name="Bob", timezone="UTC", now=NOW, chat_id=43, slug="bob")
    context = AppContext(db=db, config=AppConfig(owner_chat_ids=(42, 43)), clock=lambda: NOW)
    app, surface = build_application(context, token="123:abc", base_url=api.bot_base_url)
    await start_bot(app, surface, poll_timeout=1)
    yield context
    await stop_bot(app)


def record(db: Database, key: str, owner_id: int | None, error: str | None, times: int) -> None:
    for n in range(times):
        at = NOW - timedelta(hours=times - n)
        with db.write() as session:
            job_runs.record_run(
                session,
                key=key,
                job=key.split(":")[0],
                owner_id=owner_id,
                started_at=at,
                finished_at=at + timedelta(seconds=3),
                error=error,
            )


async def status(api: FakeTelegramAPI, count: int) -> str:
    api.user_message("/status", chat_id=42)
    sent = await api.wait_for("sendMessage", count)
    return str(sent[count - 1]["text"])


async def test_no_failures_says_all_jobs_ran_fine(api: FakeTelegramAPI, ctx: AppContext) -> None:
    record(ctx.db, "reminders", None, None, 2)
    text = await status(api, 1)
    assert "<b>Failed jobs</b>\n  all jobs ran fine" in text


async def test_failed_jobs_show_error_when_and_streak(
    api: FakeTelegramAPI, ctx: AppContext
) -> None:
    record(ctx.db, "arxiv-digest:1", 1, "No arXiv categories configured (e.g. cs.LG).", 3)
    record(ctx.db, "bookings-expire", None, "unexpected OperationalError (details in the log)", 1)
    record(ctx.db, "arxiv-digest:2", 2, "Bob's job & its <error>", 2)  # not Ada's business
    record(ctx.db, "reminders", None, None, 1)
    text = await status(api, 1)
    assert "all jobs ran fine" not in text
    assert (
        "✖ arxiv-digest: No arXiv categories configured (e.g. cs.LG). "
        "(last Mon 02 Mar 09:00, 3 times in a row since Mon 02 Mar 07:00)"  # Berlin time
    ) in text
    assert (
        "✖ bookings-expire: unexpected OperationalError (details in the log) "
        "(last Mon 02 Mar 09:00, once)"
    ) in text
    assert "Bob" not in text and "reminders:" not in text
