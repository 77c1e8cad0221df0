"""Availability in words: "Mon-Fri 09:00-17:00", "2026-03-10 off", "Friday afternoon".

Deterministic parsers (no LLM): what an owner types in Telegram or on the command line becomes
``WeeklyWindow``/``DateOverride`` values or a clear ``InvalidInput`` saying what to write.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, time, timedelta

from agents.meetings.availability import DateOverride, WeeklyWindow
from store.errors import InvalidInput

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DAY_NAMES = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
PARTS = {
    "morning": (time(8), time(12)),
    "afternoon": (time(12), time(18)),
    "evening": (time(18), time(22)),
}
_TIME = r"([01]?\d|2[0-3])[:.]([0-5]\d)"
_RANGE = re.compile(rf"^{_TIME}\s*-\s*{_TIME}$")
WEEKLY_HELP = 'Write weekly hours like "Mon-Fri 09:00-17:00" or "Mon,Wed 10:00-12:00 14:00-16:00".'
OVERRIDE_HELP = (
    'Write "YYYY-MM-DD off", "YYYY-MM-DD 13:00-15:00" or "YYYY-MM-DD block 12:00-13:00".'
)


def _day_index(word: str) -> int:
    key = word.strip().lower()[:3]
    if key not in DAYS:
        raise InvalidInput(f"{word.strip()!r} is not a weekday. {WEEKLY_HELP}")
    return DAYS.index(key)


def parse_days(text: str) -> list[int]:
    """``Mon-Fri``, ``Mon,Wed,Fri``, ``Sat`` -> weekday numbers."""
    result: list[int] = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-", 1)
            first, last = _day_index(a), _day_index(b)
            result += [d % 7 for d in range(first, last + (7 if last < first else 0) + 1)]
        else:
            result.append(_day_index(part))
    return sorted(set(result))


def parse_range(text: str) -> tuple[time, time]:
    """``09:00-17:00`` -> (09:00, 17:00); the end must be after the start."""
    match = _RANGE.match(text.strip())
    if match is None:
        raise InvalidInput(f"{text.strip()!r} is not a time range like 09:00-17:00.")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    start, end = time(h1, m1), time(h2, m2)
    if end <= start:
        raise InvalidInput(f"In {text.strip()!r} the end must be after the start.")
    return start, end


def parse_weekly(text: str) -> list[WeeklyWindow]:
    """``"Mon-Fri 09:00-12:00 13:00-17:00; Sat 10:00-12:00"`` -> windows."""
    windows: list[WeeklyWindow] = []
    for clause in re.split(r"[;\n]", text):
        words = clause.split()
        if not words:
            continue
        if len(words) < 2:
            raise InvalidInput(WEEKLY_HELP)
        days = parse_days(words[0])
        for rng in " ".join(words[1:]).replace(",", " ").split():
            start, end = parse_range(rng)
            windows += [WeeklyWindow(d, start, end) for d in days]
    if not windows:
        raise InvalidInput(WEEKLY_HELP)
    if len(windows) > 70:
        raise InvalidInput("At most 70 weekly windows.")
    return windows


def parse_override(text: str) -> DateOverride:
    """``2026-03-10 off`` | ``2026-03-10 13:00-15:00`` (extra) | ``... block 12:00-13:00``."""
    words = text.split()
    if len(words) < 2:
        raise InvalidInput(OVERRIDE_HELP)
    try:
        on = date.fromisoformat(words[0])
    except ValueError:
        raise InvalidInput(f"{words[0]!r} is not a date (YYYY-MM-DD). {OVERRIDE_HELP}") from None
    if words[1].lower() == "off" and len(words) == 2:
        return DateOverride(on, "off")
    if words[1].lower() == "block" and len(words) == 3:
        start, end = parse_range(words[2])
        return DateOverride(on, "block", start, end)
    if len(words) == 2:
        start, end = parse_range(words[1])
        return DateOverride(on, "extra", start, end)
    raise InvalidInput(OVERRIDE_HELP)


def parse_block(text: str, *, today: date) -> DateOverride:
    """``/block`` words: a day (today, tomorrow, a weekday, YYYY-MM-DD) and an optional part.

    The part is morning / afternoon / evening / all day / HH:MM-HH:MM; no part blocks the day.
    A weekday means its next occurrence (today counts).
    """
    words = text.lower().replace(",", " ").split()
    if not words:
        raise InvalidInput('Say what to block, e.g. "/block Friday afternoon".')
    head, rest = words[0], words[1:]
    if head == "today":
        on = today
    elif head == "tomorrow":
        on = today + timedelta(days=1)
    elif head[:3] in DAYS and head.isalpha():
        on = today + timedelta(days=(DAYS.index(head[:3]) - today.weekday()) % 7)
    else:
        try:
            on = date.fromisoformat(head)
        except ValueError:
            raise InvalidInput(
                f"I could not read a day in {text!r}: use today, tomorrow, a weekday or "
                "YYYY-MM-DD, then morning / afternoon / evening / 09:00-11:00."
            ) from None
    part = " ".join(rest)
    if part in ("", "all day", "whole day", "day"):
        return DateOverride(on, "block")
    if part in PARTS:
        start, end = PARTS[part]
        return DateOverride(on, "block", start, end)
    start, end = parse_range(part)
    return DateOverride(on, "block", start, end)


def format_weekly(rules: Sequence[WeeklyWindow]) -> str:
    """Windows grouped by day, one line per weekday ("Mon 09:00-17:00")."""
    if not rules:
        return "no weekly hours (nobody can book)"
    lines = []
    for d in range(7):
        spans = sorted((r.start, r.end) for r in rules if r.weekday == d)
        if spans:
            text = ", ".join(f"{s:%H:%M}-{e:%H:%M}" for s, e in spans)
            lines.append(f"{DAY_NAMES[d]} {text}")
    return "\n".join(lines)


def format_override(o: DateOverride) -> str:
    when = f"{o.on_date:%a %Y-%m-%d}"
    if o.start is None or o.end is None:
        return f"{when}: {'off' if o.kind == 'off' else 'blocked all day'}"
    label = {"extra": "extra hours", "block": "blocked"}.get(o.kind, o.kind)
    return f"{when}: {label} {o.start:%H:%M}-{o.end:%H:%M}"
