"""The job runner's edge: every scheduled run is recorded; one notice per failure streak.

Runs go through ``jobs.scheduler.fire`` (what APScheduler calls) on a started scheduler and a
real SQLite store; the failures are real ones (no arXiv categories configured, a damaged table).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text

from agents.arxiv.config import ArxivConfig
from agents.context import AppConfig, AppContext
from jobs import scheduler
from jobs.runs import one_line
from store import job_runs, owners
from store.db import Database
from store.errors import InvalidInput
from store.models import JobRun, OutboxMessage
from tests.agents.arxiv.arxiv_server import ArxivReplay, serve
from tests.conftest import NOW


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock(NOW)


@pytest.fixture
def arxiv_url() -> Iterator[str]:
    with serve(ArxivReplay()) as url:
        yield url


@pytest.fixture
async def ctx(db: Database, clock: Clock, arxiv_url: str) -> AsyncIterator[AppContext]:
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
        owners.create_owner(session, name="Bob", timezone="UTC", now=NOW, chat_id=43, slug="bob")
        owners.create_owner(session, name="Cy", timezone="UTC", now=NOW, slug="cy")  # no chat
    context = AppContext(
        db=db,
        config=AppConfig(
            owner_chat_ids=(42, 43),
            # no categories anywhere: the digest job fails before it asks arXiv anything
            arxiv=ArxivConfig(
                api_url=f"{arxiv_url}/api/query",
                rss_url=f"{arxiv_url}/rss",
                categories=(),
                tldr=False,
                embeddings=False,
                min_interval=0.0,
            ),
        ),
        clock=clock,
    )
    running = scheduler.start(context, [])
    running.pause()  # the tests fire jobs themselves
    yield context
    running.shutdown(wait=False)


def notices(db: Database) -> list[OutboxMessage]:
    with db.read() as session:
        query = select(OutboxMessage).where(OutboxMessage.idempotency_key.like("job%"))
        return list(session.scalars(query.order_by(OutboxMessage.id)))


def run_row(db: Database, key: str) -> JobRun:
    with db.read() as session:
        row = job_runs.get_run(session, key=key)
    assert row is not None
    return row


async def test_a_failing_job_is_recorded_and_told_once_per_streak(
    ctx: AppContext, clock: Clock
) -> None:
    for minutes in (0, 30, 60):  # three scheduled runs fail (and a rerun would too)
        clock.now = NOW + timedelta(minutes=minutes)
        await scheduler.fire("arxiv-digest", 1)
    row = run_row(ctx.db, "arxiv-digest:1")
    assert (row.ok, row.failures, row.failing_since, row.runs) == (False, 3, NOW, 3)
    assert row.error == "No arXiv categories configured (e.g. cs.LG)."
    assert row.finished_at == NOW + timedelta(minutes=60)
    told = notices(ctx.db)
    assert len(told) == 1  # not per run
    assert told[0].recipient == "42"  # the job's owner only
    assert told[0].idempotency_key == f"jobfail:arxiv-digest:1:{NOW.isoformat()}"
    assert "arxiv-digest</b> job failed: No arXiv categories configured" in told[0].payload["text"]

    await fix_categories(ctx, ["cs.LG"])  # the owner fixes it: the next run works
    clock.now = NOW + timedelta(hours=2)
    await scheduler.fire("arxiv-digest", 1)
    row = run_row(ctx.db, "arxiv-digest:1")
    assert (row.ok, row.failures, row.failing_since, row.error) == (True, 0, None, None)
    assert row.last_ok_at == clock.now
    told = notices(ctx.db)
    assert len(told) == 2
    assert told[1].payload["text"] == (
        "✅ <b>arxiv-digest</b> works again (it failed 3 times in a row, since 10:00)."
    )
    clock.now += timedelta(minutes=1)
    await scheduler.fire("arxiv-digest", 1)
    assert len(notices(ctx.db)) == 2  # once

    await fix_categories(ctx, [])  # broken again: a new streak, a new notice
    clock.now += timedelta(days=1)
    await scheduler.fire("arxiv-digest", 1)
    told = notices(ctx.db)
    assert len(told) == 3 and told[2].idempotency_key.endswith(clock.now.isoformat())


async def fix_categories(ctx: AppContext, categories: list[str]) -> None:
    with ctx.db.write() as session:
        ada = owners.get_owner(session, owner_id=1)
        ada.preferences = {"arxiv": {"categories": categories}}


async def test_unexpected_errors_say_only_their_type_and_frequent_jobs_wait_for_three(
    ctx: AppContext, clock: Clock
) -> None:
    with ctx.db.write() as session:
        session.execute(text("DROP TABLE bookings"))  # a damaged store
    for n in range(1, 4):
        clock.now = NOW + timedelta(minutes=5 * n)
        await scheduler.fire("bookings-expire")
        assert len(notices(ctx.db)) == (0 if n < 3 else 2)  # a blip is not worth a message
    row = run_row(ctx.db, "bookings-expire")
    assert row.error == "unexpected OperationalError (details in the log)"
    assert "bookings" not in (row.error or "")  # no SQL, no internals
    told = notices(ctx.db)
    assert sorted(m.recipient for m in told) == ["42", "43"]  # a shared job: every owner's chat
    assert all(m.idempotency_key.endswith((NOW + timedelta(minutes=5)).isoformat()) for m in told)


def test_one_line_keeps_our_messages_and_hides_others() -> None:
    assert one_line(InvalidInput("Bad\n  input.")) == "Bad input."
    secret = RuntimeError("https://api.example/?key=hunter2")
    assert one_line(secret) == "unexpected RuntimeError (details in the log)"
    assert len(one_line(InvalidInput("x" * 500))) == 200


async def test_a_pending_rerun_survives_a_restart_while_its_job_is_planned(
    ctx: AppContext, clock: Clock
) -> None:
    planned = scheduler.plan(
        owners=[(1, "Europe/Berlin")], default_timezone="UTC", overrides={}, now=NOW
    )
    digest = [p for p in planned if p.id == "arxiv-digest:1"]
    first = scheduler.start(ctx, digest)
    first.pause()
    first.add_job(
        "jobs.scheduler:fire",
        trigger="date",
        run_date=NOW + timedelta(minutes=30),
        args=["arxiv-digest", 1],
        id="arxiv-digest:1:retry",
    )
    first.shutdown(wait=False)
    again = scheduler.start(ctx, digest)
    again.pause()
    assert {j.id for j in again.get_jobs()} == {"arxiv-digest:1", "arxiv-digest:1:retry"}
    again.shutdown(wait=False)
    dropped = scheduler.start(ctx, [])  # the job is gone from the plan: so is its rerun
    dropped.pause()
    assert dropped.get_jobs() == []
    dropped.shutdown(wait=False)
