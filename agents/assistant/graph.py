"""The assistant as a LangGraph graph: understand -> act -> (confirm -> apply).

One run per free text, thread ``assistant:<owner id>:<message id>``, persisted by
``ctx.checkpointer`` (so a card still works after a restart); what a run works on (the
``AppContext``, the owner, ``now``) rides in the runtime context, so the graph is compiled once.

- ``understand``: the rules (``route.classify``) first; a capture goes back to the to-do
  capture flow, chit-chat and unclear texts get a fixed answer, a common question gets the
  read-only calls the rules name. Anything else (a change, a mixed "X is done, what's left?",
  a question the rules cannot name) goes to the LLM (``planner.plan``) once; with no LLM the
  rules' part is answered and the rest is said to need it.
- ``act``: read-only calls run at once and answer from the store; when the planner chose
  them, the model phrases what they found (``phrasing.phrase``: one more call, the results
  as data, no tools; the code's text when it fails). State-changing calls are only
  *described* (``actions.describe``, which refuses what this owner cannot change) and pinned
  (``actions.pin``: refs replaced by the ids they name now, so the tap acts on exactly what
  the card's line said).
- ``confirm``: one card for all described changes, an ``interrupt()``; the owner taps.
- ``apply``: the only place that changes anything, reached only when ``confirm`` was resumed
  with "yes" on this owner's thread; each call is idempotent by its key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, TypedDict, cast

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from langgraph.types import Command, interrupt

from agents.assistant import actions, replies
from agents.assistant.phrasing import phrase
from agents.assistant.planner import plan
from agents.assistant.route import ToolCall, classify
from agents.assistant.tools import Call, parse_call
from agents.context import AppContext
from agents.graphs import compiled_once
from agents.llm import LLMError
from agents.messaging import Buttons, esc
from store import bookings, todos
from store.errors import ErrandsError, InvalidInput
from store.models import Owner

_MEMORY = InMemorySaver()  # only for contexts without a checkpointer (no data dir)

ReplyKind = Literal[
    "capture", "answer", "card", "chitchat", "unclear", "needs_llm", "done", "cancelled", "stale"
]


@dataclass(frozen=True)
class Reply:
    """What to show the owner: HTML ``text`` ("" for a capture: the to-do flow answers)."""

    kind: ReplyKind
    text: str
    buttons: Buttons = field(default_factory=list)


@dataclass(frozen=True)
class Run:
    """The runtime context of one step: the app, who is talking, and when."""

    ctx: AppContext
    owner: Owner
    now: datetime


class State(TypedDict, total=False):
    text: str
    message_id: int
    now: str  # when the text came: the card's changes are applied as of then
    kind: str  # the reply's kind once the run ends without a card
    reply: str
    buttons: Buttons
    calls: list[dict[str, Any]]  # validated calls, {"name", "args"}
    proposed: list[dict[str, Any]]  # state-changing calls with their describe() line
    dropped: list[str]
    decision: str | None
    results: list[str]
    phrase: bool  # the planner chose the calls: the model phrases the read-only answers
    note: str  # said after the answer (the part of the message that needs the LLM)


def thread_id(owner_id: int, message_id: int) -> str:
    return f"assistant:{owner_id}:{message_id}"


def _as_call(data: dict[str, Any]) -> Call:
    return parse_call(data["name"], data["args"])


def _data(ctx: AppContext, owner: Owner, now: datetime) -> str:
    """Other people's words the model may need (booking topics), plus the owner's to-do titles."""
    with ctx.db.read() as session:
        booked = bookings.upcoming(session, owner_id=owner.id, now=now, limit=5)
        tasks = todos.list_open(session, owner_id=owner.id, limit=15)
        lines = [f"booking with {b.guest_name}: {b.topic[:200]}" for b in booked]
        lines += [f"to-do: {t.title}" for t in tasks]
    return "\n".join(lines)


async def _understand(state: State, runtime: Runtime[Run]) -> State:
    run = runtime.context
    route = classify(state["text"])
    if route.kind in ("capture", "chitchat", "unclear"):
        text = {"capture": "", "chitchat": replies.CHITCHAT, "unclear": replies.UNCLEAR}
        return {"kind": route.kind, "reply": text[route.kind]}
    if route.calls and not route.partial:
        return {"calls": _dicts(route.calls)}
    fallback: State = {"kind": "needs_llm", "reply": replies.NEEDS_LLM}
    if route.default:  # only the router's model thought it asks: with no planner, a to-do again
        fallback = {"kind": "capture", "reply": ""}
    elif route.calls:  # the rules' part of a message that also asks for more
        fallback = {"calls": _dicts(route.calls), "note": replies.NEEDS_LLM_REST}
    llm = run.ctx.llm
    if llm is None:
        return fallback
    try:
        planned = await plan(
            llm,
            state["text"],
            now=run.now,
            timezone=run.owner.timezone,
            context=_data(run.ctx, run.owner, run.now),
        )
    except LLMError:
        return fallback
    calls = [{"name": c.name, "args": c.args} for c in planned.calls]
    if calls:
        return {"calls": calls, "dropped": list(planned.rejected), "phrase": True}
    if route.calls:  # the model named nothing usable: the rules' part still answers
        said = replies.model_words(planned.text) if planned.text else ""
        said = said or (replies.dropped_only(planned.rejected) if planned.rejected else "")
        return {"calls": _dicts(route.calls), "note": said}
    if planned.text:
        return {"kind": "answer", "reply": replies.model_words(planned.text)}
    if planned.rejected:
        return {"kind": "unclear", "reply": replies.dropped_only(planned.rejected)}
    return {"kind": "unclear", "reply": replies.NOTHING}


def _dicts(calls: tuple[ToolCall, ...]) -> list[dict[str, Any]]:
    return [{"name": c.name, "args": dict(c.args)} for c in calls]


async def _run_reads(
    ctx: AppContext, owner: Owner, calls: list[Call], *, now: datetime
) -> tuple[list[tuple[str, str]], Buttons]:
    """Each read-only call's answer (tool name, HTML) and their buttons; never anything else."""
    texts: list[tuple[str, str]] = []
    buttons: Buttons = []
    for call in calls:
        if call.changes_state:
            raise InvalidInput(f"{call.name} changes something and needs a confirmation.")
        try:
            answer = await actions.run_read(ctx, owner, call, now=now)
        except ErrandsError as exc:
            texts.append((call.name, "⚠️ " + esc(exc.user_message)))
            continue
        texts.append((call.name, answer.text))
        buttons += [list(row) for row in answer.buttons]
    return texts, buttons


