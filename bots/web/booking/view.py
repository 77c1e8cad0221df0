"""What the booking page shows besides the times: the month overview, zones, types, links.

All server-rendered, so the page works without JavaScript: the month is a table whose free
days are links, the zone list a plain ``<select>`` (``static/book.js`` adds a search box), and
the 12/24-hour choice two links (``?clock=12|24``).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import TypedDict
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from agents.meetings.availability import Slot
from agents.meetings.clock_style import Clock
from agents.meetings.meeting_types import MeetingType
from agents.meetings.zones import offset_label, zone_names


class Cell(TypedDict):
    day: int
    iso: str
    free: bool
    today: bool
    chosen: bool


class Month(TypedDict):
    label: str
    weeks: list[list[Cell | None]]
    prev: date | None
    next: date | None
    free_count: int


class ZoneOption(TypedDict):
    name: str
    label: str


@dataclass(frozen=True)
class PageState:
    """The page's query: everything a link keeps unless it changes it."""

    slug: str
    tz: str
    length: int
    type_key: str
    clock: Clock
    first: date

    def url(self, **changes: object) -> str:
        values: dict[str, object] = {
            "tz": self.tz,
            "type": self.type_key,
            "length": self.length,
            "clock": self.clock,
            "from": self.first.isoformat(),
        }
        values.update({k.rstrip("_"): v for k, v in changes.items()})
        query = {k: str(v) for k, v in values.items() if v not in ("", None)}
        return f"/book/{self.slug}?{urlencode(query)}"


def month_of(
    first: date,
    today: date,
    free_slots: list[Slot],
    zone: ZoneInfo,
    *,
    week: int,
    last_day: date,
) -> Month:
    """The month around ``first`` (Monday-first weeks); days with a free slot are marked.
    No link to a month after ``last_day`` (the owner's horizon): nothing is bookable there."""
    free_days = {s.start.astimezone(zone).date() for s in free_slots}
    start = first.replace(day=1)
    chosen_last = first + timedelta(days=week - 1)
    weeks: list[list[Cell | None]] = []
    for row in calendar.Calendar(firstweekday=0).monthdatescalendar(start.year, start.month):
        weeks.append(
            [
                {
                    "day": d.day,
                    "iso": d.isoformat(),
                    "free": d in free_days,
                    "today": d == today,
                    "chosen": first <= d <= chosen_last,
                }
                if d.month == start.month
                else None
                for d in row
            ]
        )
    following = (start + timedelta(days=32)).replace(day=1)
    earlier = (start - timedelta(days=1)).replace(day=1)
    return {
        "label": f"{start:%B %Y}",
        "weeks": weeks,
        "prev": max(earlier, today) if start > today.replace(day=1) else None,
        "next": following if following <= last_day else None,
        "free_count": len({d for d in free_days if d.month == start.month}),
    }


def month_span(first: date, today: date) -> tuple[date, int]:
    """The first day worth asking about in ``first``'s month and how many days remain."""
    start = max(first.replace(day=1), today)
    last = calendar.monthrange(first.year, first.month)[1]
    return start, last - start.day + 1


def zone_options(now: datetime) -> list[ZoneOption]:
    """Every offered zone with its current UTC offset, ``America/New York (UTC-05:00)``.
    Offsets change on the hour at most, so the list is built once per hour (it was a third of
    the page's time: 419 zones)."""
    return _zone_options(now.replace(minute=0, second=0, microsecond=0))


@lru_cache(maxsize=2)
def _zone_options(hour: datetime) -> list[ZoneOption]:
    return [
        {"name": z, "label": f"{z.replace('_', ' ')} ({offset_label(z, hour)})"}
        for z in zone_names()
    ]


def type_facts(t: MeetingType) -> dict[str, object]:
    """A type as its card on the page says it (the link template is not shown)."""
    video = t.location.startswith(("http://", "https://"))
    where = "Video call (link in the invite)" if video else t.location
    return {
        "key": t.key,
        "name": t.name,
        "lengths": t.lengths,
        "description": t.description,
        "where": where,
        "approval": t.approval,
    }
