"""The read-only tools about days: agenda, to-dos, free slots, bookings (answers from the store).

Each takes the owner who is talking and validated arguments (``tools.parse_call``) and returns
an ``Answer``: short Telegram HTML in the owner's zone (every stored string escaped), the facts
behind it for the model to phrase, and the items' own buttons (``todo:<id>:done|snooze``,
``mtg:<id>:approve|decline``) where one tap is the whole action.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from agents.assistant.refs import EPOCH, Answer, Span, clock_text, day_text, span
from agents.assistant.refs import words_of as words
from agents.context import AppContext
from agents.meetings.policy import policy_of
from agents.meetings.slots import free_slots as live_slots
from agents.messaging import Button, Buttons, button, esc
from agents.todos.messages import item_buttons, item_line
from store import bookings, owners, todos
from store import papers as repo
from store.models import Booking, Owner, Todo

MAX_ITEMS = 20
MAX_BUTTONS = 10
TIMES_PER_DAY = 8


def _when(todo: Todo) -> datetime | None:
    return todo.snoozed_until or todo.due_at


def _todo_fact(todo: Todo, *, overdue: bool = False) -> dict[str, Any]:
    when = _when(todo)
    return {
        "id": todo.id,
        "title": todo.title,
        "due": when.isoformat() if when else None,
        "all_day": todo.all_day and todo.snoozed_until is None,
        "overdue": overdue,
    }


def _meeting_fact(b: Booking) -> dict[str, Any]:
    return {
        "id": b.id,
        "start": b.start_at.isoformat(),
        "end": b.end_at.isoformat(),
        "guest": b.guest_name,
        "email": b.guest_email,
        "topic": b.topic,
        "status": b.status,
    }


def _meeting_line(b: Booking, tz: str, *, with_day: bool) -> str:
    mark = "⏳" if b.status == "pending" else "📅"
    day = f"{day_text(b.start_at, tz)} " if with_day else ""
    topic = f": {esc(b.topic[:80])}" if b.topic else ""
    pending = " <i>(pending)</i>" if b.status == "pending" else ""
    when = f"{clock_text(b.start_at, tz)}-{clock_text(b.end_at, tz)}"
    return f"{mark} {day}{when} {esc(b.guest_name)}{topic}{pending}"


def _todo_line(todo: Todo, tz: str, *, with_day: bool) -> str:
    when = _when(todo)
    if when is None:
        at = ""
    elif todo.all_day and todo.snoozed_until is None:
        at = f" · {day_text(when, tz)}" if with_day else ""
    else:
        at = f" · {day_text(when, tz) + ' ' if with_day else ''}{clock_text(when, tz)}"
    return f"📝 #{todo.id} {esc(todo.title)}{at}"


def _pending_buttons(rows: Sequence[Booking]) -> Buttons:
    return [
        [
            button(f"✅ {b.guest_name[:20]}", "mtg", b.id, "approve"),
            button("❌ Decline", "mtg", b.id, "decline"),
        ]
        for b in rows
        if b.status == "pending"
    ][:MAX_BUTTONS]


def _todo_buttons(items: Sequence[Todo]) -> Buttons:
    rows: list[list[Button]] = [item_buttons(t) for t in items[:MAX_BUTTONS]]
    return rows


def agenda(ctx: AppContext, owner: Owner, args: dict[str, Any], now: datetime) -> Answer:
    """Meetings (accepted and pending), to-dos due (and overdue, from today), today's digest."""
    tz = owner.timezone
    view = span(args["range"], now=now, timezone=tz)
    today = span("today", now=now, timezone=tz).first
    with ctx.db.read() as session:
        meetings = bookings.active_between(
            session, owner_id=owner.id, start=view.start, end=view.end
        )
        due = todos.open_due_between(session, owner_id=owner.id, start=view.start, end=view.end)
        overdue: list[Todo] = []
        digest: int | None = None
        if view.first <= today <= view.last:
            overdue = todos.open_due_between(
                session, owner_id=owner.id, start=EPOCH, end=min(view.start, now)
            )
            digest = len(repo.shown(session, owner_id=owner.id, digest_date=today))
    many_days = view.first != view.last
    entries: list[tuple[datetime, str]] = [
        (b.start_at, _meeting_line(b, tz, with_day=many_days)) for b in meetings
    ]
    entries += [(_when(t) or view.start, _todo_line(t, tz, with_day=many_days)) for t in due]
    entries.sort(key=lambda e: e[0])
    lines = [f"<b>{esc(view.label)}</b>"]
    lines += [line for _, line in entries[:MAX_ITEMS]]
    if len(entries) > MAX_ITEMS:
        lines.append(f"… and {len(entries) - MAX_ITEMS} more")
    if overdue:
        lines.append(f"<b>Overdue ({len(overdue)})</b>")
        lines += [_todo_line(t, tz, with_day=True) for t in overdue[:MAX_ITEMS]]
    if digest:
        lines.append(f"📰 {digest} paper{'s' if digest != 1 else ''} in today's digest (/papers)")
    if not entries and not overdue:
        lines.append("Nothing planned." if not digest else "No meetings or to-dos.")
    facts: dict[str, object] = {
        "range": view.name,
        "first_day": view.first.isoformat(),
        "last_day": view.last.isoformat(),
        "meetings": [_meeting_fact(b) for b in meetings],
        "todos": [_todo_fact(t) for t in due],
        "overdue": [_todo_fact(t, overdue=True) for t in overdue],
        "digest_today": digest,
    }
    buttons = _pending_buttons(meetings) + _todo_buttons([*overdue, *due])
    return Answer("\n".join(lines), facts, buttons[:MAX_BUTTONS])


