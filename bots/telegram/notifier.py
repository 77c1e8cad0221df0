"""Telegram delivery for the outbox, plus a retry helper for interactive replies.

``TelegramNotifier`` sends exactly once per call and turns every PTB error into a
``DeliveryError`` the dispatcher understands (permanent, transient, or "wait N seconds"): the
outbox owns retries, so nothing here sleeps. A new message whose answer timed out after the
request went out may have arrived, and the Bot API has no idempotency key: it counts as sent
(``{"message_id": None, "unconfirmed": ...}``) rather than risk a duplicate, so delivery is
at-most-once on a timeout. A connect or pool timeout never reached Telegram and is retried.

Replies sent from bot handlers are not queued, so ``send_with_retry`` gives them the same
flood-control and network tolerance in-line.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar

import httpx
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.warnings import PTBDeprecationWarning

from agents.notify import LATE_MARK, DeliveryError
from bots.telegram.html import MAX_MESSAGE_LENGTH, truncate

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_CALLBACK_DATA_BYTES = 64
"""Telegram rejects an inline button whose callback_data is longer (in UTF-8 bytes)."""

_NOT_MODIFIED = "message is not modified"
UNCONFIRMED = "Telegram did not answer in time; it may have shown the message, so it is not re-sent"


class TelegramNotifier:
    """Delivers ``telegram`` outbox payloads (see ``agents.notify``) with a PTB ``Bot``.

    The bot is built and initialized elsewhere (``errands/``); this class never starts or
    shuts it down. Text longer than Telegram's 4096 characters is cut with
    ``bots.telegram.html.truncate`` (closing open tags, ending in "…") rather than refused:
    a shortened reminder beats a dead-lettered one.
    """

    channel: str = "telegram"

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def deliver(self, recipient: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send (or edit) one message; return ``{"message_id": int}``."""
        chat_id = _chat_id(recipient)
        text, markup, edit_id = _parse_payload(payload)
        preview = LinkPreviewOptions(is_disabled=True) if payload.get("disable_preview") else None
        try:
            if edit_id is None:
                sent = await self._bot.send_message(
                    chat_id=chat_id,
                    text=text,
                    parse_mode=ParseMode.HTML,
                    reply_markup=markup,
                    link_preview_options=preview,
                )
                return {"message_id": sent.message_id}
            await self._bot.edit_message_text(
                text=text,
                chat_id=chat_id,
                message_id=edit_id,
                parse_mode=ParseMode.HTML,
                reply_markup=markup,
                link_preview_options=preview,
            )
            return {"message_id": edit_id}
        except TimedOut as exc:
            if edit_id is None and may_have_arrived(exc):  # an edit is safe to repeat
                return {"message_id": None, "unconfirmed": UNCONFIRMED}
            raise self._delivery_error(exc) from exc
        except BadRequest as exc:
            # Re-delivering an edit (a retried outbox row) must not fail the row.
            if edit_id is not None and _NOT_MODIFIED in exc.message.lower():
                return {"message_id": edit_id}
            raise self._delivery_error(exc) from exc
        except TelegramError as exc:
            raise self._delivery_error(exc) from exc

    @staticmethod
    def mark_late(payload: dict[str, Any]) -> dict[str, Any]:
        """Prefix a new message's text with an italic "(late)"; an edit stays as it is."""
        marked = dict(payload)
        if "text" in marked and not marked.get("edit_message_id"):
            marked["text"] = f"<i>{LATE_MARK}</i> {marked['text']}"
        return marked

    def _delivery_error(self, exc: TelegramError) -> DeliveryError:
        error = delivery_error(exc)
        token = self._bot.token
        if token and token in error.user_message:  # never let the token reach logs or the db
            error = DeliveryError(
                error.user_message.replace(token, "***"),
                permanent=error.permanent,
                retry_after=error.retry_after,
            )
        log.info("telegram delivery failed: %s (permanent=%s)", error, error.permanent)
        return error


def delivery_error(exc: TelegramError) -> DeliveryError:
    """Classify a PTB error for the dispatcher.

    Order matters: ``BadRequest`` and ``TimedOut`` are subclasses of ``NetworkError``.
    Errors that are about our setup rather than the message (a bad token, an unexpected
    server answer) stay transient so a config fix lets the queue drain instead of losing it.
    """
    if isinstance(exc, RetryAfter):
        seconds = retry_after_seconds(exc)
        return DeliveryError(f"Telegram flood control: retry in {seconds:g} s", retry_after=seconds)
    if isinstance(exc, ChatMigrated):
        return DeliveryError(f"Telegram: the group moved to chat {exc.new_chat_id}", permanent=True)
    if isinstance(exc, Forbidden):
        return DeliveryError(f"Telegram refused: {_short(exc.message)}", permanent=True)
    if isinstance(exc, BadRequest):
        return DeliveryError(
            f"Telegram rejected the message: {_short(exc.message)}", permanent=True
        )
    if isinstance(exc, TimedOut):
        return DeliveryError("Telegram did not answer in time")
    if isinstance(exc, NetworkError):
        return DeliveryError(f"Telegram unreachable: {_short(exc.message)}")
    return DeliveryError(f"Telegram error: {_short(exc.message)}")


