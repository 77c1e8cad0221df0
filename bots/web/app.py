"""``create_app(ctx)``: the FastAPI application behind the booking page and the JSON API.

The app is put together here (an edge): middleware, static files, the routers, and the
exception handlers that turn errors into statuses (``errors.STATUS_FOR``) - registered once.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from agents.context import AppContext
from agents.meetings.slots import SlotTaken
from bots.web import errors, feed, telegram_webhook
from bots.web.booking import api, manage, pages
from bots.web.booking.shared import slot_taken
from bots.web.deps import Ctx, RateLimiter
from bots.web.errors import RETRY_AFTER
from bots.web.health import DiskFree, Probe, disk_free
from bots.web.middleware import LimitsAndHeaders
from bots.web.render import render


def create_app(ctx: AppContext, *, free: DiskFree = disk_free) -> FastAPI:
    """The app over ``ctx``; ``free`` answers free bytes for ``/healthz`` (a seam for tests)."""
    app = FastAPI(title="errands", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.ctx = ctx
    app.state.health_probe = Probe(free)
    app.state.booking_limiter = RateLimiter()
    app.add_middleware(LimitsAndHeaders)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    errors.install(app)
    app.exception_handler(SlotTaken)(slot_taken)
    app.get("/healthz")(healthz)
    for router in (api.router, pages.router, manage.router, feed.router):
        app.include_router(router)
    app.get("/", response_class=HTMLResponse)(index)
    telegram_webhook.install(app)  # POST at ERRANDS_TELEGRAM_WEBHOOK_URL's path, when set
    return app


def healthz(request: Request, ctx: Ctx) -> JSONResponse:
    """200 when the store reads and writes (``health``), else 503 with one line saying why."""
    problem = request.app.state.health_probe.problem(ctx.db)
    database = {"ok": problem is None, "detail": problem or "ok"}
    jobs = ctx.schedule_view() if ctx.schedule_view else None
    scheduler = {
        "running": jobs is not None,
        "jobs": [
            {"id": job_id, "next_run": when.isoformat() if when else None}
            for job_id, when in (jobs or [])
        ],
    }
    body: dict[str, object] = {"ok": problem is None, "database": database, "scheduler": scheduler}
    if problem:
        body["reason"] = problem
    return JSONResponse(
        body, status_code=503 if problem else 200, headers=RETRY_AFTER if problem else None
    )


def index(request: Request) -> Response:
    return render(request, "index.html", {})
