"""Meeting jobs: the ``meetings`` reminder source and ``bookings-expire``.

The rules live in ``agents.meetings`` (``reminders`` says what is due and what is sent,
``graph.expire_due`` releases unanswered requests); these are the scheduler's entry points.
"""

from __future__ import annotations

from datetime import datetime

from agents.context import AppContext
from agents.meetings import reminders


async def remind(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> int:
    """Queue due meeting reminders; returns how many messages were newly queued."""
    return reminders.queue_due(ctx, now=now, owner_id=owner_id)


async def expire(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, int]:
    """Release pending requests whose hold ran out; the guest is told kindly."""
    from agents.meetings import graph  # LangGraph is heavy; only this job needs it

    expired = await graph.expire_due(ctx, now=now, owner_id=owner_id)
    if expired and ctx.wake_outbox is not None:
        ctx.wake_outbox()
    return {"expired": expired}
