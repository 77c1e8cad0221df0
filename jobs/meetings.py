"""Meeting jobs: the ``meetings`` reminder source and ``bookings-expire``.

Reminders go to both sides (owner on Telegram, guest by email) at each configured offset
before an accepted meeting. A reminder point is used only if it came after the meeting was
confirmed (no "24 hours before" burst at booking time) and, when several points were missed
(errands was down), only the latest is sent. Keys include the meeting's start, so a moved
meeting is reminded afresh and a rerun sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from agents.context import AppContext
from agents.meetings import messages, service
from store import bookings, outbox, owners

EXPIRE_NAME = "bookings-expire"


def _due_offset(
    offsets: tuple[timedelta, ...], *, start: datetime, confirmed: datetime, now: datetime
) -> timedelta | None:
    """The latest reminder point in ``(confirmed, now]`` before ``start``, if any."""
    points = [o for o in offsets if confirmed < start - o <= now < start]
    return min(points) if points else None


async def remind(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> int:
    """Queue due meeting reminders; returns how many messages were newly queued."""
    offsets = ctx.config.meetings.reminder_offsets
    if not offsets:
        return 0
    queued = 0
    with ctx.db.write() as session:
        rows = bookings.accepted_starting(
            session, after=now, until=now + max(offsets), owner_id=owner_id
        )
        for b in rows:
            offset = _due_offset(
                offsets, start=b.start_at, confirmed=b.decided_at or b.created_at, now=now
            )
            if offset is None:
                continue
            owner = owners.get_owner(session, owner_id=b.owner_id)
            stamp = f"{b.id}:{int(b.start_at.timestamp())}:{int(offset.total_seconds() // 60)}"
            due = b.start_at - offset
            if owner.chat_id is not None:
                _, created = outbox.enqueue(
                    session,
                    channel="telegram",
                    recipient=str(owner.chat_id),
                    payload={
                        "text": messages.owner_reminder(
                            name=b.guest_name,
                            topic=b.topic,
                            start=b.start_at,
                            end=b.end_at,
                            zone=owner.timezone,
                        )
                    },
                    due_at=due,
                    idempotency_key=f"meetings:remind-owner:{stamp}",
                    now=now,
                )
                queued += int(created)
            subject, text = messages.guest_reminder(
                owner_name=owner.name,
                start=b.start_at,
                end=b.end_at,
                zone=b.guest_timezone,
                manage=service.manage_link(ctx, b),
            )
            _, created = outbox.enqueue(
                session,
                channel="email",
                recipient=b.guest_email,
                payload={"subject": subject, "text": text},
                due_at=due,
                idempotency_key=f"meetings:remind-guest:{stamp}",
                now=now,
            )
            queued += int(created)
    return queued


async def expire(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> dict[str, int]:
    """Release pending requests whose hold ran out; the guest is told kindly."""
    from agents.meetings import graph  # LangGraph is heavy; only this job needs it

    with ctx.db.read() as session:
        due = [
            (b.id, b.owner_id) for b in bookings.due_pending(session, now=now, owner_id=owner_id)
        ]
    expired = 0
    for booking_id, owner in due:
        outcome = await graph.decide(
            ctx, booking_id=booking_id, action="expire", now=now, owner_id=owner
        )
        expired += int(outcome.changed)
    if expired and ctx.wake_outbox is not None:
        ctx.wake_outbox()
    return {"expired": expired}