async def answer_reads(
    ctx: AppContext, owner: Owner, calls: list[Call], *, now: datetime
) -> tuple[str, Buttons]:
    """Run read-only calls (never anything else) and join their answers and buttons."""
    texts, buttons = await _run_reads(ctx, owner, calls, now=now)
    return "\n\n".join(text for _, text in texts), buttons


async def _act(state: State, runtime: Runtime[Run]) -> State:
    run = runtime.context
    calls = [_as_call(c) for c in state.get("calls", [])]
    reads = [c for c in calls if not c.changes_state]
    found, buttons = await _run_reads(run.ctx, run.owner, reads, now=run.now)
    text = "\n\n".join(body for _, body in found)
    if state.get("phrase") and found and run.ctx.llm is not None:
        words = await phrase(
            run.ctx.llm, state["text"], found, now=run.now, timezone=run.owner.timezone
        )
        text = words or text
    text = "\n\n".join(p for p in (text, state.get("note", "")) if p)
    proposed: list[dict[str, Any]] = []
    dropped = list(state.get("dropped", []))
    for call in calls:
        if not call.changes_state:
            continue
        try:
            line = actions.describe(run.ctx, run.owner, call, now=run.now)
            pinned = actions.pin(run.ctx, run.owner, call, now=run.now)  # what the line names
        except ErrandsError as exc:
            dropped.append(exc.user_message)
            continue
        proposed.append({"name": pinned.name, "args": pinned.args, "line": line})
    if proposed:
        return {"reply": text, "buttons": buttons, "proposed": proposed, "dropped": dropped}
    if dropped:
        text = "\n\n".join(p for p in (text, replies.dropped_only(dropped)) if p)
    return {"kind": "answer", "reply": text or replies.NOTHING, "buttons": buttons}


def _confirm(state: State) -> State:
    answer = interrupt({"kind": "confirm", "calls": state["proposed"]})
    if answer in ("yes", "no"):
        return {"decision": answer}
    return {"decision": None}


