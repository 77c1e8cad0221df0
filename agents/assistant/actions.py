"""What each assistant tool does, for the owner who is talking (the dispatch).

- ``run_read``: a read-only call answered from the store (``read_tools``, ``paper_tools``).
- ``describe``: a state-changing call as one exact line for the confirmation card; it raises
  ``NotFound``/``InvalidInput`` (a clear question or reason) when the call cannot be done, so a
  card is never offered for it.
- ``apply``: the confirmed call, run through the agents' own services (``write_tools``), once
  per ``key``: the result line is remembered in the owner's preferences (the newest
  ``KEEP_KEYS``), so a replayed apply changes nothing more and answers the same.
- ``pin``: the call with its refs replaced by what they resolve to now ("#12", the arXiv id,
  the guest's email), so a card's apply acts on exactly what its line named.

The owner always comes from code; the model's arguments are words resolved among that owner's
own rows, so another owner's "#id" is not found.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from agents.assistant import paper_tools, read_tools
from agents.assistant.refs import Answer, guest_ref, paper_ref, span, todo_ref
from agents.assistant.tools import Call, parse_call
from agents.assistant.write_tools import OWN_TRANSACTION, PLANNERS
from agents.context import AppContext
from store import owners
from store.errors import InvalidInput
from store.models import Owner

__all__ = ["Answer", "apply", "describe", "pin", "run_read"]

APPLIED = "assistant_applied"
KEEP_KEYS = 200

Reader = Callable[[AppContext, Owner, dict[str, Any], datetime], Answer]
READERS: dict[str, Reader] = {
    "agenda": read_tools.agenda,
    "list_todos": read_tools.list_todos,
    "free_slots": read_tools.free_slots,
    "list_bookings": read_tools.list_bookings,
    "search_papers": paper_tools.search_papers,
    "why_recommended": paper_tools.why_recommended,
}


async def run_read(ctx: AppContext, owner: Owner, call: Call, *, now: datetime) -> Answer:
    """Answer a read-only call from the store; a state-changing one is refused."""
    reader = READERS.get(call.name)
    if reader is None:
        raise InvalidInput(f"{call.name} changes something and needs your confirmation.")
    return reader(ctx, owner, call.args, now)


def _planner(call: Call) -> Any:
    planner = PLANNERS.get(call.name)
    if planner is None:
        raise InvalidInput(f"{call.name} changes nothing: it is answered directly.")
    return planner


def describe(ctx: AppContext, owner: Owner, call: Call, *, now: datetime) -> str:
    """One HTML line saying exactly what ``apply`` would change (refs resolved)."""
    planner = _planner(call)
    with ctx.db.read() as session:
        row = owners.get_owner(session, owner_id=owner.id)
        return str(planner(ctx, session, row, call.args, now, "").line)


def recall(owner: Owner, key: str) -> str | None:
    """The result line of an apply already done under ``key``, if any."""
    done = (owner.preferences or {}).get(APPLIED)
    value = done.get(key) if isinstance(done, dict) else None
    return value if isinstance(value, str) else None


def remember(owner: Owner, key: str, text: str) -> None:
    prefs = dict(owner.preferences or {})
    done = dict(prefs.get(APPLIED) or {})
    done.pop(key, None)
    done[key] = text
    prefs[APPLIED] = dict(list(done.items())[-KEEP_KEYS:])
    owner.preferences = prefs


async def apply(ctx: AppContext, owner: Owner, call: Call, *, now: datetime, key: str) -> str:
    """Run a confirmed call once per ``key``; returns the owner-facing result line (HTML)."""
    planner = _planner(call)
    if call.name in OWN_TRANSACTION:  # the agent's service opens its own write transaction
        with ctx.db.read() as session:
            row = owners.get_owner(session, owner_id=owner.id)
            done = recall(row, key)
            plan = None if done is not None else planner(ctx, session, row, call.args, now, key)
        if plan is None:
            return str(done)
        text = str(plan.run())
        with ctx.db.write() as session:
            remember(owners.get_owner(session, owner_id=owner.id), key, text)
        return text
    with ctx.db.write() as session:
        row = owners.get_owner(session, owner_id=owner.id)
        done = recall(row, key)
        if done is not None:
            return done
        text = str(planner(ctx, session, row, call.args, now, key).run())
        remember(row, key, text)
    if call.name == "offer_times" and ctx.wake_outbox is not None:
        ctx.wake_outbox()
    return text


def pin(ctx: AppContext, owner: Owner, call: Call, *, now: datetime) -> Call:
    """``call`` with word refs replaced by the ids they name now (same owner, same rules)."""
    args = dict(call.args)
    with ctx.db.read() as session:
        row = owners.get_owner(session, owner_id=owner.id)
        if "ref" in args and call.name in ("complete_todo", "snooze_todo", "reschedule_todo"):
            args["ref"] = f"#{todo_ref(session, owner_id=row.id, ref=args['ref']).id}"
        elif "ref" in args and call.name == "rate_paper":
            today = span("today", now=now, timezone=row.timezone).first
            args["ref"] = paper_ref(session, owner=row, ref=args["ref"], today=today).paper.id
        elif call.name == "offer_times":
            args["guest"] = guest_ref(session, owner=row, ref=args["guest"]).email
    return parse_call(call.name, args)
