"""The daily run for one owner as a LangGraph graph: fetch -> rank -> summarize -> deliver.

Each step's result is checkpointed (``ctx.checkpointer``) under the thread
``arxiv-digest:<owner>:<date>``, so a crash resumes at the step that did not finish: papers are
not fetched twice, the ranking is not redone, TL;DRs already written are kept. 'shown' events
are written once per owner, day and paper, and every message has the outbox key
``arxiv:<owner>:<date>:<paper>``, so even a rerun from scratch cannot send a paper twice.
Followed papers come first marked 📌, muted ones never (``agents.arxiv.follows``); a paper
shown on an earlier day, in any version, is not shown again, except a new version of one the
owner liked, once, headed "v2 of a paper you liked" (``agents.arxiv.seen``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypedDict
from zoneinfo import ZoneInfo

import numpy as np
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph
from langgraph.runtime import Runtime
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from agents.arxiv import render, seen
from agents.arxiv.client import ArxivClient
from agents.arxiv.fetch import arxiv_config, fetch_listing
from agents.arxiv.follows import Rules
from agents.arxiv.parse import ArxivError
from agents.arxiv.ranking import (
    candidates,
    local_day,
    owner_categories,
    owner_rules,
    pinned_text,
    rank_pinned_first,
    recent_candidates,
    record_shown,
)
from agents.arxiv.status import local_time
from agents.context import AppContext
from agents.graphs import compiled_once
from agents.llm import LLMError
from agents.messaging import tell_owner
from store import owners
from store import papers as repo
from store.models import Owner, Paper

log = logging.getLogger(__name__)

LOOKBACK_DAYS = 4  # Monday's digest may use Friday's listing when run early
LATE_RETRY_MINUTES = 30  # while arXiv is unreachable, the job asks to run again this often
LATE_TRIES = 8  # failed fetches a day before it stops asking (about four hours)
ClientFactory = Callable[[], ArxivClient]


class DigestState(TypedDict, total=False):
    owner_id: int
    day: str
    recovering: bool  # a rerun after a late digest: only the listing's papers, if it came
    listing_day: str | None
    fetched: int
    late: bool  # the fetch failed: ranked from the store
    fetch_error: str | None
    failed_at: str | None
    attempts: int  # failed fetches today
    events: list[int]
    whys: dict[str, str]
    pins: list[str]  # event ids of followed papers (marked 📌)
    updates: dict[str, int]  # event id -> the new version of a liked paper
    tldrs: dict[str, str]
    queued: int


class TLDR(BaseModel):
    """One sentence, bounded so small local models stay valid."""

    model_config = ConfigDict(extra="forbid")
    tldr: str = Field(min_length=5, max_length=200)


async def tldr_for(ctx: AppContext, paper: Paper) -> str | None:
    """A one-line TL;DR, or None when no LLM answers (the message just leaves it out)."""
    if ctx.llm is None:
        return None
    messages = [
        {
            "role": "system",
            "content": "Summarise the paper in one plain sentence of at most 25 words. "
            'Answer as JSON {"tldr": "..."}.',
        },
        {"role": "user", "content": f"Title: {paper.title}\n\nAbstract: {paper.abstract[:3000]}"},
    ]
    try:
        answer = await ctx.llm.structured(messages, TLDR, purpose="arxiv-tldr", max_tokens=120)
    except LLMError:
        return None
    return " ".join(answer.value.tldr.split())


@dataclass(frozen=True)
class DigestRun:
    """What one run of the graph works on (LangGraph's runtime context, not checkpointed)."""

    ctx: AppContext
    owner: Owner
    now: datetime
    client_factory: ClientFactory

    @property
    def day(self) -> date:
        return local_day(self.owner, self.now)


async def _fetch(state: DigestState, runtime: Runtime[DigestRun]) -> DigestState:
    run = runtime.context
    ctx, owner, day = run.ctx, run.owner, run.day
    try:
        async with run.client_factory() as client:
            result = await fetch_listing(
                ctx, client, categories=owner_categories(ctx, owner), day=day, now=run.now
            )
    except ArxivError as exc:  # say so and rank what the store has (the job is not failing)
        log.warning("arXiv listing fetch failed (%s): ranking from the store", exc.reason)
        return {
            "fetched": 0,
            "listing_day": None,
            "late": True,
            "fetch_error": exc.reason,
            "failed_at": run.now.isoformat(),
            "attempts": state.get("attempts", 0) + 1,
        }
    with ctx.db.read() as session:
        latest = repo.latest_announcement(session, until=day)
    usable = latest if latest and latest >= day - timedelta(days=LOOKBACK_DAYS) else None
    return {
        "fetched": result.listed,
        "listing_day": usable.isoformat() if usable else None,
        "late": False,
        "fetch_error": None,
        "failed_at": None,
    }


def _pool(state: DigestState, run: DigestRun, *, again: bool, rules: Rules) -> list[Paper]:
    """What to rank: the listing's unseen, unmuted papers, or the store's recent ones when
    arXiv is late (nothing on a rerun that is still late: the store's papers went out already)."""
    ctx, owner = run.ctx, run.owner
    listing_day = state.get("listing_day")
    if state.get("late") and again:
        return []
    if not state.get("late") and not listing_day:
        return []
    with ctx.db.read() as session:
        before = seen.already_shown(session, owner_id=owner.id)
    if state.get("late"):
        return recent_candidates(ctx, owner, day=run.day, shown_before=before, rules=rules)
    assert listing_day is not None
    listed = date.fromisoformat(listing_day)
    return candidates(ctx, owner, listing_day=listed, shown_before=before, rules=rules)


async def _rank(state: DigestState, runtime: Runtime[DigestRun]) -> DigestState:
    run = runtime.context
    ctx, owner, day, now = run.ctx, run.owner, run.day, run.now
    config = arxiv_config(ctx)
    with ctx.db.read() as session:
        already = repo.shown(session, owner_id=owner.id, digest_date=day)
    rules = owner_rules(ctx, owner)
    if already and not state.get("recovering"):  # a rerun after the ranking: keep that digest
        with ctx.db.read() as session:
            redone = seen.redo_day(
                session, owner_id=owner.id, events=already, rules=rules, size=config.digest_size
            )
        return {
            "events": redone.events,
            "whys": {},
            "pins": redone.pins,
            "updates": redone.updates,
        }
    pool = _pool(state, run, again=bool(already), rules=rules)
    rng = np.random.default_rng([owner.id, day.toordinal()])
    ranked, pins = (
        await rank_pinned_first(
            ctx, owner, pool, now=now, top=config.digest_size, rules=rules, rng=rng
        )
        if pool
        else ([], set())
    )
    shown = record_shown(ctx, owner, ranked, day=day, now=now, after=len(already))
    updates = seen.liked_updates(ctx, owner, day=day, now=now, after=len(already) + len(shown))
    return {
        "events": [s.event_id for s in shown] + list(updates),
        "whys": {str(s.event_id): s.why for s in shown},
        "pins": [str(s.event_id) for s in shown if s.paper.id in pins],
        "updates": {str(eid): version for eid, version in updates.items()},
    }


async def _summarize(state: DigestState, runtime: Runtime[DigestRun]) -> DigestState:
    ctx = runtime.context.ctx
    events = state.get("events", [])
    done = dict(state.get("tldrs", {}))
    if not arxiv_config(ctx).tldr or not events:
        return {"tldrs": done}
    with ctx.db.read() as session:
        papers = _papers_of(session, events)
    todo = [(eid, p) for eid, p in papers if str(eid) not in done]
    results = await asyncio.gather(*(tldr_for(ctx, p) for _, p in todo))
    for (eid, _), text in zip(todo, results, strict=True):
        if text:
            done[str(eid)] = text
    return {"tldrs": done}


async def _deliver(state: DigestState, runtime: Runtime[DigestRun]) -> DigestState:
    run = runtime.context
    ctx, owner, day, now = run.ctx, run.owner, run.day, run.now
    events = state.get("events", [])
    whys, tldrs = state.get("whys", {}), state.get("tldrs", {})
    pins, updates = set(state.get("pins", [])), state.get("updates", {})
    queued = 0
    if owner.chat_id is None:
        return {"queued": 0}
    header = _header(state, run, papers=bool(events))
    with ctx.db.write() as session:
        if header is not None:
            text, key = header
            queued += tell_owner(session, chat_id=owner.chat_id, text=text, key=key, now=now)
        for eid, paper in _papers_of(session, events):
            event = repo.get_event(session, event_id=eid, owner_id=owner.id)
            text = render.paper_message(
                paper_id=paper.id,
                title=paper.title,
                authors=paper.authors,
                categories=paper.categories,
                why=whys.get(str(eid), ""),
                tldr=tldrs.get(str(eid)),
                rank=event.rank,
            )
            if str(eid) in pins:
                text = pinned_text(text)
            if str(eid) in updates:
                text = seen.with_version_line(text, updates[str(eid)])
            queued += tell_owner(
                session,
                chat_id=owner.chat_id,
                text=text,
                buttons=render.buttons(eid),
                disable_preview=True,
                key=render.outbox_key(owner.id, day.isoformat(), paper.id),
                now=now,
            )
    return {"queued": queued}


def retry_minutes(state: DigestState) -> int | None:
    """When the job should run again: arXiv was late and today's tries are not used up."""
    if state.get("late") and state.get("attempts", 0) < LATE_TRIES:
        return LATE_RETRY_MINUTES
    return None


def _header(state: DigestState, run: DigestRun, *, papers: bool) -> tuple[str, str] | None:
    """The line before the papers (text, outbox key): arXiv is late, or it came after all."""
    day = run.day.isoformat()
    if state.get("late"):  # once a day (its key): a rerun that is still late says nothing
        failed = datetime.fromisoformat(state.get("failed_at") or run.now.isoformat())
        text = render.late_header(
            at=local_time(failed, ZoneInfo(run.owner.timezone), run.now),
            reason=state.get("fetch_error") or "no answer",
            papers=papers,
            retry_minutes=retry_minutes(state),
        )
        return text, render.notice_key(run.owner.id, day, "late")
    if state.get("recovering") and not state.get("late") and papers:
        return render.ARRIVED, render.notice_key(run.owner.id, day, "arrived")
    return None


DigestGraph = CompiledStateGraph[DigestState, DigestRun, DigestState, DigestState]


def _build(checkpointer: BaseCheckpointSaver[Any]) -> DigestGraph:
    """The digest graph: fetch -> rank -> summarize -> deliver, persisted by ``checkpointer``."""
    graph = StateGraph(DigestState, context_schema=DigestRun)
    graph.add_node("fetch", _fetch)
    graph.add_node("rank", _rank)
    graph.add_node("summarize", _summarize)
    graph.add_node("deliver", _deliver)
    graph.add_edge(START, "fetch")
    graph.add_edge("fetch", "rank")
    graph.add_edge("rank", "summarize")
    graph.add_edge("summarize", "deliver")
    graph.add_edge("deliver", END)
    return graph.compile(checkpointer=checkpointer)


build_graph = compiled_once(_build)


def digest_graph(ctx: AppContext) -> DigestGraph:
    """The graph for ``ctx``'s checkpointer, compiled once (a fresh in-memory one without it)."""
    return _build(InMemorySaver()) if ctx.checkpointer is None else build_graph(ctx.checkpointer)


def _papers_of(session: Session, event_ids: list[int]) -> list[tuple[int, Paper]]:
    from store.models import PaperEvent

    rows = [session.get(PaperEvent, eid) for eid in event_ids]
    found = repo.get_papers(session, ids=[r.paper_id for r in rows if r is not None])
    return [(r.id, found[r.paper_id]) for r in rows if r is not None and r.paper_id in found]


def thread_id(owner_id: int, day: date) -> str:
    return f"arxiv-digest:{owner_id}:{day.isoformat()}"


async def run_digest(
    ctx: AppContext, *, owner: Owner, now: datetime, client_factory: ClientFactory
) -> DigestState:
    """Run (or resume, or skip if finished) today's digest for ``owner``."""
    graph = digest_graph(ctx)
    run = DigestRun(ctx=ctx, owner=owner, now=now, client_factory=client_factory)
    day = run.day
    config: RunnableConfig = {"configurable": {"thread_id": thread_id(owner.id, day)}}
    snapshot = await graph.aget_state(config)
    finished = bool(snapshot.values) and not snapshot.next
    if finished and not snapshot.values.get("late"):  # done earlier today: nothing new to queue
        return {**snapshot.values, "queued": 0}  # type: ignore[typeddict-item]
    # a late digest (arXiv did not answer) runs again: the listing may have come
    start: DigestState | None = (
        None if snapshot.next else {"owner_id": owner.id, "day": str(day), "recovering": finished}
    )
    # durability="sync": each step's checkpoint is on disk before the next step starts
    result = await graph.ainvoke(start, config, context=run, durability="sync")
    return dict(result)  # type: ignore[return-value]


async def run_all(
    ctx: AppContext,
    *,
    now: datetime,
    owner_id: int | None,
    client_factory: ClientFactory,
) -> dict[str, Any]:
    """The job body: every owner with a chat (or one), each in its own graph thread."""
    with ctx.db.read() as session:
        targets = (
            [o for o in [owners.get_owner(session, owner_id=owner_id)] if o is not None]
            if owner_id is not None
            else [o for o in owners.list_owners(session) if o.chat_id is not None]
        )
    report: dict[str, Any] = {}
    for owner in targets:
        if owner.chat_id is None:  # no Telegram chat to send to (yet)
            continue
        state = await run_digest(ctx, owner=owner, now=now, client_factory=client_factory)
        report[owner.slug] = {
            "fetched": state.get("fetched", 0),
            "ranked": len(state.get("events", [])),
            "queued": state.get("queued", 0),
            "tldrs": len(state.get("tldrs", {})),
            "late": bool(state.get("late")),
            "retry_in_minutes": retry_minutes(state),
        }
    if ctx.wake_outbox is not None and any(r["queued"] for r in report.values()):
        ctx.wake_outbox()
    return report
