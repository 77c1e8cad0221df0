"""Snooze presets (1 hour, this evening, tomorrow morning, next Monday) and typed times.

Three rules, each of which says so in ``Snooze.note`` (the reply shows it):

- "This evening" pressed once the evening has begun means tomorrow evening;
- a snooze that lands in quiet hours (``TodoConfig.quiet_start``-``quiet_end``, the owner's
  zone; the hours reminders keep quiet too) moves to the end of them;
- a snooze never moves a task earlier than it is due (an earlier snooze may be changed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

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


@dataclass(frozen=True)
class Snooze:
    """Where a snooze puts the task (aware, owner's zone) and why, when it is not the obvious."""

    until: datetime
    note: str = ""


def _hm(local: datetime) -> str:
    return local.strftime("%H:%M")


def quiet_end(local: datetime, config: TodoConfig) -> datetime:
    """The end of the quiet hours that naive ``local`` falls in."""
    end = datetime.combine(local.date(), config.quiet_end)
    return end if end > local else end + timedelta(days=1)


def settle(
    until: datetime,
    *,
    timezone: str,
    config: TodoConfig,
    due: datetime | None = None,
    note: str = "",
) -> Snooze:
    """Apply the quiet-hours and never-earlier rules to ``until`` (aware)."""
    tz = zone(timezone)
    local = until.astimezone(tz).replace(tzinfo=None)
    notes = [note] if note else []
    if config.is_quiet(local.time()):
        moved = localize(quiet_end(local, config), tz)
        notes.append(
            f"{_hm(local)} is in your quiet hours ({config.quiet_start:%H:%M}–"
            f"{config.quiet_end:%H:%M}): moved to {_day(moved, tz)} {_hm(moved)}."
        )
        until = moved
    floor = not_earlier(until, due=due, tz=tz)
    return floor or Snooze(until.astimezone(tz), " ".join(notes))


def not_earlier(until: datetime, *, due: datetime | None, tz: ZoneInfo) -> Snooze | None:
    """The task's own due time when ``until`` is before it (a snooze never moves it earlier)."""
    if due is None or until >= due:
        return None
    local_due = due.astimezone(tz)
    return Snooze(
        local_due,
        f"It is due {_day(local_due, tz)} {_hm(local_due)}, later than that: "
        "a snooze never moves it earlier.",
    )


def _day(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%a %d %b")


def preset(
    action: str,
    *,
    now: datetime,
    timezone: str,
    config: TodoConfig,
    due: datetime | None = None,
) -> Snooze:
    """Where a preset button snoozes to; ``due``: the task's due time."""
    tz = zone(timezone)
    local = now.astimezone(tz).replace(tzinfo=None)
    note = ""
    if action == "snz_hour":
        until = (now + timedelta(hours=1)).astimezone(tz)
    elif action == "snz_evening":
        evening = datetime.combine(local.date(), config.evening)
        if evening <= local:
            evening += timedelta(days=1)
            note = f"It is already past {config.evening:%H:%M}: tomorrow evening."
        until = localize(evening, tz)
    elif action == "snz_tomorrow":
        until = localize(datetime.combine(local.date() + timedelta(days=1), config.morning), tz)
    elif action == "snz_monday":
        ahead = (0 - local.weekday()) % 7 or 7
        until = localize(datetime.combine(local.date() + timedelta(days=ahead), config.morning), tz)
    else:
        raise InvalidInput("Unknown snooze choice.")
    return settle(until, timezone=timezone, config=config, due=due, note=note)


def preset_time(action: str, *, now: datetime, timezone: str, config: TodoConfig) -> datetime:
    """The instant a preset snoozes to, in ``timezone`` (aware); ``preset`` also says why."""
    return preset(action, now=now, timezone=timezone, config=config).until


def typed(
    text: str,
    *,
    now: datetime,
    timezone: str,
    config: TodoConfig,
    due: datetime | None = None,
) -> Snooze:
    """A snooze time from words ("in 2 hours", "tomorrow 8am", "周五晚上"), via the parser."""
    result = parse(f"snooze {text}", now=now, timezone=timezone).result
    if not isinstance(result, Draft):
        raise InvalidInput(f"{result.question} Please say it with am/pm or a full date.")
    if result.due is None or result.rrule or result.title.lower() != "snooze":
        raise InvalidInput("I could not read a time in that (try “in 2 hours” or “tomorrow 9am”).")
    until = result.due
    if result.all_day:
        until = localize(datetime.combine(result.due.date(), config.morning), zone(timezone))
    return settle(until, timezone=timezone, config=config, due=due)


def typed_time(text: str, *, now: datetime, timezone: str, config: TodoConfig) -> datetime:
    """``typed`` without the note (the instant only)."""
    return typed(text, now=now, timezone=timezone, config=config).until
