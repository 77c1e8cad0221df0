"""Map jobs to triggers: APScheduler 3 with its job store in the shared DB.

APScheduler persists jobs as textual references, so the scheduled callable is the module-level
``fire(name, owner_id)``; it finds the live ``AppContext`` that ``start`` registered here,
records the run's outcome (``jobs.runs``) and, when the job asks for it (``JobSpec.retry``),
schedules one more run as ``<job id>:retry``.

Several instances on one database: every instance runs the ``LOCAL`` jobs (the outbox: its
claims are safe to race) from a job store in memory; the shared jobs live in the database's
job store, which only the scheduler leader attaches (``lead``/``follow``, driven by
``store.leader``): two schedulers over one APScheduler store would both fire every job.
Interval ticks are anchored to a fixed instant, so a tick is the same moment on every instance
and across restarts; a new leader keeps each job's stored next run, so a tick that passed while
nobody led runs once at takeover (coalesced), not zero times and not once per missed tick.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.date import DateTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select

from agents.context import AppContext
from jobs import runs
from jobs.registry import JOBS
from store.errors import ConfigError
from store.models import Owner

log = logging.getLogger(__name__)

_LIVE: dict[str, AppContext] = {}
_SCHEDULER: dict[str, AsyncIOScheduler] = {}
RETRY = ":retry"  # suffix of a one-off rerun's job id (see ``JobSpec.retry``)
_RUNNING: set[asyncio.Task[Any]] = set()
_LEADING: dict[int, bool] = {}  # id(scheduler) -> runs the shared jobs now
LOCAL = frozenset({"outbox"})  # jobs every instance runs; the rest only the leader
SHARED_STORE = "default"  # the database's job store, attached while leading
LOCAL_STORE = "local"
RESYNC_JOB = "leader:owners"  # the leader's own check for owners changed on other instances
INTERVAL_ANCHOR = datetime(2000, 1, 1, tzinfo=UTC)  # "every 5s" ticks at :00, :05, ...


@dataclass(frozen=True)
class PlannedJob:
    id: str
    name: str
    owner_id: int | None
    trigger: str
    timezone: str
    next_run: datetime | None


def make_trigger(expression: str, timezone: str) -> BaseTrigger:
    """``every 30s`` / ``every 5m`` or a five-field crontab line, in ``timezone``."""
    expr = expression.strip()
    zone = ZoneInfo(timezone)
    if expr.startswith("every "):
        amount = expr.removeprefix("every ").strip()
        units = {"s": "seconds", "m": "minutes", "h": "hours"}
        if len(amount) >= 2 and amount[-1] in units and amount[:-1].isdigit():
            value = int(amount[:-1])
            if value > 0:
                return IntervalTrigger(
                    **{units[amount[-1]]: value}, start_date=INTERVAL_ANCHOR, timezone=zone
                )
        raise ValueError(f"bad interval {expression!r} (use e.g. 'every 30s')")
    return CronTrigger.from_crontab(expr, timezone=zone)


def plan(
    *,
    owners: list[tuple[int, str]],
    default_timezone: str,
    overrides: dict[str, str],
    now: datetime,
) -> list[PlannedJob]:
    """Every (job, owner) trigger with its next run after ``now``; bad overrides are errors."""
    unknown = set(overrides) - set(JOBS)
    if unknown:
        raise ConfigError(
            f"ERRANDS_SCHEDULES: unknown job(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(JOBS))}"
        )
    planned: list[PlannedJob] = []
    for spec in JOBS.values():
        expression = overrides.get(spec.name, spec.trigger)
        targets: list[tuple[int | None, str]] = (
            [(oid, tz) for oid, tz in owners] if spec.per_owner else [(None, default_timezone)]
        )
        for owner_id, tz in targets:
            try:
                trigger = make_trigger(expression, tz)
            except ValueError as exc:
                raise ConfigError(f"ERRANDS_SCHEDULES: {spec.name}: {exc}") from None
            job_id = spec.name if owner_id is None else f"{spec.name}:{owner_id}"
            planned.append(
                PlannedJob(
                    id=job_id,
                    name=spec.name,
                    owner_id=owner_id,
                    trigger=expression,
                    timezone=tz,
                    next_run=trigger.get_next_fire_time(None, now),
                )
            )
    return planned


async def fire(name: str, owner_id: int | None = None) -> None:
    """The scheduled callable: run one job with the live context and the current time.

    The job runner is an edge: a failure is logged, recorded as one safe line
    (``jobs.runs``) and never stops the scheduler; a job that asks for it runs once more later.
    """
    ctx = _LIVE.get("ctx")
    if ctx is None:
        log.error("job %s fired before the runtime registered its context", name)
        return
    spec = JOBS[name]
    started = ctx.clock()
    kwargs: dict[str, Any] = {"now": started}
    if owner_id is not None:
        kwargs["owner_id"] = owner_id
    task = asyncio.current_task()
    if task is not None:
        _RUNNING.add(task)
    try:
        error: str | None = None
        result: Any = None
        try:
            result = await spec.load()(ctx, **kwargs)
        except Exception as exc:
            log.exception("job %s failed", name)
            error = runs.one_line(exc)
        try:
            runs.record(
                ctx,
                spec,
                owner_id=owner_id,
                started_at=started,
                finished_at=ctx.clock(),
                error=error,
            )
            delay = spec.retry_after(result) if error is None else None
        except Exception:  # recording must not take the scheduler down either
            log.exception("could not record the run of job %s", name)
            delay = None
        if delay is not None:
            _retry(name, owner_id, at=ctx.clock() + delay)
    finally:
        if task is not None:
            _RUNNING.discard(task)


def _retry(name: str, owner_id: int | None, *, at: datetime) -> None:
    """Run a job once more at ``at`` (a job id of its own, so its schedule is untouched)."""
    scheduler = _SCHEDULER.get("scheduler")
    if scheduler is None or not leading(scheduler):
        return  # no longer the leader: the new one runs the job at its next tick
    job_id = runs.job_key(name, owner_id) + RETRY
    scheduler.add_job(
        "jobs.scheduler:fire",
        trigger=DateTrigger(run_date=at),
        args=[name, owner_id],
        id=job_id,
        name=job_id,
        replace_existing=True,
    )
    log.info("job %s runs again at %s", job_id, at.isoformat())


def wake(scheduler: AsyncIOScheduler, job_id: str, *, now: datetime) -> None:
    """Run a job now instead of at its next tick (e.g. the outbox after an enqueue)."""
    job = scheduler.get_job(job_id)
    if job is not None:
        job.modify(next_run_time=now)
        scheduler.wakeup()


async def wait_for_running(*, timeout: float) -> None:
    """Let jobs that are mid-run finish (in-flight sends), up to ``timeout`` seconds."""
    pending = [t for t in _RUNNING if not t.done()]
    if pending:
        await asyncio.wait(pending, timeout=timeout)


def start(
    ctx: AppContext,
    planned: list[PlannedJob],
    *,
    overrides: Mapping[str, str] | None = None,
    lead_now: bool = True,
) -> AsyncIOScheduler:
    """Start the scheduler on the running loop: the ``LOCAL`` planned jobs at once, the rest
    when leading (``lead_now``, or later ``lead``; on SQLite the one instance always leads).

    ``overrides`` (``ERRANDS_SCHEDULES``) also time the jobs of owners added later: the
    scheduler answers ``ctx.on_owner_changed`` (``sync_owner``) while it leads.
    """
    _LIVE["ctx"] = ctx
    scheduler = AsyncIOScheduler(
        jobstores={LOCAL_STORE: MemoryJobStore()},
        job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 6 * 3600},
        timezone="UTC",
    )
    scheduler.start()
    scheduler.remove_jobstore(SHARED_STORE)  # APScheduler's own default store, in memory
    _SCHEDULER["scheduler"] = scheduler
    _LEADING.pop(id(scheduler), None)
    for p in planned:
        if p.name in LOCAL:
            _add(scheduler, p, store=LOCAL_STORE)
    ctx.schedule_view = lambda: [
        (j.id, j.next_run_time) for j in scheduler.get_jobs() if j.id != RESYNC_JOB
    ]

    def owner_changed(owner_id: int) -> None:
        if leading(scheduler):  # a follower's change reaches the leader by its resync
            sync_owner(scheduler, ctx, owner_id, overrides=overrides or {})

    ctx.on_owner_changed = owner_changed
    if lead_now:
        lead(scheduler, ctx, planned, overrides=overrides)
    return scheduler


def leading(scheduler: AsyncIOScheduler) -> bool:
    """Does this scheduler run the shared jobs now?"""
    return _LEADING.get(id(scheduler), False)


def lead(
    scheduler: AsyncIOScheduler,
    ctx: AppContext,
    planned: list[PlannedJob],
    *,
    overrides: Mapping[str, str] | None = None,
) -> None:
    """Take over the shared jobs: attach the database's job store, make it hold exactly the
    planned jobs (a pending rerun of a planned job stays), keep each unchanged job's next run.
    """
    if leading(scheduler):
        return
    _LEADING[id(scheduler)] = True  # first: a failure below is undone by ``follow``
    scheduler.add_jobstore(SQLAlchemyJobStore(engine=ctx.db.engine), SHARED_STORE)
    wanted = {p.id: p for p in planned if p.name not in LOCAL}
    for job in scheduler.get_jobs(jobstore=SHARED_STORE):
        if job.id.removesuffix(RETRY) not in wanted:
            job.remove()
    for p in wanted.values():
        _add(scheduler, p)
    if ctx.db.is_sqlite:
        return  # one instance: every owner change happens here (``owner_changed``)
    scheduler.add_job(
        resync_owners,
        trigger=make_trigger("every 1m", "UTC"),
        args=[scheduler, ctx, dict(overrides or {})],
        id=RESYNC_JOB,
        name=RESYNC_JOB,
        jobstore=LOCAL_STORE,
        replace_existing=True,
    )


def follow(scheduler: AsyncIOScheduler) -> None:
    """Stop running the shared jobs at once (a run in progress finishes); they stay stored
    for the next leader. The ``LOCAL`` jobs go on."""
    if not leading(scheduler):
        return
    _LEADING[id(scheduler)] = False
    if scheduler.get_job(RESYNC_JOB, jobstore=LOCAL_STORE) is not None:
        scheduler.remove_job(RESYNC_JOB, jobstore=LOCAL_STORE)
    with contextlib.suppress(KeyError):  # shutdown=True would dispose the app's engine
        scheduler.remove_jobstore(SHARED_STORE, shutdown=False)


def sync_owner(
    scheduler: AsyncIOScheduler, ctx: AppContext, owner_id: int, *, overrides: Mapping[str, str]
) -> list[PlannedJob]:
    """(Re)schedule one owner's per-owner jobs in their zone as it is now; a removed owner's
    jobs go. Called when /start adds an owner or /tz moves one, so no restart is needed."""
    with ctx.db.read() as session:
        owner = session.get(Owner, owner_id)
        zone = owner.timezone if owner is not None else None
    if zone is None:
        for job in scheduler.get_jobs(jobstore=SHARED_STORE):
            if job.id.removesuffix(RETRY).endswith(f":{owner_id}"):
                job.remove()
        return []
    planned = [
        p
        for p in plan(
            owners=[(owner_id, zone)],
            default_timezone=zone,
            overrides=dict(overrides),
            now=ctx.clock(),
        )
        if p.owner_id is not None
    ]
    for p in planned:
        _add(scheduler, p, keep_next_run=False)
    log.info("scheduled %s in %s", ", ".join(p.id for p in planned), zone)
    return planned


async def resync_owners(
    scheduler: AsyncIOScheduler, ctx: AppContext, overrides: Mapping[str, str]
) -> None:
    """The leader's minute check: schedule owners added or moved on another instance (a
    webhook update can reach any instance) and drop the jobs of owners who are gone."""
    if not leading(scheduler):
        return
    with ctx.db.read() as session:
        zones = {oid: zone for oid, zone in session.execute(select(Owner.id, Owner.timezone))}
    scheduled: dict[int, set[str]] = {}
    for job in scheduler.get_jobs(jobstore=SHARED_STORE):
        owner_id = job.args[1] if len(job.args) == 2 else None
        if isinstance(owner_id, int) and not job.id.endswith(RETRY):
            scheduled.setdefault(owner_id, set()).add(str(job.trigger.timezone))
    for owner_id in sorted(set(zones) | set(scheduled)):
        if scheduled.get(owner_id) != ({zones[owner_id]} if owner_id in zones else None):
            sync_owner(scheduler, ctx, owner_id, overrides=overrides)


def _add(
    scheduler: AsyncIOScheduler,
    p: PlannedJob,
    *,
    store: str = SHARED_STORE,
    keep_next_run: bool = True,
) -> None:
    trigger = make_trigger(p.trigger, p.timezone)
    extra: dict[str, Any] = {}
    old = scheduler.get_job(p.id, jobstore=store) if keep_next_run else None
    if old is not None and old.next_run_time is not None and _same(old.trigger, trigger):
        extra["next_run_time"] = old.next_run_time  # a passed tick still runs (once)
    scheduler.add_job(
        "jobs.scheduler:fire",
        trigger=trigger,
        args=[p.name, p.owner_id],
        id=p.id,
        name=p.id,
        jobstore=store,
        replace_existing=True,
        **extra,
    )


def _same(old: BaseTrigger, new: BaseTrigger) -> bool:
    zone = getattr(old, "timezone", None), getattr(new, "timezone", None)
    return type(old) is type(new) and str(old) == str(new) and str(zone[0]) == str(zone[1])
