"""English repeat phrases and their bounds.

"every weekday", "every other monday", "every 2nd and 4th tuesday", "last friday of every
month", "every mon wed fri", "mondays and thursdays", "every 1st and 15th", "every jan 27",
"every 3 days", "every quarter", "daily", Todoist's "every!" (from completion); bounds
"until <date>", "10 times" and "for 6 weeks" (made a COUNT once the rule is known).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from agents.todos.model import Found
from agents.todos.scanner import Scanner, make_date
from agents.todos.words_en import (
    BYDAY,
    DAY_PARTS,
    MONTH,
    MONTHS,
    NUM,
    ORD_WORD,
    PART_PERIOD,
    UNIT,
    WD_ANY,
    num,
    ordinal,
    wd,
)
from store.errors import InvalidInput

_I = re.IGNORECASE

_EVERY = r"\b(?:every|each|ev|evry|evrey|everey)(?P<bang>!?)\s+"
_SEP = r"\s*(?:,\s*and|,|and|&|/|\+|or)?\s*"
_NTHS = ORD_WORD + r"(?:" + _SEP + r"(?:the\s+)?" + ORD_WORD + r")*"
_MDS = r"\d{1,2}(?:st|nd|rd|th)(?:" + _SEP + r"(?:the\s+)?\d{1,2}(?:st|nd|rd|th))*"
_DAYS = WD_ANY + r"(?:" + _SEP + WD_ANY + r")*"
_PLURAL = r"(?:mondays|tuesdays|wednesdays|thursdays|fridays|saturdays|sundays)"
_OF_MONTH = r"\s+(?:of\s+)?(?:the|every|each)\s+month"
_OF_EVERY = r"\s+of\s+(?:every|each)\s+month"
_MONTHLY = r"(?:monthly|every\s+month|each\s+month)"
_TO = r"\s*(?:-|–|to|through|thru)\s*"

_R_PARTS = re.compile(_EVERY + r"(morning|afternoon|evening|night)\b", _I)
_R_WEEKDAY = re.compile(
    r"(?:" + _EVERY + r"(?:week\s?day|work\s?day|business\s+day)s?|\b(?:on\s+)?weekdays)\b", _I
)
_R_WEEKEND = re.compile(r"(?:" + _EVERY + r"weekends?|\b(?:on\s+)?weekends)\b", _I)
_R_NTH = re.compile(
    r"(?:" + _EVERY + r"(?:month\s+on\s+)?(?:the\s+)?|\b" + _MONTHLY + r"\s+on\s+the\s+)"
    r"(?P<nths>" + _NTHS + r")\s+(?P<day>" + WD_ANY + r")\b(?:" + _OF_MONTH + r")?",
    _I,
)
_R_NTH_OF = re.compile(
    r"\b(?:on\s+)?(?:the\s+)?(?P<nths>"
    + _NTHS
    + r")\s+(?P<day>"
    + WD_ANY
    + r")(?:"
    + _OF_MONTH
    + r"\b|\s+"
    + _MONTHLY
    + r"\b)",
    _I,
)
_R_LASTDAY = re.compile(
    r"(?:"
    + _EVERY
    + r"|\b"
    + _MONTHLY
    + r"\s+on\s+)(?:the\s+)?(?:last\s+day|end\s+of\s+(?:the\s+)?"
    r"month)(?:" + _OF_MONTH + r")?\b|\b(?:on\s+)?(?:the\s+)?last\s+day" + _OF_MONTH + r"\b"
    r"|\b(?:on\s+|at\s+)?(?:the\s+)?end\s+of\s+(?:every|each)\s+month\b",
    _I,
)
_R_YEARLY_MD = re.compile(
    r"(?:"
    + _EVERY
    + r"(?:year\s+on\s+)?|\b(?:yearly|annually)\s+on\s+)("
    + MONTH
    + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b",
    _I,
)
_R_YEARLY_DM = re.compile(
    r"(?:" + _EVERY + r"(?:year\s+on\s+)?(?:the\s+)?|\b(?:yearly|annually)\s+on\s+(?:the\s+)?)"
    r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + MONTH + r")\b",
    _I,
)
_R_MONTHDAY = re.compile(
    r"(?:" + _EVERY + r"(?:month\s+on\s+)?(?:the\s+)?|\b" + _MONTHLY + r"\s+on\s+the\s+)"
    r"(?P<mds>" + _MDS + r")\b(?!\s+(?:day|week|month|year)s?\b)(?:" + _OF_MONTH + r")?"
    r"|\b(?:on\s+)?the\s+(?P<mds2>" + _MDS + r")(?:" + _OF_EVERY + r"\b|\s+" + _MONTHLY + r"\b)"
    r"|\b(?:on\s+)?the\s+(?P<mds3>\d{1,2}(?:st|nd|rd|th)(?:\s*(?:,\s*and|,|and|&)\s*"
    r"(?:the\s+)?\d{1,2}(?:st|nd|rd|th))+)\b"
    r"|\b(?:on\s+)?(?:the\s+)?(?P<mdw>first|second|third|fourth|fifth|tenth|fifteenth|twentieth)"
    r"(?:\s+day)?(?:" + _OF_EVERY + r"\b|\s+" + _MONTHLY + r"\b)",
    _I,
)
_R_RANGE = re.compile(
    r"(?:"
    + _EVERY
    + r"|(?<!from )(?<!between ))\b("
    + WD_ANY
    + r")"
    + _TO
    + r"("
    + WD_ANY
    + r")\b",
    _I,
)
_R_DAYS = re.compile(_EVERY + r"(?P<days>" + _DAYS + r")\b", _I)
_R_PLURAL = re.compile(r"\b(?:on\s+)?(?P<days>" + _PLURAL + r"(?:" + _SEP + WD_ANY + r")*)\b", _I)
_R_OTHER = re.compile(
    _EVERY + r"(other|second|third|fourth|2nd|3rd|4th)\s+(" + UNIT + r"|" + WD_ANY + r")\b", _I
)
_R_INTERVAL = re.compile(
    _EVERY + r"(" + NUM + r"|0+)\s+(" + UNIT + r"|fortnight|mo|mth|wk|yr)s?\b", _I
)
_SHORT_UNITS = {"mo": "month", "mth": "month", "wk": "week", "yr": "year"}
_R_UNIT = re.compile(_EVERY + r"(" + UNIT + r"|fortnight|quarter)\b", _I)
_R_ADVERB = re.compile(  # not "bi-weekly", "semi monthly" (twice or every two? a question)
    r"(?<!-)(?<!\bbi\s)(?<!\bsemi\s)\b(daily|nightly|weekly|fortnightly|monthly|quarterly|yearly|annually"
    r"|once\s+a\s+(?:day|week|month|year))\b",
    _I,
)
_R_ON_DAYS = re.compile(r"^\s*,?\s*(?:on\s+)?(" + _DAYS + r")\b", _I)
_R_DAYS_BEFORE = re.compile(r"\b(?:on\s+)?(" + _DAYS + r")\s*,?\s*$", _I)
_R_ON_NTH = re.compile(
    r"^\s*,?\s*on\s+the\s+(?P<nths>" + _NTHS + r")\s+(?P<day>" + WD_ANY + r")\b", _I
)
_R_ON_MDS = re.compile(r"^\s*,?\s*on\s+the\s+(" + _MDS + r")\b", _I)
_WEEKLY_LEAD = re.compile(r"\b(?:weekly|every\s+week|each\s+week)\s+$", _I)
_EXCEPT = re.compile(
    r"\b(?:except|but\s+not|excluding|not\s+on|apart\s+from)\s+(?:on\s+)?(?:the\s+)?("
    + _DAYS
    + r"|weekends?|weekdays?)\b",
    _I,
)
_DEADLINE = re.compile(r"\b(?:due|by|before|(?-i:b4))\s+\S", _I)
_R_UNTIL = re.compile(r"\b(?:until|till|til|ending|through|thru)\s+", _I)
_R_COUNT = re.compile(r"\b(?:for\s+)?(" + NUM + r"|0+)\s+times\b", _I)
_R_SPAN = re.compile(
    r"\bfor\s+(?:the\s+)?(?:next\s+)?(" + NUM + r")\s+(day|week|month|year)s?\b"
    r"|\bfor\s+an?\s+(day|week|month|year|fortnight)\b",
    _I,
)
_WORD_DAYS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "tenth": 10,
              "fifteenth": 15, "twentieth": 20}  # fmt: skip
_FREQ = {"day": "DAILY", "week": "WEEKLY", "month": "MONTHLY", "year": "YEARLY"}
_ADVERBS = {"daily": ("DAILY", 1), "nightly": ("DAILY", 1), "weekly": ("WEEKLY", 1),
            "fortnightly": ("WEEKLY", 2),
            "monthly": ("MONTHLY", 1), "quarterly": ("MONTHLY", 3), "yearly": ("YEARLY", 1),
            "annually": ("YEARLY", 1)}  # fmt: skip


def _codes(text: str) -> str:
    days = sorted({wd(d) for d in re.findall(WD_ANY, text, _I)})
    return ",".join(BYDAY[c] for c in days)


def _nths(text: str, weekday: str) -> str:
    positions = [ordinal(p) for p in re.findall(ORD_WORD, text, _I)]
    if any(not (1 <= p <= 5 or p == -1) for p in positions):
        raise InvalidInput("A month has at most five of each weekday.")
    code = BYDAY[wd(weekday)]
    return ",".join(f"{p:+d}{code}" for p in dict.fromkeys(positions))


def _month_days(text: str) -> str:
    days = [int(d) for d in re.findall(r"(\d{1,2})(?:st|nd|rd|th)", text, _I)]
    for day in days:
        if not 1 <= day <= 31:
            raise InvalidInput(f"A month has no day {day}.")
    return ",".join(str(d) for d in dict.fromkeys(days))


def _yearly(rule: dict[str, str], month: int, day: int) -> None:
    make_date(2024, month, day)  # 2024 is a leap year: Feb 29 is allowed
    rule.update(FREQ="YEARLY", BYMONTH=str(month), BYMONTHDAY=str(day))


def take_repeat(scan: Scanner, found: Found, today: date) -> None:
    """Find one repeat phrase; also ``until``/``N times``/``for N weeks`` bounds."""
    rule = found.rule
    skip = scan.first(_EXCEPT)  # "except sundays": read before its day is taken for a repeat
    m: re.Match[str] | None
    if m := scan.first(_R_PARTS):
        rule["FREQ"] = "DAILY"
        part = m.group(2).lower()
        found.default_time, found.period = DAY_PARTS[part], PART_PERIOD[part]
    elif m := scan.first(_R_WEEKDAY):
        rule.update(FREQ="WEEKLY", BYDAY="MO,TU,WE,TH,FR")
    elif m := scan.first(_R_WEEKEND):
        rule.update(FREQ="WEEKLY", BYDAY="SA,SU")
    elif m := scan.first(_R_NTH) or scan.first(_R_NTH_OF):
        rule.update(FREQ="MONTHLY", BYDAY=_nths(m.group("nths"), m.group("day")))
    elif m := scan.first(_R_LASTDAY):
        rule.update(FREQ="MONTHLY", BYMONTHDAY="-1")
    elif m := scan.first(_R_YEARLY_MD):
        _yearly(rule, MONTHS[m.group(2).lower()], int(m.group(3)))
    elif m := scan.first(_R_YEARLY_DM):
        _yearly(rule, MONTHS[m.group(3).lower()], int(m.group(2)))
    elif m := scan.first(_R_MONTHDAY):
        if m.group("mdw"):
            rule.update(FREQ="MONTHLY", BYMONTHDAY=str(_WORD_DAYS[m.group("mdw").lower()]))
        else:
            days = m.group("mds") or m.group("mds2") or m.group("mds3")
            rule.update(FREQ="MONTHLY", BYMONTHDAY=_month_days(days))
            if m.group("mds3") and _NOUN_AFTER.match(scan.work, m.end()):
                found.doubts.append((m.start(), m.end()))  # "read the 3rd and 4th chapters"
    elif m := scan.first(_R_OTHER):
        what = m.group(3).lower()
        step = "2" if m.group(2).lower() == "other" else str(ordinal(m.group(2)))
        if what in _FREQ:
            rule.update(FREQ=_FREQ[what], INTERVAL=step)
        else:
            rule.update(FREQ="WEEKLY", INTERVAL=step, BYDAY=BYDAY[wd(what)])
    elif m := scan.first(_R_INTERVAL):
        n = num(m.group(2))
        if n == 0:
            raise InvalidInput(f"“{m.group(0).strip()}” never repeats: use every 1 or more.")
        unit = m.group(3).lower()
        unit = _SHORT_UNITS.get(unit, unit)  # "every 3 mos"
        rule["FREQ"] = _FREQ.get(unit, "WEEKLY")
        n *= 2 if unit == "fortnight" else 1
        if n > 1:
            rule["INTERVAL"] = str(n)
    elif m := scan.first(_R_RANGE):
        first, last = wd(m.group(2)), wd(m.group(3))
        days = [d % 7 for d in range(first, last + (7 if last < first else 0) + 1)]
        rule.update(FREQ="WEEKLY", BYDAY=",".join(BYDAY[d] for d in sorted(set(days))))
    elif (m := scan.first(_R_DAYS)) or (m := scan.first(_R_PLURAL, _WEEKLY_LEAD)):
        rule.update(FREQ="WEEKLY", BYDAY=_codes(m.group("days")))
        if m.re is _R_PLURAL and _inside_title(scan, m.start(), m.end()):
            found.doubts.append((m.start(), m.end()))  # "return Tuesdays with Morrie"
    elif m := scan.first(_R_UNIT):
        unit = m.group(2).lower()
        rule["FREQ"] = _FREQ.get(unit, "WEEKLY" if unit == "fortnight" else "MONTHLY")
        if unit in ("fortnight", "quarter"):
            rule["INTERVAL"] = "2" if unit == "fortnight" else "3"
    elif (m := _R_ADVERB.search(scan.work)) and not _DEADLINE.search(scan.work):
        scan.consume(m.start(), m.end())  # "weekly report ... due thu": a report, not a repeat
        if _ADJ_AFTER.match(scan.work, m.end()):  # "daily planner", "pay quarterly taxes"
            found.soft_rule = (m.start(), m.end())  # an adjective, unless more says repeat
        word = " ".join(m.group(1).lower().split())
        freq, every = _ADVERBS.get(word) or (_FREQ[word.rsplit(" ", 1)[1]], 1)
        rule["FREQ"] = freq
        if every > 1:
            rule["INTERVAL"] = str(every)
    if not rule:
        if skip is not None:  # not a repeat after all: give the words back
            scan.work = scan.work[: skip.start()] + skip.group(0) + scan.work[skip.end() :]
        return
    if m is not None and m.groupdict().get("bang") == "!":
        found.from_completion = True
    _weekly_days(scan, found, m)
    if skip is not None:
        _except_days(found, skip)
    _bounds(scan, found, today)


_NOUN_AFTER = re.compile(  # a title word follows (not a date's or a time's glue)
    r"\s+(?!at\s+(?:\d|noon|midday|midnight|lunch)|(?:on|by|in|of|and|or|to|for|from|until"
    r"|till|starting|except|between|every"
    r"|each|morning|afternoon|evening|night|noon)\b)[^\W\d_]",
    _I,
)
_ADJ_AFTER = re.compile(  # "daily planner": a noun follows the adverb, not a preposition
    r"\s+(?!(?:at|on|by|in|of|and|or|to|for|from|until|till|starting|except|between|every"
    r"|each|morning|afternoon|evening|night|noon|with|after|before|during|while|when|if|unless"
    r"|without|via|through|then|but|so|as|please|including|beginning)\b)[^\W\d_]",
    _I,
)
_LIST_BEFORE = re.compile(r"(?:\b(?:every|each|weekly|and|or|on)|[,&/+])\s*$", _I)


def _inside_title(scan: Scanner, start: int, end: int) -> bool:
    """Plural weekdays with title words on both sides ("return Tuesdays with Morrie to the
    library") may be a name, not a repeat; at either end ("yoga tuesdays") they are a repeat."""
    if scan.text[start : start + 3].lower() == "on ":
        return False
    before = scan.text[:start]
    if not before.strip() or _LIST_BEFORE.search(before):
        return False
    return _NOUN_AFTER.match(scan.work, end) is not None


def _weekly_days(scan: Scanner, found: Found, m: re.Match[str] | None) -> None:
    """The days right after a rule: "every 2 weeks on monday", "quarterly on the 1st"."""
    rule = found.rule
    if m is None or "BYDAY" in rule or "BYMONTHDAY" in rule:
        return
    tail = scan.work[m.end() :]
    if rule["FREQ"] == "WEEKLY" and (before := _R_DAYS_BEFORE.search(scan.work, 0, m.start())):
        rule["BYDAY"] = _codes(before.group(1))  # "tues and thurs weekly"
        scan.consume(before.start(), before.end())
        return
    if rule["FREQ"] == "WEEKLY" and (days := _R_ON_DAYS.match(tail)):
        rule["BYDAY"] = _codes(days.group(1))
    elif rule["FREQ"] == "MONTHLY" and (days := _R_ON_NTH.match(tail)):
        rule["BYDAY"] = _nths(days.group("nths"), days.group("day"))
    elif rule["FREQ"] == "MONTHLY" and (days := _R_ON_MDS.match(tail)):
        rule["BYMONTHDAY"] = _month_days(days.group(1))
    else:
        return
    scan.consume(m.end() + days.start(), m.end() + days.end())


def _except_days(found: Found, skip: re.Match[str]) -> None:
    """ "every day except sunday": the other days of the week."""
    rule = found.rule
    if rule["FREQ"] not in ("DAILY", "WEEKLY") or "INTERVAL" in rule:
        raise InvalidInput(f"I can only leave out weekdays of a daily or weekly repeat: {skip[0]}.")
    words = skip.group(1).lower()
    if words.startswith("weekend"):
        out = {"SA", "SU"}
    elif words.startswith("weekday"):
        out = {"MO", "TU", "WE", "TH", "FR"}
    else:
        out = set(_codes(words).split(","))
    left = set(rule.get("BYDAY", ",".join(BYDAY)).split(",")) - out
    if not left:
        raise InvalidInput("That leaves no day to repeat on.")
    rule.update(FREQ="WEEKLY", BYDAY=",".join(d for d in BYDAY if d in left))


def _bounds(scan: Scanner, found: Found, today: date) -> None:
    from agents.todos.grammar_en import take_date

    if c := scan.first(_R_COUNT):
        n = num(c.group(1))
        if n == 0:
            raise InvalidInput("A task cannot repeat 0 times.")
        found.count = n
    elif s := scan.first(_R_SPAN):
        if s.group(3):
            unit = s.group(3).lower()
            found.span = (2, "week") if unit == "fortnight" else (1, unit)
        else:
            found.span = (num(s.group(1)), s.group(2).lower())
    if u := _R_UNTIL.search(scan.work):
        found.until = take_bound(scan, u, today, take_date)


def take_bound(
    scan: Scanner, keyword: re.Match[str], today: date, grammar: Callable[..., None]
) -> date:
    """Read the date right after ``keyword`` ("until March 31") and consume both."""
    tail = scan.work[keyword.end() :]
    sub = Scanner(tail)
    probe = Found(low=tail.lower(), digits=any(c.isdigit() for c in tail))
    grammar(sub, probe, today)
    changed = [i for i, (a, b) in enumerate(zip(sub.text, sub.work, strict=True)) if a != b]
    if probe.date is None or not changed or tail[: changed[0]].strip():
        raise InvalidInput("I could not read the end date after “until”.")
    scan.consume(keyword.start(), keyword.end() + changed[-1] + 1)
    return probe.date
