"""Snooze presets (1 hour, this evening, tomorrow morning, next Monday) and typed times."""

from __future__ import annotations

from datetime import datetime, timedelta

from agents.todos.config import TodoConfig
from agents.todos.model import Draft
from agents.todos.parser import parse
from agents.todos.timeutil import localize, zone
from store.errors import InvalidInput

PRESETS: dict[str, str] = {
    "snz_hour": "1 hour",
    "snz_evening": "This evening",
    "snz_tomorrow": "Tomorrow 09:00",
    "snz_monday": "Next Monday",
}


def preset_time(action: str, *, now: datetime, timezone: str, config: TodoConfig) -> datetime:
    """The instant a preset snoozes to, in ``timezone`` (aware)."""
    tz = zone(timezone)
    local = now.astimezone(tz).replace(tzinfo=None)
    if action == "snz_hour":
        return (now + timedelta(hours=1)).astimezone(tz)
    if action == "snz_evening":
        evening = datetime.combine(local.date(), config.evening)
        if evening <= local:  # already evening: tomorrow evening
            evening += timedelta(days=1)
        return localize(evening, tz)
    if action == "snz_tomorrow":
        return localize(datetime.combine(local.date() + timedelta(days=1), config.morning), tz)
    if action == "snz_monday":
        ahead = (0 - local.weekday()) % 7 or 7
        return localize(datetime.combine(local.date() + timedelta(days=ahead), config.morning), tz)
    raise InvalidInput("Unknown snooze choice.")


def typed_time(text: str, *, now: datetime, timezone: str, config: TodoConfig) -> datetime:
    """A snooze time from words ("in 2 hours", "tomorrow 8am", "周五晚上"), via the parser."""
    result = parse(f"snooze {text}", now=now, timezone=timezone).result
    if not isinstance(result, Draft):
        raise InvalidInput(f"{result.question} Please say it with am/pm or a full date.")
    if result.due is None or result.rrule or result.title.lower() != "snooze":
        raise InvalidInput("I could not read a time in that (try “in 2 hours” or “tomorrow 9am”).")
    if result.all_day:
        return localize(datetime.combine(result.due.date(), config.morning), zone(timezone))
    return result.due
