"""``create_app(ctx)``: the FastAPI application behind the booking page and the JSON API.

Errors are translated here (an edge): ``ErrandsError`` subclasses become 4xx with their
user-safe message, anything else a friendly 500 page with the traceback only in the log.
"""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from agents.context import AppContext
from bots.web import csrf
from bots.web.middleware import LimitsAndHeaders
from store.errors import Conflict, ErrandsError, InvalidInput, NotFound

log = logging.getLogger(__name__)
HERE = Path(__file__).parent
templates = Jinja2Templates(directory=HERE / "templates")

STATUS_FOR = {InvalidInput: 422, NotFound: 404, Conflict: 409}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def render(
    request: Request, name: str, context: dict[str, object], *, status_code: int = 200
) -> Response:
    """Render a template with the CSRF token and set the CSRF cookie when it is new."""
    ctx: AppContext = request.app.state.ctx
    secret = ctx.config.secret_key
    token = csrf.token_for(request, secret)
    response = templates.TemplateResponse(
        request,
        name,
        {**context, "csrf_token": token, "csrf_field": csrf.FIELD},
        status_code=status_code,
    )
    csrf.set_cookie(request, response, secret)
    return response


def error_response(request: Request, status: int, message: str) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status)
    return templates.TemplateResponse(
        request, "error.html", {"status": status, "message": message}, status_code=status
    )


def create_app(ctx: AppContext) -> FastAPI:
    app = FastAPI(title="errands", docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    app.state.ctx = ctx
    app.add_middleware(LimitsAndHeaders)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        messages = {404: "This page does not exist.", 405: "That method is not allowed here."}
        detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
        return error_response(
            request, exc.status_code, detail or messages.get(exc.status_code, "Request failed.")
        )

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
            for e in exc.errors()[:5]
        )
        return error_response(request, 422, f"Invalid input: {problems}")

    @app.exception_handler(ErrandsError)
    async def known_error(request: Request, exc: ErrandsError) -> Response:
        status = next((s for t, s in STATUS_FOR.items() if isinstance(exc, t)), 400)
        return error_response(request, status, exc.user_message)

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return error_response(request, 500, "Sorry, something went wrong on our side.")

    @app.get("/healthz")
    def healthz() -> JSONResponse:
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

    from bots.web.booking import router as booking_router  # imports render from here

    app.include_router(booking_router)

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> Response:
        return render(request, "index.html", {})

    return app
