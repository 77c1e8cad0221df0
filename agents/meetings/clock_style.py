"""12- or 24-hour times for a guest: the rule behind the booking page's default, and the format.

The page defaults from the browser's ``Accept-Language``: its most preferred language tag with a
region decides. 12-hour where that region writes times that way in everyday use: the United
States, Canada (English; ``fr-CA`` is 24-hour), Australia, New Zealand, India, Pakistan,
Bangladesh, the Philippines, Egypt and Saudi Arabia (``en-US``, ``en-CA``, ``en-AU``,
``en-NZ``, ``en-IN``, ``hi-IN``, ``es-US``, ...). A bare language (``en``), any other region,
no header or an unreadable one: 24-hour. The guest can always switch (``?clock=12|24``).
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

Clock = Literal[12, 24]

TWELVE_HOUR_REGIONS = frozenset({"US", "CA", "AU", "NZ", "IN", "PK", "BD", "PH", "EG", "SA"})
_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_]([A-Za-z]{4}))?(?:[-_]([A-Za-z]{2}|[0-9]{3}))?")


def _ranked(header: str) -> list[str]:
    """Language tags of an ``Accept-Language`` header, most preferred first."""
    scored: list[tuple[float, int, str]] = []
    for i, part in enumerate(header.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if tag and tag != "*" and q > 0:
            scored.append((-q, i, tag))
    return [tag for _, _, tag in sorted(scored)]


def clock_for(accept_language: str | None) -> Clock:
    """12 or 24 for the most preferred language of ``accept_language`` (see module doc)."""
    tags = _ranked(accept_language or "")
    match = _TAG.match(tags[0]) if tags else None
    if match is None or match.group(3) is None:
        return 24
    language, region = match.group(1).lower(), match.group(3).upper()
    if region == "CA" and language == "fr":
        return 24
    return 12 if region in TWELVE_HOUR_REGIONS else 24


def hm(at: datetime, clock: Clock = 24) -> str:
    """``14:30`` or ``2:30 PM``."""
    if clock == 24:
        return f"{at:%H:%M}"
    hour = at.hour % 12 or 12
    return f"{hour}:{at:%M} {'AM' if at.hour < 12 else 'PM'}"