async def _apply(state: State, runtime: Runtime[Run]) -> State:
    if state.get("decision") != "yes":  # unreachable by the edges; the guard is kept here too
        return {"kind": "cancelled", "reply": replies.CANCELLED}
    run = runtime.context
    now = datetime.fromisoformat(state["now"])
    results: list[str] = []
    for i, proposed in enumerate(state["proposed"]):
        key = f"{thread_id(run.owner.id, state['message_id'])}:{i}"
        try:
            call = _as_call(proposed)
            results.append(await actions.apply(run.ctx, run.owner, call, now=now, key=key))
        except ErrandsError as exc:
            results.append("⚠️ " + esc(exc.user_message))
    return {"kind": "done", "reply": replies.done(results), "results": results}


def _after_understand(state: State) -> str:
    return "act" if state.get("calls") else END


def _after_act(state: State) -> str:
    return "confirm" if state.get("proposed") else END


def _after_confirm(state: State) -> str:
    decision = state.get("decision")
    if decision == "yes":
        return "apply"
    return "confirm" if decision is None else END


AssistantGraph = CompiledStateGraph[State, Run, State, State]


def _build(checkpointer: BaseCheckpointSaver[Any]) -> AssistantGraph:
    """The assistant graph, persisted by ``checkpointer``; each run brings its ``Run``."""
    graph = StateGraph(State, context_schema=Run)
    graph.add_node("understand", _understand)
    graph.add_node("act", _act)
    graph.add_node("confirm", _confirm)
    graph.add_node("apply", _apply)
    graph.add_edge(START, "understand")
    graph.add_conditional_edges("understand", _after_understand, ["act", END])
    graph.add_conditional_edges("act", _after_act, ["confirm", END])
    graph.add_conditional_edges("confirm", _after_confirm, ["confirm", "apply", END])
    graph.add_edge("apply", END)
    return graph.compile(checkpointer=checkpointer)


build_graph = compiled_once(_build)


def assistant_graph(ctx: AppContext) -> AssistantGraph:
    """The graph for ``ctx``'s checkpointer (else a process-wide in-memory one), compiled once."""
    return build_graph(ctx.checkpointer or _MEMORY)


def _config(owner_id: int, message_id: int) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id(owner_id, message_id)}}


def check_text(text: str) -> str:
    """The text to work on; ``InvalidInput`` (a clear message) for empty or too long text."""
    stripped = text.strip()
    if not stripped:
        raise InvalidInput(replies.EMPTY)
    if len(stripped) > replies.MAX_CHARS:
        raise InvalidInput(replies.TOO_LONG)
    return stripped


async def handle_text(
    ctx: AppContext, *, owner: Owner, text: str, message_id: int, now: datetime
) -> Reply:
    """Answer one free text; the same message again shows where its run is (nothing reruns)."""
    checked = check_text(text)
    graph = assistant_graph(ctx)
    config = _config(owner.id, message_id)
    snapshot = await graph.aget_state(config)
    if not snapshot.values:
        state: State = {"text": checked, "message_id": message_id, "now": now.isoformat()}
        await graph.ainvoke(state, config, context=Run(ctx, owner, now))
    return await _reply(graph, config, message_id)


async def decide(
    ctx: AppContext, *, owner: Owner, message_id: int, answer: Literal["yes", "no"], now: datetime
) -> Reply:
    """The owner's tap on a card; a card already answered (or never shown) is ``stale``."""
    graph = assistant_graph(ctx)
    config = _config(owner.id, message_id)
    snapshot = await graph.aget_state(config)
    if not snapshot.values or not snapshot.interrupts:
        return Reply("stale", replies.STALE)
    await graph.ainvoke(Command(resume=answer), config, context=Run(ctx, owner, now))
    return await _reply(graph, config, message_id)


async def _reply(graph: AssistantGraph, config: RunnableConfig, message_id: int) -> Reply:
    snapshot = await graph.aget_state(config)
    values = cast(State, snapshot.values)  # this graph's checkpointed state
    if snapshot.interrupts:
        lines = [p["line"] for p in values["proposed"]]
        card = replies.card(lines, values.get("dropped", []))
        text = "\n\n".join(p for p in (values.get("reply", ""), card) if p)
        buttons = [*values.get("buttons", []), *replies.card_buttons(message_id)]
        return Reply("card", text, buttons)
    if values.get("decision") == "no":
        return Reply("cancelled", replies.CANCELLED)
    kind = cast(ReplyKind, values.get("kind") or "unclear")
    return Reply(kind, values.get("reply", ""), values.get("buttons", []))
