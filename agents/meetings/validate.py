"""Checks for what a guest types: name, email, topic, zone. Clear ``InvalidInput`` on failure.

What passes here reaches the owner's Telegram card and the invites, so it must read as what it
is: no control characters, no invisible format characters (Unicode Cf: bidi overrides such as
U+202E that reorder the card's text, zero-width spaces, BOMs) and no lone surrogates.
"""

from __future__ import annotations

import re
import unicodedata
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store.errors import InvalidInput

MAX_NAME = 100
MAX_TOPIC = 1000
_LOCAL = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$")
_DOMAIN = re.compile(r"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z0-9-]{2,63}$")


def _no_controls(text: str, *, keep_newlines: bool) -> bool:
    allowed = {"\n", "\t"} if keep_newlines else set()
    return not any(unicodedata.category(c) in ("Cc", "Cs") and c not in allowed for c in text)


def _invisible(text: str) -> bool:
    return any(unicodedata.category(c) == "Cf" for c in text)


def clean_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput("Please enter your name.")
    if len(name) > MAX_NAME or not _no_controls(name, keep_newlines=False):
        raise InvalidInput(f"Your name can be at most {MAX_NAME} characters of plain text.")
    if _invisible(name):
        raise InvalidInput(
            "Your name contains invisible or text-direction characters; please type it plainly."
        )
    return name


def clean_email(value: str) -> str:
    address = value.strip()
    if len(address) > 254 or address.count("@") != 1:
        raise InvalidInput("Please enter a valid email address (like ada@example.org).")
    local, domain = address.split("@")
    if (
        local.startswith(".")
        or local.endswith(".")
        or ".." in local
        or not _LOCAL.match(local)
        or not _DOMAIN.match(domain)
    ):
        raise InvalidInput("Please enter a valid email address (like ada@example.org).")
    return address


def clean_topic(value: str) -> str:
    """The topic without invisible format characters (free text: dropped, not refused)."""
    topic = "".join(c for c in value if unicodedata.category(c) != "Cf")
    topic = topic.strip().replace("\r\n", "\n")
    if len(topic) > MAX_TOPIC or not _no_controls(topic, keep_newlines=True):
        raise InvalidInput(f"The topic can be at most {MAX_TOPIC} characters of plain text.")
    return topic


def clean_zone(value: str) -> str:
    zone = value.strip()
    if not zone or len(zone) > 64:
        raise InvalidInput("Unknown time zone: use an IANA name like Europe/Berlin.")
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"Unknown time zone {zone!r}: use a name like Europe/Berlin.") from None
    return zone
