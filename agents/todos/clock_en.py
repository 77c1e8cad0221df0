"""English clock times: "6pm", "9a", "18:30", "1730", "at 7", "half past 4", "quarter to 11",
British "half 7", "ten to 6 pm", "noon(ish)", "half past midnight".

A bare hour 1-11 ("at 7", "9ish", "half 3") stays ambiguous unless a day part says which half
of the day it is ("this afternoon", "tonight", "every evening", "in the morning", "tmrw am"). A
24-hour "7:30" is a morning time unless such a word says evening ("this evening at 7:30").
"""

from __future__ import annotations

import re
from datetime import time

from agents.todos.model import Found
from agents.todos.scanner import Scanner
from agents.todos.words_en import DAY_PARTS, PART_PERIOD, TODAY, TOMORROW, WD_ANY
from store.errors import InvalidInput

_I = re.IGNORECASE
HOURS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "noon": 12, "midday": 12, "midnight": 0,
}  # fmt: skip
MINUTES = {
    "five": 5, "ten": 10, "quarter": 15, "a quarter": 15, "twenty": 20, "twenty-five": 25,
    "twenty five": 25, "half": 30, "fifteen": 15, "thirty": 30, "forty-five": 45,
    "forty five": 45, "5": 5, "10": 10, "20": 20, "25": 25,
}  # fmt: skip
_WORD_HOUR = r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_HOUR = r"(\d{1,2}|" + _WORD_HOUR + r")"
_AT = ""
LEAD = re.compile(r"(?:\b(?:at|by|around|about|before|after|from|until|till)\s*|[@~]\s*)$", _I)
_AMPM = r"(a\.?m\.?|p\.?m\.?)(?!\w)"
_NOT_COUNT = (
    r"(?!\s+(?:pages?|items?|people|things|words|questions|problems|chapters|slides|emails|mins?"
    r"|minutes|hours?|days|weeks|percent|dollars|euros|pounds|kg|km|miles|times|of)\b)"
)
_T_PAST = re.compile(
    _AT + r"\b(half|(?:a\s+)?quarter|five|ten|twenty(?:[- ]five)?|5|10|20|25)(?:\s+minutes)?\s+"
    r"(past|after|to|til|till)\s+(\d{1,2}|"
    + _WORD_HOUR
    + r"|noon|midday|midnight)(?:\b|(?<=\d)(?=[ap]))"
    r"(?:\s*o'?clock)?(?:\s*" + _AMPM + r")?" + _NOT_COUNT,
    _I,
)
_T_HALF = re.compile(  # British "half 7" = 7:30
    _AT + r"\bhalf\s+(\d{1,2}|" + _WORD_HOUR + r")\b(?!\s*(?:an?\b|hours?|days?|[:./]\d))"
    r"(?:\s*" + _AMPM + r")?" + _NOT_COUNT,
    _I,
)
_T_AMPM = re.compile(_AT + r"\b" + _HOUR + r"(?:[:.](\d{2}))?\s*" + _AMPM, _I)
_T_AP = re.compile(_AT + r"\b(\d{1,2})(?::(\d{2}))?([ap])\b", _I)  # "9a", "7:30p"
_T_WORDS = re.compile(
    r"(?:\b(?:at|around|by)\s+|@\s*)"
    + _HOUR
    + r"[\s-]+(fifteen|thirty|forty[- ]five)\b(?:\s*"
    + _AMPM
    + ")?",
    _I,
)
_T_COLON = re.compile(r"(?:\b(?:at|by|around|about|from)\s+|[@~]\s*)?\b(\d{1,2}):(\d{2})\b", _I)
_T_DOT = re.compile(r"(?:\b(?:at|by|around)\s+|[@~]\s*)(\d{1,2})[.h](\d{2})\b(?![.:/]\d)", _I)
_T_DOT_BARE = re.compile(  # "wed 8.30 standup", "at 21.15": only next to a date or a day part
    r"(?<![$€£\d.,])\b([01]?\d|2[0-3])\.([0-5]\d)\b(?![.\d])(?!\s*(?:%|kg|km|m\b|h\b|hours?|mins?))",
    _I,
)
_T_ZERO_HHMM = re.compile(r"(?<![\d.,$€£])\b(0\d)([0-5]\d)\b(?!\s*(?:am|pm))", _I)  # "0730 run"
_T_HHMM = re.compile(
    r"(?:\b(?:at|by|around)\s+|@\s*)([01]\d|2[0-3])([0-5]\d)\b(?!\s*(?:am|pm))", _I
)
_T_RANGE = re.compile(  # "7pm-9pm", "10-11am", "from 3 to 5pm": the start counts
    r"\b(?!(?:20|25)\s+to\s)(?:from\s+)?(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?\s*"
    r"(?:-|–|to|till|until)\s*"
    r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)\b",
    _I,
)
_TO_CLOCK = re.compile(r"(?:5|10|20|25)\s+to\s+\d", _I)  # no "from": a range or "ten to 8"
_T_AT = re.compile(
    r"(?:\b(?:at|around|before|after|by|until|till)\s+|[@~]\s*)"
    + _HOUR
    + r"(?:\s*o'?clock)?(?:[\s-]?ish)?\b(?![:./-]\w)",
    _I,
)
_T_OCLOCK = re.compile(r"\b" + _HOUR + r"(?:\s*o'?clock|[\s-]?ish)\b", _I)
_T_WORD = re.compile(
    r"(?:\b(?:at|by|around|before)\s+)?\b(?:12\s*)?(noon|midday|midnight|lunchtime|lunch\s+time)"
    r"(?:-?ish)?\b",
    _I,
)
_PART_WORDS = (
    r"(?:tonight|tonite|this\s+(?:morning|afternoon|evening)|in\s+the\s+(?:morning|afternoon"
    r"|evening)|at\s+night|tomorrow\s+(?:morning|afternoon|evening|night)|(?:"
    + WD_ANY
    + r")\s+(?:morning|afternoon|evening|night))"
)
_COUNTED = (  # "chapter 7 tonight" is chapter seven, not seven o'clock
    r"(?<!chapter )(?<!page )(?<!episode )(?<!lesson )(?<!part )(?<!room )(?<!section )"
    r"(?<!step )(?<!level )(?<!unit )(?<!season )(?<!gate )(?<!no\. )(?<!# )(?<!#)"
)
_H = r"(1[0-2]|0?[1-9]|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
_T_BEFORE_PART = re.compile(
    r"(?<!past )(?<!after )(?<!to )(?<!till )(?<!half )"
    + _COUNTED
    + r"(?:\b(?:at|around|about|by)\s+)?\b"
    + _H
    + r"(?:[:.](\d{2}))?(?:\s*o'?clock|ish)?(?=\s+"
    + _PART_WORDS
    + r"\b)",
    _I,
)
_T_AFTER_PART = re.compile(  # "wed evening 6 pm": the am/pm after the hour is part of it
    r"\b"
    + _PART_WORDS
    + r"\s+"
    + _H
    + r"(?:[:.](\d{2}))?\b(?![:./]\d)(?:\s*"
    + _AMPM
    + r"|(?!\s+\w+s\b))",
    _I,
)
_T_DAY_AMPM = re.compile(r"\b(?:" + TOMORROW + "|" + TODAY + "|" + WD_ANY + r")\s+(am|pm)\b", _I)
_T_PART = re.compile(
    r"(?:\b(?:in\s+the|this|tomorrow|every|on\s+the)\s+)?\b(morning|afternoon|evening|night|eve)\b",
    _I,
)
_PARTS = {"eve": "evening"}
_WORD_BEFORE = re.compile(r"[^\W\d_]\s$")
_NOUN_AFTER = re.compile(r"\s+(?!(?:at|on|by|in|of|and|or|to|for|from|until)\b)[^\W\d_]")


