"""The capture flow as a LangGraph graph: [is it a task?] -> understand -> (ask | confirm) -> save.

A question or a confirmation is an ``interrupt()`` persisted by ``ctx.checkpointer`` under the
deterministic thread ``todo-capture:<owner id>:<capture id>`` (the capture id is the Telegram
message id), so an unanswered card still works after a restart. Nothing is written to the
store before the person says Save (or picks one reading of an ambiguous phrase, which is an
explicit choice and saves at once). Saving is idempotent (same owner, title and capture time),
because LangGraph re-runs a node that was interrupted mid-way. Free text that does not read
as a task ("asdfgh", "what's on tomorrow?") is first met with "Save this as a to-do?" when the
caller asks for that check (``check_task``): ✅ goes on, ✖️ saves nothing.
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

from agents.context import AppContext
from agents.graphs import compiled_once
from agents.messaging import Buttons, button, esc
from agents.todos.actions import save_draft
from agents.todos.intent import SAVE_QUESTION, not_a_task
from agents.todos.messages import confirm_buttons, draft_summary, question_card
from agents.todos.model import Ambiguous, Draft, Option
from agents.todos.parser import check_text
from agents.todos.understand import understand
from store.errors import InvalidInput

_MEMORY = InMemorySaver()  # only for contexts without a checkpointer (no data dir)

Kind = Literal["is_task", "confirm", "clarify", "saved", "cancelled", "edit", "invalid", "stale"]


class CaptureState(TypedDict, total=False):
    text: str
    owner_id: int
    timezone: str
    now: str
    use_llm: bool
    check_task: bool
    draft: dict[str, Any] | None
    question: str | None
    options: list[dict[str, Any]]
    error: str | None
    source: str
    answer: str | None
    outcome: str | None
    todo_id: int | None


@dataclass(frozen=True)
class Prompt:
    """What to show the person after a step of the flow."""

    kind: Kind
    text: str
    buttons: Buttons = field(default_factory=list)
    todo_id: int | None = None
    draft: Draft | None = None


def thread_id(owner_id: int, capture_id: int) -> str:
    return f"todo-capture:{owner_id}:{capture_id}"


def _gate(state: CaptureState) -> CaptureState:
    """Text that does not read as a task waits for the owner's yes before anything else."""
    try:
        check_text(state["text"])  # empty or over-long text: understand says so first
    except InvalidInput:
        return {"answer": None}
    if not state.get("check_task") or not_a_task(state["text"]) is None:
        return {"answer": None}
    answer = interrupt({"kind": "is_task"})
    if answer == "save":
        return {"answer": "save"}  # the owner's yes: saved as understood, no second card
    if answer == "cancel":
        return {"answer": answer, "outcome": "cancelled"}
    return {"answer": "again"}


def _after_gate(state: CaptureState) -> str:
    if state.get("outcome") == "cancelled":
        return END
    return "gate" if state.get("answer") == "again" else "understand"


async def _understand(state: CaptureState, runtime: Runtime[AppContext]) -> CaptureState:
    ctx = runtime.context
    now = datetime.fromisoformat(state["now"])
    llm = ctx.llm if state.get("use_llm", True) and ctx.config.todos.use_llm else None
    try:
        got = await understand(state["text"], now=now, timezone=state["timezone"], llm=llm)
    except InvalidInput as exc:
        return {"error": exc.user_message, "outcome": "invalid"}
    if isinstance(got.result, Ambiguous):
        options = [{"label": o.label, "draft": o.draft.to_state()} for o in got.result.options]
        return {"question": got.result.question, "options": options, "source": got.source}
    return {"draft": got.result.to_state(), "source": got.source}


def _ask(state: CaptureState) -> CaptureState:
    labels = [o["label"] for o in state["options"]]
    answer = interrupt({"kind": "clarify", "question": state["question"], "labels": labels})
    if answer == "cancel":
        return {"answer": answer, "outcome": "cancelled"}
    letter = answer.removeprefix("opt_") if isinstance(answer, str) else ""
    index = "abcdefgh".find(letter) if len(letter) == 1 else -1
    if not answer.startswith("opt_") or not 0 <= index < len(state["options"]):
        return {"answer": None}
    return {"answer": "save", "draft": state["options"][index]["draft"]}


def _confirm(state: CaptureState) -> CaptureState:
    answer = interrupt({"kind": "confirm", "draft": state["draft"]})
    if answer in ("save", "edit", "cancel"):
        outcome = {"edit": "edit", "cancel": "cancelled"}.get(answer)
        return {"answer": answer, "outcome": outcome}
    return {"answer": None}


async def _save(state: CaptureState, runtime: Runtime[AppContext]) -> CaptureState:
    ctx = runtime.context
    assert state.get("draft")
    draft = Draft.from_state(state["draft"] or {})
    with ctx.db.write() as session:
        todo, _ = save_draft(
            session,
            owner_id=state["owner_id"],
            draft=draft,
            now=datetime.fromisoformat(state["now"]),
            config=ctx.config.todos,
        )
        todo_id = todo.id
    return {"todo_id": todo_id, "outcome": "saved"}


def _after_understand(state: CaptureState) -> str:
    if state.get("outcome") == "invalid":
        return END
    if state.get("options"):
        return "ask"
    return "save" if state.get("answer") == "save" else "confirm"


