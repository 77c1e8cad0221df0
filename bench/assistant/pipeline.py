"""The assistant as the product runs it, on each backend: tool calls, taps, latency, tokens.

For every message of a set (a scripted run) or of a spread of its scored cases (an LLM run),
``handle_text`` runs on a freshly seeded store (``seed.py``) with a SQLite checkpointer and
nobody taps. Per message we keep: the reply's kind, whether the store changed (row counts and
a hash of to-dos, bookings, outbox, paper events, availability, owners), the calls the graph
chose (the rules' read-only calls when the rules name them, else the planner's) and how many
of its state-changing ones were refused before a card, the time ``handle_text`` took, and the
tokens of the LLM calls it made (from the store's LLM call log). Then the planner alone
(``plan``) is asked about each scored case with the same ``<data>`` block the product would
send. Scored case: route "assistant", ``tools`` not null; exact match by ``calls_match``.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from sqlalchemy import func, select

from agents.arxiv.config import ArxivConfig
from agents.assistant import graph
from agents.assistant.planner import plan
from agents.assistant.route import ToolCall
from agents.context import AppConfig, AppContext
from agents.llm import LLMClient, LLMError
from bench.assistant.backends import BackendRun
from bench.assistant.score import STATE_CHANGING, Case, calls_match
from bench.assistant.seed import NOW, TZ, Store, seed_store, snapshot
from store.db import Database
from store.models import LLMCall


@dataclass(frozen=True)
class Outcome:
    """One message through ``handle_text``."""

    case: Case
    kind: str
    changed: bool
    calls: tuple[ToolCall, ...]
    refused: int  # state-changing calls it chose that were refused before a card
    ms: float
    tokens: tuple[int, int] | None  # prompt, completion over its LLM calls (None: no call)


def scored(cases: Sequence[Case]) -> list[Case]:
    """The cases tool calls are scored on: assistant route, ``tools`` not null."""
    return [c for c in cases if c.route == "assistant" and c.tools is not None]


def spread(cases: Sequence[Case], limit: int | None) -> list[Case]:
    """``limit`` cases spread evenly over ``cases`` (all of them when ``limit`` is None)."""
    if limit is None or limit >= len(cases):
        return list(cases)
    return [cases[i * len(cases) // limit] for i in range(limit)]


def make_ctx(store: Store, llm: LLMClient, saver: AsyncSqliteSaver) -> AppContext:
    config = AppConfig(
        default_timezone=TZ,
        owner_chat_ids=(1,),
        secret_key="bench-secret",
        public_url="https://errands.bench",
        arxiv=ArxivConfig(embeddings=False, tldr=False),
    )
    return AppContext(db=store.db, config=config, clock=lambda: NOW, llm=llm, checkpointer=saver)


def _last_call_id(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.max(LLMCall.id))) or 0)


def _tokens_since(db: Database, after: int) -> tuple[int, int] | None:
    with db.read() as session:
        rows = session.execute(
            select(LLMCall.prompt_tokens, LLMCall.completion_tokens).where(LLMCall.id > after)
        ).all()
    if not rows:
        return None
    return sum(p or 0 for p, _ in rows), sum(c or 0 for _, c in rows)


async def run_messages(
    ctx: AppContext, store: Store, cases: Sequence[Case], *, usage: bool
) -> list[Outcome]:
    """Each case's text through ``handle_text`` (a new message id each), no tap."""
    outcomes = []
    for message_id, case in enumerate(cases, start=1):
        before = snapshot(store.db)
        mark = _last_call_id(store.db) if usage else 0
        started = time.perf_counter()
        reply = await graph.handle_text(
            ctx, owner=store.owner, text=case.text, message_id=message_id, now=NOW
        )
        ms = (time.perf_counter() - started) * 1000
        config = graph._config(store.owner.id, message_id)
        values: dict[str, Any] = dict((await graph.assistant_graph(ctx).aget_state(config)).values)
        chosen: list[dict[str, Any]] = values.get("calls", [])
        changes = sum(c["name"] in STATE_CHANGING for c in chosen)
        outcomes.append(
            Outcome(
                case=case,
                kind=reply.kind,
                changed=snapshot(store.db) != before,
                calls=tuple(ToolCall(c["name"], dict(c["args"])) for c in chosen),
                refused=changes - len(values.get("proposed", [])),
                ms=ms,
                tokens=_tokens_since(store.db, mark) if usage else None,
            )
        )
    return outcomes


