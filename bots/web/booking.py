"""The public booking page, its JSON API and the guest's manage links.

HTML pages work without JavaScript (``static/book.js`` only switches to the browser's zone);
the form has CSRF, a honeypot and a per-IP rate limit; the API answers 201 / 409 with
alternatives / 422 / 429. The server re-checks every slot: nothing the client sends is
trusted. Blocking store work runs in a worker thread so the event loop stays free.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections import defaultdict, deque
from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo, available_timezones

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from agents.context import AppContext
from agents.meetings import graph, service
from agents.meetings.availability import MAX_DAYS, Slot, visitor_range
from agents.meetings.messages import when
from agents.meetings.validate import clean_zone
from bots.web import csrf
from bots.web.app import error_response, render
from store.errors import ErrandsError, InvalidInput, NotFound

log = logging.getLogger(__name__)
router = APIRouter()
PAGE_DAYS = 7
HONEYPOT = "website"


@cache
def zone_names() -> list[str]:
    skip = ("Etc/", "SystemV/", "posix/", "right/")
    return [*sorted(z for z in available_timezones() if "/" in z and not z.startswith(skip)), "UTC"]


class RateLimiter:
    """At most ``limit`` hits per key in any 60-second window (in memory, per process).

    Time comes from the caller (``ctx.clock()``), like everywhere below ``errands/``.
    """

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, key: str, limit: int, now: float) -> bool:
        with self._lock:
            hits = self._hits[key]
            while hits and hits[0] <= now - 60:
                hits.popleft()
            if len(hits) >= limit:
                return False
            hits.append(now)
            if len(self._hits) > 10_000:  # forget idle clients
                for k in [k for k, v in self._hits.items() if not v][:5000]:
                    del self._hits[k]
            return True


def _ctx(request: Request) -> AppContext:
    ctx: AppContext = request.app.state.ctx
    return ctx


def _limiter(request: Request) -> RateLimiter:
    limiter = getattr(request.app.state, "booking_limiter", None)
    if limiter is None:
        limiter = request.app.state.booking_limiter = RateLimiter()
    return limiter


def _client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


def _rate_limited(request: Request) -> bool:
    ctx = _ctx(request)
    limit = ctx.config.meetings.rate_limit_per_minute
    now = ctx.clock().timestamp()
    return not _limiter(request).allow(f"book:{_client_ip(request)}", limit, now)


def _parse_start(value: str) -> datetime:
    try:
        start = datetime.fromisoformat(value.strip())
    except ValueError:
        raise InvalidInput("The start time is not a valid ISO-8601 time.") from None
    if start.tzinfo is None:
        raise InvalidInput("The start time needs a UTC offset (e.g. +01:00).")
    return start


def _parse_int(value: str | None, default: int, name: str) -> int:
    if value is None or value == "":
        return default
    if not value.isdigit() or len(value) > 4:
        raise InvalidInput(f"{name} must be a whole number.")
    return int(value)


def _slot_json(slot: Slot, zone: ZoneInfo) -> dict[str, str]:
    return {
        "start": slot.start.astimezone(zone).isoformat(),
        "end": slot.end.astimezone(zone).isoformat(),
    }


def _slots(
    ctx: AppContext, slug: str, first: date, days: int, tz: str, length: int | None
) -> tuple[Any, int, list[Slot]]:
    now = ctx.clock()
    with ctx.db.read() as session:
        owner = service.owner_by_slug(session, slug)
        policy = service.policy_of(ctx, owner)
        length = length or policy.default_length
        start, end = visitor_range(first, days, ZoneInfo(tz))
        slots = service.free_slots(
            ctx, session, owner, start=start, end=end, length=length, now=now
        )
        return owner, length, slots


# ------------------------------------------------------------------------------ JSON API


class BookingBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    start: str = Field(max_length=40)
    length: int | None = Field(default=None, ge=1, le=1440)
    name: str = Field(max_length=100)
    email: str = Field(max_length=254)
    topic: str = Field(default="", max_length=1000)
    timezone: str = Field(default="UTC", max_length=64)


@router.get("/api/book/{slug}/slots")
async def api_slots(request: Request, slug: str) -> Response:
    ctx = _ctx(request)
    q = request.query_params
    tz = clean_zone(q.get("tz") or "UTC")
    days = _parse_int(q.get("days"), PAGE_DAYS, "days")
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"days must be 1 to {MAX_DAYS}.")
    first = _parse_date(q.get("from"), ctx, tz)
    length = _parse_int(q.get("length"), 0, "length") or None
    _, length, slots = await asyncio.to_thread(_slots, ctx, slug, first, days, tz, length)
    zone = ZoneInfo(tz)
    return JSONResponse(
        {"timezone": tz, "length": length, "slots": [_slot_json(s, zone) for s in slots]}
    )


def _parse_date(value: str | None, ctx: AppContext, tz: str) -> date:
    if not value:
        return ctx.clock().astimezone(ZoneInfo(tz)).date()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput("from must be a date like 2026-03-02.") from None


async def _book(request: Request, slug: str, body: BookingBody) -> Any:
    ctx = _ctx(request)
    start = _parse_start(body.start)
    length = body.length
    if length is None:
        with ctx.db.read() as session:
            length = service.policy_of(ctx, service.owner_by_slug(session, slug)).default_length
    data = service.BookingInput(
        slug=slug,
        start=start,
        length=length,
        name=body.name,
        email=body.email,
        topic=body.topic,
        timezone=body.timezone,
        client_ip=_client_ip(request),
    )
    booking = await asyncio.to_thread(service.request_booking, ctx, data, now=ctx.clock())
    await graph.start_request(ctx, booking_id=booking.id, owner_id=booking.owner_id)
    return booking


@router.post("/api/book/{slug}")
async def api_book(request: Request, slug: str) -> Response:
    if _rate_limited(request):
        return JSONResponse({"error": "Too many requests; wait a minute."}, status_code=429)
    try:
        body = BookingBody.model_validate(await request.json())
    except (ValidationError, ValueError) as exc:
        return JSONResponse({"error": f"Invalid input: {_first_problem(exc)}"}, status_code=422)
    try:
        booking = await _book(request, slug, body)
    except service.SlotTaken as exc:
        zone = ZoneInfo(clean_zone(body.timezone))
        return JSONResponse(
            {
                "error": exc.user_message,
                "alternatives": [_slot_json(s, zone) for s in exc.alternatives],
            },
            status_code=409,
        )
    except service.TooManyRequests as exc:
        return JSONResponse({"error": exc.user_message}, status_code=429)
    return JSONResponse({"id": booking.id, "status": booking.status}, status_code=201)


def _first_problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"]) or "body"
        return f"{where}: {err['msg']}"
    return "the body must be a JSON object"


# ------------------------------------------------------------------------------ pages


def _day_groups(slots: list[Slot], zone: ZoneInfo) -> list[dict[str, Any]]:
    groups: dict[date, list[dict[str, str]]] = {}
    for slot in slots:
        local = slot.start.astimezone(zone)
        groups.setdefault(local.date(), []).append(
            {"start": local.isoformat(), "label": f"{local:%H:%M}"}
        )
    return [
        {"date": d, "label": f"{d:%A}, {d.day} {d:%B}", "slots": s}
        for d, s in sorted(groups.items())
    ]


@router.get("/book/{slug}")
async def page(request: Request, slug: str) -> Response:
    ctx = _ctx(request)
    q = request.query_params
    try:
        with ctx.db.read() as session:
            owner = service.owner_by_slug(session, slug)
        tz = clean_zone(q.get("tz") or owner.timezone)
        first = max(
            _parse_date(q.get("from"), ctx, tz), ctx.clock().astimezone(ZoneInfo(tz)).date()
        )
        asked = _parse_int(q.get("length"), 0, "length") or None
        owner, length, slots = await asyncio.to_thread(
            _slots, ctx, slug, first, PAGE_DAYS, tz, asked
        )
        policy = service.policy_of(ctx, owner)
    except ErrandsError as exc:
        status = 404 if isinstance(exc, NotFound) else 422
        return error_response(request, status, exc.user_message)
    zone = ZoneInfo(tz)
    today = ctx.clock().astimezone(zone).date()
    return render(
        request,
        "book.html",
        {
            "owner": owner,
            "slug": slug,
            "tz": tz,
            "zones": zone_names(),
            "tz_detected": "tz" in q,
            "length": length,
            "lengths": policy.lengths,
            "days": _day_groups(slots, zone),
            "first": first,
            "prev": (first - timedelta(days=PAGE_DAYS)) if first > today else None,
            "next": first + timedelta(days=PAGE_DAYS),
            "last": first + timedelta(days=PAGE_DAYS - 1),
        },
    )


@router.get("/book/{slug}/slot")
async def slot_form(request: Request, slug: str) -> Response:
    ctx = _ctx(request)
    q = request.query_params
    try:
        tz = clean_zone(q.get("tz") or "UTC")
        start = _parse_start(q.get("start") or "")
        asked = _parse_int(q.get("length"), 0, "length") or None
        owner, length, slots = await asyncio.to_thread(
            _slots, ctx, slug, start.astimezone(ZoneInfo(tz)).date(), 1, tz, asked
        )
    except ErrandsError as exc:
        status = 404 if isinstance(exc, NotFound) else 422
        return error_response(request, status, exc.user_message)
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
            "start": start.astimezone(ZoneInfo(tz)).isoformat(),
            "when": when(start, start + timedelta(minutes=length), tz),
            "honeypot": HONEYPOT,
            "values": {},
        },
        status_code=200 if free else 409,
    )


@router.post("/book/{slug}")
async def submit(request: Request, slug: str) -> Response:
    ctx = _ctx(request)
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not csrf.is_valid(request, ctx.config.secret_key, fields.get(csrf.FIELD)):
        return error_response(
            request, 403, "This form expired. Go back, reload the page and try again."
        )
    if fields.get(HONEYPOT):
        return error_response(request, 400, "This request could not be accepted.")
    if _rate_limited(request):
        return error_response(request, 429, "Too many requests; please wait a minute.")
    tz = fields.get("tz") or "UTC"
    try:
        length = _parse_int(fields.get("length"), 0, "length") or None
        body = BookingBody(
            start=fields.get("start", "")[:40],
            length=length,
            name=fields.get("name", "")[:101],
            email=fields.get("email", "")[:255],
            topic=fields.get("topic", "")[:1001],
            timezone=tz[:64],
        )
    except (ValidationError, ErrandsError) as exc:
        message = exc.user_message if isinstance(exc, ErrandsError) else _too_long(exc)
        return error_response(request, 422, message)
    try:
        booking = await _book(request, slug, body)
    except service.SlotTaken as exc:
        zone = ZoneInfo(clean_zone(tz))
        return render(
            request,
            "book_taken.html",
            {
                "slug": slug,
                "tz": tz,
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
            status_code=409,
        )
    except service.TooManyRequests as exc:
        return error_response(request, 429, exc.user_message)
    except NotFound as exc:
        return error_response(request, 404, exc.user_message)
    except ErrandsError as exc:
        return error_response(request, 422, exc.user_message)
    return render(
        request,
        "book_done.html",
        {
            "slug": slug,
            "when": when(booking.start_at, booking.end_at, booking.guest_timezone),
            "email": booking.guest_email,
        },
    )


def _too_long(exc: ValidationError) -> str:
    field = str(exc.errors()[0]["loc"][0]) if exc.errors()[0]["loc"] else "input"
    return f"The {field} is too long or not valid."


# ------------------------------------------------------------------------------ manage


def _manage_view(ctx: AppContext, token: str) -> dict[str, Any]:
    now = ctx.clock()
    with ctx.db.read() as session:
        booking = service.booking_for_token(ctx, session, token, now=now)
        from store import owners

        owner = owners.get_owner(session, owner_id=booking.owner_id)
        tz = booking.guest_timezone
        zone = ZoneInfo(tz)
        slots: list[Slot] = []
        if booking.status == "accepted":
            length = int((booking.end_at - booking.start_at).total_seconds() // 60)
            policy = service.policy_of(ctx, owner)
            start, end = visitor_range(now.astimezone(zone).date(), 14, zone)
            slots = service.free_slots(
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
            "when": when(booking.start_at, booking.end_at, tz),
            "days": _day_groups([s for s in slots if s.start != booking.start_at][:200], zone),
        }


@router.get("/book/manage/{token}")
async def manage(request: Request, token: str) -> Response:
    ctx = _ctx(request)
    try:
        view = await asyncio.to_thread(_manage_view, ctx, token)
    except ErrandsError as exc:
        return error_response(request, 404 if isinstance(exc, NotFound) else 410, exc.user_message)
    return render(request, "book_manage.html", view)


@router.post("/book/manage/{token}/{action}")
async def manage_action(request: Request, token: str, action: str) -> Response:
    ctx = _ctx(request)
    form = await request.form()
    fields = {k: v for k, v in form.items() if isinstance(v, str)}
    if not csrf.is_valid(request, ctx.config.secret_key, fields.get(csrf.FIELD)):
        return error_response(request, 403, "This form expired. Reload the page and try again.")
    if _rate_limited(request):
        return error_response(request, 429, "Too many requests; please wait a minute.")
    try:
        if action == "cancel":
            booking = await asyncio.to_thread(
                service.guest_cancel, ctx, token=token, now=ctx.clock()
            )
            message = "Your meeting is cancelled. The owner has been told."
        elif action == "reschedule":
            start = _parse_start(fields.get("start", "")[:40])
            sequence = _parse_int(fields.get("sequence"), -1, "sequence")
            booking = await asyncio.to_thread(
                service.guest_reschedule,
                ctx,
                token=token,
                start=start,
                sequence=sequence,
                now=ctx.clock(),
            )
            message = "Your meeting has been moved. An updated invite is on its way."
        else:
            return error_response(request, 404, "This page does not exist.")
    except service.SlotTaken as exc:
        return error_response(request, 409, exc.user_message)
    except NotFound as exc:
        return error_response(request, 404, exc.user_message)
    except ErrandsError as exc:
        return error_response(request, 422, exc.user_message)
    return render(
        request,
        "book_changed.html",
        {
            "message": message,
            "when": when(booking.start_at, booking.end_at, booking.guest_timezone),
        },
    )
