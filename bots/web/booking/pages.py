"""The booking pages: the owner and their meeting types, a month overview, a week of free times,
the form for one time, and sending it.

They work without JavaScript (``static/book.js`` switches to the browser's zone and adds a
search box to the zone list); the form has CSRF, a honeypot and a per-IP rate limit. The
server re-checks every slot.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from agents.meetings.availability import check_reach
from agents.meetings.meeting_types import about_of, type_named, types_of
from agents.meetings.messages import when
from agents.meetings.policy import policy_of
from agents.meetings.validate import clean_zone
from bots.web.booking.shared import (
    book,
    clock_of,
    day_groups,
    free_times,
    shown_when,
    today_in,
)
from bots.web.booking.view import (
    PageState,
    month_of,
    month_span,
    type_facts,
    zone_options,
)
from bots.web.deps import HONEYPOT, Ctx, OwnerBySlug, csrf_checked, no_honeypot, rate_limit
from bots.web.forms import PAGE_DAYS, BookingForm, PageQuery, SlotQuery
from bots.web.render import render

router = APIRouter(prefix="/book")


@router.get("/{slug}")
def page(
    request: Request, slug: str, owner: OwnerBySlug, ctx: Ctx, q: Annotated[PageQuery, Query()]
) -> Response:
    tz = q.tz or clean_zone(owner.timezone)
    zone, clock = ZoneInfo(tz), clock_of(request, q.clock)
    today = today_in(ctx, tz)
    first = max(q.from_ or today, today)
    policy = policy_of(ctx, owner)
    types, kind = types_of(owner, policy), type_named(owner, policy, q.type)
    wanted = q.length if q.length in kind.lengths else kind.default_length
    length, slots = free_times(ctx, owner, first=first, days=PAGE_DAYS, tz=tz, length=wanted)
    month_first, month_days = month_span(first, today)
    _, month_slots = free_times(
        ctx, owner, first=month_first, days=month_days, tz=tz, length=length
    )
    state = PageState(slug, tz, length, q.type and kind.key, clock, first)
    return render(
        request,
        "book.html",
        {
            "owner": owner,
            "about": about_of(owner),
            "slug": slug,
            "tz": tz,
            "zones": zone_options(ctx.clock()),
            "tz_detected": q.tz is not None,
            "length": length,
            "lengths": kind.lengths,
            "types": [type_facts(t) for t in types],
            "kind": type_facts(kind),
            "type_key": state.type_key,
            "clock": clock,
            "state": state,
            "month": month_of(
                first,
                today,
                month_slots,
                zone,
                week=PAGE_DAYS,
                last_day=today + timedelta(days=policy.horizon_days),
            ),
            "days": day_groups(slots, zone, clock),
            "first": first,
            "prev": (first - timedelta(days=PAGE_DAYS)) if first > today else None,
            "next": first + timedelta(days=PAGE_DAYS),
            "last": first + timedelta(days=PAGE_DAYS - 1),
        },
    )


@router.get("/{slug}/slot")
def slot_form(
    request: Request, slug: str, owner: OwnerBySlug, ctx: Ctx, q: Annotated[SlotQuery, Query()]
) -> Response:
    tz = q.tz or "UTC"
    clock = clock_of(request, q.clock)
    check_reach(q.start, ctx.clock())  # before converting: year 1 or 9999 would overflow
    kind = type_named(owner, policy_of(ctx, owner), q.type)
    start = q.start.astimezone(ZoneInfo(tz))
    wanted = q.length or kind.default_length
    length, slots = free_times(ctx, owner, first=start.date(), days=1, tz=tz, length=wanted)
    free = any(s.start == start for s in slots) and length in kind.lengths
    return render(
        request,
        "book_form.html",
        {
            "owner": owner,
            "slug": slug,
            "tz": tz,
            "length": length,
            "free": free,
            "start": start.isoformat(),
            "when": when(start, start + timedelta(minutes=length), tz, clock),
            "kind": type_facts(kind),
            "type_key": q.type and kind.key,
            "clock": clock,
            "honeypot": HONEYPOT,
            "values": {},
        },
        status_code=200 if free else 409,
    )


@router.post(
    "/{slug}",
    dependencies=[Depends(csrf_checked), Depends(no_honeypot), Depends(rate_limit)],
)
async def submit(
    request: Request, slug: str, ctx: Ctx, form: Annotated[BookingForm, Form()]
) -> Response:
    booking = await book(request, ctx, slug, form.as_body())
    clock = clock_of(request, form.clock)
    return render(
        request,
        "book_done.html",
        {
            "slug": slug,
            "when": shown_when(booking, clock),
            "email": booking.guest_email,
            "booked": booking.status == "accepted",
        },
    )
