"""The scheduler under a leader: the shared jobs only while leading, a passed tick kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy import text

from agents.context import AppConfig, AppContext
from jobs import scheduler
from store import owners
from store.db import Database
from tests.conftest import NOW


def _ctx(db: Database) -> AppContext:
    return AppContext(db=db, config=AppConfig(), clock=lambda: datetime.now(UTC))


def _plan(overrides: dict[str, str] | None = None) -> list[scheduler.PlannedJob]:
    return scheduler.plan(
        owners=[], default_timezone="UTC", overrides=overrides or {}, now=datetime.now(UTC)
    )


def _ids(sched: AsyncIOScheduler) -> set[str]:
    """The jobs as /status and /healthz show them (the leader's own owner check is not one)."""
    return {j.id for j in sched.get_jobs() if j.id != scheduler.RESYNC_JOB}


async def test_a_follower_runs_only_the_outbox_and_a_leader_everything(db: Database) -> None:
    ctx = _ctx(db)
    planned = _plan()
    follower = scheduler.start(ctx, planned, lead_now=False)
    follower.pause()
    try:
        assert _ids(follower) == {"outbox"}
        assert not scheduler.leading(follower)
        scheduler.lead(follower, ctx, planned)
        assert scheduler.leading(follower)
        assert _ids(follower) == {p.id for p in planned}
        scheduler.follow(follower)
        assert _ids(follower) == {"outbox"}
        with db.read() as session:
            stored = session.execute(text("SELECT id FROM apscheduler_jobs")).scalars()
            assert set(stored) == {p.id for p in planned if p.name != "outbox"}
        scheduler.lead(follower, ctx, [])  # a plan without them: they go
        assert _ids(follower) == {"outbox"}
    finally:
        follower.shutdown(wait=False)


async def test_a_tick_that_passed_while_nobody_led_runs_once_at_takeover(db: Database) -> None:
    ctx = _ctx(db)
    planned = _plan()
    old = scheduler.start(ctx, planned)
    old.pause()
    missed = datetime.now(UTC) - timedelta(minutes=3)
    job = old.get_job("reminders")
    assert job is not None
    job.modify(next_run_time=missed)  # the leader died before this tick, nobody led since
    scheduler.follow(old)
    old.shutdown(wait=False)

    new = scheduler.start(ctx, planned, lead_now=False)
    new.pause()
    try:
        scheduler.lead(new, ctx, planned)
        kept = new.get_job("reminders")
        assert kept is not None and kept.next_run_time == missed  # due now: fires once
        assert kept.coalesce  # three missed minutes are one run, not three
        scheduler.follow(new)
        scheduler.lead(new, ctx, _plan({"reminders": "every 5m"}))
        changed = new.get_job("reminders")
        assert changed is not None and changed.next_run_time > datetime.now(UTC)
    finally:
        new.shutdown(wait=False)


def test_interval_ticks_are_the_same_instants_everywhere() -> None:
    trigger = scheduler.make_trigger("every 5s", "Europe/Berlin")
    for start in (NOW + timedelta(seconds=1), NOW + timedelta(seconds=3.7)):
        assert trigger.get_next_fire_time(None, start) == NOW + timedelta(seconds=5)


async def test_owner_changes_reach_the_leader_only(db: Database) -> None:
    ctx = _ctx(db)
    planned = _plan()
    sched = scheduler.start(ctx, planned, lead_now=False)
    sched.pause()
    try:
        with db.write() as session:
            owner = owners.create_owner(
                session, name="Ada", timezone="Asia/Tokyo", now=NOW, chat_id=42, slug="ada"
            )
            owner_id = owner.id
        assert ctx.on_owner_changed is not None
        ctx.on_owner_changed(owner_id)  # a follower: nothing scheduled here
        assert _ids(sched) == {"outbox"}
        scheduler.lead(sched, ctx, planned)  # planned before Ada existed
        assert not any(j.id.endswith(f":{owner_id}") for j in sched.get_jobs())
        await scheduler.resync_owners(sched, ctx, {})  # the leader's minute check
        mine = [j for j in sched.get_jobs() if j.id.endswith(f":{owner_id}")]
        assert {j.id.split(":")[0] for j in mine} == {
            "arxiv-digest",
            "arxiv-recap",
            "morning-agenda",
            "evening-review",
        }
        assert {str(j.trigger.timezone) for j in mine} == {"Asia/Tokyo"}
    finally:
        sched.shutdown(wait=False)
