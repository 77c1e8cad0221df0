"""What a delivery channel looks like to the rest of errands.

Agents and jobs only enqueue outbox rows; the dispatcher (``jobs``) hands each due row to the
``Notifier`` for its channel. Implementations live at the edges (``bots/telegram``,
``bots/email``) and are built in ``errands/``.

Payloads by channel:

- ``telegram``: ``{"text": HTML str, "buttons": [[{"text", "callback_data" | "url"}]],
  "edit_message_id": int | None, "disable_preview": bool}``; result ``{"message_id": int}``.
- ``email``: ``{"subject": str, "text": str, "html": str | None, "ics": str | None,
  "ics_method": "REQUEST" | "CANCEL" | None}``; result ``{"message_id": str}``.
"""

from __future__ import annotations

from typing import Any, Protocol

from store.errors import ErrandsError


class DeliveryError(ErrandsError):
    """A send failed. ``permanent`` means retrying cannot help (bad chat, rejected address)."""

    def __init__(
        self, message: str, *, permanent: bool = False, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.retry_after = retry_after


class Notifier(Protocol):
    """Delivers one payload to one recipient on one channel."""

    channel: str

    async def deliver(self, recipient: str, payload: dict[str, Any]) -> dict[str, Any]:
        """Send; return what later steps need (e.g. the message id). Raise ``DeliveryError``."""
        ...

    def mark_late(self, payload: dict[str, Any]) -> dict[str, Any]:
        """A copy of ``payload`` that says plainly it is late (it fell due while errands was
        down); only the channel knows where that goes (a Telegram text, a mail subject)."""
        ...


LATE_MARK = "(late)"
