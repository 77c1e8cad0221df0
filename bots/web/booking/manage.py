"""The guest's manage links: see the meeting, cancel it, or move it to another free time.

A link is signed and expires when the meeting starts (``agents.meetings.links``); opening an
expired one answers 410 (``errors.ON_ROUTE``). Cancelling and moving take two steps: the first
POST shows what will happen and asks (a form with ``confirm=yes`` and the CSRF token, so no
JavaScript is needed), the second does it. A move follows the meeting type's rule: at once,
or as a request the owner approves. Everything here reads or writes the store, so the routes
are plain ``def``: FastAPI runs them in its threadpool.
"""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from agents.context import AppContext
from agents.meetings import lifecycle
from agents.meetings.availability import Slot, check_reach, visitor_range
from agents.meetings.clock_style import Clock
from agents.meetings.meeting_types import type_of_booking
from agents.meetings.messages import when
from agents.meetings.policy import policy_of
from agents.meetings.slots import free_slots
from bots.web.booking.shared import clock_of, day_groups, shown_when
from bots.web.booking.view import type_facts
from bots.web.deps import Ctx, csrf_checked, rate_limit
from bots.web.forms import RescheduleForm
from bots.web.render import render
from store import owners
from store.models import Booking

router = APIRouter(prefix="/book/manage/{token}")
CHANGE = [Depends(csrf_checked), Depends(rate_limit)]


def _manage_view(ctx: AppContext, token: str, clock: Clock) -> dict[str, object]:
    now = ctx.clock()
    with ctx.db.read() as session:
        booking = lifecycle.booking_for_token(ctx, session, token, now=now)
        owner = owners.get_owner(session, owner_id=booking.owner_id)
        tz = booking.guest_timezone
        zone = ZoneInfo(tz)
        policy = policy_of(ctx, owner)
        kind = type_of_booking(owner, policy, booking)
        slots: list[Slot] = []
        if booking.status == "accepted" and booking.proposed_start_at is None:
            length = int((booking.end_at - booking.start_at).total_seconds() // 60)
            start, end = visitor_range(now.astimezone(zone).date(), 14, zone)
            slots = free_slots(
                ctx,
                session,
                owner,
                start=start,
                end=end,
                length=length if length in kind.lengths else kind.default_length,
                now=now,
                ignore_booking=booking.id,
            )
        proposed = None
        if booking.proposed_start_at is not None and booking.proposed_end_at is not None:
            proposed = when(booking.proposed_start_at, booking.proposed_end_at, tz, clock)
        return {
            "token": token,
            "owner": owner,
            "status": booking.status,
            "tz": tz,
            "sequence": booking.sequence,
            "when": shown_when(booking, clock),
            "kind": type_facts(kind),
            "approval": lifecycle.needs_approval(ctx, owner, booking),
            "proposed": proposed,
            "days": day_groups(
                [s for s in slots if s.start != booking.start_at][:200], zone, clock
            ),
        }


@router.get("", name="manage")
def manage(request: Request, token: str, ctx: Ctx) -> Response:
    return render(request, "book_manage.html", _manage_view(ctx, token, clock_of(request, None)))


def _changed(request: Request, booking: Booking, message: str) -> Response:
    clock = clock_of(request, None)
    return render(
        request, "book_changed.html", {"message": message, "when": shown_when(booking, clock)}
    )


def _confirm(request: Request, ctx: AppContext, token: str, step: dict[str, object]) -> Response:
    view = _manage_view(ctx, token, clock_of(request, None))
    return render(request, "book_confirm.html", {**view, **step})


@router.post("/cancel", dependencies=CHANGE)
def cancel(
    request: Request, token: str, ctx: Ctx, confirm: Annotated[str, Form(max_length=8)] = ""
) -> Response:
    if confirm != "yes":
        return _confirm(request, ctx, token, {"action": "cancel"})
    booking = lifecycle.guest_cancel(ctx, token=token, now=ctx.clock())
    return _changed(request, booking, "Your meeting is cancelled. The owner has been told.")


@router.post("/reschedule", dependencies=CHANGE)
def reschedule(
    request: Request, token: str, ctx: Ctx, form: Annotated[RescheduleForm, Form()]
) -> Response:
    if form.confirm != "yes":
        now = ctx.clock()
        check_reach(form.start, now)
        view = _manage_view(ctx, token, clock_of(request, None))
        start = form.start.astimezone(ZoneInfo(str(view["tz"])))
        with ctx.db.read() as session:
            booking = lifecycle.booking_for_token(ctx, session, token, now=now)
            length = booking.end_at - booking.start_at
        new_when = when(start, start + length, str(view["tz"]), clock_of(request, None))
        return render(
            request,
            "book_confirm.html",
            {
                **view,
                "action": "reschedule",
                "new_start": start.isoformat(),
                "new_when": new_when,
                "form_sequence": form.sequence,
            },
        )
    booking = lifecycle.guest_reschedule(
        ctx, token=token, start=form.start, sequence=form.sequence, now=ctx.clock()
    )
    if booking.proposed_start_at is not None:
        return _changed(
            request,
            booking,
            "Your request to move the meeting is with the owner. Until they answer, it stays "
            "at the time below; you will get an email either way.",
        )
    return _changed(
        request, booking, "Your meeting has been moved. An updated invite is on its way."
    )
