"""What the booking pages and the JSON API share: free times, how they are shown, booking.

Store work runs in a worker thread (``run_in_threadpool``) or in plain ``def`` functions that
FastAPI runs in its threadpool, so the event loop stays free.
"""

from __future__ import annotations

from datetime import date
from typing import TypedDict
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from agents.context import AppContext
from agents.meetings import graph, lifecycle
from agents.meetings.availability import Slot, check_reach, visitor_range
from agents.meetings.clock_style import Clock, clock_for, hm
from agents.meetings.meeting_types import type_named, types_of
from agents.meetings.messages import when
from agents.meetings.policy import owner_by_slug, policy_of
from agents.meetings.slots import SlotTaken, free_slots
from agents.meetings.validate import clean_zone
from bots.web.deps import client_ip
from bots.web.errors import errands_error, status_for
from bots.web.forms import BookingBody
from bots.web.render import render, wants_json
from store.models import Booking, Owner


class ShownSlot(TypedDict):
    start: str
    label: str


class Day(TypedDict):
    date: date
    label: str
    slots: list[ShownSlot]


def slot_json(slot: Slot, zone: ZoneInfo) -> dict[str, str]:
    return {
        "start": slot.start.astimezone(zone).isoformat(),
        "end": slot.end.astimezone(zone).isoformat(),
    }


def day_groups(slots: list[Slot], zone: ZoneInfo, clock: Clock = 24) -> list[Day]:
    groups: dict[date, list[ShownSlot]] = {}
    for slot in slots:
        local = slot.start.astimezone(zone)
        groups.setdefault(local.date(), []).append(
            {"start": local.isoformat(), "label": hm(local, clock)}
        )
    return [
        {"date": d, "label": f"{d:%A}, {d.day} {d:%B}", "slots": s}
        for d, s in sorted(groups.items())
    ]


def today_in(ctx: AppContext, tz: str) -> date:
    return ctx.clock().astimezone(ZoneInfo(tz)).date()


def free_times(
    ctx: AppContext, owner: Owner, *, first: date, days: int, tz: str, length: int | None
) -> tuple[int, list[Slot]]:
    """The length used (``length`` or the owner's default) and the free slots of ``days`` days
    from ``first`` in ``tz``. Reads the store: call it from a thread."""
    now = ctx.clock()
    check_reach(first, now)  # 422 for a ``from`` like 9999-12-31 before any date arithmetic
    length = length or types_of(owner, policy_of(ctx, owner))[0].default_length
    start, end = visitor_range(first, days, ZoneInfo(tz))
    with ctx.db.read() as session:
        slots = free_slots(ctx, session, owner, start=start, end=end, length=length, now=now)
    return length, slots


def _hold(ctx: AppContext, slug: str, body: BookingBody, ip: str) -> Booking:
    length = body.length
    if length is None:
        with ctx.db.read() as session:
            owner = owner_by_slug(session, slug)
        length = type_named(owner, policy_of(ctx, owner), body.type).default_length
    data = lifecycle.BookingInput(
        slug=slug,
        start=body.start,
        length=length,
        name=body.name,
        email=body.email,
        topic=body.topic,
        timezone=body.timezone,
        client_ip=ip,
        meeting_type=body.type,
    )
    return lifecycle.request_booking(ctx, data, now=ctx.clock())


async def book(request: Request, ctx: AppContext, slug: str, body: BookingBody) -> Booking:
    """Hold the slot (in a worker thread) and start the owner's approval.

    Should the slot be taken meanwhile, ``slot_taken`` answers with free times nearby in the
    guest's zone (``body.timezone``), which this records on the request.
    """
    request.state.alternatives_tz = body.timezone
    request.state.alternatives_type = body.type
    booking = await run_in_threadpool(_hold, ctx, slug, body, client_ip(request))
    if booking.status == "pending":  # a type without approval is booked already
        await graph.start_request(ctx, booking_id=booking.id, owner_id=booking.owner_id)
    return booking


async def slot_taken(request: Request, exc: SlotTaken) -> Response:
    """409 with free times nearby: JSON for the API, ``book_taken.html`` for the form.

    Only where ``book`` named the guest's zone; elsewhere (moving a meeting) the plain page.
    """
    tz = getattr(request.state, "alternatives_tz", None)
    if not isinstance(tz, str):
        return await errands_error(request, exc)
    status, zone = status_for(exc, request), ZoneInfo(clean_zone(tz))
    if wants_json(request):
        alternatives = [slot_json(s, zone) for s in exc.alternatives]
        return JSONResponse(
            {"error": exc.user_message, "alternatives": alternatives}, status_code=status
        )
    return render(
        request,
        "book_taken.html",
        {
            "slug": request.path_params.get("slug", ""),
            "tz": tz,
            "type_key": getattr(request.state, "alternatives_type", ""),
            "message": exc.user_message,
            "alternatives": [
                {
                    "label": when(s.start, s.end, tz),
                    "start": s.start.astimezone(zone).isoformat(),
                    "length": int((s.end - s.start).total_seconds() // 60),
                }
                for s in exc.alternatives
            ],
        },
        status_code=status,
    )


def shown_when(booking: Booking, clock: Clock = 24) -> str:
    """The meeting's time as the guest reads it (their zone)."""
    return when(booking.start_at, booking.end_at, booking.guest_timezone, clock)


def clock_of(request: Request, asked: str | None) -> Clock:
    """``?clock=12|24`` when given, else from the browser's ``Accept-Language``."""
    if asked in ("12", "24"):
        return 12 if asked == "12" else 24
    return clock_for(request.headers.get("accept-language"))
