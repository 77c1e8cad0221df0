"""Every scheduled job errands has: its name, its function and its default trigger.

A job is an importable coroutine ``run(ctx, *, now)``; replaying a day is calling it with that
``now`` (``errands jobs run NAME --now ...``). Triggers are either ``every Ns`` or a crontab line;
cron triggers of ``per_owner`` jobs fire in each owner's own zone.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from agents.context import AppContext
from jobs import outbox, reminders

JobFunc = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class JobSpec:
    name: str
    run: JobFunc
    trigger: str
    per_owner: bool
    description: str


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in [
        JobSpec(
            name=outbox.NAME,
            run=outbox.run,
            trigger="every 2s",
            per_owner=False,
            description="Deliver due outbox messages (Telegram, email).",
        ),
        JobSpec(
            name=reminders.NAME,
            run=reminders.run,
            trigger="every 1m",
            per_owner=False,
            description="Queue due reminders (to-dos, meetings) into the outbox.",
        ),
    ]
}


def get_job(name: str) -> JobSpec:
    from store.errors import InvalidInput

    try:
        return JOBS[name]
    except KeyError:
        known = ", ".join(sorted(JOBS))
        raise InvalidInput(f"Unknown job {name!r}. Known jobs: {known}.") from None


async def run_job(name: str, ctx: AppContext, *, now: datetime) -> Any:
    """Run one job once at ``now``."""
    return await get_job(name).run(ctx, now=now)
