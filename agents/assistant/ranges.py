"""Date ranges the assistant talks about: words -> a canonical name -> local day bounds.

The model (or the rules) only names a range ("tomorrow", "this_week", "thursday",
"2026-04-02"); the dates come from here, in the owner's zone, from a given ``now``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from store.errors import InvalidInput

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
NAMED = ("today", "tomorrow", "this_week", "next_week", "weekend", "upcoming", *WEEKDAYS)
UPCOMING_DAYS = 30

_EN_DAYS = {
    "mon": 0, "monday": 0, "tue": 1, "tues": 1, "tuesday": 1, "wed": 2, "weds": 2,
    "wednesday": 2, "thu": 3, "thur": 3, "thurs": 3, "thursday": 3, "fri": 4, "friday": 4,
    "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}  # fmt: skip
_ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b|(\d{4})年(\d{1,2})月(\d{1,2})[日号]")
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b|今天|今晚|今儿"),
        "today",
    ),
    (re.compile(r"\b(?:tomorrow|tmrw|tmr|tomorow|2moro)\b|明天|明早|明晚|明儿"), "tomorrow"),
    (re.compile(r"\bnext week\b|下周|下星期|下礼拜"), "next_week"),
    (re.compile(r"\bweekend\b|周末"), "weekend"),
    (re.compile(r"\bthis week\b|本周|这周|这星期|这礼拜|\bweek\b"), "this_week"),
)


def find_range(norm: str) -> str | None:
    """The canonical range a normalized (lower-case) text names, or None."""
    iso = _ISO.search(norm)
    if iso:
        y, m, d = (int(g) for g in (iso.groups()[:3] if iso.group(1) else iso.groups()[3:]))
        try:
            return date(y, m, d).isoformat()
        except ValueError:
            return None
    for pattern, name in _PATTERNS:
        if pattern.search(norm):
            return name
    for word in re.findall(r"[a-z]+", norm):
        if word in _EN_DAYS:
            return WEEKDAYS[_EN_DAYS[word]]
    zh = re.search(r"(?:周|星期|礼拜)([一二三四五六日天])", norm)
    if zh:
        return WEEKDAYS[_ZH_DAYS[zh.group(1)]]
    return None


def bounds(name: str, *, now: datetime, timezone: str) -> tuple[datetime, datetime]:
    """``[start, end)`` of a canonical range of the owner's local days, in UTC (as stored).

    UTC also makes the arithmetic right: two datetimes of one ``ZoneInfo`` subtract as wall
    clocks, so a local day across a DST change would look 24 h long.
    """
    tz = ZoneInfo(timezone)
    today = now.astimezone(tz).date()
    if name == "today":
        first, days = today, 1
    elif name == "tomorrow":
        first, days = today + timedelta(days=1), 1
    elif name == "this_week":
        first, days = today, 7 - today.weekday()
    elif name == "next_week":
        first, days = today + timedelta(days=7 - today.weekday()), 7
    elif name == "weekend":
        first = today + timedelta(days=max(0, 5 - today.weekday()))
        days = 7 - first.weekday()
    elif name == "upcoming":
        first, days = today, UPCOMING_DAYS
    elif name in WEEKDAYS:
        first, days = today + timedelta(days=(WEEKDAYS.index(name) - today.weekday()) % 7), 1
    else:
        try:
            first, days = date.fromisoformat(name), 1
        except ValueError:
            raise InvalidInput(f"I don't know the range {name[:40]!r}.") from None
    start = datetime.combine(first, time(0), tz).astimezone(UTC)
    end = datetime.combine(first + timedelta(days=days), time(0), tz).astimezone(UTC)
    return start, end
