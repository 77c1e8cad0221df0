"""``create_app(ctx)``: the FastAPI application behind the booking page and the JSON API.

The app is put together here (an edge): middleware, static files, the routers, and the
exception handlers that turn errors into statuses (``errors.STATUS_FOR``) - registered once.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from agents.context import AppContext
from agents.meetings.slots import SlotTaken
from bots.web import errors
from bots.web.booking import api, manage, pages
from bots.web.booking.shared import slot_taken
from bots.web.deps import Ctx, RateLimiter
from bots.web.middleware import LimitsAndHeaders
from bots.web.render import render


def create_app(ctx: AppContext) -> FastAPI:
    app = FastAPI(title="errands", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.ctx = ctx
    app.state.booking_limiter = RateLimiter()
    app.add_middleware(LimitsAndHeaders)
    app.mount("/static", StaticFiles(directory=Path(__file__).parent / "static"), name="static")
    errors.install(app)
    app.exception_handler(SlotTaken)(slot_taken)
    app.get("/healthz")(healthz)
    for router in (api.router, pages.router, manage.router):
        app.include_router(router)
    app.get("/", response_class=HTMLResponse)(index)
    return app


def healthz(ctx: Ctx) -> JSONResponse:
    database = {"ok": True, "detail": "ok"}
    try:
        with ctx.db.read() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # health must answer, whatever broke
        database = {"ok": False, "detail": type(exc).__name__}
    jobs = ctx.schedule_view() if ctx.schedule_view else None
    scheduler = {
        "running": jobs is not None,
        "jobs": [
            {"id": job_id, "next_run": when.isoformat() if when else None}
            for job_id, when in (jobs or [])
        ],
    }
    status = 200 if database["ok"] else 503
    return JSONResponse(
        {"ok": database["ok"], "database": database, "scheduler": scheduler},
        status_code=status,
    )


def index(request: Request) -> Response:
    return render(request, "index.html", {})