def hour(word: str) -> int:
    return int(word) if word.isdigit() else HOURS[word.lower()]


def take_early(scan: Scanner, found: Found) -> None:
    """Read before the dates: "9 tonight", "tonight 10", "tmrw am" (their day words stay)."""
    low = found.low
    parts = _has(low, _PART_CUES)
    if parts and (m := scan.first(_T_BEFORE_PART)):
        _clock(found, hour(m.group(1)), int(m.group(2) or 0), m.group(1), m.group(0))
        return
    if parts and found.digits and (m := _T_AFTER_PART.search(scan.work)):
        if m.group(3):
            scan.consume(m.start(1), m.end(3))
            _ampm(found, hour(m.group(1)), int(m.group(2) or 0), m.group(3), m.group(0))
            return
        scan.consume(m.start(1), m.end(2) if m.group(2) else m.end(1))
        _clock(found, hour(m.group(1)), int(m.group(2) or 0), m.group(1), m.group(1))
        return
    if ("am" in low or "pm" in low) and (m := _T_DAY_AMPM.search(scan.work)):
        scan.consume(m.start(1), m.end(1))
        pm = m.group(1).lower() == "pm"
        found.period = "pm" if pm else "am"
        found.default_time = DAY_PARTS["afternoon" if pm else "morning"]


def take_time(scan: Scanner, found: Found) -> None:
    """Find one clock time; a bare "at 7" keeps the hour ambiguous for a question."""
    before = scan.work
    if found.time is None and found.ambiguous_hour is None:
        _take_clock(scan, found)
    if _has(found.low, _PART_CUES) and (m := _T_PART.search(scan.work)):
        bare = m.group(0) == m.group(1) and _NOUN_AFTER.match(scan.work, m.end()) is not None
        inside = bare and _WORD_BEFORE.search(scan.work, 0, m.start()) is not None
        if (
            bare
            and found.time is not None
            and not found.soft_clock
            and (inside or before[: m.start()] != scan.work[: m.start()])
        ):  # "1:15am night feed", "game night prep 6pm": with a clock time, a title word
            return
        if inside:  # "game night prep": a name, or tonight at 20:00?
            found.doubts.append((m.start(), m.end()))
        scan.consume_match(m)
        part = _PARTS.get(m.group(1).lower(), m.group(1).lower())
        found.period = found.period or PART_PERIOD[part]
        if found.default_time is None:
            found.default_time = DAY_PARTS[part]


