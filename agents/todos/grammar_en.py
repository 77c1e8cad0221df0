"""English phrasings: dates, priorities and notes, each consumed from a ``Scanner``.

Clock times live in ``clock_en``, repeats ("every ...") in ``repeat_en``, numeric dates and
holidays in ``numeric`` and ``holidays``. Word lists follow Todoist's Quick Add where they
overlap ("p1", "every 3rd friday"). A weekday said on that same weekday ("friday lunch" on a
Friday) is a question: today or in a week.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from agents.todos import holidays, numeric
from agents.todos.model import Found
from agents.todos.scanner import Scanner, make_date
from agents.todos.words_en import (
    BYDAY,
    DAY_PARTS,
    MONTH,
    MONTHS,
    NUM,
    SAT_SUN_NOUNS,
    TODAY,
    TOMORROW,
    TONIGHT,
    WD_ANY,
    WD_FULL,
    WD_SHORT,
    month_add,
    next_month_day,
    next_weekday,
    num,
    wd,
)
from agents.todos.words_en import dated as dated  # re-exported for the Chinese grammar

_I = re.IGNORECASE

# ---------------------------------------------------------------- priority and notes

_NOTES = re.compile(r"\s(?://|--)\s*(.*)$|\bnotes?:\s*(.*)$", _I | re.DOTALL)
_PRIORITY = re.compile(
    r"(?<![\w!])#?(?:p(?:riority\s*[:=]?\s*)?([1-4])|(urgent(?:ly)?!*|asap!*)|(!!!?)"
    r"|(important|high\s+priority)(!!)?!*)(?![\w!])[:,]?",
    _I,
)


_PRIORITY_CUES = ("p1", "p2", "p3", "p4", "priority", "urgent", "asap", "!!", "important")
_NAMED_CUES = ("tod", "ton", "tom", "tm", "2d", "2m", "2n", "tn", "tdy", "day after", "overmorrow")


def take_notes(scan: Scanner, found: Found) -> None:
    if "//" not in found.low and "--" not in found.low and "note" not in found.low:
        return
    match = scan.first(_NOTES)
    if match:
        found.notes = (match.group(1) or match.group(2) or "").strip()


def take_priority(scan: Scanner, found: Found) -> None:
    if not any(cue in found.low for cue in _PRIORITY_CUES):
        return
    for match in scan.take(_PRIORITY):
        level = (
            int(match.group(1))
            if match.group(1)
            else 1
            if match.group(2) or match.group(3) or match.group(5)
            else 2
        )
        found.priority = min(found.priority, level)


# ---------------------------------------------------------------- dates

LEAD = re.compile(r"\b(?:on|by|due|before|(?-i:b4)|starting|from|for|until|till)\s+$", _I)
_NEXT_LEAD = re.compile(
    r"\b(?:on|by|due|before|(?-i:b4)|starting|from|for|until|till|early)\s+$", _I
)
_NAMED_LEAD = re.compile(
    r"(?:\b(?:on|by|due|before|(?-i:b4)|starting|from|for|until|till)\s+)?"
    r"(?:\b(?:later|sometime|some\s+time|anytime)\s+)?$",
    _I,
)
_D_NAMED = re.compile(
    r"\b(the\s+day\s+after\s+(?:tomorrow|tmrw)|day\s+after\s+(?:tomorrow|tmrw)"
    r"|overmorrow|" + TODAY + "|" + TONIGHT + "|" + TOMORROW + r")\b",
    _I,
)
_WD_TAKEN = r"(" + WD_ANY + r")"
_NEXT_WEEK = r"(?:next|nxt)\s+(?:week|wk)"
_AFTER_NEXT = r"(?:the\s+)?(?:week|wk)\s+after\s+next"
_D_WD_NEXT_WEEK = re.compile(
    r"\b(?:(?P<a>"
    + WD_ANY
    + r")\s+(?:of\s+)?(?P<aw>"
    + _NEXT_WEEK
    + r"|"
    + _AFTER_NEXT
    + r"|(?:the\s+)?week\s+after)|(?P<bw>"
    + _NEXT_WEEK
    + r"|"
    + _AFTER_NEXT
    + r")(?:'s)?,?\s+(?:on\s+)?(?P<b>"
    + WD_ANY
    + r")|a\s+week\s+on\s+(?P<c>"
    + WD_ANY
    + r")|(?P<d>"
    + WD_ANY
    + r")\s+week)\b",
    _I,
)
_D_AFTER_NEXT = re.compile(r"\b(?:the\s+)?(" + WD_ANY + r")\s+after\s+next\b", _I)
_D_NEXT_WD = re.compile(r"\b(next|this|coming|this\s+coming|upcoming)\s+(" + WD_ANY + r")\b", _I)
_D_WD = re.compile(
    r"(?:\b(?:on|by|due|before|(?-i:b4)|starting|from|until|till)\s+(" + WD_ANY + r")"
    r"|\b(" + WD_FULL + r"|" + WD_SHORT + r")(?:\.(?!\d))?"
    r"|(?<!\bthe\s)(?<!\ba\s)\b(sat|sun)(?=\s{3}|\s*(?:\d|at\b|@|am\b|pm\b|morning|afternoon|evening|night|eve\b|noon"
    r"|$|[,;.!:]|//))"
    r"|^\s*((?-i:sat|Sat|sun|Sun))(?=\s+(?!" + SAT_SUN_NOUNS + r")[a-z]))"
    r"(?!\w)(?![.@][a-z])",  # three blanks: "am" read as a day part
    _I,
)
_D_NEXT = re.compile(
    r"\b(?:sometime\s+)?((?:next|nxt)\s+(?:week|wk)|next\s+month|next\s+year|this\s+weekend"
    r"|next\s+weekend"
    r"|(?:the\s+|this\s+)?week\s+after\s+next|the\s+weekend|weekend"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+|this\s+)?(?:month|week)|end\s+of\s+next\s+(?:month|week)"
    r"|(?:the\s+)?end\s+of\s+" + MONTH + r"|eom|eow)\b",
    _I,
)
_D_IN = re.compile(
    r"\b(?:in|within)\s+(?:the\s+next\s+)?("
    + NUM
    + r"|\d+\.\d|half\s+an?|an?\s+hour\s+and\s+a\s+half|"
    r"\d+\s+and\s+a\s+half)\s*(minutes?|mins?|m|hours?|hrs?|h|days?|d|weeks?|wks?|w|"
    r"fortnights?|months?|mos?|mths?|years?|yrs?)(?:\s+(?:and\s+)?(\d{1,2})\s*(?:minutes?|mins?|m)"
    r"|\s+and\s+a\s+(half))?"
    r"(?:'s|')?(?:\s+time)?(?![\w:])",
    _I,
)
_D_FROM_NOW = re.compile(
    r"\b(" + NUM + r")\s+(minutes?|mins?|hours?|hrs?|days?|weeks?|fortnights?|months?|years?)"
    r"\s+(?:from|after)\s+"
    r"(now|today|tomorrow|" + WD_ANY + r")\b",
    _I,
)
_D_ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
_D_MD = re.compile(
    r"\b(" + MONTH + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?!:)(?:,?\s+(\d{4})\b)?", _I
)
_D_DM = re.compile(
    r"\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + MONTH + r")\b\.?(?:,?\s+(\d{4})\b)?",
    _I,
)
_D_NTH = re.compile(
    r"\b(?:(?:on|by|due|before|(?-i:b4)|until|till)\s+the\s+(\d{1,2})(?:st|nd|rd|th)\b"
    r"|the\s+(\d{1,2})(?:st|nd|rd|th)\b(?!\s+(?!at\b|and\b|or\b|to\b|for\b|with\b)[a-z]{3,}"
    r"(?<!morning)(?<!evening)(?<!afternoon)))(?:\s+of\s+(?:the|this)\s+month)?",
    _I,
)
_WORD_BEFORE = re.compile(r"[^\W\d_]\s$")
_NOUN_AFTER = re.compile(  # a noun the weekday may name ("Monday planner"), not a preposition
    r"\s+(?!(?:at|on|by|in|of|and|or|to|for|from|until|till|starting|about|re|with|after"
    r"|before|morning|afternoon|evening|night|noon|am|pm|a\.m|p\.m|ish|if|when|then|please"
    r"|via|the|a|an|my|our|his|her|their|your|this|next|latest|asap|urgent|important|[Pp][1-4]"
    r"|eod|cob|lunch|lunchtime|during|as|so|but|while|again)\b)[^\W\d_]",
    _I,
)
_NEXT_CUE = re.compile(r"next|this|coming")
_WEEK_CUE = re.compile(r"next|nxt|week|end\s+of|eom|eow")
_UNIT_DAYS = {"day": 1, "week": 7, "fortnight": 14}
_UNIT_ABBR = {
    "m": "minute", "min": "minute", "mins": "minute", "h": "hour", "hr": "hour", "hrs": "hour",
    "d": "day", "w": "week", "wk": "week", "wks": "week", "yr": "year", "yrs": "year",
    "mo": "month", "mos": "month", "mth": "month", "mths": "month",
}  # fmt: skip


def _unit(word: str) -> str:
    word = word.lower()
    word = _UNIT_ABBR.get(word, word)
    return word[:-1] if word.endswith("s") else word


def _amount(text: str) -> float:
    text = " ".join(text.lower().split())
    if text.startswith("half"):
        return 0.5
    if "hour and a half" in text:
        return 1.5
    if text.endswith("and a half"):
        return int(text.split()[0]) + 0.5
    if "." in text:
        return float(text)
    return num(text)


def _same_weekday(found: Found, today: date, weekday: int, phrase: str) -> None:
    """A weekday: the next one; said on that weekday it may mean today or in a week."""
    rule = found.rule
    if rule.get("FREQ") == "WEEKLY" and "BYDAY" not in rule:  # "fortnightly 1:1 … tues"
        rule["BYDAY"] = BYDAY[weekday]
    if today.weekday() == weekday and not found.rule:  # a repeat's start: the next one
        found.date_options = (today, today + timedelta(days=7))
        found.date_phrase = phrase.strip()
    else:
        found.date = next_weekday(today, weekday)


def take_date(scan: Scanner, found: Found, today: date) -> None:
    """Find one date phrase (also "in 2 hours", which sets an exact offset)."""
    low, digits = found.low, found.digits
    if ("from" in low or "after" in low) and (m := scan.first(_D_FROM_NOW)):
        base = today + timedelta(days=1 if m.group(3).lower() == "tomorrow" else 0)
        if m.group(3).lower() not in ("now", "today", "tomorrow"):
            base = next_weekday(today, wd(m.group(3)))
        _in(found, num(m.group(1)), _unit(m.group(2)), base)
    elif any(cue in low for cue in _NAMED_CUES) and (m := scan.first(_D_NAMED, _NAMED_LEAD)):
        word = re.sub(r"\s+", " ", m.group(1).lower())
        if word.startswith(("the day", "day", "overmorrow")):
            offset = 2
        elif re.fullmatch(TOMORROW, word):
            offset = 1
        else:
            offset = 0
        found.date = today + timedelta(days=offset)
        if re.fullmatch(TONIGHT, word):
            found.period = "pm"
            found.default_time = DAY_PARTS["night"]
    elif ("week" in low or "wk" in low) and (m := scan.first(_D_WD_NEXT_WEEK, LEAD)):
        _wd_next_week(found, m, today)
    elif "after next" in low and (m := scan.first(_D_AFTER_NEXT, LEAD)):
        found.date = next_weekday(today, wd(m.group(1))) + timedelta(days=7)
    elif _NEXT_CUE.search(low) and (m := scan.first(_D_NEXT_WD, LEAD)):
        which, weekday = m.group(1).lower(), wd(m.group(2))
        coming = next_weekday(today, weekday)
        if which == "this" and today.weekday() == weekday:
            found.date = today
        elif today.weekday() == weekday:  # "next/coming friday" said on a Friday
            found.date_options = (coming, coming + timedelta(days=7))
            found.date_phrase = m.group(0).strip()
        else:
            found.date = coming
    elif _WEEK_CUE.search(low) and (m := scan.first(_D_NEXT, _NEXT_LEAD)):
        _next(found, re.sub(r"\s+", " ", m.group(1).lower()), today)
    elif ("in " in low or "within" in low) and (m := scan.first(_D_IN)):
        _in(found, _amount(m.group(1)) + (0.5 if m.group(4) else 0), _unit(m.group(2)), today)
        if m.group(3) and found.relative is not None:  # "in 2 hours 15 minutes"
            found.relative += timedelta(minutes=int(m.group(3)))
    elif digits and "-" in low and (m := scan.first(_D_ISO, LEAD)):
        found.date = make_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    elif digits and numeric.take_date(scan, found, today):
        return
    elif digits and (m := scan.first(_D_MD, LEAD)):
        year = int(m.group(3)) if m.group(3) else None
        found.date = dated(year, MONTHS[m.group(1).lower().rstrip(".")], int(m.group(2)), today)
    elif digits and (m := scan.first(_D_DM, LEAD)):
        year = int(m.group(3)) if m.group(3) else None
        found.date = dated(year, MONTHS[m.group(2).lower()], int(m.group(1)), today)
    elif digits and (m := scan.first(_D_NTH)):
        found.date = next_month_day(today, int(m.group(1) or m.group(2)))
    elif "BYMONTH" not in found.rule and holidays.take_en(scan, found, today):
        return
    elif m := scan.first(_D_WD):
        day = m.group(1) or m.group(2) or m.group(3) or m.group(4)
        _same_weekday(found, today, wd(day), m.group(0))
        inside = not m.group(1) and _WORD_BEFORE.search(scan.work, 0, m.start())
        if inside and _NOUN_AFTER.match(scan.work, m.end()):  # "buy Monday planner stickers"
            found.doubts.append((m.start(), m.end()))


def _wd_next_week(found: Found, m: re.Match[str], today: date) -> None:
    """ "wed next week", "next week on wed", "a week on friday", "tuesday week"."""
    weekday = wd(m.group("a") or m.group("b") or m.group("c") or m.group("d"))
    if m.group("c") or m.group("d"):
        found.date = next_weekday(today, weekday) + timedelta(days=7)
        return
    said = (m.group("aw") or m.group("bw")).lower()
    monday = today - timedelta(days=today.weekday()) + timedelta(days=7)
    if "after next" in said:
        monday += timedelta(days=7)
    if today.weekday() == 6 and "next" in said and "after" not in said:
        # on a Sunday, "next week" may be the week starting tomorrow or the one after
        found.date_options = (
            monday + timedelta(days=weekday),
            monday + timedelta(days=7 + weekday),
        )
        found.date_phrase = m.group(0).strip()
        return
    found.date = monday + timedelta(days=weekday)


def _next(found: Found, word: str, today: date) -> None:
    word = word.replace("nxt", "next").replace("wk", "week")
    if word == "next week" and today.weekday() == 6:  # Sunday: tomorrow's week, or the next?
        found.date_options = (today + timedelta(days=1), today + timedelta(days=8))
        found.date_phrase = word
    elif word == "next week":
        found.date = today + timedelta(days=7 - today.weekday())
    elif word == "next month":
        found.date = month_add(today.replace(day=1), 1)
    elif word == "next year":
        found.date = date(today.year + 1, 1, 1)
    elif word == "next weekend":
        found.date = today + timedelta(days=7 - today.weekday() + 5)
    elif word.endswith("weekend"):
        found.date = today if today.weekday() == 5 else next_weekday(today, 5)
    elif word.endswith("after next"):
        found.date = today + timedelta(days=14 - today.weekday())
    elif word.endswith("next week"):
        found.date = today + timedelta(days=7 - today.weekday() + 4)
    elif word.endswith("next month"):
        found.date = month_add(today.replace(day=1), 2) - timedelta(days=1)
    elif word.endswith("week") or word == "eow":
        found.date = today + timedelta(days=(4 - today.weekday()) % 7)
    elif word.startswith(("end of", "the end of")) and word.split()[-1] in MONTHS:
        month = MONTHS[word.split()[-1]]
        last = month_add(date(today.year, month, 1), 1) - timedelta(days=1)
        found.date = last if last >= today else month_add(last.replace(day=1), 13) - timedelta(1)
    else:
        found.date = month_add(today.replace(day=1), 1) - timedelta(days=1)


def _in(found: Found, n: float, unit: str, today: date) -> None:
    if unit == "minute":
        found.relative = timedelta(minutes=n)
    elif unit == "hour":
        found.relative = timedelta(hours=n)
    elif unit in _UNIT_DAYS:
        found.date = today + timedelta(days=int(n * _UNIT_DAYS[unit]))
    else:
        found.date = month_add(today, int(n) * (12 if unit == "year" else 1))
