"""The one error -> HTTP status table, and the exception handlers ``create_app`` registers.

Routes raise; they never translate. An errands error becomes its status from ``STATUS_FOR``
(the nearest class in its MRO wins) with its user-safe message; bad query, form or JSON input
becomes 422 naming the field; a store that cannot be read or written (``StoreUnavailable``,
or the database driver's ``OperationalError``: disk full, read-only, locked) is a 503 with
``Retry-After``; anything else is a friendly 500 with the traceback in the log.
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from agents.meetings.lifecycle import TooManyRequests
from bots.web.forms import CLEAR
from bots.web.health import describe
from bots.web.render import error_response
from store.errors import Conflict, ErrandsError, InvalidInput, NotFound, StoreUnavailable

log = logging.getLogger(__name__)

STATUS_FOR: dict[type[ErrandsError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    Conflict: 409,  # SlotTaken too: the booking routes add free times nearby (booking.shared)
    TooManyRequests: 429,
    StoreUnavailable: 503,
    ErrandsError: 400,
}
"""Errands error class -> HTTP status, for every route."""

ON_ROUTE: dict[tuple[str, type[ErrandsError]], int] = {
    ("manage", InvalidInput): 410,  # opening an expired manage link: that page is gone
}
"""(route name, error class) -> status where one page means something else by it."""

HTTP_MESSAGES = {404: "This page does not exist.", 405: "That method is not allowed here."}

UNAVAILABLE = "Bookings are unavailable for a moment. Please try again in a few minutes."
"""What a guest reads on a 503 (the cause, maybe with a path or URL, goes to the log)."""
RETRY_AFTER = {"Retry-After": "60"}


def status_for(exc: ErrandsError, request: Request | None = None) -> int:
    """The status of ``exc`` on the route that answers ``request`` (first match in the MRO)."""
    route = getattr(request.scope.get("route"), "name", "") if request else ""
    for kind in type(exc).__mro__:
        if issubclass(kind, ErrandsError):
            status = ON_ROUTE.get((route, kind)) or STATUS_FOR.get(kind)
            if status:
                return status
    return STATUS_FOR[ErrandsError]


async def errands_error(request: Request, exc: ErrandsError) -> Response:
    status = status_for(exc, request)
    if status == 503:
        log.error("store unavailable on %s %s: %s", request.method, request.url.path, describe(exc))
        return error_response(request, 503, UNAVAILABLE, headers=RETRY_AFTER)
    return error_response(request, status, exc.user_message)


async def store_error(request: Request, exc: OperationalError) -> Response:
    """The driver could not read or write (disk full, read-only file, lock timeout): 503."""
    return await errands_error(request, StoreUnavailable(describe(exc)))


async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
    detail = exc.detail if isinstance(exc.detail, str) and exc.status_code != 404 else None
    message = detail or HTTP_MESSAGES.get(exc.status_code, "Request failed.")
    return error_response(request, exc.status_code, message)


FRIENDLY = {
    "json_invalid": "the body must be a JSON object",
    "model_attributes_type": "the body must be a JSON object (Content-Type: application/json)",
}
"""Pydantic error types whose own message would puzzle a person."""


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """422: our own messages (``forms.CLEAR``) as they are, the rest as "field: problem"."""
    errors = exc.errors()[:5]
    clear = [e["msg"] for e in errors if e["type"] == CLEAR]
    other = [
        FRIENDLY.get(e["type"])
        or f"{'.'.join(str(p) for p in e['loc'][1:]) or 'request'}: {e['msg']}"
        for e in errors
        if e["type"] != CLEAR
    ]
    if other:
        clear.append(f"Invalid input: {'; '.join(other)}")
    return error_response(request, 422, " ".join(clear))


async def crash(request: Request, exc: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(request, 500, "Sorry, something went wrong on our side.")


def install(app: FastAPI) -> None:
    """Register the handlers (more specific handlers, like ``SlotTaken``'s, may follow)."""
    app.exception_handler(StarletteHTTPException)(http_error)
    app.exception_handler(RequestValidationError)(invalid_request)
    app.exception_handler(ErrandsError)(errands_error)
    app.exception_handler(OperationalError)(store_error)
    app.exception_handler(Exception)(crash)
