"""The approval graph: one durable run per booking request, paused for the owner's decision.

``ask_owner`` calls ``interrupt()``; the checkpointer (``ctx.checkpointer``, SQLite) keeps
the paused run, so a request survives restarts. A tap (or the expiry job) resumes it with
``Command(resume={"action", "now"})`` and ``apply`` runs ``lifecycle.apply_decision``, whose
conditional update makes any repeat or race answer "already handled". The thread id is
deterministic (``meetings-booking-<id>``). Everything before ``interrupt()`` is idempotent
(LangGraph re-runs the node on resume), and the graph never sends anything itself: messages
go through the outbox inside ``apply_decision``'s transaction.

The graph is compiled once per checkpointer; the ``AppContext`` travels with each call as
LangGraph's run context, so nothing compiled holds on to a context.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import TypedDict

from langchain_core.runnables import RunnableConfig
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agents.context import AppContext
from agents.graphs import Checkpointer, compiled_once
from agents.meetings.lifecycle import Outcome, apply_decision
from agents.meetings.moves import lapse_due
from store import bookings

log = logging.getLogger(__name__)


class RequestState(TypedDict, total=False):
    booking_id: int
    owner_id: int
    decision: dict[str, str]
    changed: bool
    outcome: str


Graph = CompiledStateGraph[RequestState, AppContext, RequestState, RequestState]


def thread_config(booking_id: int) -> RunnableConfig:
    return {"configurable": {"thread_id": f"meetings-booking-{booking_id}"}}


def _ask_owner(state: RequestState) -> RequestState:
    decision = interrupt({"booking_id": state["booking_id"], "ask": "approve/decline/offer"})
    return {"decision": decision}


def _apply(state: RequestState, runtime: Runtime[AppContext]) -> RequestState:
    decision = state["decision"]
    outcome = apply_decision(
        runtime.context,
        booking_id=state["booking_id"],
        action=decision["action"],
        now=datetime.fromisoformat(decision["now"]),
        owner_id=state.get("owner_id"),
        picks=decision.get("picks"),
    )
    return {"changed": outcome.changed, "outcome": outcome.text}


def _build(checkpointer: Checkpointer) -> Graph:
    """The approval graph compiled against ``checkpointer`` (once; later calls reuse it)."""
    builder = StateGraph(RequestState, context_schema=AppContext)
    builder.add_node("ask_owner", _ask_owner)
    builder.add_node("apply", _apply)
    builder.add_edge(START, "ask_owner")
    builder.add_edge("ask_owner", "apply")
    builder.add_edge("apply", END)
    return builder.compile(checkpointer=checkpointer)


build_graph = compiled_once(_build)


async def start_request(ctx: AppContext, *, booking_id: int, owner_id: int) -> bool:
    """Run the graph up to its pause; False when there is no checkpointer (or it failed)."""
    if ctx.checkpointer is None:
        return False
    try:
        await build_graph(ctx.checkpointer).ainvoke(
            {"booking_id": booking_id, "owner_id": owner_id},
            thread_config(booking_id),
            context=ctx,
        )
    except Exception:  # the booking and the owner's card exist; decisions still work
        log.exception("could not start the approval graph for booking %s", booking_id)
        return False
    return True


async def is_waiting(ctx: AppContext, booking_id: int) -> bool:
    if ctx.checkpointer is None:
        return False
    state = await build_graph(ctx.checkpointer).aget_state(thread_config(booking_id))
    return bool(state.next)


async def decide(
    ctx: AppContext,
    *,
    booking_id: int,
    action: str,
    now: datetime,
    owner_id: int | None = None,
    picks: str | None = None,
) -> Outcome:
    """Resume the paused run with the decision; without one, apply it directly (same rules).

    ``picks`` are the times chosen in the "Offer other times" picker (``offers``)."""
    if ctx.checkpointer is not None:
        graph = build_graph(ctx.checkpointer)
        config = thread_config(booking_id)
        state = await graph.aget_state(config)
        if state.next and (owner_id is None or state.values.get("owner_id") == owner_id):
            resume = {"action": action, "now": now.isoformat()}
            if picks is not None:
                resume["picks"] = picks
            result = await graph.ainvoke(Command(resume=resume), config, context=ctx)
            return Outcome(bool(result.get("changed")), str(result.get("outcome", "")))
    return apply_decision(
        ctx, booking_id=booking_id, action=action, now=now, owner_id=owner_id, picks=picks
    )


async def expire_due(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> int:
    """Release pending requests whose hold ran out and guests' move requests left unanswered
    until their time came inside the owner's notice (``moves.lapse_due``); the guest is told
    either way. How many ended."""
    with ctx.db.read() as session:
        due = [
            (b.id, b.owner_id) for b in bookings.due_pending(session, now=now, owner_id=owner_id)
        ]
    expired = 0
    for booking_id, owner in due:
        outcome = await decide(ctx, booking_id=booking_id, action="expire", now=now, owner_id=owner)
        expired += int(outcome.changed)
    return expired + lapse_due(ctx, now=now, owner_id=owner_id)
