"""What ``errands run`` does when it becomes, or stops being, the scheduler leader.

Every instance serves the web app, sends through its bot and runs an outbox dispatcher. The
leader (``store.leader``: a PostgreSQL advisory lock; on SQLite the one instance) also runs the
shared jobs and polls Telegram (unless a webhook brings the updates to every instance).
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from agents.context import AppContext
from errands.settings import Settings
from errands.wiring import utc_now
from jobs import scheduler as job_scheduler
from store import owners
from store.leader import RETRY_SECONDS, LeaderLock, Leadership

if TYPE_CHECKING:
    from bots.telegram.app import TelegramApp

log = logging.getLogger("errands")
FOLLOWER = "follower (waiting for the leader's lock)"


def plan(ctx: AppContext, settings: Settings) -> list[job_scheduler.PlannedJob]:
    """Every job as it should be scheduled now (owners and their zones read afresh)."""
    with ctx.db.read() as session:
        owner_zones = [(o.id, o.timezone) for o in owners.list_owners(session)]
    return job_scheduler.plan(
        owners=owner_zones,
        default_timezone=settings.timezone,
        overrides=settings.schedules,
        now=utc_now(),
    )


def leadership(
    ctx: AppContext,
    settings: Settings,
    sched: AsyncIOScheduler,
    tg_app: TelegramApp | None,
    *,
    interval: float = RETRY_SECONDS,
) -> Leadership:
    """The leadership loop of this instance, wired to its scheduler and its bot."""

    async def gain() -> None:
        job_scheduler.lead(sched, ctx, plan(ctx, settings), overrides=settings.schedules)
        if tg_app is not None:
            from bots.telegram.app import start_polling

            await start_polling(tg_app)  # a no-op in webhook mode
        if lead.started:  # the banner says the first role; a change is logged
            log.info("leading now: the shared jobs and Telegram polling run here")

    async def lose() -> None:
        job_scheduler.follow(sched)
        if tg_app is not None:
            from bots.telegram.app import stop_polling

            await stop_polling(tg_app)
        if not lead.stopping:
            log.warning("no longer leading: %s", FOLLOWER)

    lead = Leadership(LeaderLock(ctx.db), on_gain=gain, on_loss=lose, interval=interval)
    return lead


async def role(lead: Leadership) -> str:
    """The banner's line: this instance's role now (and who leads, when another does)."""
    if lead.leading:
        return "leader" if lead.lock.shared else "leader (SQLite: the only instance)"
    try:
        holder = await asyncio.to_thread(lead.lock.holder)
    except Exception:  # a line of the banner is not worth failing the start for
        holder = None
    return f"{FOLLOWER[:-1]}; held by {holder})" if holder else FOLLOWER
