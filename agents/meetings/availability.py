"""Free slots from weekly rules, date overrides and busy times: pure and DST-correct.

Rules are wall-clock times in the owner's IANA zone. Each day's window is resolved to UTC on
that day (so a 09:00 rule is 09:00 local on both sides of a DST change), and slots step in
real minutes from the window's start. A wall time that does not exist (spring-forward gap)
moves to the first time that does; an ambiguous one (fall-back overlap) opens a window at its
earlier instant and closes it at its later one. Busy bookings are padded with the owner's
buffers on both sides, so two meetings are always ``buffer_after + buffer_before`` apart.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agents.meetings.config import Policy
from store.errors import InvalidInput

MAX_DAYS = 62
REACH_BACK = timedelta(days=366)
REACH_AHEAD = timedelta(days=2 * 366)
OUT_OF_REACH = "Pick a date from a year ago to two years ahead."
_ROOM = timedelta(days=MAX_DAYS + 2)
"""Days of arithmetic room a range needs around its first day (see ``visitor_range``)."""


@dataclass(frozen=True)
class WeeklyWindow:
    weekday: int  # 0 = Monday
    start: time
    end: time


@dataclass(frozen=True)
class DateOverride:
    on_date: date
    kind: str  # "off" (whole day), "extra" (add hours), "block" (busy hours; no times = off)
    start: time | None = None
    end: time | None = None


@dataclass(frozen=True)
class Busy:
    """An existing booking (``counts`` toward the daily cap, padded by buffers) or a block."""

    start: datetime
    end: datetime
    counts: bool = True


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    end: datetime


def resolve_local(day: date, at: time, zone: ZoneInfo, *, closing: bool = False) -> datetime:
    """The UTC instant of wall time ``at`` on ``day`` in ``zone`` (see module doc for gaps)."""
    naive = datetime.combine(day, at)
    for _ in range(24 * 60 + 1):
        first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
        if first.astimezone(zone).replace(tzinfo=None) == naive:
            if closing:
                return naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
            return first
        naive += timedelta(minutes=1)  # inside a gap: walk to the first wall time that exists
    raise ValueError(f"no valid wall time near {day} {at} in {zone}")  # pragma: no cover


def day_windows(
    day: date,
    rules: Sequence[WeeklyWindow],
    overrides: Sequence[DateOverride],
    zone: ZoneInfo,
) -> list[tuple[datetime, datetime]]:
    """Open windows of one owner-local ``day`` in UTC, merged and sorted."""
    todays = [o for o in overrides if o.on_date == day]
    off = any(o.kind == "off" or (o.kind == "block" and o.start is None) for o in todays)
    spans: list[tuple[time, time]] = []
    if not off:
        spans += [(r.start, r.end) for r in rules if r.weekday == day.weekday()]
    spans += [(o.start, o.end) for o in todays if o.kind == "extra" and o.start and o.end]
    windows = sorted(
        (resolve_local(day, s, zone), resolve_local(day, e, zone, closing=True))
        for s, e in spans
        if e > s
    )
    merged: list[tuple[datetime, datetime]] = []
    for start, end in windows:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def block_intervals(overrides: Iterable[DateOverride], zone: ZoneInfo) -> list[Busy]:
    """Timed ``block`` overrides as busy intervals (they do not count toward the cap)."""
    return [
        Busy(
            resolve_local(o.on_date, o.start, zone),
            resolve_local(o.on_date, o.end, zone, closing=True),
            counts=False,
        )
        for o in overrides
        if o.kind == "block" and o.start is not None and o.end is not None and o.end > o.start
    ]


class _BusyIndex:
    """Padded busy intervals sorted by start, for fast overlap checks."""

    def __init__(self, busy: Sequence[Busy], policy: Policy) -> None:
        before = timedelta(minutes=policy.buffer_before)
        after = timedelta(minutes=policy.buffer_after)
        padded = [(b.start - before, b.end + after) if b.counts else (b.start, b.end) for b in busy]
        padded.sort()
        self.starts = [p[0] for p in padded]
        self.intervals = padded
        self.longest = max((e - s for s, e in padded), default=timedelta(0))

    def overlaps(self, start: datetime, end: datetime) -> bool:
        # Only intervals starting before ``end`` and after ``start - longest`` can overlap.
        hi = bisect.bisect_left(self.starts, end)
        lo = bisect.bisect_left(self.starts, start - self.longest)
        return any(s < end and start < e for s, e in self.intervals[lo:hi])


def check_reach(at: date, now: datetime, *, slack: timedelta = timedelta(0)) -> None:
    """Refuse a day or an (aware) time outside a year back .. two years ahead of ``now``.

    Nothing is bookable out there, and days near year 1 or 9999 overflow the slot arithmetic
    (``date value out of range``): callers check first and say so (``InvalidInput``).
    ``slack`` widens the window for ranges built around a checked time (alternatives nearby).
    """
    if isinstance(at, datetime):
        inside = now - REACH_BACK - slack <= at <= now + REACH_AHEAD + slack
    else:
        today = now.date()
        inside = today - REACH_BACK - slack <= at <= today + REACH_AHEAD + slack
    if not inside:
        raise InvalidInput(OUT_OF_REACH)


def check_range(start: datetime, end: datetime, now: datetime) -> None:
    """``check_reach`` for a range of slots: its ends may lie a range's room beyond the window."""
    check_reach(start, now, slack=_ROOM)
    check_reach(end, now, slack=_ROOM)


