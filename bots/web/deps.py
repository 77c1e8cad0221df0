"""Typed FastAPI dependencies: the context, the owner of a page, the client, limits, form checks.

Routes declare what they need (``ctx: Ctx``, ``owner: OwnerBySlug``, ``dependencies=[...]``)
and nothing else reads ``request.app.state``. Dependencies that touch the database are plain
``def`` so FastAPI runs them in its threadpool, off the event loop. A check that fails raises:
an errands error (status from ``errors.STATUS_FOR``) or an ``HTTPException`` with its status.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request

from agents.context import AppContext
from agents.meetings.lifecycle import TooManyRequests
from agents.meetings.policy import owner_by_slug as find_owner
from bots.web import csrf
from store import rate_limits
from store.db import Database
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
    """At most ``limit`` hits per key in each clock minute, counted in the store (``rate_hits``),
    so every instance on one database shares one budget per client address. Refused hits count
    too: a client that keeps hammering stays refused for the rest of the minute.

    Time comes from the caller (``ctx.clock()``), like everywhere below ``errands/``. Each
    process deletes finished windows with its first hit of a new minute.
    """

    def __init__(self) -> None:
        self._pruned: datetime | None = None
        self._lock = threading.Lock()

    def allow(self, db: Database, key: str, limit: int, now: datetime) -> bool:
        window = rate_limits.window_of(now)
        with self._lock:
            prune, self._pruned = self._pruned != window, window
        with db.write() as session:
            if prune:
                rate_limits.prune(session, now=now)
            return rate_limits.hit(session, key=key, now=now) <= limit


def limiter_of(request: Request) -> RateLimiter:
    limiter: RateLimiter = request.app.state.booking_limiter
    return limiter


def rate_limit(
    ctx: Ctx, ip: ClientIp, limiter: Annotated[RateLimiter, Depends(limiter_of)]
) -> None:
    """Count this request against the client's per-minute budget for booking actions (a store
    write, so a plain ``def``: FastAPI runs it in its threadpool)."""
    limit = ctx.config.meetings.rate_limit_per_minute
    if not limiter.allow(ctx.db, f"book:{ip}", limit, ctx.clock()):
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
