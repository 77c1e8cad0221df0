"""The approval graph: one durable run per booking request, paused for the owner's decision.

``ask_owner`` calls ``interrupt()``; the checkpointer (``ctx.checkpointer``, SQLite) keeps
the paused run, so a request survives restarts. A tap (or the expiry job) resumes it with
``Command(resume={"action", "now"})`` and ``apply`` runs ``service.apply_decision``, whose
conditional update makes any repeat or race answer "already handled". The thread id is
deterministic (``meetings-booking-<id>``). Everything before ``interrupt()`` is idempotent
(LangGraph re-runs the node on resume), and the graph never sends anything itself: messages
go through the outbox inside ``apply_decision``'s transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any, TypedDict

from langgraph.graph import END, START, StateGraph
from langgraph.types import Command, interrupt

from agents.context import AppContext
from agents.meetings.service import Outcome, apply_decision

log = logging.getLogger(__name__)


class RequestState(TypedDict, total=False):
    booking_id: int
    owner_id: int
    decision: dict[str, str]
    changed: bool
    outcome: str


def thread_config(booking_id: int) -> dict[str, Any]:
    return {"configurable": {"thread_id": f"meetings-booking-{booking_id}"}}


def build_graph(ctx: AppContext) -> Any:
    def ask_owner(state: RequestState) -> dict[str, Any]:
        decision = interrupt({"booking_id": state["booking_id"], "ask": "approve/decline/offer"})
        return {"decision": decision}

    def apply(state: RequestState) -> dict[str, Any]:
        decision = state["decision"]
        outcome = apply_decision(
            ctx,
            booking_id=state["booking_id"],
            action=decision["action"],
            now=datetime.fromisoformat(decision["now"]),
            owner_id=state.get("owner_id"),
        )
        return {"changed": outcome.changed, "outcome": outcome.text}

    graph = StateGraph(RequestState)
    graph.add_node("ask_owner", ask_owner)
    graph.add_node("apply", apply)
    graph.add_edge(START, "ask_owner")
    graph.add_edge("ask_owner", "apply")
    graph.add_edge("apply", END)
    return graph.compile(checkpointer=ctx.checkpointer)


async def start_request(ctx: AppContext, *, booking_id: int, owner_id: int) -> bool:
    """Run the graph up to its pause; False when there is no checkpointer (or it failed)."""
    if ctx.checkpointer is None:
        return False
    try:
        await build_graph(ctx).ainvoke(
            {"booking_id": booking_id, "owner_id": owner_id}, thread_config(booking_id)
        )
    except Exception:  # the booking and the owner's card exist; decisions still work
        log.exception("could not start the approval graph for booking %s", booking_id)
        return False
    return True


async def is_waiting(ctx: AppContext, booking_id: int) -> bool:
    if ctx.checkpointer is None:
        return False
    state = await build_graph(ctx).aget_state(thread_config(booking_id))
    return bool(state.next)


async def decide(
    ctx: AppContext, *, booking_id: int, action: str, now: datetime, owner_id: int | None = None
) -> Outcome:
    """Resume the paused run with the decision; without one, apply it directly (same rules)."""
    if ctx.checkpointer is not None:
        graph = build_graph(ctx)
        config = thread_config(booking_id)
        state = await graph.aget_state(config)
        if state.next and (owner_id is None or state.values.get("owner_id") == owner_id):
            result = await graph.ainvoke(
                Command(resume={"action": action, "now": now.isoformat()}), config
            )
            return Outcome(bool(result.get("changed")), str(result.get("outcome", "")))
    return apply_decision(ctx, booking_id=booking_id, action=action, now=now, owner_id=owner_id)