def compute_slots(
    *,
    policy: Policy,
    length: int,
    rules: Sequence[WeeklyWindow],
    overrides: Sequence[DateOverride],
    busy: Sequence[Busy],
    zone: ZoneInfo,
    now: datetime,
    start: datetime,
    end: datetime,
) -> list[Slot]:
    """Bookable slots of ``length`` minutes starting in ``[start, end)`` (UTC), sorted.

    A slot must lie inside an open window, start at least ``min_notice`` after ``now`` and at
    most ``horizon_days`` after it, keep its buffers clear of other bookings and blocks, and
    fall on an owner-local day that has not reached ``max_per_day``. A range far from ``now``
    is refused (``check_range``).
    """
    check_range(start, end, now)
    if length not in policy.lengths:
        offered = ", ".join(str(n) for n in policy.lengths)
        raise InvalidInput(f"Meetings here are {offered} minutes long.")
    earliest = max(start, now + timedelta(minutes=policy.min_notice))
    latest = min(end, now + timedelta(days=policy.horizon_days))
    if earliest >= latest:
        return []
    duration = timedelta(minutes=length)
    step = timedelta(minutes=policy.step(length))
    index = _BusyIndex([*busy, *block_intervals(overrides, zone)], policy)
    per_day = Counter(b.start.astimezone(zone).date() for b in busy if b.counts)
    pad_before = timedelta(minutes=policy.buffer_before)
    pad_after = timedelta(minutes=policy.buffer_after)
    slots: list[Slot] = []
    day = earliest.astimezone(zone).date() - timedelta(days=1)
    last_day = latest.astimezone(zone).date() + timedelta(days=1)
    while day <= last_day:
        full = policy.max_per_day and per_day[day] >= policy.max_per_day
        if not full:
            for w_start, w_end in day_windows(day, rules, overrides, zone):
                at = w_start
                while at + duration <= w_end:
                    if (
                        earliest <= at < latest
                        and at.astimezone(zone).date() == day
                        and not index.overlaps(at - pad_before, at + duration + pad_after)
                    ):
                        slots.append(Slot(at, at + duration))
                    at += step
        day += timedelta(days=1)
    slots.sort(key=lambda s: s.start)
    return slots


def visitor_range(first_day: date, days: int, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC bounds of ``days`` whole days from ``first_day`` in the visitor's ``zone``."""
    if not 1 <= days <= MAX_DAYS:
        raise InvalidInput(f"Ask for 1 to {MAX_DAYS} days.")
    if not date.min + _ROOM <= first_day <= date.max - _ROOM:  # no ``now`` here: just no overflow
        raise InvalidInput(OUT_OF_REACH)
    start = resolve_local(first_day, time(0), zone)
    end = resolve_local(first_day + timedelta(days=days), time(0), zone)
    return start, end


def nearest(slots: Sequence[Slot], target: datetime, n: int = 3) -> list[Slot]:
    """The ``n`` slots closest to ``target`` (alternatives to offer), in time order."""
    chosen = sorted(slots, key=lambda s: (abs(s.start - target), s.start))[:n]
    return sorted(chosen, key=lambda s: s.start)
