"""The Telegram webhook route: every instance's web app takes the updates Telegram POSTs.

The path is the one of ``ERRANDS_TELEGRAM_WEBHOOK_URL``, known only once the runtime has
started the bot and set ``AppContext.telegram_webhook`` (``agents.context.UpdateReceiver``),
so the route matches it at request time instead of at app creation: with no receiver set the
route matches nothing (404 as for any unknown path). A request is refused with 403 and nothing
read unless its X-Telegram-Bot-Api-Secret-Token header equals the secret (constant-time
compare); a body that is not JSON or not an update is a 400 naming the problem, never a 500.
"""

from __future__ import annotations

import hmac
import json
import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.routing import Match, Route
from starlette.types import Scope

from agents.context import UpdateReceiver
from store.errors import InvalidInput

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
FORBIDDEN = "Wrong or missing X-Telegram-Bot-Api-Secret-Token."
NOT_JSON = "The body is not JSON: expected a Telegram update."
STOPPING = "Not taking updates right now (stopping); try again."


class WebhookRoute(Route):
    """POST at the receiver's path; other methods there are 405, other paths not matched."""

    def __init__(self) -> None:
        super().__init__("/telegram/webhook", receive_update, methods=["POST"])

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        hook = _receiver(scope)
        if scope["type"] != "http" or hook is None or scope["path"] != hook.path:
            return Match.NONE, {}
        child: Scope = {"endpoint": self.endpoint, "path_params": {}}
        return (Match.FULL if scope["method"] == "POST" else Match.PARTIAL), child


def install(app: FastAPI) -> None:
    """Add the route first, so the webhook's path wins over any page at the same path."""
    app.router.routes.insert(0, WebhookRoute())


async def receive_update(request: Request) -> JSONResponse:
    """Check the secret, decode the update, hand it to the bot: 200 once it is queued."""
    hook = _receiver(request.scope)
    if hook is None:  # unset between matching and now: the bot stopped
        return _error(503, STOPPING)
    given = request.headers.get(SECRET_HEADER, "").encode("latin-1")
    if not hmac.compare_digest(given, hook.secret.encode()):
        log.warning("refused a Telegram webhook POST from %s: bad secret", _peer(request))
        return _error(403, FORBIDDEN)
    try:
        data = json.loads(await request.body())
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return _error(400, NOT_JSON)
    try:
        taken = await hook.receive(data)
    except InvalidInput as exc:
        return _error(400, exc.user_message)
    if not taken:
        return _error(503, STOPPING)
    return JSONResponse({"ok": True})


def _receiver(scope: Scope) -> UpdateReceiver | None:
    app = scope.get("app")
    ctx = getattr(getattr(app, "state", None), "ctx", None)
    return getattr(ctx, "telegram_webhook", None)


def _error(status: int, message: str) -> JSONResponse:
    headers = {"Retry-After": "5"} if status == 503 else None
    return JSONResponse({"ok": False, "error": message}, status_code=status, headers=headers)


def _peer(request: Request) -> str:
    return request.client.host if request.client else "?"
