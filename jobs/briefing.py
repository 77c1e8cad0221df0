"""The ``morning-agenda`` job: the cross-agent briefing, or the to-do agenda when it is off.

The job keeps its name (and so ERRANDS_TODO_MORNING_AGENDA and any ERRANDS_SCHEDULES entry for
``morning-agenda``); ERRANDS_BRIEFING (``AppConfig.briefing``, default on) decides what it sends,
so an owner gets one morning message, never both. ``jobs.todos.morning_agenda`` stays the plain
to-do agenda.
"""

from __future__ import annotations

from datetime import datetime

from agents.assistant.briefing import morning_briefing
from agents.context import AppContext
from jobs import todos


async def run(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, int]:
    """Queue each owner's morning message for their local today (once per day)."""
    if not ctx.config.briefing:
        return await todos.morning_agenda(ctx, now=now, owner_id=owner_id)
    with ctx.db.write() as session:
        queued = morning_briefing(session, now=now, arxiv=ctx.config.arxiv, owner_id=owner_id)
    if queued and ctx.wake_outbox is not None:
        ctx.wake_outbox()
    return {"queued": queued}
