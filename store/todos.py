"""To-do rows: create, look up (always scoped to an owner), and the queries jobs need.

Plain repository functions on a ``Session``; the meaning of due dates, repeats and reminders
lives in ``agents.todos``. Every timestamp is aware UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from store.errors import InvalidInput, NotFound
from store.models import Todo

STATUSES = ("open", "done", "deleted")


def create_todo(
    session: Session,
    *,
    owner_id: int,
    title: str,
    timezone: str,
    now: datetime,
    due_at: datetime | None = None,
    all_day: bool = False,
    rrule: str | None = None,
    repeat_from_completion: bool = False,
    priority: int = 4,
    nag: bool = False,
    notes: str = "",
) -> Todo:
    """Insert a task; a due time already past at creation counts as reminded (no late ping)."""
    title = title.strip()
    if not title or len(title) > 500:
        raise InvalidInput("A to-do needs a title of 1-500 characters.")
    if not 1 <= priority <= 4:
        raise InvalidInput("Priority is 1 (most urgent) to 4 (normal).")
    todo = Todo(
        owner_id=owner_id,
        title=title,
        notes=notes,
        due_at=due_at,
        all_day=all_day,
        timezone=timezone,
        rrule=rrule,
        repeat_from_completion=repeat_from_completion,
        priority=priority,
        nag=nag,
        status="open",
        last_reminded_at=now if due_at is not None and due_at <= now else None,
        created_at=now,
        updated_at=now,
    )
    session.add(todo)
    session.flush()
    return todo


def find_same(session: Session, *, owner_id: int, title: str, created_at: datetime) -> Todo | None:
    """The task a capture already saved (same owner, title and capture time), if any."""
    return session.scalar(
        select(Todo).where(
            Todo.owner_id == owner_id, Todo.title == title.strip(), Todo.created_at == created_at
        )
    )


def get_owned(session: Session, *, owner_id: int, todo_id: int) -> Todo:
    """The task ``todo_id`` of ``owner_id``; someone else's task is ``NotFound`` too."""
    todo = session.get(Todo, todo_id)
    if todo is None or todo.owner_id != owner_id or todo.status == "deleted":
        raise NotFound(f"There is no to-do #{todo_id}.")
    return todo


def list_open(session: Session, *, owner_id: int, limit: int = 200) -> list[Todo]:
    """Open tasks, dated ones first by due time, then undated by age."""
    return list(
        session.scalars(
            select(Todo)
            .where(Todo.owner_id == owner_id, Todo.status == "open")
            .order_by(Todo.due_at.is_(None), Todo.due_at, Todo.id)
            .limit(limit)
        )
    )


def effective_due() -> object:
    """SQL expression: the snooze time when snoozed, else the due time."""
    return func.coalesce(Todo.snoozed_until, Todo.due_at)


def due_for_reminder(
    session: Session, *, now: datetime, owner_id: int | None = None, limit: int = 20_000
) -> list[Todo]:
    """Open timed tasks whose (snoozed) due time has come and that were not reminded since."""
    when = func.coalesce(Todo.snoozed_until, Todo.due_at)
    query = select(Todo).where(
        Todo.status == "open",
        Todo.due_at.is_not(None),
        or_(Todo.all_day.is_(False), Todo.snoozed_until.is_not(None)),
        when <= now,
        or_(Todo.last_reminded_at.is_(None), Todo.last_reminded_at < when),
    )
    if owner_id is not None:
        query = query.where(Todo.owner_id == owner_id)
    return list(session.scalars(query.order_by(when, Todo.id).limit(limit)))


def due_for_nag(
    session: Session,
    *,
    now: datetime,
    reminded_before: datetime,
    owner_id: int | None = None,
) -> list[Todo]:
    """Open nagging tasks already reminded for their due time, last reminded before a cut-off."""
    when = func.coalesce(Todo.snoozed_until, Todo.due_at)
    query = select(Todo).where(
        Todo.status == "open",
        Todo.nag.is_(True),
        Todo.due_at.is_not(None),
        when <= now,
        Todo.last_reminded_at.is_not(None),
        Todo.last_reminded_at >= when,
        Todo.last_reminded_at <= reminded_before,
    )
    if owner_id is not None:
        query = query.where(Todo.owner_id == owner_id)
    return list(session.scalars(query.order_by(Todo.id)))


def repeating_past_due(
    session: Session, *, now: datetime, owner_id: int | None = None
) -> list[Todo]:
    """Open fixed-schedule repeating tasks whose current occurrence is in the past."""
    query = select(Todo).where(
        Todo.status == "open",
        Todo.rrule.is_not(None),
        Todo.repeat_from_completion.is_(False),
        Todo.snoozed_until.is_(None),
        Todo.due_at < now,
    )
    if owner_id is not None:
        query = query.where(Todo.owner_id == owner_id)
    return list(session.scalars(query))


def done_between(session: Session, *, owner_id: int, start: datetime, end: datetime) -> list[Todo]:
    """Tasks completed in [start, end) (repeating ones count by their last completion)."""
    return list(
        session.scalars(
            select(Todo)
            .where(
                Todo.owner_id == owner_id,
                Todo.status != "deleted",
                and_(Todo.completed_at >= start, Todo.completed_at < end),
            )
            .order_by(Todo.completed_at)
        )
    )


def open_due_before(session: Session, *, owner_id: int, before: datetime) -> list[Todo]:
    """Open tasks due before ``before`` (overdue and today's), by due time."""
    return list(
        session.scalars(
            select(Todo)
            .where(Todo.owner_id == owner_id, Todo.status == "open", Todo.due_at < before)
            .order_by(Todo.due_at, Todo.id)
        )
    )


def mark_reminded(session: Session, *, ids: list[int], now: datetime) -> None:
    """Record that these tasks were reminded at ``now`` (one UPDATE per 500 ids)."""
    for start in range(0, len(ids), 500):
        session.execute(
            update(Todo)
            .where(Todo.id.in_(ids[start : start + 500]))
            .values(last_reminded_at=now)
            .execution_options(synchronize_session=False)
        )


def search(
    session: Session,
    *,
    owner_id: int,
    words: Sequence[str] = (),
    status: str = "open",
    limit: int = 50,
) -> list[Todo]:
    """Tasks of one status whose title contains every word (case-insensitive for ASCII).

    Open ones come dated first by their (snoozed) due time; done ones newest completion first.
    """
    query = select(Todo).where(Todo.owner_id == owner_id, Todo.status == status)
    for word in words:
        query = query.where(func.lower(Todo.title).contains(word.lower(), autoescape=True))
    when = func.coalesce(Todo.snoozed_until, Todo.due_at)
    if status == "done":
        query = query.order_by(Todo.completed_at.desc(), Todo.id.desc())
    else:
        query = query.order_by(when.is_(None), when, Todo.id)
    return list(session.scalars(query.limit(limit)))


def open_due_between(
    session: Session, *, owner_id: int, start: datetime, end: datetime
) -> list[Todo]:
    """Open tasks whose (snoozed) due time is in ``[start, end)``, soonest first."""
    when = func.coalesce(Todo.snoozed_until, Todo.due_at)
    return list(
        session.scalars(
            select(Todo)
            .where(Todo.owner_id == owner_id, Todo.status == "open", when >= start, when < end)
            .order_by(when, Todo.id)
        )
    )
