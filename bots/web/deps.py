"""Typed FastAPI dependencies: the context, the owner of a page, the client, limits, form checks.

Routes declare what they need (``ctx: Ctx``, ``owner: OwnerBySlug``, ``dependencies=[...]``)
and nothing else reads ``request.app.state``. Dependencies that touch the database are plain
``def`` so FastAPI runs them in its threadpool, off the event loop. A check that fails raises:
an errands error (status from ``errors.STATUS_FOR``) or an ``HTTPException`` with its status.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request

from agents.context import AppContext
from agents.meetings.lifecycle import TooManyRequests
from agents.meetings.policy import owner_by_slug as find_owner
from bots.web import csrf
from store.models import Owner

HONEYPOT = "website"
"""A form field people never see: a bot that fills it in is refused."""


def context_of(request: Request) -> AppContext:
    """The ``AppContext`` ``create_app`` was given (the one place that reads app state)."""
    ctx: AppContext = request.app.state.ctx
    return ctx


Ctx = Annotated[AppContext, Depends(context_of)]


def owner_by_slug(slug: str, ctx: Ctx) -> Owner:
    """The owner whose booking page is ``slug`` (``NotFound`` otherwise); runs in a thread."""
    with ctx.db.read() as session:
        return find_owner(session, slug)


OwnerBySlug = Annotated[Owner, Depends(owner_by_slug)]


def client_ip(request: Request) -> str:
    return request.client.host if request.client else ""


ClientIp = Annotated[str, Depends(client_ip)]


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


def limiter_of(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.booking_limiter
    return limiter


async def rate_limit(
    ctx: Ctx, ip: ClientIp, limiter: Annotated[RateLimiter, Depends(limiter_of)]
) -> None:
    """Count this request against the client's per-minute budget for booking actions."""
    limit = ctx.config.meetings.rate_limit_per_minute
    if not limiter.allow(f"book:{ip}", limit, ctx.clock().timestamp()):
        raise TooManyRequests("Too many requests; please wait a minute.")


async def csrf_checked(
    request: Request, ctx: Ctx, csrf_token: Annotated[str, Form(alias=csrf.FIELD)] = ""
) -> None:
    """The form carries the token of its CSRF cookie (see ``csrf``); 403 otherwise."""
    if not csrf.is_valid(request, ctx.config.secret_key, csrf_token):
        raise HTTPException(403, "This form expired. Go back, reload the page and try again.")


async def json_only(request: Request) -> None:
    """415 unless the body is declared JSON. A page on another site can make a browser POST
    ``text/plain`` or a form with no CORS preflight, but never ``application/json``."""
    media = request.headers.get("content-type", "").partition(";")[0].strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        raise HTTPException(415, "Send the booking as JSON (Content-Type: application/json).")


async def no_honeypot(website: Annotated[str, Form(alias=HONEYPOT)] = "") -> None:
    if website:
        raise HTTPException(400, "This request could not be accepted.")