def _after_ask(state: CaptureState) -> str:
    if state.get("outcome") == "cancelled":
        return END
    return "save" if state.get("answer") == "save" else "ask"


def _after_confirm(state: CaptureState) -> str:
    answer = state.get("answer")
    if answer == "save":
        return "save"
    return "confirm" if answer is None else END


CaptureGraph = CompiledStateGraph[CaptureState, AppContext, CaptureState, CaptureState]


def _build(checkpointer: BaseCheckpointSaver[Any]) -> CaptureGraph:
    """The capture graph, persisted by ``checkpointer``; each run brings its ``AppContext``."""
    graph = StateGraph(CaptureState, context_schema=AppContext)
    graph.add_node("gate", _gate)
    graph.add_node("understand", _understand)
    graph.add_node("ask", _ask)
    graph.add_node("confirm", _confirm)
    graph.add_node("save", _save)
    graph.add_edge(START, "gate")
    graph.add_conditional_edges("gate", _after_gate, ["gate", "understand", END])
    graph.add_conditional_edges("understand", _after_understand, ["ask", "confirm", "save", END])
    graph.add_conditional_edges("ask", _after_ask, ["ask", "save", END])
    graph.add_conditional_edges("confirm", _after_confirm, ["confirm", "save", END])
    graph.add_edge("save", END)
    return graph.compile(checkpointer=checkpointer)


build_graph = compiled_once(_build)


def capture_graph(ctx: AppContext) -> CaptureGraph:
    """The graph for ``ctx``'s checkpointer (else a process-wide in-memory one), compiled once."""
    return build_graph(ctx.checkpointer or _MEMORY)


def _config(owner_id: int, capture_id: int) -> RunnableConfig:
    return {"configurable": {"thread_id": thread_id(owner_id, capture_id)}}


async def start(
    ctx: AppContext,
    *,
    owner_id: int,
    timezone: str,
    text: str,
    capture_id: int,
    now: datetime,
    use_llm: bool = True,
    check_task: bool = False,
) -> Prompt:
    """Begin capturing ``text``; a repeated start of the same capture shows where it is.

    ``check_task``: first ask "Save this as a to-do?" when the text does not read as a task
    (free text that no assistant has routed).
    """
    graph = capture_graph(ctx)
    config = _config(owner_id, capture_id)
    snapshot = await graph.aget_state(config)
    if not snapshot.values:
        state: CaptureState = {
            "text": text,
            "owner_id": owner_id,
            "timezone": timezone,
            "now": now.isoformat(),
            "use_llm": use_llm,
            "check_task": check_task,
        }
        await graph.ainvoke(state, config, context=ctx)
    return await _prompt(graph, config, capture_id)


async def resume(ctx: AppContext, *, owner_id: int, capture_id: int, answer: str) -> Prompt:
    """Answer the waiting question/confirmation; a finished or unknown capture is ``stale``."""
    graph = capture_graph(ctx)
    config = _config(owner_id, capture_id)
    snapshot = await graph.aget_state(config)
    if not snapshot.values or not snapshot.interrupts:
        return Prompt("stale", "Already handled.")
    await graph.ainvoke(Command(resume=answer), config, context=ctx)
    return await _prompt(graph, config, capture_id)


async def _prompt(graph: CaptureGraph, config: RunnableConfig, capture_id: int) -> Prompt:
    snapshot = await graph.aget_state(config)
    values = cast(CaptureState, snapshot.values)  # this graph's checkpointed state
    if snapshot.interrupts:
        asked = snapshot.interrupts[0].value
        if asked["kind"] == "is_task":
            text = f"📝 <code>{esc(values['text'][:200])}</code>\n❓ {SAVE_QUESTION}"
            buttons = [
                [
                    button("✅ Save", "tcap", capture_id, "save"),
                    button("✖️ Cancel", "tcap", capture_id, "cancel"),
                ]
            ]
            return Prompt("is_task", text, buttons)
        if asked["kind"] == "clarify":
            options = tuple(
                Option(o["label"], Draft.from_state(o["draft"])) for o in values["options"]
            )
            text, buttons = question_card(Ambiguous(values["question"] or "", options), capture_id)
            return Prompt("clarify", text, buttons)
        draft = Draft.from_state(values["draft"] or {})
        note = (
            "\n<i>(read with the help of the language model)</i>"
            if values.get("source") == "llm"
            else ""
        )
        return Prompt(
            "confirm", draft_summary(draft) + note, confirm_buttons(capture_id), draft=draft
        )
    outcome = values.get("outcome")
    if outcome == "invalid":
        return Prompt("invalid", "⚠️ " + esc(values.get("error") or "I could not use that."))
    if outcome == "saved":
        draft = Draft.from_state(values["draft"] or {})
        return Prompt(
            "saved", "✅ Saved\n" + draft_summary(draft), todo_id=values.get("todo_id"), draft=draft
        )
    if outcome == "edit":
        return Prompt(
            "edit",
            "✏️ Send the corrected to-do as a new message. You wrote:\n"
            f"<code>{esc(values['text'])}</code>",
        )
    return Prompt("cancelled", "✖️ Cancelled, nothing saved.")
