"""An outside calendar's busy times: parse iCalendar text and expand it, pure (no I/O).

Busy means an opaque, not-cancelled VEVENT, with its recurrences, exceptions (RECURRENCE-ID)
and EXDATEs expanded by ``recurring-ical-events`` (which also applies Google's
``X-WR-TIMEZONE``). TRANSP:TRANSPARENT ("free") events do not block. An all-day event blocks
the owner's whole local day(s): we expand its DATE ourselves in the owner's zone, also when a
server marks it all-day but sends UTC midnight (``X-MICROSOFT-CDO-ALLDAYEVENT``). Floating
times (no zone) are read in the owner's zone. Everything leaves as UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events  # type: ignore[import-untyped]
from icalendar import Calendar

from agents.meetings.availability import resolve_local
from store.errors import InvalidInput

MAX_OCCURRENCES = 20_000
"""More busy intervals than this in one window is a broken feed (e.g. FREQ=MINUTELY)."""

_ALLDAY_FLAGS = ("X-MICROSOFT-CDO-ALLDAYEVENT", "X-FUNAMBOL-ALLDAY")


@dataclass(frozen=True)
class BusyEvent:
    """One busy occurrence, UTC; ``uid`` lets a booking's own copy be told apart."""

    start: datetime
    end: datetime
    uid: str = ""
    all_day: bool = False


def parse_calendars(text: str | bytes) -> list[Calendar]:
    """Every VCALENDAR in ``text`` (a feed may hold several); ``InvalidInput`` if malformed."""
    raw = text.encode() if isinstance(text, str) else text
    if b"BEGIN:VCALENDAR" not in raw[:4096].upper():
        raise InvalidInput("The calendar is not iCalendar data (no BEGIN:VCALENDAR).")
    try:
        calendars = Calendar.from_ical(raw, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError ...
        raise InvalidInput(f"The calendar is malformed iCalendar: {str(exc)[:120]}") from None
    found = [c for c in calendars if isinstance(c, Calendar)]
    if not found:
        raise InvalidInput("The calendar is malformed iCalendar: no VCALENDAR in it.")
    return found


def _is_all_day(event: Any) -> bool:
    start = event.get("DTSTART")
    if start is not None and type(start.dt) is date:
        return True
    return any(str(event.get(flag, "")).upper() == "TRUE" for flag in _ALLDAY_FLAGS)


def _local_days(event: Any) -> tuple[date, date]:
    """First day and the day after the last of an all-day occurrence (DTEND exclusive)."""
    start: Any = event["DTSTART"].dt
    end: Any = event["DTEND"].dt if event.get("DTEND") is not None else None
    first = start if type(start) is date else start.date()
    if end is None:
        duration = event.get("DURATION")
        days = max(1, duration.dt.days) if duration is not None else 1
        return first, first + timedelta(days=days)
    last = end if type(end) is date else end.date()
    return first, max(last, first + timedelta(days=1))


def _aware(value: date | datetime, zone: ZoneInfo) -> datetime:
    if not isinstance(value, datetime):
        return resolve_local(value, time(0), zone)
    if value.tzinfo is None:  # floating: the owner's wall clock
        return value.replace(tzinfo=zone).astimezone(UTC)
    return value.astimezone(UTC)


def _occurrence(event: Any, zone: ZoneInfo) -> BusyEvent | None:
    if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
        return None
    if str(event.get("STATUS", "")).upper() == "CANCELLED":
        return None
    if event.get("DTSTART") is None:
        return None
    uid = str(event.get("UID", ""))[:300]
    if _is_all_day(event):
        first, after = _local_days(event)
        start = resolve_local(first, time(0), zone)
        end = resolve_local(after, time(0), zone)
        return BusyEvent(start, end, uid, all_day=True) if end > start else None
    start = _aware(event["DTSTART"].dt, zone)
    if event.get("DTEND") is not None:
        end = _aware(event["DTEND"].dt, zone)
    elif event.get("DURATION") is not None:
        end = start + event["DURATION"].dt
    else:
        return None  # a point in time blocks nothing
    return BusyEvent(start, end, uid) if end > start else None


def busy_between(
    calendars: Iterable[Calendar], *, zone: ZoneInfo, start: datetime, end: datetime
) -> list[BusyEvent]:
    """Busy occurrences overlapping ``[start, end)`` (UTC), sorted; ``InvalidInput`` when a
    feed cannot be expanded or expands to more than ``MAX_OCCURRENCES``."""
    # A day of room each side: all-day events are found by their floating date.
    lo, hi = start - timedelta(days=1), end + timedelta(days=1)
    found: list[BusyEvent] = []
    for calendar in calendars:
        try:
            _refuse_runaway_rules(calendar)
            events = recurring_ical_events.of(calendar, skip_bad_series=True).between(lo, hi)
        except InvalidInput:
            raise
        except Exception as exc:  # a bad RRULE, a zone nobody knows ...
            raise InvalidInput(
                f"The calendar could not be expanded: {str(exc)[:120] or type(exc).__name__}"
            ) from None
        for event in events:
            try:
                busy = _occurrence(event, zone)
            except Exception as exc:  # a DURATION that is a date, an unknown TZID ...
                raise InvalidInput(
                    f"The calendar has an event errands cannot read (UID "
                    f"{str(event.get('UID', '?'))[:60]}): {str(exc)[:80] or type(exc).__name__}"
                ) from None
            if busy is not None and busy.start < end and busy.end > start:
                found.append(busy)
        if len(found) > MAX_OCCURRENCES:
            raise InvalidInput(
                f"The calendar has more than {MAX_OCCURRENCES} busy times in the next months; "
                "is a rule repeating every minute?"
            )
    found.sort(key=lambda b: (b.start, b.end))
    return found


def _refuse_runaway_rules(calendar: Calendar) -> None:
    """A rule repeating every second or minute forever would expand to millions of times."""
    for event in calendar.walk("VEVENT"):
        rule = event.get("RRULE")
        for one in rule if isinstance(rule, list) else [rule] if rule is not None else []:
            freq = [str(f).upper() for f in one.get("FREQ", [])]
            if {"SECONDLY", "MINUTELY"} & set(freq) and not one.get("COUNT"):
                raise InvalidInput(
                    "The calendar has an event repeating every minute or second; "
                    "errands cannot use it."
                )
