"""The guest's manage links: see the meeting, cancel it, or move it to another free time.

A link is signed and expires when the meeting starts (``agents.meetings.links``); opening an
expired one answers 410 (``errors.ON_ROUTE``). Everything here reads or writes the store, so
the routes are plain ``def``: FastAPI runs them in its threadpool.
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from agents.context import AppContext
from agents.meetings import lifecycle
from agents.meetings.availability import Slot, visitor_range
from agents.meetings.policy import policy_of
from agents.meetings.slots import free_slots
from bots.web.booking.shared import day_groups, shown_when
from bots.web.deps import Ctx, csrf_checked, rate_limit
from bots.web.forms import RescheduleForm
from bots.web.render import render
from store import owners
from store.models import Booking

router = APIRouter(prefix="/book/manage/{token}")
CHANGE = [Depends(csrf_checked), Depends(rate_limit)]


def _manage_view(ctx: AppContext, token: str) -> dict[str, object]:
    now = ctx.clock()
    with ctx.db.read() as session:
        booking = lifecycle.booking_for_token(ctx, session, token, now=now)
        owner = owners.get_owner(session, owner_id=booking.owner_id)
        tz = booking.guest_timezone
        zone = ZoneInfo(tz)
        slots: list[Slot] = []
        if booking.status == "accepted":
            length = int((booking.end_at - booking.start_at).total_seconds() // 60)
            policy = policy_of(ctx, owner)
            start, end = visitor_range(now.astimezone(zone).date(), 14, zone)
            slots = free_slots(
                ctx,
                session,
                owner,
                start=start,
                end=end,
                length=length if length in policy.lengths else policy.default_length,
                now=now,
                ignore_booking=booking.id,
            )
        return {
            "token": token,
            "owner": owner,
            "status": booking.status,
            "tz": tz,
            "sequence": booking.sequence,
            "when": shown_when(booking),
            "days": day_groups([s for s in slots if s.start != booking.start_at][:200], zone),
        }


@router.get("", name="manage")
def manage(request: Request, token: str, ctx: Ctx) -> Response:
    return render(request, "book_manage.html", _manage_view(ctx, token))


def _changed(request: Request, booking: Booking, message: str) -> Response:
    return render(request, "book_changed.html", {"message": message, "when": shown_when(booking)})


@router.post("/cancel", dependencies=CHANGE)
def cancel(request: Request, token: str, ctx: Ctx) -> Response:
    booking = lifecycle.guest_cancel(ctx, token=token, now=ctx.clock())
    return _changed(request, booking, "Your meeting is cancelled. The owner has been told.")


@router.post("/reschedule", dependencies=CHANGE)
def reschedule(
    request: Request, token: str, ctx: Ctx, form: Annotated[RescheduleForm, Form()]
) -> Response:
    booking = lifecycle.guest_reschedule(
        ctx, token=token, start=form.start, sequence=form.sequence, now=ctx.clock()
    )
    return _changed(
        request, booking, "Your meeting has been moved. An updated invite is on its way."
    )
