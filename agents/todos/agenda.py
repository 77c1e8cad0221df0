"""The morning agenda (overdue first, then today) and the evening review (done, slipped,
tomorrow's first meeting).

One message per owner and local date, keyed ``todo-agenda:<owner>:<date>`` /
``todo-review:<owner>:<date>``, so running the job twice (or by cron and by hand) sends once.
Nothing is sent when there is nothing to say.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agents.messaging import button, esc, tell_owner
from agents.todos.messages import item_buttons, item_line
from agents.todos.timeutil import day_bounds, zone
from store import bookings, owners, todos
from store.models import Booking, Owner

MAX_ITEMS = 25


def _targets(session: Session, owner_id: int | None) -> list[Owner]:
    if owner_id is not None:
        return [owners.get_owner(session, owner_id=owner_id)]
    return owners.list_owners(session)


def first_meeting(session: Session, owner: Owner, *, day: datetime) -> Booking | None:
    """The owner's first accepted meeting starting on the local day of naive ``day``."""
    start, end = day_bounds(day, zone(owner.timezone))
    found = bookings.active_between(session, owner_id=owner.id, start=start, end=end)
    return next((b for b in found if b.status == "accepted" and b.start_at >= start), None)


def first_meeting_text(booking: Booking, owner: Owner) -> str:
    """``09:30 Alice · topic`` in the owner's zone; the guest's text escaped."""
    at = booking.start_at.astimezone(zone(owner.timezone)).strftime("%H:%M")
    topic = " ".join(booking.topic.split())[:80]
    guest = esc(" ".join(booking.guest_name.split()))
    return f"{at} {guest}" + (f" · {esc(topic)}" if topic else "")


def _owner_days(
    session: Session, now: datetime, owner_id: int | None
) -> Iterator[tuple[Owner, int, datetime, datetime, datetime]]:
    """Each owner with a chat, their local wall-clock ``now`` and their local day's bounds."""
    for owner in _targets(session, owner_id):
        if owner.chat_id is None:
            continue
        tz = zone(owner.timezone)
        local = now.astimezone(tz).replace(tzinfo=None)
        start, end = day_bounds(local, tz)
        yield owner, owner.chat_id, local, start, end


def morning_agenda(session: Session, *, now: datetime, owner_id: int | None = None) -> int:
    """Queue each owner's agenda for their local today; returns messages queued."""
    queued = 0
    for owner, chat_id, local, start, end in _owner_days(session, now, owner_id):
        items = todos.open_due_before(session, owner_id=owner.id, before=end)
        overdue = [t for t in items if t.due_at is not None and t.due_at < start]
        today = [t for t in items if t.due_at is not None and t.due_at >= start]
        if not items:
            continue
        lines = [f"☀️ <b>Today, {esc(local.strftime('%a %d %b'))}</b>"]
        if overdue:
            lines.append("\n<b>Overdue</b>")
            lines += [item_line(t) for t in overdue[:MAX_ITEMS]]
        if today:
            lines.append("\n<b>Today</b>")
            lines += [item_line(t) for t in today[:MAX_ITEMS]]
        shown = (overdue + today)[:MAX_ITEMS]
        key = f"todo-agenda:{owner.id}:{local.date().isoformat()}"
        buttons = [item_buttons(t) for t in shown]
        queued += tell_owner(
            session, chat_id=chat_id, text="\n".join(lines), buttons=buttons, key=key, now=now
        )
    return queued


def evening_review(session: Session, *, now: datetime, owner_id: int | None = None) -> int:
    """Queue each owner's review: done today, and what slipped with a move-to-tomorrow tap."""
    queued = 0
    for owner, chat_id, local, start, end in _owner_days(session, now, owner_id):
        done = todos.done_between(session, owner_id=owner.id, start=start, end=end)
        slipped = todos.open_due_before(session, owner_id=owner.id, before=min(now, end))
        first = first_meeting(session, owner, day=local + timedelta(days=1))
        if not done and not slipped and first is None:
            continue
        lines = [f"🌙 <b>Review, {esc(local.strftime('%a %d %b'))}</b>"]
        if done or slipped:
            lines.append(f"\n<b>Done today ({len(done)})</b>")
            lines += [f"✅ {esc(t.title)}" for t in done[:MAX_ITEMS]] or ["(nothing yet)"]
        if slipped:
            lines.append(f"\n<b>Slipped ({len(slipped)})</b>")
            lines += [item_line(t) for t in slipped[:MAX_ITEMS]]
        if first is not None:
            lines.append(
                f"\n📅 <b>Tomorrow's first meeting</b>: {first_meeting_text(first, owner)}"
            )
        buttons = [
            [button(f"➡️ Tomorrow: {t.title[:24]}", "todo", t.id, "tomorrow")]
            for t in slipped[:MAX_ITEMS]
        ]
        key = f"todo-review:{owner.id}:{local.date().isoformat()}"
        queued += tell_owner(
            session, chat_id=chat_id, text="\n".join(lines), buttons=buttons, key=key, now=now
        )
    return queued
