"""Pages and error answers: templates with the CSRF token, and one shape for every error.

An error answers as JSON (``{"error": ...}``) to the API and to clients that ask for JSON,
and as the ``error.html`` page to everyone else.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from bots.web import csrf
from bots.web.deps import context_of

templates = Jinja2Templates(directory=Path(__file__).parent / "templates")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def render(
    request: Request, name: str, context: dict[str, object], *, status_code: int = 200
) -> Response:
    """Render a template with the CSRF token and set the CSRF cookie when it is new."""
    secret = context_of(request).config.secret_key
    token = csrf.token_for(request, secret)
    response = templates.TemplateResponse(
        request,
        name,
        {**context, "csrf_token": token, "csrf_field": csrf.FIELD},
        status_code=status_code,
    )
    csrf.set_cookie(request, response, secret)
    return response


def error_response(
    request: Request, status: int, message: str, *, headers: Mapping[str, str] | None = None
) -> Response:
    if wants_json(request):
        return JSONResponse({"error": message}, status_code=status, headers=headers)
    return templates.TemplateResponse(
        request,
        "error.html",
        {"status": status, "message": message},
        status_code=status,
        headers=headers,
    )
