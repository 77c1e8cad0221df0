"""What the owner is shown: today's candidates, the model that ranks them, and 'shown' events.

Shared by the daily digest (``agents.arxiv.digest``) and /more (``more_papers``): the pool is
the newest listing's papers in the owner's categories that were never shown in any version
(``agents.arxiv.seen``), less muted ones; followed papers (from any category) come first,
marked 📌 (``agents.arxiv.follows``). Embeddings are added when configured and reachable;
every paper shown gets one 'shown' event per day and its version recorded as seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import numpy as np

from agents.arxiv import choices, embeddings, recommender, render, seen
from agents.arxiv.embeddings import PaperVectors
from agents.arxiv.fetch import arxiv_config
from agents.arxiv.follows import Rules
from agents.context import AppContext
from agents.messaging import Buttons
from store import papers as repo
from store.models import Owner, Paper

RECENT_DAYS = timedelta(days=7)
PIN = "📌"
MAX_PINS = 20  # followed papers shown in one digest at most (a broad keyword can match many)


def local_day(owner: Owner, now: datetime) -> date:
    return now.astimezone(ZoneInfo(owner.timezone)).date()


def owner_categories(ctx: AppContext, owner: Owner) -> tuple[str, ...]:
    cats = recommender.owner_settings(owner).get("categories") or arxiv_config(ctx).categories
    return tuple(str(c) for c in cats)


def _eligible(
    papers: Sequence[Paper], cats: set[str], shown_before: set[str], rules: Rules | None
) -> list[Paper]:
    """Never shown, in the owner's categories (a followed paper from any), not muted."""
    rules = rules or Rules()
    kept = []
    for paper in papers:
        if paper.id in shown_before:
            continue
        verdict = rules.judge(paper)
        in_cats = not cats or bool(cats & set(paper.categories))
        if verdict.keep and (in_cats or verdict.pinned is not None):
            kept.append(paper)
    return kept


def candidates(
    ctx: AppContext,
    owner: Owner,
    *,
    listing_day: date,
    shown_before: set[str],
    rules: Rules | None = None,
) -> list[Paper]:
    cats = set(owner_categories(ctx, owner))
    with ctx.db.read() as session:
        day_papers = repo.announced_on(session, day=listing_day)
    return _eligible(day_papers, cats, shown_before, rules)


def recent_candidates(
    ctx: AppContext, owner: Owner, *, day: date, shown_before: set[str], rules: Rules | None = None
) -> list[Paper]:
    """Never-shown papers of the last ``RECENT_DAYS`` listings in the store (arXiv is late)."""
    cats = set(owner_categories(ctx, owner))
    with ctx.db.read() as session:
        recent = repo.announced_between(session, since=day - RECENT_DAYS, until=day)
    return _eligible(recent, cats, shown_before, rules)


def owner_rules(ctx: AppContext, owner: Owner) -> Rules:
    with ctx.db.read() as session:
        return choices.rules_for(session, owner.id)


async def pool_vectors(
    ctx: AppContext, owner: Owner, pool: list[Paper], *, now: datetime
) -> PaperVectors | None:
    """Embeddings of the candidates and of the papers a (re)fit would use, or None.

    Cached vectors cost a read; only papers never embedded reach the LLM. None (embeddings
    off, no LLM, a failure) means TF-IDF only, as the warning logged then says.
    """
    config = arxiv_config(ctx)
    if not pool or not config.embeddings:
        return None
    with ctx.db.read() as session:
        data = recommender.training_set(session, owner_id=owner.id, background=config.background)
    return await embeddings.paper_vectors(ctx, [*pool, *data.papers], now=now)


def needs_refit(
    ctx: AppContext, model: recommender.OwnerModel, vectors: PaperVectors | None
) -> bool:
    """Whether the stored model should be refitted before ranking with ``vectors``.

    Yes when embeddings are available but the model was trained without them (or with another
    embedding model or weight, or with some training papers missing a vector), and when they
    were switched off but the model still has them. Not when the LLM is merely down: the model
    then ranks with its TF-IDF part.
    """
    config = arxiv_config(ctx)
    if not config.embeddings:
        return model.uses_embeddings
    if vectors is None:
        return False
    return (
        not model.matches(vectors)
        or model.dense_weight != config.embedding_weight
        or model.dense_missing > 0
    )


def ensure_model(
    ctx: AppContext, owner: Owner, now: datetime, vectors: PaperVectors | None = None
) -> recommender.OwnerModel:
    config = arxiv_config(ctx)
    with ctx.db.write() as session:
        model = recommender.load(session, owner_id=owner.id)
        if model is None or needs_refit(ctx, model, vectors):
            model = recommender.train(
                session,
                owner=owner,
                now=now,
                categories=owner_categories(ctx, owner),
                background=config.background,
                vectors=vectors if config.embeddings else None,
                dense_weight=config.embedding_weight,
            )
        return model


