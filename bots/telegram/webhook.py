"""Webhook mode: Telegram POSTs each update to one URL that every instance's web app serves.

With several instances behind a proxy any of them can take any update and none polls (two
``getUpdates`` pollers on one token conflict). ``register`` calls setWebhook; every instance
does so at start, because the call is idempotent on Telegram's side and so webhook mode
depends on no leader being alive. Nobody calls deleteWebhook on stop: the other instances
still serve it (switching back to polling deletes it: PTB does so before its first poll).
``receiver`` is what the web app calls (``agents.context.UpdateReceiver``; the route with the
secret-header check is ``bots.web.telegram_webhook``): it validates the body into an
``Update`` and queues it on the ``Application``, so the HTTP answer does not wait for the
handlers (a slow LLM reply would make Telegram time out and send the update again).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from telegram import Update

from agents.context import UpdateReceiver
from bots.telegram.notifier import send_with_retry
from bots.telegram.polling import stop_polling, use_webhook
from store.errors import InvalidInput

if TYPE_CHECKING:
    from bots.telegram.app import TelegramApp

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES: Sequence[str] = ("message", "edited_message", "callback_query")
"""The update kinds the bot's handlers use (messages, voice notes, button presses)."""
NOT_AN_UPDATE = "not a Telegram update: expected a JSON object with an integer update_id"


async def register(app: TelegramApp, *, url: str, secret: str) -> None:
    """Point Telegram at ``url`` with ``secret`` (setWebhook), keeping pending updates.

    ``app`` stops polling first and never polls again (``polling.use_webhook``).
    """
    use_webhook(app)
    await stop_polling(app)
    await send_with_retry(
        lambda: app.bot.set_webhook(
            url,
            secret_token=secret,
            allowed_updates=list(ALLOWED_UPDATES),
            drop_pending_updates=False,
        )
    )


def receiver(app: TelegramApp, *, url: str, secret: str) -> UpdateReceiver:
    """What the web app hands webhook POSTs to: served at ``url``'s path, checked against
    ``secret``, queued on ``app``."""

    async def receive(data: object) -> bool:
        update = parse_update(data, app)
        if not app.running:
            return False  # stopping: a 503 makes Telegram retry, maybe on another instance
        await app.update_queue.put(update)
        return True

    return UpdateReceiver(path=webhook_path(url), secret=secret, receive=receive)


def webhook_path(url: str) -> str:
    """The path the web app serves for ``url`` (``/`` when it has none)."""
    return urlsplit(url).path or "/"


def parse_update(data: object, app: TelegramApp) -> Update:
    """``data`` (decoded JSON) as an ``Update``; ``InvalidInput`` when it is not one."""
    if not isinstance(data, dict):
        raise InvalidInput(NOT_AN_UPDATE)
    update_id = data.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool) or update_id < 0:
        raise InvalidInput(NOT_AN_UPDATE)
    try:
        return Update.de_json(data, app.bot)
    except (AttributeError, KeyError, TypeError, ValueError) as exc:  # a malformed field
        detail = f"{type(exc).__name__}: {exc}"[:160]
        raise InvalidInput(f"not a Telegram update: a field has a wrong shape ({detail})") from None
