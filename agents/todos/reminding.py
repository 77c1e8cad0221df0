"""Queue due reminders into the outbox: one per occurrence, then nags for urgent tasks.

Each batch of tasks is one ``Database.write()`` transaction, so a reminder row exists exactly
when its task is marked reminded, and the write lock is never held for long (a pass after a
long downtime may have thousands to queue). Keys: ``todo:<id>@<occurrence ISO>`` for the
reminder, ``...#<n>`` for the n-th nag. The outbox's ``due_at`` is the occurrence itself, so a
reminder queued after downtime goes out marked "(late)".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy.orm import Session

from agents.messaging import tell_owner
from agents.todos.config import TodoConfig
from agents.todos.messages import reminder, reminder_buttons
from agents.todos.recurrence import latest_due
from agents.todos.timeutil import zone
from store import owners, todos
from store.models import Todo

BATCH = 500
KEY_RE = re.compile(r"^todo:(\d+)@([^#]+)(?:#(\d+))?$")


@dataclass(frozen=True)
class ReminderKey:
    todo_id: int
    occurrence: datetime
    nag: int


def reminder_key(todo_id: int, occurrence: datetime, nag: int = 0) -> str:
    base = f"todo:{todo_id}@{occurrence.isoformat()}"
    return base if nag == 0 else f"{base}#{nag}"


def parse_key(key: str) -> ReminderKey | None:
    match = KEY_RE.match(key)
    if match is None:
        return None
    return ReminderKey(
        int(match.group(1)), datetime.fromisoformat(match.group(2)), int(match.group(3) or 0)
    )


def in_quiet_hours(local: time, config: TodoConfig) -> bool:
    return config.is_quiet(local)


def roll_repeating(session: Session, *, now: datetime, owner_id: int | None) -> int:
    """Move fixed-schedule repeats whose next occurrence has come to that occurrence."""
    rolled = 0
    for todo in todos.repeating_past_due(session, now=now, owner_id=owner_id):
        assert todo.due_at is not None and todo.rrule is not None
        nxt = latest_due(todo.rrule, due=todo.due_at, tz=zone(todo.timezone), now=now)
        if nxt is not None:
            todo.due_at = nxt.due
            todo.rrule = nxt.rule
            todo.updated_at = now
            rolled += 1
    return rolled


def _enqueue(
    session: Session, todo: Todo, *, chat_id: int, occurrence: datetime, nag: int, now: datetime
) -> bool:
    return tell_owner(
        session,
        chat_id=chat_id,
        text=reminder(todo, late_nag=nag),
        buttons=reminder_buttons(todo.id),
        key=reminder_key(todo.id, occurrence, nag),
        now=now,
        due_at=occurrence,
    )


def queue_batch(
    session: Session,
    *,
    now: datetime,
    config: TodoConfig,
    owner_id: int | None = None,
    limit: int = BATCH,
) -> tuple[int, int]:
    """Queue up to ``limit`` due reminders; returns (tasks handled, rows created).

    Call until it handles fewer than ``limit``; each call in its own write transaction.
    """
    chats = {o.id: o.chat_id for o in owners.list_owners(session)}
    queued, handled = 0, []
    with session.no_autoflush:
        due = todos.due_for_reminder(session, now=now, owner_id=owner_id, limit=limit)
        for todo in due:
            occurrence = todo.snoozed_until or todo.due_at
            assert occurrence is not None
            chat_id = chats.get(todo.owner_id)
            if chat_id is not None:
                queued += _enqueue(
                    session, todo, chat_id=chat_id, occurrence=occurrence, nag=0, now=now
                )
            handled.append(todo.id)  # an owner without a chat is not reminded later either
    todos.mark_reminded(session, ids=handled, now=now)
    return len(due), queued


def queue_nags(
    session: Session, *, now: datetime, config: TodoConfig, owner_id: int | None = None
) -> int:
    """Remind urgent open tasks again every ``nag_interval``, outside quiet hours."""
    chats = {o.id: o.chat_id for o in owners.list_owners(session)}
    queued, handled = 0, []
    cutoff = now - config.nag_interval
    for todo in todos.due_for_nag(session, now=now, reminded_before=cutoff, owner_id=owner_id):
        chat_id = chats.get(todo.owner_id)
        occurrence = todo.snoozed_until or todo.due_at
        assert occurrence is not None
        local = now.astimezone(zone(todo.timezone)).time()
        if chat_id is None or in_quiet_hours(local, config):
            continue
        nag = max(1, int((now - occurrence) / config.nag_interval))
        queued += _enqueue(session, todo, chat_id=chat_id, occurrence=occurrence, nag=nag, now=now)
        handled.append(todo.id)
    todos.mark_reminded(session, ids=handled, now=now)
    return queued
