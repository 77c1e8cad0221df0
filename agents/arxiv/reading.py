"""The reading list: 📖 on a digest paper makes a 'Read: TITLE' to-do; reading it is a 👍.

📖 (``read:<event id>:open``) puts Today / Friday / Next week (and ✖️) in place of the
paper's buttons; a choice saves the paper (``store.reading``) and creates its to-do through
the to-do agent's own ``save_draft``, so it is reminded like any to-do.

When it is due: at the owner's evening time (``TodoConfig.evening``, 19:00 by default), in the
owner's zone, on the chosen day. That time is also the day's cutoff: 'Today' after it means
tomorrow, and 'Friday' on a Friday after it means the next Friday. 'Next week' is next Monday
(a Monday's 'next week' is the Monday after). The answer says the day it chose.

Idempotent by owner and paper: a second choice moves the same open to-do (the same day again
changes nothing), a paper already read says so, and a deleted to-do is made again.
Completing the to-do (✅, /done, the assistant's complete_todo: anything that calls
``agents.todos.actions.complete`` with ``ctx.todo_done``) counts the paper as liked exactly
once and retrains the model as a 👍 does (``install`` adds the hook to a context).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Literal

from sqlalchemy.orm import Session

from agents.arxiv import feedback
from agents.arxiv.render import READ_KIND, abs_url
from agents.context import AppContext
from agents.messaging import Buttons, button
from agents.todos import actions
from agents.todos.model import MAX_TITLE, Draft
from agents.todos.timeutil import localize, zone
from store import owners, reading
from store import papers as repo
from store.errors import Conflict, InvalidInput
from store.models import Todo

CHOICES = ("today", "friday", "nextweek")
PREFIX = "Read: "
FRIDAY, MONDAY = 4, 0
Outcome = Literal["saved", "moved", "same", "read"]
ListState = Literal["none", "saved", "read"]
READ_ALREADY = "📖 You have read it already."


@dataclass(frozen=True)
class Saved:
    """What a choice did: the to-do, its due time (owner's zone) and the outcome."""

    outcome: Outcome
    todo_id: int
    due: datetime | None
    title: str


def due_day(choice: str, local_now: datetime, cutoff: time) -> date:
    """The local day a choice means at ``local_now`` (naive, the owner's wall clock)."""
    today = local_now.date()
    before = local_now.time() < cutoff
    if choice == "today":
        return today if before else today + timedelta(days=1)
    if choice == "friday":
        days = (FRIDAY - today.weekday()) % 7
        return today + timedelta(days=7 if days == 0 and not before else days)
    if choice == "nextweek":
        return today + timedelta(days=(MONDAY - today.weekday()) % 7 or 7)
    raise InvalidInput("That button no longer does anything.")


def today_label(local_now: datetime, cutoff: time) -> str:
    return "Today" if local_now.time() < cutoff else "Tomorrow"


def choice_buttons(event_id: int, *, today: str = "Today") -> Buttons:
    """The row that replaces a paper's buttons after 📖."""
    return [
        [
            button(today, READ_KIND, event_id, "today"),
            button("Friday", READ_KIND, event_id, "friday"),
            button("Next week", READ_KIND, event_id, "nextweek"),
            button("✖️", READ_KIND, event_id, "cancel"),
        ]
    ]


def todo_title(paper_title: str) -> str:
    title = PREFIX + " ".join(paper_title.split())
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1] + "…"


def list_state(ctx: AppContext, *, owner_id: int, event_id: int) -> ListState:
    """Where the paper of a shown event is: not on the list (or its to-do deleted), saved, read."""
    with ctx.db.read() as session:
        event = repo.get_event(session, event_id=event_id, owner_id=owner_id)
        status = reading.states(session, owner_id=owner_id, paper_ids=[event.paper_id])
    found = status.get(event.paper_id)
    return "none" if found is None else "read" if found == "done" else "saved"


def save(ctx: AppContext, *, owner_id: int, event_id: int, choice: str, now: datetime) -> Saved:
    """Put the paper of a shown event on the reading list, due on ``choice``'s day."""
    config = ctx.config.todos
    with ctx.db.write() as session:
        event = repo.get_event(session, event_id=event_id, owner_id=owner_id)
        if event.kind != "shown":
            raise Conflict("That button is not a digest paper.")
        owner = owners.get_owner(session, owner_id=owner_id)
        tz = zone(owner.timezone)
        day = due_day(choice, now.astimezone(tz).replace(tzinfo=None), config.evening)
        due = localize(datetime.combine(day, config.evening), tz)
        paper = repo.get_papers(session, ids=[event.paper_id])[event.paper_id]
        item = reading.get(session, owner_id=owner_id, paper_id=paper.id)
        todo = session.get(Todo, item.todo_id) if item and item.todo_id else None
        if todo is not None and todo.status == "done":
            return Saved("read", todo.id, todo.due_at, todo.title)
        if todo is not None and todo.status == "open":
            if todo.due_at == due:
                return Saved("same", todo.id, due, todo.title)
            actions.reschedule(todo, due=due, all_day=False, timezone=owner.timezone, now=now)
            return Saved("moved", todo.id, due, todo.title)
        draft = Draft(
            title=todo_title(paper.title),
            timezone=owner.timezone,
            due=due,
            notes=abs_url(paper.id),
        )
        todo, _ = actions.save_draft(
            session, owner_id=owner_id, draft=draft, now=now, config=config
        )
        reading.save(session, owner_id=owner_id, paper_id=paper.id, todo_id=todo.id, now=now)
        return Saved("saved", todo.id, due, todo.title)


def answer(saved: Saved, timezone: str) -> str:
    """The line shown on the button after a choice."""
    when = saved.due.astimezone(zone(timezone)).strftime("%a %d %b %H:%M") if saved.due else ""
    return {
        "saved": f"📖 On your reading list: due {when}.",
        "moved": f"📖 Moved to {when}.",
        "same": f"📖 Already on your reading list for {when}.",
        "read": READ_ALREADY,
    }[saved.outcome]


def count_read(ctx: AppContext, session: Session, todo: Todo, now: datetime) -> None:
    """A reading to-do was completed: the paper counts as liked, once, and the model learns.

    A paper already 👍'd is not liked twice; one 👎'd is liked now (the newest label wins).
    """
    item = reading.by_todo(session, todo_id=todo.id)
    if item is None or item.read_at is not None:
        return
    item.read_at = now
    if repo.current_tap(session, owner_id=item.owner_id, paper_id=item.paper_id) == "liked":
        return
    shown = reading.last_shown(session, owner_id=item.owner_id, paper_id=item.paper_id)
    repo.add_event(
        session,
        owner_id=item.owner_id,
        paper_id=item.paper_id,
        kind="liked",
        now=now,
        digest_date=shown.digest_date if shown else None,
        rank=shown.rank if shown else None,
    )
    owner = owners.get_owner(session, owner_id=item.owner_id)
    feedback.retrain(ctx, session, owner=owner, now=now)


class LikeWhenRead:
    """The ``todo_done`` hook for one context (``install``)."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def __call__(self, session: Session, todo: Todo, now: datetime) -> None:
        count_read(self.ctx, session, todo, now)


def install(ctx: AppContext) -> AppContext:
    """Let completing a reading to-do count as a like in ``ctx`` (once, however often called)."""
    if not any(isinstance(hook, LikeWhenRead) for hook in ctx.todo_done):
        ctx.todo_done.append(LikeWhenRead(ctx))
    return ctx
