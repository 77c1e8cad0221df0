"""Repeat rules: RFC 5545 RRULE strings checked by code and expanded in the task's zone.

An RRULE is expanded on naive local wall-clock times with the current due time as DTSTART,
and each occurrence is then placed in the zone (``timeutil.localize``), so "every day at 09:00"
stays 09:00 local across DST. A timed repeat carries its wall time as ``BYHOUR``/``BYMINUTE``:
an occurrence moved out of a spring-forward gap (02:30 -> 03:30) must not drag the next ones
to 03:30. The stored rule never carries DTSTART: the task's ``due_at`` is
the start, and a ``COUNT`` is counted down as occurrences are used up, so a rule always means
"this occurrence and the ones after it".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from agents.todos.timeutil import localize
from store.errors import InvalidInput

FREQS = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
_KEYS = {
    "FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "BYHOUR", "BYMINUTE",
    "COUNT", "UNTIL",
}  # fmt: skip
_PART = re.compile(r"^([A-Z]+)=([A-Z0-9,+\-]+)$")
MAX_INTERVAL = 1000
MAX_COUNT = 1000


def validate_rrule(text: str) -> str:
    """Return ``text`` in canonical key order if it is a rule errands can keep, else raise.

    Only day-level frequencies and the keys above are accepted; INTERVAL and COUNT must be
    1..1000; the rule must parse with dateutil and produce at least one occurrence.
    """
    canonical = canonical_rrule(text)
    try:
        start = datetime(2026, 1, 1, 9)  # noqa: DTZ001 - rules run on naive wall-clock time
        probe = _build(canonical, start).after(start.replace(hour=0), inc=True)
    except (ValueError, TypeError):
        raise InvalidInput(f"The repeat rule {text!r} is not valid.") from None
    if probe is None and "UNTIL=" not in canonical and "COUNT=" not in canonical:
        raise InvalidInput(f"The repeat rule {text!r} never happens.")
    return canonical


def canonical_rrule(text: str) -> str:
    """The checks of ``validate_rrule`` that need no dateutil (keys, ranges, order).

    The rule parser builds rules from parts it has checked and expands them at once (which
    is dateutil's check), so it needs only this.
    """
    raw = text.strip().removeprefix("RRULE:").upper()
    if not raw or len(raw) > 200:
        raise InvalidInput("A repeat rule of 1-200 characters is required.")
    parts: dict[str, str] = {}
    for piece in raw.split(";"):
        match = _PART.match(piece)
        if match is None or match.group(1) not in _KEYS or match.group(1) in parts:
            raise InvalidInput(f"The repeat rule {text!r} is not something I can keep.")
        parts[match.group(1)] = match.group(2)
    if parts.get("FREQ") not in FREQS:
        raise InvalidInput("A repeat rule needs FREQ=DAILY, WEEKLY, MONTHLY or YEARLY.")
    for key, limit in (("INTERVAL", MAX_INTERVAL), ("COUNT", MAX_COUNT)):
        value = parts.get(key)
        if value is not None and (not value.isdigit() or not 1 <= int(value) <= limit):
            if value.isdigit() and int(value) == 0:
                what = "repeat every 0" if key == "INTERVAL" else "repeat 0 times"
                raise InvalidInput(f"A task cannot {what}: use 1 or more.")
            raise InvalidInput(f"{key.title()} must be between 1 and {limit}.")
    if "COUNT" in parts and "UNTIL" in parts:
        raise InvalidInput("A repeat rule takes an end date or a number of times, not both.")
    for key, top in (("BYHOUR", 23), ("BYMINUTE", 59)):
        if key in parts and (not parts[key].isdigit() or int(parts[key]) > top):
            raise InvalidInput(f"{key} must be one number from 0 to {top}.")
    order = ["FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYSETPOS", "BYHOUR",
             "BYMINUTE", "COUNT", "UNTIL"]  # fmt: skip
    return ";".join(f"{k}={parts[k]}" for k in order if k in parts)


def _build(rule: str, dtstart: datetime) -> rrule:
    built = rrulestr(rule, dtstart=dtstart, ignoretz=True)
    assert isinstance(built, rrule)
    return built


def _with_count(rule: str, count: int | None) -> str:
    parts = [p for p in rule.split(";") if not p.startswith("COUNT=")]
    if count is not None:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def _count(rule: str) -> int | None:
    for part in rule.split(";"):
        if part.startswith("COUNT="):
            return int(part[6:])
    return None


def first_occurrence(rule: str, start: datetime) -> datetime | None:
    """The first local occurrence at or after naive ``start`` (whose time of day it keeps)."""
    found: datetime | None = _build(rule, start).after(start, inc=True)
    return found


def count_within(rule: str, start: datetime, end: date) -> int:
    """How many times ``rule`` (started at naive ``start``) falls on days before ``end``."""
    count = 0
    for occurrence in _build(rule, start):
        if occurrence.date() >= end or count >= MAX_COUNT:
            break
        count += 1
    return count


@dataclass(frozen=True)
class Next:
    """Where a repeating task goes next: its new due (UTC-aware) and its rule from there."""

    due: datetime
    rule: str
    skipped: int  # occurrences passed over (missed, not done)


def advance(
    rule: str,
    *,
    due: datetime,
    tz: ZoneInfo,
    after: datetime,
    from_completion: datetime | None = None,
) -> Next | None:
    """The first occurrence of ``rule`` strictly after ``after``; None when the series ended.

    ``due`` is the current occurrence (aware). Fixed schedules step along the rule from ``due``;
    ``from_completion`` (aware, Todoist's ``every!``) restarts the rule on the completion day at
    the task's time of day. A ``COUNT`` is reduced by the occurrences used up.
    """
    local_due = due.astimezone(tz).replace(tzinfo=None)
    count = _count(rule)
    if from_completion is not None:
        done = from_completion.astimezone(tz).replace(tzinfo=None)
        start = datetime.combine(done.date(), local_due.time())
        remaining = None if count is None else count - 1
        if remaining == 0:
            return None
        series = _build(_with_count(rule, None), start)
        nxt = series.after(start)
        while nxt is not None and localize(nxt, tz) <= after:
            nxt = series.after(nxt)
        if nxt is None:
            return None
        return Next(localize(nxt, tz), _with_count(rule, remaining), 0)
    series = _build(rule, local_due)
    used = 1  # the current occurrence
    nxt = series.after(local_due)
    while nxt is not None and localize(nxt, tz) <= after:
        used += 1
        nxt = series.after(nxt)
        if used > 100_000:  # a minutely-spaced loop cannot happen (day-level FREQ only)
            return None
    if nxt is None:
        return None
    new_count = None if count is None else count - used
    if new_count is not None and new_count <= 0:
        return None
    return Next(localize(nxt, tz), _with_count(rule, new_count), used - 1)


def latest_due(rule: str, *, due: datetime, tz: ZoneInfo, now: datetime) -> Next | None:
    """Roll a fixed-schedule task forward to its latest occurrence at or before ``now``.

    None when ``due`` already is that occurrence (nothing to roll). Used when a repeating
    task's next occurrence arrives before the current one was done: the missed one is skipped.
    """
    local_due = due.astimezone(tz).replace(tzinfo=None)
    series = _build(rule, local_due)
    count = _count(rule)
    latest, used = local_due, 0
    nxt = series.after(local_due)
    while nxt is not None and localize(nxt, tz) <= now:
        latest, used = nxt, used + 1
        if count is not None and used >= count - 1:
            break
        nxt = series.after(nxt)
    if used == 0:
        return None
    new_count = None if count is None else count - used
    return Next(localize(latest, tz), _with_count(rule, new_count), used)


def describe(rule: str) -> str:
    """A short English description for confirmations and lists ("every Monday")."""
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    interval = int(parts.get("INTERVAL", "1"))
    freq = parts["FREQ"]
    unit = {"DAILY": "day", "WEEKLY": "week", "MONTHLY": "month", "YEARLY": "year"}[freq]
    days = parts.get("BYDAY", "")
    names = {
        "MO": "Monday",
        "TU": "Tuesday",
        "WE": "Wednesday",
        "TH": "Thursday",
        "FR": "Friday",
        "SA": "Saturday",
        "SU": "Sunday",
    }
    if interval == 1:
        text = f"every {unit}"
    elif interval == 2:
        text = f"every other {unit}"
    else:
        text = f"every {interval} {unit}s"
    if days == "MO,TU,WE,TH,FR":
        text = "every weekday" if interval == 1 else text + " on weekdays"
    elif days == "SA,SU":
        text = "every weekend day" if interval == 1 else text + " on weekends"
    elif days and freq == "WEEKLY":
        listed = " and ".join(names[d] for d in days.split(","))
        text = f"every {listed}" if interval == 1 else f"{text} on {listed}"
    elif days:
        m = re.match(r"^([+-]?\d)?([A-Z]{2})$", days)
        if m:
            pos = int(m.group(1) or parts.get("BYSETPOS", "1"))
            nth = {1: "1st", 2: "2nd", 3: "3rd", 4: "4th", 5: "5th", -1: "last"}.get(pos, str(pos))
            text += f" on the {nth} {names[m.group(2)]}"
    if "BYMONTHDAY" in parts:
        md = int(parts["BYMONTHDAY"].split(",")[0])
        text += " on the last day" if md == -1 else f" on day {md}"
    if "COUNT" in parts:
        text += f", {parts['COUNT']} more time" + ("s" if parts["COUNT"] != "1" else "")
    if "UNTIL" in parts:
        u = parts["UNTIL"]
        text += f", until {u[0:4]}-{u[4:6]}-{u[6:8]}"
    return text