async def rank_pool(
    ctx: AppContext,
    owner: Owner,
    pool: Sequence[Paper],
    *,
    now: datetime,
    top: int,
    rng: np.random.Generator | None = None,
) -> list[recommender.Ranked]:
    """The owner's best ``top`` of ``pool``, with the model refitted first when it must be."""
    vectors = await pool_vectors(ctx, owner, list(pool), now=now)
    model = ensure_model(ctx, owner, now, vectors)
    return recommender.rank_papers(model, pool, top=top, rng=rng, vectors=vectors)


async def rank_pinned_first(
    ctx: AppContext,
    owner: Owner,
    pool: Sequence[Paper],
    *,
    now: datetime,
    top: int,
    rules: Rules,
    rng: np.random.Generator | None = None,
) -> tuple[list[recommender.Ranked], set[str]]:
    """Followed papers first (all, up to ``MAX_PINS``, even past ``top``), then the best of
    the rest up to ``top``; returns them and the pinned ids. Muted papers are already out."""
    pins = {p.id: reason for p in pool if (reason := rules.pin_reason(p)) is not None}
    if not pins:
        return await rank_pool(ctx, owner, pool, now=now, top=top, rng=rng), set()
    pinned = [p for p in pool if p.id in pins]
    rest = [p for p in pool if p.id not in pins]
    vectors = await pool_vectors(ctx, owner, list(pool), now=now)
    model = ensure_model(ctx, owner, now, vectors)
    first = recommender.rank_papers(
        model, pinned, top=min(len(pinned), MAX_PINS), rng=rng, vectors=vectors
    )
    first = [replace(r, why=f"{pins[r.paper.id]}; {r.why}") for r in first]
    room = top - len(first)
    others = (
        recommender.rank_papers(model, rest, top=room, rng=rng, vectors=vectors)
        if room > 0 and rest
        else []
    )
    return [*first, *others], {r.paper.id for r in first}


def pinned_text(text: str) -> str:
    """A digest message marked as followed."""
    return f"{PIN} {text}"


@dataclass(frozen=True)
class Shown:
    """One paper as shown: its 'shown' event (the id its buttons name), position and reason."""

    event_id: int
    rank: int | None
    paper: Paper
    why: str


def record_shown(
    ctx: AppContext,
    owner: Owner,
    ranked: Sequence[recommender.Ranked],
    *,
    day: date,
    now: datetime,
    after: int = 0,
) -> list[Shown]:
    """A 'shown' event per ranked paper, ranks ``after + 1 …``; an existing one is reused."""
    shown = []
    with ctx.db.write() as session:
        for position, item in enumerate(ranked, start=after + 1):
            event = repo.shown_event(
                session, owner_id=owner.id, paper_id=item.paper.id, digest_date=day
            ) or repo.add_event(
                session,
                owner_id=owner.id,
                paper_id=item.paper.id,
                kind="shown",
                now=now,
                digest_date=day,
                rank=position,
            )
            seen.mark_shown(
                session,
                owner_id=owner.id,
                paper_id=item.paper.id,
                version=item.paper.version,
                day=day,
                now=now,
            )
            shown.append(Shown(event.id, event.rank, item.paper, item.why))
    return shown


@dataclass(frozen=True)
class More:
    """/more's answer: a short note when there is nothing to show, else one message per paper."""

    note: str | None
    messages: list[tuple[str, Buttons]]


async def more_papers(ctx: AppContext, owner: Owner, *, now: datetime) -> More:
    """The next ``digest_size`` of today's remaining batch, as new 'shown' papers."""
    day = local_day(owner, now)
    with ctx.db.read() as session:
        latest = repo.latest_announcement(session, until=day)
        shown_before = seen.already_shown(session, owner_id=owner.id)
        before = len(repo.shown(session, owner_id=owner.id, digest_date=day))
        rules = choices.rules_for(session, owner.id)
    if latest is None:
        return More("No papers fetched yet.", [])
    pool = candidates(ctx, owner, listing_day=latest, shown_before=shown_before, rules=rules)
    if not pool:
        return More("That was everything from today's listing.", [])
    top = arxiv_config(ctx).digest_size
    ranked, pins = await rank_pinned_first(ctx, owner, pool, now=now, top=top, rules=rules)
    shown = record_shown(ctx, owner, ranked, day=day, now=now, after=before)
    return More(
        None,
        [(shown_text(s, pinned=s.paper.id in pins), render.buttons(s.event_id)) for s in shown],
    )


def shown_text(shown: Shown, *, pinned: bool, tldr: str | None = None) -> str:
    """A shown paper's message (📌 first when it is followed)."""
    text = render.paper_message(
        paper_id=shown.paper.id,
        title=shown.paper.title,
        authors=shown.paper.authors,
        categories=shown.paper.categories,
        why=shown.why,
        tldr=tldr,
        rank=shown.rank,
    )
    return pinned_text(text) if pinned else text
