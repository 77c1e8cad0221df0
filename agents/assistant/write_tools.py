"""The state-changing tools: one exact line before the owner's tap, the change after it.

Each tool is a planner: it resolves the owner's words (refs, times, the guest) inside a session
and returns a ``Plan`` (the line to show, and the change to run in that same session). So
``describe`` and ``apply`` cannot disagree about what a call means, and whatever cannot be done
(an unknown or ambiguous ref, unreadable time words, a task already done) fails while
describing, before any card is offered. The changes go through the agents' own services.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from agents.arxiv import feedback
from agents.assistant.refs import (
    clock_text,
    day_text,
    due_text,
    guest_ref,
    moment_text,
    paper_ref,
    span,
    todo_ref,
)
from agents.assistant.spans import block_span, when_words
from agents.context import AppContext
from agents.meetings import links, messages
from agents.meetings.availability import DateOverride, Slot
from agents.meetings.policy import add_override, load_overrides, policy_of
from agents.meetings.slots import free_slots
from agents.messaging import esc, mail_guest
from agents.todos import actions
from agents.todos.model import Ambiguous, Draft
from agents.todos.parser import parse
from agents.todos.recurrence import describe as describe_rule
from agents.todos.snooze import typed
from store import papers as repo
from store.errors import Conflict, InvalidInput
from store.models import Owner, Todo

OFFER_COUNT = 3


@dataclass(frozen=True)
class Plan:
    line: str  # what will change (HTML, for the card)
    run: Callable[[], str]  # the change, in the planner's session; returns the result (HTML)


Planner = Callable[[AppContext, Session, Owner, dict[str, Any], datetime, str], Plan]
T = TypeVar("T")


def _title(todo: Todo) -> str:
    return f"#{todo.id} “{esc(todo.title)}”"


def _open_todo(session: Session, owner: Owner, ref: str) -> Todo:
    todo = todo_ref(session, owner_id=owner.id, ref=ref)
    if todo.status != "open":
        raise InvalidInput(f"#{todo.id} “{todo.title}” is already done.")
    return todo


def _draft(words: str, *, now: datetime, timezone: str, prefix: str = "") -> Draft:
    """The rule parser's reading in the owner's zone; a second reading is a question."""
    result = parse(f"{prefix}{words}", now=now, timezone=timezone).result
    if isinstance(result, Ambiguous):
        options = ", ".join(o.label for o in result.options[:3])
        raise InvalidInput(f"{result.question} ({options}) Please say it with am/pm or a date.")
    return result


def add_todo(
    ctx: AppContext, session: Session, owner: Owner, args: dict[str, Any], now: datetime, key: str
) -> Plan:
    draft = _draft(args["text"], now=now, timezone=owner.timezone)
    when = esc(due_text(draft.due, all_day=draft.all_day, timezone=owner.timezone))
    repeat = f" 🔁 {esc(describe_rule(draft.rrule))}" if draft.rrule else ""

    def run() -> str:
        config = ctx.config.todos
        todo, _ = actions.save_draft(
            session, owner_id=owner.id, draft=draft, now=now, config=config
        )
        return f"📝 Added {_title(todo)} · {when}{repeat}."

    return Plan(f"Add to-do “{esc(draft.title)}” · {when}{repeat}", run)


def complete_todo(
    ctx: AppContext, session: Session, owner: Owner, args: dict[str, Any], now: datetime, key: str
) -> Plan:
    todo = _open_todo(session, owner, args["ref"])
    note = " (it repeats: the next one stays)" if todo.rrule else ""
    return Plan(
        f"Mark {_title(todo)} done{note}",
        lambda: (
            f"✅ {_title(todo)}: " + esc(actions.complete(todo, now=now, on_done=ctx.todo_done))
        ),
    )


def snooze_todo(
    ctx: AppContext, session: Session, owner: Owner, args: dict[str, Any], now: datetime, key: str
) -> Plan:
    todo = _open_todo(session, owner, args["ref"])
    tz = owner.timezone
    words = when_words(args["until"], now=now, timezone=tz)
    plan = typed(words, now=now, timezone=tz, config=ctx.config.todos, due=todo.due_at)
    until = plan.until
    if until <= now:
        raise InvalidInput("Snooze to a time that is still ahead.")
    why = f" {esc(plan.note)}" if plan.note else ""  # quiet hours, never earlier than due

    def run() -> str:
        actions.snooze(todo, until=until, now=now, note=plan.note)
        return f"💤 Snoozed {_title(todo)} until {moment_text(until, tz)}.{why}"

    return Plan(f"Snooze {_title(todo)} until {moment_text(until, tz)}{why}", run)


def reschedule_todo(
    ctx: AppContext, session: Session, owner: Owner, args: dict[str, Any], now: datetime, key: str
) -> Plan:
    todo = _open_todo(session, owner, args["ref"])
    tz = owner.timezone
    words = when_words(args["when"], now=now, timezone=tz)
    draft = _draft(words, now=now, timezone=tz, prefix="reschedule ")
    if draft.due is None or draft.rrule or draft.title.lower() != "reschedule":
        raise InvalidInput(
            f"I could not read one day or time in “{args['when']}” (try “friday 10am”)."
        )
    due = draft.due
    when = esc(due_text(due, all_day=draft.all_day, timezone=tz))

    def run() -> str:
        actions.reschedule(todo, due=due, all_day=draft.all_day, timezone=tz, now=now)
        return f"📅 Moved {_title(todo)} to {when}."

    return Plan(f"Move {_title(todo)} to {when}", run)


def spread(items: Sequence[T], n: int) -> list[T]:
    """``n`` items spread evenly over ``items`` (first and last included)."""
    if len(items) <= n:
        return list(items)
    picks = sorted({round(i * (len(items) - 1) / (n - 1)) for i in range(n)})
    return [items[i] for i in picks]


def _times(slots: Sequence[Slot], tz: str, *, one_day: bool) -> str:
    return ", ".join(
        clock_text(s.start, tz) if one_day else moment_text(s.start, tz) for s in slots
    )


def offer_times(
    ctx: AppContext, session: Session, owner: Owner, args: dict[str, Any], now: datetime, key: str
) -> Plan:
    guest = guest_ref(session, owner=owner, ref=args["guest"])
    view = span(args["range"], now=now, timezone=owner.timezone)
    length = policy_of(ctx, owner).default_length
    found = free_slots(ctx, session, owner, start=view.start, end=view.end, length=length, now=now)
    if not found:
        raise InvalidInput(f"You have no free times {view.on} to offer.")
    chosen = spread(found, OFFER_COUNT)
    one_day = view.first == view.last
    times = _times(chosen, owner.timezone, one_day=one_day)
    who = esc(guest.email) + (f" ({esc(guest.name)})" if guest.name else "")
    count = f"{len(chosen)} free time{'s' if len(chosen) != 1 else ''} {view.on}"

    def run() -> str:
        zone = guest.timezone
        subject, text = messages.offered_times(
            owner_name=owner.name,
            slots=chosen,
            zone=zone,
            links=[links.slot_link(ctx, owner.slug, s, zone) for s in chosen],
            page=links.page_link(ctx, owner.slug),
        )
        digest = hashlib.sha256(key.encode()).hexdigest()[:32]
        mail_guest(
            session,
            to=guest.email,
            subject=subject,
            text=text,
            key=f"assistant:offer:{owner.id}:{digest}",
            now=now,
        )
        return f"📧 Mailed {who} {count}: {times}."

    return Plan(f"Mail {who} {count} ({times})", run)


def block_text(o: DateOverride) -> str:
    if o.start is None or o.end is None:
        return f"{day_text(o.on_date)} (all day)"
    return f"{day_text(o.on_date)} {o.start:%H:%M}-{o.end:%H:%M}"


def block_time(
    ctx: AppContext, session: Session, owner: Owner, args: dict[str, Any], now: datetime, key: str
) -> Plan:
    today = span("today", now=now, timezone=owner.timezone).first
    block = block_span(args["when"], today=today)
    if block.on_date < today:
        raise InvalidInput("That day is over: block a day from today on.")
    what = block_text(block)
    if block in load_overrides(session, owner.id):
        raise InvalidInput(f"{what} is already blocked.")
    title = str(args.get("title") or "")
    named = f" “{esc(title)}”" if title else ""

    def run() -> str:
        add_override(session, owner.id, block, note=title or str(args["when"]))
        return f"⛔ Blocked {what}{named}."

    return Plan(f"Block {what}{named}", run)


def rate_paper(
    ctx: AppContext, session: Session, owner: Owner, args: dict[str, Any], now: datetime, key: str
) -> Plan:
    """Read-only planning; the change (``feedback.apply_tap``) opens its own transaction."""
    today = span("today", now=now, timezone=owner.timezone).first
    ref = paper_ref(session, owner=owner, ref=args["ref"], today=today)
    like = args["rating"] == "like"
    mark, choice = ("👍", "liked") if like else ("👎", "disliked")
    if repo.current_tap(session, owner_id=owner.id, paper_id=ref.paper.id) == choice:
        raise InvalidInput(f"You already {choice} {ref.label}.")
    line = f"{mark} {ref.label}: “{esc(ref.paper.title)}”"

    def run() -> str:
        try:
            feedback.apply_tap(
                ctx, owner_id=owner.id, event_id=ref.event.id, action=args["rating"], now=now
            )
        except Conflict:
            return f"Already noted: {line}."
        return f"Noted: {line} ({'more' if like else 'fewer'} like this)."

    return Plan(line, run)


PLANNERS: dict[str, Planner] = {
    "add_todo": add_todo,
    "complete_todo": complete_todo,
    "snooze_todo": snooze_todo,
    "reschedule_todo": reschedule_todo,
    "offer_times": offer_times,
    "block_time": block_time,
    "rate_paper": rate_paper,
}
OWN_TRANSACTION = frozenset({"rate_paper"})