def _has(low: str, cues: tuple[str, ...]) -> bool:
    """A cheap look before a costly rule: does the text hold any of ``cues``?"""
    return any(cue in low for cue in cues)


_PART_CUES = ("night", "tonite", "morning", "afternoon", "evening", "eve")
_PAST_CUES = ("past", "after", " to ", "til")
_AMPM_CUES = ("am", "pm", "a.m", "p.m")
_AT_CUES = ("at ", "around", "@", "~", "before", "after", "by ", "until", "till")


def _take_clock(scan: Scanner, found: Found) -> None:
    low, digits = found.low, found.digits
    if digits and _has(low, _AMPM_CUES) and (m := scan.first(_T_RANGE, LEAD)):
        start, end, suffix = int(m.group(1)), int(m.group(4)), m.group(3)
        if _TO_CLOCK.match(m.group(0)):  # "10 to 8 pm": 19:50, or 10 until 8 pm?
            found.doubts.append((m.start(), m.end()))
        if suffix is None:  # "10-11am": the end's am/pm, unless that makes the start later
            flip = start > end and start != 12
            suffix = {"am": "pm", "pm": "am"}[m.group(6).lower()] if flip else m.group(6)
        _ampm(found, start, int(m.group(2) or 0), suffix, m.group(0))
    elif _has(low, _PAST_CUES) and (m := scan.first(_T_PAST, LEAD)):
        _past(found, m)
    elif "half" in low and (m := scan.first(_T_HALF, LEAD)):
        if m.group(2):
            _ampm(found, hour(m.group(1)), 30, m.group(2), m.group(0))
        else:
            _clock(found, hour(m.group(1)), 30, m.group(1), m.group(0))
    elif m := (scan.first(_T_AMPM, LEAD) if _has(low, _AMPM_CUES) else None) or (
        scan.first(_T_AP, LEAD) if digits else None
    ):
        _ampm(found, hour(m.group(1)), int(m.group(2) or 0), m.group(3), m.group(0))
    elif _has(low, ("fifteen", "thirty", "forty")) and (m := scan.first(_T_WORDS)):
        h, word = hour(m.group(1)), " ".join(m.group(2).lower().replace("-", " ").split())
        if m.group(3):
            _ampm(found, h, MINUTES[word], m.group(3), m.group(0))
        else:
            _clock(found, h, MINUTES[word], m.group(1), m.group(0))
    elif digits and (
        m := scan.first(_T_COLON)
        or scan.first(_T_DOT)
        or scan.first(_T_HHMM)
        or scan.first(_T_ZERO_HHMM)
        or (scan.first(_T_DOT_BARE) if found.date or found.rule or found.date_options else None)
    ):
        _clock(found, int(m.group(1)), int(m.group(2)), "0" + m.group(1), m.group(0))
        found.soft_clock = found.time is not None and found.time.hour < 12
    elif m := (scan.first(_T_AT) if _has(low, _AT_CUES) else None) or (
        scan.first(_T_OCLOCK) if _has(low, ("clock", "ish")) else None
    ):
        _clock(found, hour(m.group(1)), 0, m.group(1), m.group(0))
    elif _has(low, ("noon", "midday", "midnight", "lunch")) and (m := scan.first(_T_WORD)):
        found.time = time(23, 59) if m.group(1).lower() == "midnight" else time(12)


def _past(found: Found, m: re.Match[str]) -> None:
    amount = " ".join(m.group(1).lower().split())
    way, word = m.group(2).lower(), m.group(3).lower()
    minute, h = MINUTES[amount], hour(word)
    if not 0 <= h <= 12:
        raise InvalidInput(f"“{m.group(0).strip()}” is not a time of day.")
    if way in ("to", "til", "till"):
        h, minute = (h - 1) % 24, 60 - minute
        if word == "midnight":
            h = 23
    if word in ("noon", "midday", "midnight"):
        found.time = time(h, minute)
    elif m.group(4):
        _ampm(found, h or 12, minute, m.group(4), m.group(0))
    else:
        _clock(found, h or 12, minute, str(h or 12), m.group(0))


def _ampm(found: Found, h: int, minute: int, suffix: str, phrase: str) -> None:
    if not 1 <= h <= 12 or minute > 59:
        raise InvalidInput(f"“{phrase.strip()}” is not a time of day.")
    pm = suffix.lower().startswith("p")
    found.time = time(h % 12 + (12 if pm else 0), minute)


def _clock(found: Found, h: int, minute: int, raw: str, phrase: str) -> None:
    if h > 23 or minute > 59:
        raise InvalidInput(f"“{phrase.strip()}” is not a time of day.")
    if 1 <= h <= 11 and not raw.startswith("0"):
        found.ambiguous_hour, found.minute = h, minute
        found.time_phrase = phrase.strip()
    else:
        found.time = time(h, minute)
