"""The JSON API: free slots of a booking page, and booking one (201 / 409 with alternatives /
415 unless JSON / 422 / 429, through the error handlers)."""

from __future__ import annotations

from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel

from agents.meetings.meeting_types import type_named
from agents.meetings.policy import policy_of
from bots.web.booking.shared import book, free_times, slot_json, today_in
from bots.web.deps import Ctx, OwnerBySlug, json_only, rate_limit
from bots.web.forms import BookingBody, SlotsQuery

router = APIRouter(prefix="/api/book")


class FreeSlots(BaseModel):
    timezone: str
    length: int
    slots: list[dict[str, str]]


class Created(BaseModel):
    id: int
    status: str


@router.get("/{slug}/slots")
def api_slots(owner: OwnerBySlug, ctx: Ctx, q: Annotated[SlotsQuery, Query()]) -> FreeSlots:
    tz = q.tz or "UTC"
    first = q.from_ or today_in(ctx, tz)
    wanted = q.length or type_named(owner, policy_of(ctx, owner), q.type).default_length
    length, slots = free_times(ctx, owner, first=first, days=q.days, tz=tz, length=wanted)
    zone = ZoneInfo(tz)
    return FreeSlots(timezone=tz, length=length, slots=[slot_json(s, zone) for s in slots])


@router.post("/{slug}", status_code=201, dependencies=[Depends(json_only), Depends(rate_limit)])
async def api_book(request: Request, slug: str, ctx: Ctx, body: BookingBody) -> Created:
    booking = await book(request, ctx, slug, body)
    return Created(id=booking.id, status=booking.status)
