"""Long polling that can start and stop while the bot runs (``bots.telegram.app`` re-exports it).

Two ``getUpdates`` pollers on one token conflict, so with several instances only the scheduler
leader polls: the runtime calls ``start_polling`` when this instance gains the leadership and
``stop_polling`` when it loses it. Both are idempotent and serialized per application. In
webhook mode (``bots.telegram.webhook``) nobody polls: ``start_polling`` then does nothing,
since a poll would make Telegram refuse (409) and PTB would delete the webhook first.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bots.telegram.app import TelegramApp

log = logging.getLogger(__name__)

POLL_TIMEOUT = 10
"""Seconds one ``getUpdates`` long-poll waits on Telegram's side."""

_locks: weakref.WeakKeyDictionary[TelegramApp, asyncio.Lock] = weakref.WeakKeyDictionary()
_webhook_apps: weakref.WeakSet[TelegramApp] = weakref.WeakSet()


def use_webhook(app: TelegramApp) -> None:
    """From now on ``app`` takes updates from the webhook only: ``start_polling`` is a no-op."""
    _webhook_apps.add(app)


def uses_webhook(app: TelegramApp) -> bool:
    return app in _webhook_apps


async def start_polling(app: TelegramApp, *, poll_timeout: int = POLL_TIMEOUT) -> None:
    """Start long polling unless it runs already, the app is not running or uses a webhook.

    PTB first deletes a webhook left set (polling and a webhook exclude each other) and ends
    with the offset confirmed, so the next poller (another instance) gets no update twice.
    """
    async with _lock(app):
        if uses_webhook(app):
            log.debug("webhook mode: not polling")
            return
        updater = app.updater
        if updater is None or updater.running or not app.running:
            return
        await updater.start_polling(poll_interval=0.0, timeout=poll_timeout)
        log.info("polling Telegram for updates")


async def stop_polling(app: TelegramApp) -> None:
    """Stop long polling (the in-flight ``getUpdates`` is cancelled); a no-op when not polling.

    Updates already fetched keep being handled; the application itself keeps running, so
    outgoing sends, webhook updates and a later ``start_polling`` still work.
    """
    async with _lock(app):
        updater = app.updater
        if updater is not None and updater.running:
            await updater.stop()
            log.info("stopped polling Telegram")


def _lock(app: TelegramApp) -> asyncio.Lock:
    lock = _locks.get(app)
    if lock is None:
        lock = _locks[app] = asyncio.Lock()
    return lock
