"""The ``calendar_sync`` job: owners' outside calendars read (busy times) and written (bookings).

The rules live in ``agents.meetings.calendar_sync``; the network calls block, so they run in a
worker thread. A calendar that failed keeps its last good copy; the run then fails with the
first error, so the job runner shows it in /status and tells the owner after a streak.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from agents.context import AppContext
from agents.meetings.calendar_fetch import CalendarError


async def sync(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, int]:
    """Sync every calendar (or one owner's); returns calendars, busy times, writes, deletes."""
    from agents.meetings.calendar_sync import Syncer, summary

    syncer = Syncer(ctx, secrets=ctx.config.meetings.secrets)
    results = await asyncio.to_thread(syncer.sync, now=now, owner_id=owner_id)
    failed = summary(results)
    if failed is not None:
        raise CalendarError(failed)
    return {
        "calendars": len(results),
        "busy": sum(r.busy for r in results),
        "written": sum(r.written for r in results),
        "deleted": sum(r.deleted for r in results),
    }


async def push(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, int]:
    """Write newly accepted, moved or cancelled meetings to CalDAV calendars within a minute
    (no network when nothing changed); the 10-minute sync would catch up anyway."""
    from agents.meetings.calendar_sync import Syncer, summary

    syncer = Syncer(ctx, secrets=ctx.config.meetings.secrets)
    results = await asyncio.to_thread(syncer.push_pending, now=now, owner_id=owner_id)
    failed = summary(results)
    if failed is not None:
        raise CalendarError(failed)
    return {
        "written": sum(r.written for r in results),
        "deleted": sum(r.deleted for r in results),
    }