def may_have_arrived(exc: TimedOut) -> bool:
    """False only when the request never left (no connection, no free pool slot): a read or
    write timeout, or one of unknown cause, may have reached Telegram."""
    return not isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)


def retry_after_seconds(exc: RetryAfter) -> float:
    """``exc.retry_after`` in seconds, without PTB's int-vs-timedelta deprecation warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def build_keyboard(
    rows: Sequence[Sequence[Mapping[str, object]]] | None,
) -> InlineKeyboardMarkup | None:
    """Turn payload ``buttons`` (``agents.messaging.Buttons``) into an inline keyboard.

    ``ValueError`` says what is wrong.

    Checked here because Telegram answers a bad button with a vague "BUTTON_DATA_INVALID"
    for the whole message.
    """
    if not rows:
        return None
    keyboard: list[list[InlineKeyboardButton]] = []
    for row in rows:
        if not isinstance(row, Sequence) or isinstance(row, str | bytes):
            raise ValueError("buttons must be a list of rows (lists of buttons)")
        line: list[InlineKeyboardButton] = []
        for button in row:
            if not isinstance(button, dict):
                raise ValueError("each button must be an object")
            label = button.get("text")
            data = button.get("callback_data")
            url = button.get("url")
            if not isinstance(label, str) or not label:
                raise ValueError("a button needs a non-empty text")
            if (data is None) == (url is None):
                raise ValueError(f"button {label!r} needs exactly one of callback_data or url")
            if data is not None:
                if not isinstance(data, str) or not data:
                    raise ValueError(f"button {label!r}: callback_data must be a non-empty string")
                if len(data.encode()) > MAX_CALLBACK_DATA_BYTES:
                    raise ValueError(
                        f"button {label!r}: callback_data is over {MAX_CALLBACK_DATA_BYTES} bytes"
                    )
                line.append(InlineKeyboardButton(label, callback_data=data))
            else:
                if not isinstance(url, str) or not url:
                    raise ValueError(f"button {label!r}: url must be a non-empty string")
                line.append(InlineKeyboardButton(label, url=url))
        if line:
            keyboard.append(line)
    return InlineKeyboardMarkup(keyboard) if keyboard else None


async def send_with_retry(
    call: Callable[[], Awaitable[T]],
    *,
    attempts: int = 5,
    base_delay: float = 0.5,
    max_delay: float = 30.0,
    max_wait: float = 60.0,
    sleep: Callable[[float], Awaitable[object]] = asyncio.sleep,
) -> T:
    """Await ``call()`` until it succeeds, retrying flood control and network errors.

    For replies inside bot handlers, which are not queued. ``RetryAfter`` waits what Telegram
    asks (re-raised if that is over ``max_wait``: a handler should not hang for minutes);
    other ``NetworkError``s back off ``base_delay * 2**n`` capped at ``max_delay``.
    ``BadRequest``, ``Forbidden`` and the last failure are raised as they are. ``call`` must
    build a fresh coroutine each time (``lambda: bot.send_message(...)``). A ``TimedOut``
    send may have arrived, so a retry can duplicate it; fine for replies, not for payments.
    """
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except RetryAfter as exc:
            delay = retry_after_seconds(exc)
            if attempt == attempts or delay > max_wait:
                raise
        except BadRequest:
            raise
        except NetworkError:
            if attempt == attempts:
                raise
            delay = min(max_delay, base_delay * 2 ** (attempt - 1))
        log.debug(
            "telegram call failed (attempt %d/%d), retrying in %.2f s", attempt, attempts, delay
        )
        await sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


def _chat_id(recipient: str) -> int:
    try:
        return int(recipient.strip())
    except (ValueError, AttributeError):
        raise DeliveryError(
            f"Telegram recipient must be a numeric chat id, got {recipient!r:.40}", permanent=True
        ) from None


def _parse_payload(payload: dict[str, Any]) -> tuple[str, InlineKeyboardMarkup | None, int | None]:
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        raise DeliveryError("Telegram payload has no text", permanent=True)
    edit_id = payload.get("edit_message_id")
    if edit_id is not None and (isinstance(edit_id, bool) or not isinstance(edit_id, int)):
        raise DeliveryError("Telegram payload: edit_message_id must be an integer", permanent=True)
    try:
        markup = build_keyboard(payload.get("buttons"))
    except ValueError as exc:
        raise DeliveryError(f"Telegram payload: {exc}", permanent=True) from None
    return truncate(text, MAX_MESSAGE_LENGTH), markup, edit_id


def _short(message: str, limit: int = 200) -> str:
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"
