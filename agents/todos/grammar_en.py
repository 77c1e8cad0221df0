"""English phrasings: dates, times, priorities and notes, each consumed from a ``Scanner``.

Repeats ("every ...") live in ``repeat_en``.

Word lists follow Todoist's Quick Add where they overlap ("every!", "p1", "every 3rd friday",
"every last day"). Abbreviated weekday names only count after a preposition ("on sat"), so
"sat nav" stays in the title; "tom" is never "tomorrow" (it is usually a name).
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from agents.todos.model import Found
from agents.todos.scanner import Scanner, make_date
from store.errors import InvalidInput

_I = re.IGNORECASE
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5,
    "sat": 5, "sunday": 6, "sun": 6,
}  # fmt: skip
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "last": -1}
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_PARTS = {"morning": time(9), "afternoon": time(14), "evening": time(19), "night": time(21)}

WD_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
WD_ANY = (
    r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday"
    r"|mon|tues?|wed|thu(?:rs?)?|fri|sat|sun)"
)
MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
NUM = r"(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
ORD = r"(?:(\d{1,2})(?:st|nd|rd|th)|first|second|third|fourth|fifth|last)"
UNIT = r"(?:day|week|month|year)"


def num(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else NUMBERS[word]


def wd(word: str) -> int:
    return WEEKDAYS[word.lower().rstrip(".")]


# ---------------------------------------------------------------- priority and notes

_NOTES = re.compile(r"\s(?://|--)\s*(.*)$|\bnotes?:\s*(.*)$", _I | re.DOTALL)
_PRIORITY = re.compile(r"(?<![\w!])(?:p([1-4])|(urgent|asap)|(!!!?)|(important))(?![\w!])", _I)


def take_notes(scan: Scanner, found: Found) -> None:
    match = scan.first(_NOTES)
    if match:
        found.notes = (match.group(1) or match.group(2) or "").strip()


def take_priority(scan: Scanner, found: Found) -> None:
    for match in scan.take(_PRIORITY):
        level = (
            int(match.group(1)) if match.group(1) else 1 if match.group(2) or match.group(3) else 2
        )
        found.priority = min(found.priority, level)


# ---------------------------------------------------------------- dates

_PREP = r"(?:\b(?:on|by|due|before|starting|from|for)\s+)?"
_D_NAMED = re.compile(
    _PREP
    + r"\b(the\s+day\s+after\s+tomorrow|day\s+after\s+tomorrow|today|tonight|tomorrow|tmrw|tmr)\b",
    _I,
)
_D_NEXT_WD = re.compile(_PREP + r"\b(next|this|coming)\s+(" + WD_ANY + r")\b", _I)
_D_WD = re.compile(
    r"(?:\b(?:on|by|due|before|starting|from)\s+(" + WD_ANY + r")|\b(" + WD_FULL + r"))\b", _I
)
_D_NEXT = re.compile(
    _PREP
    + r"\b(next\s+week|next\s+month|next\s+year|this\s+weekend|the\s+weekend"
    + r"|end\s+of\s+(?:the\s+)?(?:month|week))\b",
    _I,
)
_D_IN = re.compile(
    r"\bin\s+(" + NUM + r"|half\s+an?)\s+(minute|min|hour|hr|day|week|month|year)s?\b", _I
)
_D_ISO = re.compile(_PREP + r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_D_MD = re.compile(
    _PREP + r"\b(" + MONTH + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?", _I
)
_D_DM = re.compile(
    _PREP
    + r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?("
    + MONTH
    + r")\b(?:,?\s+(\d{4})\b)?",
    _I,
)
_D_NTH = re.compile(r"\b(?:on|by)\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b", _I)


def _next_weekday(today: date, weekday: int) -> date:
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def month_add(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def dated(year: int | None, month: int, day: int, today: date) -> date:
    if year is not None:
        return make_date(year, month, day)
    make_date(2024, month, day)  # "Feb 30" fails here whatever the year; "Feb 29" waits
    for y in range(today.year, today.year + 9):
        try:
            candidate = date(y, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise InvalidInput(f"{month}/{day} does not come up again soon.")


def take_date(scan: Scanner, found: Found, today: date) -> None:
    """Find one date phrase (also "in 2 hours", which sets an exact offset)."""
    if m := scan.first(_D_NAMED):
        word = re.sub(r"\s+", " ", m.group(1).lower())
        offset = {"today": 0, "tonight": 0, "tomorrow": 1, "tmrw": 1, "tmr": 1}.get(word, 2)
        found.date = today + timedelta(days=offset)
        if word == "tonight":
            found.period = "pm"
            found.default_time = DAY_PARTS["night"]
    elif m := scan.first(_D_NEXT_WD):
        which, weekday = m.group(1).lower(), wd(m.group(2))
        coming = _next_weekday(today, weekday)
        if which == "this" and today.weekday() == weekday:
            found.date = today
        elif which == "next" and today.weekday() == weekday:
            found.date_options = (coming, coming + timedelta(days=7))
            found.date_phrase = m.group(0).strip()
        else:
            found.date = coming
    elif m := scan.first(_D_NEXT):
        word = re.sub(r"\s+", " ", m.group(1).lower())
        if word == "next week":
            found.date = today + timedelta(days=7 - today.weekday())
        elif word == "next month":
            found.date = month_add(today.replace(day=1), 1)
        elif word == "next year":
            found.date = date(today.year + 1, 1, 1)
        elif word.endswith("weekend"):
            found.date = today if today.weekday() == 5 else _next_weekday(today, 5)
        elif word.endswith("week"):
            found.date = today + timedelta(days=(4 - today.weekday()) % 7)
        else:
            found.date = month_add(today.replace(day=1), 1) - timedelta(days=1)
    elif m := scan.first(_D_IN):
        amount = m.group(1).lower()
        n = 0.5 if amount.startswith("half") else num(amount)
        unit = m.group(2).lower()
        if unit in ("minute", "min"):
            found.relative = timedelta(minutes=n)
        elif unit in ("hour", "hr"):
            found.relative = timedelta(hours=n)
        elif unit == "day":
            found.date = today + timedelta(days=int(n))
        elif unit == "week":
            found.date = today + timedelta(weeks=int(n))
        else:
            found.date = month_add(today, int(n) * (12 if unit == "year" else 1))
    elif m := scan.first(_D_ISO):
        found.date = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif m := scan.first(_D_MD):
        year = int(m.group(3)) if m.group(3) else None
        found.date = dated(year, MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2)), today)
    elif m := scan.first(_D_DM):
        year = int(m.group(3)) if m.group(3) else None
        found.date = dated(year, MONTHS[m.group(2).lower()], int(m.group(1)), today)
    elif m := scan.first(_D_NTH):
        day = int(m.group(1))
        if not 1 <= day <= 31:
            raise InvalidInput(f"A month has no day {day}.")
        candidate = today
        for _ in range(62):
            if candidate.day == day and candidate >= today:
                break
            candidate += timedelta(days=1)
        found.date = candidate
    elif m := scan.first(_D_WD):
        found.date = _next_weekday(today, wd(m.group(1) or m.group(2)))


# ---------------------------------------------------------------- times

_T_AMPM = re.compile(
    r"(?:\b(?:at|by|around|@)\s*|@\s*)?\b(\d{1,2})(?:[:.](\d{2}))?\s*(a\.?m\.?|p\.?m\.?)(?!\w)", _I
)
_T_COLON = re.compile(r"(?:\b(?:at|by|around)\s+|@\s*)?\b(\d{1,2}):(\d{2})\b", _I)
_T_AT = re.compile(r"(?:\b(?:at|around)\s+|@\s*)(\d{1,2})(?:\s*o'?clock)?\b(?![:./-]\d)", _I)
_T_OCLOCK = re.compile(r"\b(\d{1,2})\s*o'?clock\b", _I)
_T_WORD = re.compile(r"(?:\b(?:at|by|around)\s+)?\b(noon|midday|midnight)\b", _I)
_T_PART = re.compile(
    r"(?:\b(?:in\s+the|this|tomorrow|every)\s+)?\b(morning|afternoon|evening|night)\b", _I
)


def take_time(scan: Scanner, found: Found) -> None:
    """Find one clock time; a bare "at 7" keeps the hour ambiguous for a question."""
    if m := scan.first(_T_AMPM):
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if not 1 <= hour <= 12 or minute > 59:
            raise InvalidInput(f"“{m.group(0).strip()}” is not a time of day.")
        pm = m.group(3).lower().startswith("p")
        found.time = time(hour % 12 + (12 if pm else 0), minute)
    elif m := scan.first(_T_COLON):  # "7:30" / "19:30" read as a 24-hour clock
        _clock(found, int(m.group(1)), int(m.group(2)), "0" + m.group(1), m.group(0))
    elif m := scan.first(_T_AT) or scan.first(_T_OCLOCK):
        _clock(found, int(m.group(1)), 0, m.group(1), m.group(0))
    elif m := scan.first(_T_WORD):
        found.time = time(23, 59) if m.group(1).lower() == "midnight" else time(12)
    if m := scan.first(_T_PART):
        part = m.group(1).lower()
        found.period = "am" if part == "morning" else "pm"
        if found.default_time is None:
            found.default_time = DAY_PARTS[part]


def _clock(found: Found, hour: int, minute: int, raw: str, phrase: str) -> None:
    if hour > 23 or minute > 59:
        raise InvalidInput(f"“{phrase.strip()}” is not a time of day.")
    if 1 <= hour <= 11 and not raw.startswith("0"):
        found.ambiguous_hour, found.minute = hour, minute
        found.time_phrase = phrase.strip()
    else:
        found.time = time(hour, minute)


_HINTS = re.compile(
    r"\b(?:today|tonight|tomorrow|yesterday|fortnight|o'clock|" + WD_FULL + r"|"
    r"(?:" + MONTH + r")\.?\s+\d{1,2}|\d{1,2}(?:st|nd|rd|th)\s+(?:of\s+)?" + MONTH + r"|"
    r"in\s+" + NUM + r"\s+\w+s?|every\s+\w+|each\s+\w+)\b|\d{1,2}:\d{2}|\b\d{1,2}/\d{1,2}\b|"
    r"\b\d{1,2}\s*(?:am|pm)\b",
    _I,
)


def leftover_hints(rest: str) -> list[str]:
    """Date-like words the rules did not understand (a reason to ask the LLM)."""
    return [m.group(0) for m in _HINTS.finditer(rest)]
