"""The ``reminders`` job: every agent's due reminders, queued in one pass.

To-dos and meetings both remind people; one job named ``reminders`` runs every source, so
``errands jobs run reminders --now ...`` replays all of them. A source is a coroutine
``(ctx, *, now, owner_id) -> int`` that enqueues outbox rows (idempotent by key) and returns
how many it queued.
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from agents.context import AppContext
from jobs import meetings, todos


class ReminderSource(Protocol):
    """Queue one agent's due reminders at ``now`` (one owner, or all); returns rows queued."""

    async def __call__(
        self, ctx: AppContext, *, now: datetime, owner_id: int | None = None
    ) -> int: ...


# Each agent appends its source here (one line per agent).
SOURCES: dict[str, ReminderSource] = {}
SOURCES["meetings"] = meetings.remind
SOURCES["todos"] = todos.remind


async def run(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, int]:
    """Run every reminder source at ``now``; returns how many messages each queued."""
    queued: dict[str, int] = {}
    for name, source in SOURCES.items():
        queued[name] = await source(ctx, now=now, owner_id=owner_id)
    if ctx.wake_outbox is not None and any(queued.values()):
        ctx.wake_outbox()
    return queued
