"""The read-only tools about papers: search the stored papers, and why one was recommended.

Search ranks the stored papers that contain any of the words by TF-IDF cosine with the query,
using the recommender's own hashed features (``agents.arxiv.features``). "Why" answers from
what the digest said ("Why this: …" of the message it queued), else asks the owner's model
again (``recommender.explain`` through ``rank_papers``). Paper text is data, shown escaped.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from typing import Any

import numpy as np

from agents.arxiv import features, recommender, render
from agents.assistant.refs import Answer, day_text, paper_ref, span, words_of
from agents.context import AppContext
from agents.messaging import esc
from store import outbox
from store import papers as repo
from store.models import Owner, Paper

TOP = 5
_WHY = re.compile(r"<i>Why this:</i> (.+)$", re.MULTILINE)
_STOP = {"a", "an", "and", "are", "for", "in", "is", "of", "on", "or", "the", "to", "with"}


def _link(paper: Paper) -> str:
    url = html.escape(render.abs_url(paper.id), quote=True)
    return f'<a href="{url}">{esc(paper.title)}</a>'


def rank_by_words(query: str, papers: list[Paper]) -> list[tuple[Paper, float]]:
    """``papers`` (each holding a word of ``query``) by TF-IDF cosine plus title hits."""
    if not papers:
        return []
    counts = recommender.counts_for(papers)
    idf = features.fit_idf(counts)
    rows = features.weigh(counts, idf)
    wanted = features.weigh(features.raw_counts([query]), idf)
    cosine = np.asarray((rows @ wanted.T).todense()).ravel()
    words = [w for w in words_of(query) if w not in _STOP]
    hits = np.array([sum(w in p.title.lower() for w in words) / max(len(words), 1) for p in papers])
    score = cosine + 0.25 * hits + 0.001  # every candidate holds a word (say, in 中文)
    order = np.argsort(-score, kind="stable")
    return [(papers[i], float(score[i])) for i in order]


def search_papers(ctx: AppContext, owner: Owner, args: dict[str, Any], now: datetime) -> Answer:
    """The five stored papers that fit some words best."""
    query = str(args["query"])
    words = [w for w in words_of(query) if w not in _STOP and len(w) > 1] or words_of(query)
    with ctx.db.read() as session:
        found = rank_by_words(query, repo.with_words(session, words=words, limit=300))[:TOP]
    facts: dict[str, object] = {
        "query": query,
        "count": len(found),
        "papers": [
            {"id": p.id, "title": p.title, "score": round(s, 3), "categories": p.categories}
            for p, s in found
        ],
    }
    if not found:
        return Answer(f"No stored paper matches “{esc(query)}”.", facts)
    lines = [f"<b>Papers about “{esc(query)}”</b>"]
    for i, (paper, _) in enumerate(found, start=1):
        when = paper.announced_on or paper.fetched_at.date()
        lines.append(f"{i}. {_link(paper)} · {esc(paper.id)} · {day_text(when)}")
    return Answer("\n".join(lines), facts)


def stored_why(ctx: AppContext, owner: Owner, paper: Paper, digest_date: str) -> str | None:
    """The "why this" of the digest message that showed ``paper`` to ``owner``, if any."""
    with ctx.db.read() as session:
        sent = outbox.get_message(session, key=render.outbox_key(owner.id, digest_date, paper.id))
    text = (sent.payload or {}).get("text") if sent is not None else None
    match = _WHY.search(text) if isinstance(text, str) else None
    return html.unescape(match.group(1)).strip() if match else None


def why_recommended(ctx: AppContext, owner: Owner, args: dict[str, Any], now: datetime) -> Answer:
    """Why a paper shown to this owner was picked: as the digest said, else as the model says."""
    today = span("today", now=now, timezone=owner.timezone).first
    with ctx.db.read() as session:
        ref = paper_ref(session, owner=owner, ref=str(args["ref"]), today=today)
        model = recommender.load(session, owner_id=owner.id)
    paper, day = ref.paper, ref.event.digest_date
    why = stored_why(ctx, owner, paper, day.isoformat()) if day is not None else None
    source = "digest"
    if not why and model is not None:
        ranked = recommender.rank_papers(model, [paper], top=1)
        why, source = (ranked[0].why if ranked else None), "model"
    if not why:
        why, source = "it is new in your categories (there is no model of your taste yet)", "none"
    facts: dict[str, object] = {
        "paper_id": paper.id,
        "title": paper.title,
        "rank": ref.event.rank,
        "digest_date": day.isoformat() if day else None,
        "why": why,
        "source": source,
    }
    head = f"<b>Why {esc(ref.label)}</b>: {_link(paper)}"
    sentence = why[:1].upper() + why[1:].rstrip(".")
    return Answer(f"{head}\n{esc(sentence)}.", facts)
