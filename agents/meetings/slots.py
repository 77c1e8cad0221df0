"""Live free slots of an owner, and the check every booking step makes before it holds one.

``availability.compute_slots`` is the pure rule; this module feeds it the owner's stored
policy, hours, overrides, active bookings and outside calendars' cached busy times
(``store.calendars``) inside the caller's transaction.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings.availability import (
    Busy,
    Slot,
    check_range,
    check_reach,
    compute_slots,
    nearest,
)
from agents.meetings.config import Policy
from agents.meetings.policy import gap, load_overrides, load_rules, slot_policy
from store import bookings, calendars
from store.errors import Conflict, InvalidInput
from store.models import Owner


class SlotTaken(Conflict):
    """The slot was free when shown but is taken now; ``alternatives`` are free ones nearby."""

    def __init__(self, alternatives: list[Slot]) -> None:
        super().__init__("Sorry, that time was just taken. Please pick another one.")
        self.alternatives = alternatives


def free_slots(
    ctx: AppContext,
    session: Session,
    owner: Owner,
    *,
    start: datetime,
    end: datetime,
    length: int,
    now: datetime,
    ignore_booking: int | None = None,
    ignore_busy: bool = False,
) -> list[Slot]:
    """Live free slots of ``owner`` starting in ``[start, end)`` (``InvalidInput`` when far
    from ``now``: see ``availability.check_reach``)."""
    check_range(start, end, now)
    policy = slot_policy(ctx, owner)  # meeting types may add lengths to the policy's
    zone = ZoneInfo(owner.timezone)
    busy: list[Busy] = []
    if not ignore_busy:
        pad = timedelta(days=1) + gap(policy) + timedelta(minutes=max(policy.lengths))
        busy = [
            Busy(b.start_at, b.end_at)
            for b in bookings.active_between(
                session, owner_id=owner.id, start=start - pad, end=end + pad
            )
            if b.id != ignore_booking
        ]
        busy += calendar_busy(session, owner.id, policy, start=start - pad, end=end + pad)
        busy += [  # a guest's move request waiting for the owner holds its time too
            Busy(b.proposed_start_at, b.proposed_end_at)
            for b in bookings.proposed_between(
                session, owner_id=owner.id, start=start - pad, end=end + pad
            )
            if b.id != ignore_booking and b.proposed_start_at and b.proposed_end_at
        ]
    return compute_slots(
        policy=policy,
        length=length,
        rules=load_rules(session, owner.id),
        overrides=load_overrides(session, owner.id),
        busy=busy,
        zone=zone,
        now=now,
        start=start,
        end=end,
    )


def calendar_busy(
    session: Session, owner_id: int, policy: Policy, *, start: datetime, end: datetime
) -> list[Busy]:
    """The owner's outside calendars' cached busy times, padded with the buffers like a
    booking but not counted toward the daily cap (a recurring gym hour is not a meeting)."""
    before, after = timedelta(minutes=policy.buffer_before), timedelta(minutes=policy.buffer_after)
    return [
        Busy(s - before, e + after, counts=False)
        for s, e in calendars.busy_between(session, owner_id=owner_id, start=start, end=end)
    ]


def alternatives_near(
    ctx: AppContext,
    session: Session,
    owner: Owner,
    *,
    target: datetime,
    length: int,
    now: datetime,
    n: int = 3,
) -> list[Slot]:
    """``n`` free slots closest to ``target`` (searching a week either side, then further),
    never the ``length``-minute time at ``target`` itself nor one overlapping it: that is the
    time being declined, re-offered or just taken."""
    avoid_end = target + timedelta(minutes=length)
    for days in (7, 30):
        slots = [
            s
            for s in free_slots(
                ctx,
                session,
                owner,
                start=target - timedelta(days=days),
                end=target + timedelta(days=days),
                length=length,
                now=now,
            )
            if not (s.start < avoid_end and target < s.end)
        ]
        if len(slots) >= n:
            break
    return nearest(slots, target, n)


def ensure_free(
    ctx: AppContext,
    session: Session,
    owner: Owner,
    *,
    start: datetime,
    length: int,
    now: datetime,
    not_offered: str,
    ignore_booking: int | None = None,
) -> None:
    """Return if a ``length``-minute meeting can start at ``start``, else say why.

    A time the owner never offers raises ``InvalidInput(not_offered)``; an offered time that
    is taken meanwhile raises ``SlotTaken`` with the free slots nearest to it.
    ``ignore_booking`` is a booking being moved (its own time does not count as busy).
    """
    check_reach(start, now)
    lo, hi = start - timedelta(minutes=1), start + timedelta(minutes=1)
    free = free_slots(
        ctx, session, owner, start=lo, end=hi, length=length, now=now, ignore_booking=ignore_booking
    )
    if any(s.start == start for s in free):
        return
    offered = free_slots(
        ctx, session, owner, start=lo, end=hi, length=length, now=now, ignore_busy=True
    )
    if not any(s.start == start for s in offered):
        raise InvalidInput(not_offered)
    raise SlotTaken(alternatives_near(ctx, session, owner, target=start, length=length, now=now))
