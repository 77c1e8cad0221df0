"""The booking pages: a week of free times, the form for one time, and sending it.

They work without JavaScript (``static/book.js`` only switches to the browser's zone); the
form has CSRF, a honeypot and a per-IP rate limit. The server re-checks every slot.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from agents.meetings.availability import check_reach
from agents.meetings.messages import when
from agents.meetings.policy import policy_of
from agents.meetings.validate import clean_zone
from bots.web.booking.shared import book, day_groups, free_times, shown_when, today_in, zone_names
from bots.web.deps import HONEYPOT, Ctx, OwnerBySlug, csrf_checked, no_honeypot, rate_limit
from bots.web.forms import PAGE_DAYS, BookingForm, PageQuery, SlotQuery
from bots.web.render import render

router = APIRouter(prefix="/book")


@router.get("/{slug}")
def page(
    request: Request, slug: str, owner: OwnerBySlug, ctx: Ctx, q: Annotated[PageQuery, Query()]
) -> Response:
    tz = q.tz or clean_zone(owner.timezone)
    today = today_in(ctx, tz)
    first = max(q.from_ or today, today)
    length, slots = free_times(ctx, owner, first=first, days=PAGE_DAYS, tz=tz, length=q.length)
    return render(
        request,
        "book.html",
        {
            "owner": owner,
            "slug": slug,
            "tz": tz,
            "zones": zone_names(),
            "tz_detected": q.tz is not None,
            "length": length,
            "lengths": policy_of(ctx, owner).lengths,
            "days": day_groups(slots, ZoneInfo(tz)),
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
    check_reach(q.start, ctx.clock())  # before converting: year 1 or 9999 would overflow
    start = q.start.astimezone(ZoneInfo(tz))
    length, slots = free_times(ctx, owner, first=start.date(), days=1, tz=tz, length=q.length)
    free = any(s.start == start for s in slots)
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
            "when": when(start, start + timedelta(minutes=length), tz),
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
    return render(
        request,
        "book_done.html",
        {"slug": slug, "when": shown_when(booking), "email": booking.guest_email},
    )
