"""Every link a message carries: booking page, one-click slot, and the guest's manage link.

Manage links are signed and expiring (cancel / reschedule), keyed by ``secret_key``. A token
is ``<booking id>.<expiry unix>.<hmac>``; the HMAC also covers the booking's random
``manage_token``, which is replaced on every reschedule, so older links stop working.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from datetime import UTC, datetime
from urllib.parse import urlencode

from agents.context import AppContext
from agents.meetings.availability import Slot
from store.errors import InvalidInput, NotFound
from store.models import Booking

_TOKEN = re.compile(r"^(\d{1,12})\.(\d{1,12})\.([0-9a-f]{32})$")


def _sig(secret: str, booking_id: int, nonce: str, expires: int) -> str:
    message = f"manage:{booking_id}:{nonce}:{expires}".encode()
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()[:32]


def make_token(secret: str, *, booking_id: int, nonce: str, expires: datetime) -> str:
    stamp = int(expires.timestamp())
    return f"{booking_id}.{stamp}.{_sig(secret, booking_id, nonce, stamp)}"


def booking_id_of(token: str) -> int:
    """The booking a token names (not yet trusted); malformed tokens are ``NotFound``."""
    match = _TOKEN.match(token)
    if match is None:
        raise NotFound("This link is not valid. Use the link from your latest email.")
    return int(match.group(1))


def verify(secret: str, token: str, *, nonce: str, now: datetime) -> None:
    """Raise ``NotFound`` for a forged or outdated link, ``InvalidInput`` for an expired one."""
    match = _TOKEN.match(token)
    if match is None:
        raise NotFound("This link is not valid. Use the link from your latest email.")
    booking_id, stamp, sig = int(match.group(1)), int(match.group(2)), match.group(3)
    if not hmac.compare_digest(sig, _sig(secret, booking_id, nonce, stamp)):
        raise NotFound("This link is not valid. Use the link from your latest email.")
    if datetime.fromtimestamp(stamp, UTC) <= now:
        raise InvalidInput("This link has expired: the meeting has already started.")


def manage_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/book/manage/{token}"


def manage_link(ctx: AppContext, booking: Booking) -> str:
    """The guest's link to cancel or move ``booking``, valid until it starts."""
    token = make_token(
        ctx.config.secret_key,
        booking_id=booking.id,
        nonce=booking.manage_token,
        expires=booking.start_at,
    )
    return manage_url(ctx.config.public_url, token)


def page_link(ctx: AppContext, slug: str) -> str:
    return f"{ctx.config.public_url.rstrip('/')}/book/{slug}"


def slot_link(ctx: AppContext, slug: str, slot: Slot, tz: str, kind: str = "") -> str:
    """A link that opens the booking form for ``slot`` (shown in ``tz``), of meeting type
    ``kind`` ('' = the page's first)."""
    length = int((slot.end - slot.start).total_seconds() // 60)
    values: dict[str, str | int] = {"start": slot.start.isoformat(), "length": length, "tz": tz}
    if kind:
        values["type"] = kind
    query = urlencode(values)
    return f"{page_link(ctx, slug)}/slot?{query}"
