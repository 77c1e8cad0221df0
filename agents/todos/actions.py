"""What can happen to a task: save a draft, complete, snooze, move, delete.

Each function changes ORM rows inside the caller's ``Database.write()`` session and returns a
short English sentence for the person. Repeating tasks are one row whose due time moves.

``complete`` calls the ``DoneHook``s it is given (``AppContext.todo_done``) in the same
transaction when a task is done for good: the port through which another agent hears of it
(a 'Read: …' to-do counts as a like of its paper) without this agent importing that one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, time, timedelta

from sqlalchemy.orm import Session, object_session

from agents.todos import snooze as snooze_rules
from agents.todos.config import TodoConfig
from agents.todos.model import Draft
from agents.todos.recurrence import advance
from agents.todos.timeutil import localize, zone
from store import todos
from store.errors import InvalidInput
from store.models import Todo

DoneHook = Callable[[Session, Todo, datetime], None]
"""Told (session, task, now) inside the completing transaction; it may write, never commit."""


def save_draft(
    session: Session, *, owner_id: int, draft: Draft, now: datetime, config: TodoConfig
) -> tuple[Todo, bool]:
    """Store ``draft`` once per capture (``now`` = the capture's time); returns (row, created)."""
    existing = todos.find_same(session, owner_id=owner_id, title=draft.title, created_at=now)
    if existing is not None:
        return existing, False
    todo = todos.create_todo(
        session,
        owner_id=owner_id,
        title=draft.title,
        timezone=draft.timezone,
        now=now,
        due_at=draft.due,
        all_day=draft.all_day,
        rrule=draft.rrule,
        repeat_from_completion=draft.repeat_from_completion,
        priority=draft.priority,
        nag=draft.priority <= config.nag_priority and draft.due is not None,
        notes=draft.notes,
    )
    return todo, True


def complete(todo: Todo, *, now: datetime, on_done: Sequence[DoneHook] = ()) -> str:
    """Mark done (then tell ``on_done``); a repeating task moves to its next occurrence
    instead, and no hook hears of that."""
    if todo.status != "open":
        raise InvalidInput("Already done.")
    todo.completed_at = now
    todo.updated_at = now
    todo.snoozed_until = None
    if todo.rrule and todo.due_at is not None:
        nxt = advance(
            todo.rrule,
            due=todo.due_at,
            tz=zone(todo.timezone),
            after=now,
            from_completion=now if todo.repeat_from_completion else None,
        )
        if nxt is not None:
            todo.due_at = nxt.due
            todo.rrule = nxt.rule
            when = (
                nxt.due.strftime("%a %d %b") if todo.all_day else nxt.due.strftime("%a %d %b %H:%M")
            )
            return f"Done. Next: {when}."
    todo.status = "done"
    session = object_session(todo)
    if session is not None:
        for hook in on_done:
            hook(session, todo, now)
    return "Done."


def snooze(todo: Todo, *, until: datetime, now: datetime, note: str = "") -> str:
    """Snooze to ``until``, never earlier than the task is due (``note``: why ``until`` is
    not what was asked, from ``agents.todos.snooze``; it ends the reply)."""
    if todo.status != "open":
        raise InvalidInput("Already done.")
    if until <= now:
        raise InvalidInput("Snooze to a time that is still ahead.")
    if floor := snooze_rules.not_earlier(until, due=todo.due_at, tz=zone(todo.timezone)):
        until, note = floor.until, floor.note
    todo.snoozed_until = until
    todo.updated_at = now
    when = until.astimezone(zone(todo.timezone)).strftime("%a %d %b %H:%M")
    return f"Snoozed until {when}." + (f" {note}" if note else "")


def move_to_tomorrow(todo: Todo, *, now: datetime) -> str:
    """Put a slipped task on tomorrow (same time of day, or all day)."""
    if todo.status != "open":
        raise InvalidInput("Already done.")
    tz = zone(todo.timezone)
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    all_day = todo.all_day or todo.due_at is None
    at = time(0) if all_day or todo.due_at is None else todo.due_at.astimezone(tz).time()
    todo.due_at = localize(datetime.combine(tomorrow, at), tz)
    todo.all_day = all_day
    todo.snoozed_until = None
    todo.last_reminded_at = None
    todo.updated_at = now
    return "Moved to tomorrow."


def reschedule(todo: Todo, *, due: datetime, all_day: bool, timezone: str, now: datetime) -> str:
    """Put an open task on a new due time (``timezone``: the zone it was said in)."""
    if todo.status != "open":
        raise InvalidInput("Already done.")
    todo.due_at = due
    todo.all_day = all_day
    todo.timezone = timezone
    todo.snoozed_until = None
    todo.last_reminded_at = now if due <= now else None  # a past time sends no late ping
    todo.updated_at = now
    local = due.astimezone(zone(timezone))
    return "Moved to " + local.strftime("%a %d %b" if all_day else "%a %d %b %H:%M") + "."


def delete(todo: Todo, *, now: datetime) -> str:
    todo.status = "deleted"
    todo.updated_at = now
    return f"Deleted “{todo.title}”."
