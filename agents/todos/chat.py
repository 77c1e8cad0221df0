"""What the owner's to-do commands and button taps decide (the bot only shows the result).

Buttons carry the task id (``agents.todos.messages``): ``todo:<id>:<action>`` on agendas,
reviews and snooze menus, and ``tlist:<id>:<action>`` on /list (the same rules; the bot then
redraws the list), act on the task as it is now; ``rem:<id>:<action>`` on a reminder acts
only while the reminded occurrence is the current one, so a second tap, or a tap on an old
reminder of a repeating task that moved on, answers "Already done.".
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy.orm import Session

from agents.todos import actions, snooze
from agents.todos.config import TodoConfig
from agents.todos.snooze import PRESETS
from store import todos
from store.errors import InvalidInput, NotFound
from store.models import Todo

ALREADY_DONE = "Already done."
USAGE = {
    "done": "Usage: /done ID (the number shown in /list).",
    "snooze": "Usage: /snooze ID WHEN, e.g. /snooze 12 tomorrow 9am.",
    "delete": "Usage: /delete ID (the number shown in /list).",
    "todo": "Usage: /todo TEXT, e.g. /todo call mom tomorrow at 6pm.",
}

Outcome = Literal["acted", "menu", "done", "stale"]
"""``acted``: the action ran; ``menu``: show the snooze choices; ``done``: the task (or this
reminder's occurrence) is already done; ``stale``: the button no longer names anything."""


@dataclass(frozen=True)
class Tap:
    """The result of one button tap on a task."""

    outcome: Outcome
    title: str = ""
    answer: str = ""


def task_id(args: Sequence[str], command: str) -> int:
    """The task id a command names (``/done 12``, ``/done #12``); else its usage as an error."""
    if not args or not args[0].lstrip("#").isdigit() or len(args[0]) > 12:
        raise InvalidInput(USAGE[command])
    return int(args[0].lstrip("#"))


def reminder_is_current(todo: Todo, *, now: datetime) -> bool:
    """A reminder's buttons count while the task is still due; once it moved on they are old."""
    return todo.due_at is not None and todo.due_at <= now


def tap(
    session: Session,
    *,
    owner_id: int,
    todo_id: int,
    action: str,
    reminder: bool,
    timezone: str,
    now: datetime,
    config: TodoConfig,
    on_done: Sequence[actions.DoneHook] = (),
) -> Tap:
    """Apply ``action`` from a task's button (``reminder``: on a reminder) if it still counts
    (``on_done``: told when it completes the task, ``actions.complete``)."""
    try:
        todo = todos.get_owned(session, owner_id=owner_id, todo_id=todo_id)
    except NotFound:
        return Tap("stale")
    if reminder:
        if todo.status == "done":
            return Tap("done")
        if not reminder_is_current(todo, now=now):
            return Tap("done" if todo.completed_at is not None else "stale")
    elif todo.status != "open":
        return Tap("done")
    if action == "snooze":
        return Tap("menu", todo.title)
    answer = act(todo, action, now=now, timezone=timezone, config=config, on_done=on_done)
    return Tap("acted", todo.title, answer)


def act(
    todo: Todo,
    action: str,
    *,
    now: datetime,
    timezone: str,
    config: TodoConfig,
    on_done: Sequence[actions.DoneHook] = (),
) -> str:
    """Done, move to tomorrow, or a snooze preset; any other action is an old button."""
    if action == "done":
        return actions.complete(todo, now=now, on_done=on_done)
    if action == "tomorrow":
        return actions.move_to_tomorrow(todo, now=now)
    if action in PRESETS:  # the plan's note ("already past 19:00: tomorrow evening") is shown
        plan = snooze.preset(action, now=now, timezone=timezone, config=config, due=todo.due_at)
        return actions.snooze(todo, until=plan.until, now=now, note=plan.note)
    raise InvalidInput("That button no longer does anything.")
