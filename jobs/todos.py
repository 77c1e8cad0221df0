"""To-do jobs: the ``todos`` reminder source, the morning agenda and the evening review.

Each opens one ``Database.write()`` transaction, so what it queues exists exactly when the
task changes it caused are committed. ``owner_id=None`` (``errands jobs run ...``) means
every owner; per-owner cron triggers pass one owner, firing in that owner's zone.
"""

from __future__ import annotations

from datetime import datetime

from agents.context import AppContext
from agents.todos import agenda
from agents.todos.reminding import BATCH, queue_batch, queue_nags, roll_repeating


async def remind(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> int:
    """Reminder source for ``jobs.reminders``: due to-dos and nags; returns rows queued.

    Repeating tasks roll forward first; reminders go in batches of ``BATCH``, one write
    transaction each, so other writers (the bot) never wait long for the lock.
    """
    config = ctx.config.todos
    with ctx.db.write() as session:
        roll_repeating(session, now=now, owner_id=owner_id)
    queued = 0
    while True:
        with ctx.db.write() as session:
            handled, created = queue_batch(session, now=now, config=config, owner_id=owner_id)
        queued += created
        if handled < BATCH:
            break
    with ctx.db.write() as session:
        queued += queue_nags(session, now=now, config=config, owner_id=owner_id)
    return queued


async def morning_agenda(
    ctx: AppContext, *, now: datetime, owner_id: int | None = None
) -> dict[str, int]:
    with ctx.db.write() as session:
        queued = agenda.morning_agenda(session, now=now, owner_id=owner_id)
    if queued and ctx.wake_outbox is not None:
        ctx.wake_outbox()
    return {"queued": queued}


async def evening_review(
    ctx: AppContext, *, now: datetime, owner_id: int | None = None
) -> dict[str, int]:
    with ctx.db.write() as session:
        queued = agenda.evening_review(session, now=now, owner_id=owner_id)
    if queued and ctx.wake_outbox is not None:
        ctx.wake_outbox()
    return {"queued": queued}