def list_todos(ctx: AppContext, owner: Owner, args: dict[str, Any], now: datetime) -> Answer:
    """Open, overdue, due today or done to-dos, optionally only those with some title words."""
    kind, query = args.get("filter", "open"), args.get("query") or ""
    today = span("today", now=now, timezone=owner.timezone)
    with ctx.db.read() as session:
        status = "done" if kind == "done" else "open"
        found = todos.search(
            session, owner_id=owner.id, words=words(query), status=status, limit=200
        )
    if kind == "overdue":
        found = [t for t in found if _overdue(t, today, now)]
    elif kind == "today":
        found = [t for t in found if (w := _when(t)) is not None and today.holds(w)]
    about = f" matching “{esc(query)}”" if query else ""
    name = {"open": "Open to-dos", "overdue": "Overdue", "today": "Due today", "done": "Done"}[kind]
    if not found:
        text = f"No {name.lower() if kind != 'open' else 'open'} to-dos{about}."
        if kind in ("overdue", "today"):
            text = f"Nothing {'overdue' if kind == 'overdue' else 'due today'}{about}."
        return Answer(text, {"filter": kind, "query": query, "count": 0, "todos": []})
    lines = [f"<b>{name}{about} ({len(found)})</b>"]
    if kind == "done":
        lines += [
            f"✅ #{t.id} {esc(t.title)}"
            + (f" · {day_text(t.completed_at, owner.timezone)}" if t.completed_at else "")
            for t in found[:MAX_ITEMS]
        ]
    else:
        lines += [item_line(t) for t in found[:MAX_ITEMS]]
    if len(found) > MAX_ITEMS:
        lines.append(f"… and {len(found) - MAX_ITEMS} more")
    facts: dict[str, object] = {
        "filter": kind,
        "query": query,
        "count": len(found),
        "todos": [_todo_fact(t, overdue=_overdue(t, today, now)) for t in found[:MAX_ITEMS]],
    }
    return Answer("\n".join(lines), facts, [] if kind == "done" else _todo_buttons(found))


def _overdue(todo: Todo, today: Span, now: datetime) -> bool:
    when = _when(todo)
    if when is None:
        return False
    timed = not todo.all_day or todo.snoozed_until is not None
    return when < today.start or (timed and when < now)


def free_slots(ctx: AppContext, owner: Owner, args: dict[str, Any], now: datetime) -> Answer:
    """Bookable times in a range, by the meetings agent's own slot rules."""
    tz = owner.timezone
    view = span(args["range"], now=now, timezone=tz)
    with ctx.db.read() as session:
        row = owners.get_owner(session, owner_id=owner.id)
        length = int(args.get("length_minutes") or policy_of(ctx, row).default_length)
        found = live_slots(
            ctx, session, row, start=view.start, end=view.end, length=length, now=now
        )
    facts: dict[str, object] = {
        "range": view.name,
        "length_minutes": length,
        "count": len(found),
        "slots": [s.start.isoformat() for s in found[:50]],
    }
    if not found:
        return Answer(f"No free {length}-minute times {view.on}.", facts)
    by_day: dict[str, list[str]] = {}
    for s in found:
        by_day.setdefault(day_text(s.start, tz), []).append(clock_text(s.start, tz))
    lines = [f"<b>Free {length}-minute times · {esc(view.label)}</b>"]
    for day, times in list(by_day.items())[:14]:
        more = f" (+{len(times) - TIMES_PER_DAY} more)" if len(times) > TIMES_PER_DAY else ""
        lines.append(f"{day}: {', '.join(times[:TIMES_PER_DAY])}{more}")
    return Answer("\n".join(lines), facts)


def list_bookings(ctx: AppContext, owner: Owner, args: dict[str, Any], now: datetime) -> Answer:
    """Accepted meetings and pending requests overlapping a range (or one of the two)."""
    tz = owner.timezone
    view = span(args["range"], now=now, timezone=tz)
    status = args.get("status")
    with ctx.db.read() as session:
        rows = bookings.active_between(session, owner_id=owner.id, start=view.start, end=view.end)
    rows = [b for b in rows if status is None or b.status == status]
    what = {"pending": "Booking requests", "accepted": "Meetings"}.get(status or "", "Meetings")
    facts: dict[str, object] = {
        "range": view.name,
        "status": status,
        "count": len(rows),
        "bookings": [_meeting_fact(b) for b in rows],
    }
    if not rows:
        return Answer(f"No {what.lower()} {view.on}.", facts)
    lines = [f"<b>{what} · {esc(view.label)} ({len(rows)})</b>"]
    lines += [_meeting_line(b, tz, with_day=True) for b in rows[:MAX_ITEMS]]
    if len(rows) > MAX_ITEMS:
        lines.append(f"… and {len(rows) - MAX_ITEMS} more")
    return Answer("\n".join(lines), facts, _pending_buttons(rows))
