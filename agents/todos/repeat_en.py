"""English repeat phrases: "every weekday", "every other monday", "every 3rd friday",
"every last day", "every jan 27", "every 3 days", "daily", Todoist's "every!" (from completion),
and their bounds "until <date>" / "N times"."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from agents.todos.grammar_en import (
    BYDAY,
    DAY_PARTS,
    MONTH,
    MONTHS,
    NUM,
    ORD,
    ORDINALS,
    UNIT,
    WD_ANY,
    num,
    take_date,
    wd,
)
from agents.todos.model import Found
from agents.todos.scanner import Scanner, make_date
from store.errors import InvalidInput

_I = re.IGNORECASE

_EVERY = r"\b(?:every|each|ev)(!?)\s+"
_R_PARTS = re.compile(_EVERY + r"(morning|afternoon|evening|night)\b", _I)
_R_WEEKDAY = re.compile(_EVERY + r"(?:week\s?day|work\s?day)s?\b", _I)
_R_WEEKEND = re.compile(_EVERY + r"weekends?\b", _I)
_R_NTH = re.compile(_EVERY + ORD + r"\s+(" + WD_ANY + r")\b(?:\s+of\s+(?:the|every)\s+month)?", _I)
_R_LASTDAY = re.compile(
    _EVERY + r"(?:last\s+day|end\s+of\s+(?:the\s+)?month)(?:\s+of\s+(?:the|every)\s+month)?\b", _I
)
_R_MONTHDAY = re.compile(
    _EVERY + r"(\d{1,2})(?:st|nd|rd|th)\b(?:\s+of\s+(?:the|every)\s+month)?", _I
)
_R_YEARLY_MD = re.compile(_EVERY + r"(" + MONTH + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", _I)
_R_YEARLY_DM = re.compile(_EVERY + r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + MONTH + r")\b", _I)
_R_DAYS = re.compile(
    _EVERY + r"(" + WD_ANY + r"(?:\s*(?:,|and|&|,\s*and)\s*" + WD_ANY + r")*)\b", _I
)
_R_OTHER = re.compile(_EVERY + r"other\s+(" + UNIT + r"|" + WD_ANY + r")\b", _I)
_R_INTERVAL = re.compile(_EVERY + r"(" + NUM + r"|0+)\s+(" + UNIT + r")s?\b", _I)
_R_UNIT = re.compile(_EVERY + r"(" + UNIT + r")\b", _I)
_R_ADVERB = re.compile(r"\b(daily|weekly|fortnightly|monthly|yearly|annually)\b", _I)
_R_UNTIL = re.compile(r"\b(?:until|till|ending|through)\s+", _I)
_R_COUNT = re.compile(r"\b(?:for\s+)?(" + NUM + r"|0+)\s+times\b", _I)
_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}


def take_repeat(scan: Scanner, found: Found, today: date) -> None:
    """Find one repeat phrase; also ``until``/``N times`` bounds."""
    rule = found.rule
    if m := scan.first(_R_PARTS):
        rule["FREQ"] = "DAILY"
        found.default_time = DAY_PARTS[m.group(2).lower()]
    elif m := scan.first(_R_WEEKDAY):
        rule.update(FREQ="WEEKLY", BYDAY="MO,TU,WE,TH,FR")
    elif m := scan.first(_R_WEEKEND):
        rule.update(FREQ="WEEKLY", BYDAY="SA,SU")
    elif m := scan.first(_R_NTH):
        pos = int(m.group(2)) if m.group(2) else ORDINALS[m.group(0).split()[1].lower()]
        if not (1 <= pos <= 5 or pos == -1):
            raise InvalidInput("A month has at most five of each weekday.")
        rule.update(FREQ="MONTHLY", BYDAY=f"{pos:+d}{BYDAY[wd(m.group(3))]}")
    elif m := scan.first(_R_LASTDAY):
        rule.update(FREQ="MONTHLY", BYMONTHDAY="-1")
    elif m := scan.first(_R_YEARLY_MD):
        month, day = MONTHS[m.group(2).lower()], int(m.group(3))
        make_date(2024, month, day)  # 2024 is a leap year: Feb 29 is allowed
        rule.update(FREQ="YEARLY", BYMONTH=str(month), BYMONTHDAY=str(day))
    elif m := scan.first(_R_YEARLY_DM):
        month, day = MONTHS[m.group(3).lower()], int(m.group(2))
        make_date(2024, month, day)
        rule.update(FREQ="YEARLY", BYMONTH=str(month), BYMONTHDAY=str(day))
    elif m := scan.first(_R_MONTHDAY):
        day = int(m.group(2))
        if not 1 <= day <= 31:
            raise InvalidInput(f"A month has no day {day}.")
        rule.update(FREQ="MONTHLY", BYMONTHDAY=str(day))
    elif m := scan.first(_R_OTHER):
        what = m.group(2).lower()
        if what in _FREQ:
            rule.update(FREQ=_FREQ[what], INTERVAL="2")
        else:
            rule.update(FREQ="WEEKLY", INTERVAL="2", BYDAY=BYDAY[wd(what)])
    elif m := scan.first(_R_INTERVAL):
        n = num(m.group(2))
        if n == 0:
            raise InvalidInput(f"“{m.group(0).strip()}” never repeats: use every 1 or more.")
        rule.update(FREQ=_FREQ[m.group(3).lower()])
        if n > 1:
            rule["INTERVAL"] = str(n)
    elif m := scan.first(_R_DAYS):
        days = re.findall(WD_ANY, m.group(2), _I)
        codes = sorted({wd(d) for d in days})
        rule.update(FREQ="WEEKLY", BYDAY=",".join(BYDAY[c] for c in codes))
    elif m := scan.first(_R_UNIT):
        rule["FREQ"] = _FREQ[m.group(2).lower()]
    elif m := scan.first(_R_ADVERB):
        word = m.group(1).lower()
        freq = {"daily": "DAILY", "weekly": "WEEKLY", "fortnightly": "WEEKLY"}.get(word)
        rule["FREQ"] = freq or ("MONTHLY" if word == "monthly" else "YEARLY")
        if word == "fortnightly":
            rule["INTERVAL"] = "2"
    if not rule:
        return
    if m and m.lastindex and m.group(1) == "!":
        found.from_completion = True
    if c := scan.first(_R_COUNT):
        n = num(c.group(1))
        if n == 0:
            raise InvalidInput("A task cannot repeat 0 times.")
        found.count = n
    if u := _R_UNTIL.search(scan.work):
        found.until = take_bound(scan, u, today, take_date)


def take_bound(
    scan: Scanner, keyword: re.Match[str], today: date, grammar: Callable[..., None]
) -> date:
    """Read the date right after ``keyword`` ("until March 31") and consume both."""
    tail = scan.work[keyword.end() :]
    sub, probe = Scanner(tail), Found()
    grammar(sub, probe, today)
    changed = [i for i, (a, b) in enumerate(zip(sub.text, sub.work, strict=True)) if a != b]
    if probe.date is None or not changed or tail[: changed[0]].strip():
        raise InvalidInput("I could not read the end date after “until”.")
    scan.consume(keyword.start(), keyword.end() + changed[-1] + 1)
    return probe.date