@dataclass(frozen=True)
class Planned:
    """The planner alone on one scored case."""

    case: Case
    hit: bool  # exact match (an LLM error is a miss)
    rejected: int  # calls that failed validation


async def run_planner(ctx: AppContext, store: Store, cases: Sequence[Case]) -> list[Planned]:
    """The planner alone on each case, with the ``<data>`` block the product would send."""
    assert ctx.llm is not None
    context = graph._data(ctx, store.owner, NOW)
    out = []
    for case in cases:
        try:
            planned = await plan(ctx.llm, case.text, now=NOW, timezone=TZ, context=context)
        except LLMError:
            out.append(Planned(case, False, 0))
            continue
        got = tuple(ToolCall(c.name, dict(c.args)) for c in planned.calls)
        out.append(Planned(case, calls_match(case.tools or [], got), len(planned.rejected)))
    return out


def _ratio(hit: int, total: int) -> dict[str, Any]:
    return {"correct": hit, "total": total, "accuracy": round(hit / total, 4) if total else None}


def _pct(values: Sequence[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 2)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 2)


def _tool_calls(outcomes: Sequence[Outcome], planner: Sequence[Planned]) -> dict[str, Any]:
    graded = [o for o in outcomes if o.case.route == "assistant" and o.case.tools is not None]
    return {
        "messages": len(outcomes),
        "pipeline_tool_calls": _ratio(
            sum(calls_match(o.case.tools or [], o.calls) for o in graded), len(graded)
        ),
        "planner_tool_calls": _ratio(sum(p.hit for p in planner), len(planner)),
    }


def summarize(
    outcomes: Sequence[Outcome], planner: Sequence[Planned], *, usage: bool
) -> dict[str, Any]:
    """One backend's figures on one set (``files``: the tool-call figures of each file)."""
    answers = [o.ms for o in outcomes if o.kind == "answer"]
    llm = [o.tokens for o in outcomes if o.tokens is not None]
    names = dict.fromkeys(o.case.source for o in outcomes)
    return {
        **_tool_calls(outcomes, planner),
        "rejected_calls": sum(p.rejected for p in planner),
        "refused_changes": sum(o.refused for o in outcomes),
        "state_changes_without_tap": sum(o.changed for o in outcomes),
        "cards": sum(o.kind == "card" for o in outcomes),
        "replies": dict(Counter(o.kind for o in outcomes).most_common()),
        "answer_ms": {"count": len(answers), "p50": _pct(answers, 50), "p95": _pct(answers, 95)},
        "llm_messages": len(llm) if usage else None,
        "tokens_per_llm_message": {
            "prompt": round(statistics.fmean(t[0] for t in llm), 1),
            "completion": round(statistics.fmean(t[1] for t in llm), 1),
        }
        if usage and llm
        else None,
        "files": {
            name: _tool_calls(
                [o for o in outcomes if o.case.source == name],
                [p for p in planner if p.case.source == name],
            )
            for name in names
        },
    }


async def run_set(backend: BackendRun, cases: Sequence[Case], workdir: Path) -> dict[str, Any]:
    """One backend on one set: all messages (scripted) or a spread of the scored cases."""
    graded = spread(scored(cases), backend.limit)
    messages = list(cases) if backend.limit is None else graded
    store = seed_store(workdir / "data")
    llm = backend.make(store.db, cases)
    try:
        async with AsyncSqliteSaver.from_conn_string(str(workdir / "graphs.db")) as saver:
            ctx = make_ctx(store, llm, saver)
            outcomes = await run_messages(ctx, store, messages, usage=backend.reports_usage)
            planner = await run_planner(ctx, store, graded)
    finally:
        await llm.aclose()
        store.db.dispose()
    return summarize(outcomes, planner, usage=backend.reports_usage)


async def run_backend(backend: BackendRun, sets: dict[str, Sequence[Case]]) -> dict[str, Any]:
    """One backend on every set, each on its own seeded store in a temporary folder."""
    report: dict[str, Any] = {"what": backend.what, "limit": backend.limit}
    for name, cases in sets.items():
        with tempfile.TemporaryDirectory(prefix="errands-bench-assistant-") as tmp:
            report[name] = await run_set(backend, cases, Path(tmp))
    return report
