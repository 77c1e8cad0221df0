"""Every scheduled job errands has: its name, its function and its default trigger.

A job is an importable coroutine ``run(ctx, *, now)``; replaying a day is calling it with that
``now`` (``errands jobs run NAME --now ...``). Triggers are either ``every Ns`` or a crontab line;
cron triggers of ``per_owner`` jobs fire in each owner's own zone.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agents.context import AppContext

JobFunc = Callable[..., Awaitable[Any]]


@dataclass(frozen=True)
class JobSpec:
    """A job by reference (``"jobs.arxiv:run"``): listing jobs must not import scikit-learn."""

    name: str
    target: str
    trigger: str
    per_owner: bool
    description: str
    # Failed runs in a row before the owner is told (frequent jobs ride out a blip).
    notice_after: int = 1
    # ``"module:function"`` taking the job's result: when to run again (e.g. arXiv was late).
    retry: str | None = None

    def load(self) -> JobFunc:
        func: JobFunc = _resolve(self.target)
        return func

    def retry_after(self, result: Any) -> timedelta | None:
        """How long until the scheduler should run this job once more, or None."""
        if self.retry is None:
            return None
        delay: timedelta | None = _resolve(self.retry)(result)
        return delay


def _resolve(reference: str) -> Any:
    module, _, name = reference.partition(":")
    return getattr(importlib.import_module(module), name)


JOBS: dict[str, JobSpec] = {
    spec.name: spec
    for spec in [
        JobSpec(
            name="outbox",
            target="jobs.outbox:run",
            trigger="every 2s",
            per_owner=False,
            description="Deliver due outbox messages (Telegram, email).",
            notice_after=30,
        ),
        JobSpec(
            name="reminders",
            target="jobs.reminders:run",
            trigger="every 1m",
            per_owner=False,
            description="Queue due reminders (to-dos, meetings) into the outbox.",
            notice_after=3,
        ),
        JobSpec(
            name="arxiv-digest",
            target="jobs.arxiv:run",
            trigger="0 8 * * mon-fri",
            per_owner=True,
            description="Each owner's arXiv digest: fetch, rank, TL;DR, send with 👍/👎.",
            retry="jobs.arxiv:retry_after",
        ),
        JobSpec(
            name="arxiv-recap",
            target="jobs.arxiv:recap",
            trigger="0 18 * * sun",
            per_owner=True,
            description="Weekly arXiv recap, opt-in (/recap on): themes of the week's 👍, best 5.",
        ),
        JobSpec(
            name="bookings-expire",
            target="jobs.meetings:expire",
            trigger="every 5m",
            per_owner=False,
            description="Release booking requests the owner did not answer in time.",
            notice_after=3,
        ),
        JobSpec(
            name="calendar_sync",
            target="jobs.calendar:sync",
            trigger="every 10m",
            per_owner=False,
            description="Owners' calendars: read busy times (CalDAV, .ics), write meetings.",
            notice_after=3,
        ),
        JobSpec(
            name="calendar_push",
            target="jobs.calendar:push",
            trigger="every 1m",
            per_owner=False,
            description="Write just accepted, moved or cancelled meetings to CalDAV calendars.",
            notice_after=30,
        ),
        JobSpec(
            name="morning-agenda",
            target="jobs.briefing:run",
            trigger="0 8 * * *",
            per_owner=True,
            description=(
                "Morning briefing: meetings, to-dos, top papers, booking requests"
                " (ERRANDS_BRIEFING; off: the to-do agenda). Time: ERRANDS_TODO_MORNING_AGENDA."
            ),
        ),
        JobSpec(
            name="evening-review",
            target="jobs.todos:evening_review",
            trigger="0 21 * * *",
            per_owner=True,
            description="To-do review: done today, what slipped (ERRANDS_TODO_EVENING_REVIEW).",
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
    return await get_job(name).load()(ctx, now=now)
