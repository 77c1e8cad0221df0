"""Taps and seeds: the two ways an owner teaches the recommender.

A tap writes a 'liked'/'disliked' event and retrains in the same write transaction, so the
very next ranking sees it; the same tap twice changes nothing (``Conflict`` -> "Already
handled."), the other button flips the label. Seeds (keywords, categories, arXiv ids or a
BibTeX file) give a cold-start model something to rank by before any tap.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from agents.arxiv import recommender
from agents.arxiv.client import ArxivClient
from agents.arxiv.fetch import arxiv_config, fetch_ids
from agents.arxiv.parse import split_id
from agents.context import AppContext
from store import owners
from store import papers as repo
from store.errors import Conflict, InvalidInput
from store.models import Owner

MAX_KEYWORDS = 50


@dataclass(frozen=True)
class TapResult:
    event_id: int
    paper_id: str
    choice: str
    model_version: int


def retrain(
    ctx: AppContext, session: Session, *, owner: Owner, now: datetime
) -> recommender.OwnerModel:
    """Refit inside the caller's write transaction, without waiting for the LLM.

    A model trained with embeddings keeps them: the vectors come from the cache (the papers
    of past digests were embedded then); a paper without one gets a zero block, and the next
    digest, which embeds what is missing, refits.
    """
    config = arxiv_config(ctx)
    vectors = recommender.active_vectors(session, owner_id=owner.id) if config.embeddings else None
    return recommender.train(
        session,
        owner=owner,
        now=now,
        categories=config.categories,
        background=config.background,
        vectors=vectors,
        dense_weight=config.embedding_weight,
    )


def apply_tap(
    ctx: AppContext, *, owner_id: int, event_id: int, action: str, now: datetime
) -> TapResult:
    """Record 👍/👎 on a shown paper and retrain. Raises ``Conflict`` for a repeated tap."""
    from agents.arxiv.render import ACTIONS

    choice = ACTIONS.get(action)
    if choice is None:
        raise InvalidInput(f"Unknown action {action!r}.")
    with ctx.db.write() as session:
        event = repo.get_event(session, event_id=event_id, owner_id=owner_id)
        if event.kind != "shown":
            raise Conflict("That button is not a digest paper.")
        if repo.current_tap(session, owner_id=owner_id, paper_id=event.paper_id) == choice:
            raise Conflict("Already handled.")
        repo.add_event(
            session,
            owner_id=owner_id,
            paper_id=event.paper_id,
            kind=choice,
            now=now,
            digest_date=event.digest_date,
            rank=event.rank,
        )
        owner = owners.get_owner(session, owner_id=owner_id)
        model = retrain(ctx, session, owner=owner, now=now)
        return TapResult(event.id, event.paper_id, choice, model.version)


def parse_keywords(text: str) -> list[str]:
    words = [w.strip() for w in re.split(r"[,;\n]", text) if w.strip()]
    if not words:
        raise InvalidInput("Give some keywords, e.g. 'diffusion models, protein folding'.")
    if len(words) > MAX_KEYWORDS or any(len(w) > 200 for w in words):
        raise InvalidInput(f"At most {MAX_KEYWORDS} keywords of up to 200 characters each.")
    return words


def parse_ids(text: str) -> list[str]:
    ids = [split_id(part)[0] for part in re.split(r"[,\s]+", text) if part.strip()]
    if not ids:
        raise InvalidInput("Give arXiv ids, e.g. 2501.01234,2502.04321.")
    return list(dict.fromkeys(ids))


_BIB_ENTRY = re.compile(r"@\w+\s*\{", re.MULTILINE)
_BIB_FIELD = re.compile(r"(\w+)\s*=\s*(\{(?:[^{}]|\{[^{}]*\})*\}|\"[^\"]*\"|\d+)", re.DOTALL)


def parse_bibtex(text: str) -> tuple[list[str], list[str]]:
    """(arXiv ids, titles of entries without one) from a BibTeX file."""
    ids: list[str] = []
    titles: list[str] = []
    entries = _BIB_ENTRY.split(text)[1:]
    if not entries:
        raise InvalidInput("That file has no BibTeX entries (@article{...}).")
    for entry in entries:
        fields = {k.lower(): v.strip('{}" \n') for k, v in _BIB_FIELD.findall(entry)}
        found = None
        for key in ("eprint", "arxivid", "arxiv", "url", "doi", "journal", "note"):
            if key in fields:
                try:
                    found = split_id(fields[key])[0]
                    break
                except InvalidInput:
                    continue
        if found:
            ids.append(found)
        elif fields.get("title"):
            titles.append(" ".join(fields["title"].replace("{", "").replace("}", "").split()))
    return list(dict.fromkeys(ids)), titles


def add_keywords(ctx: AppContext, *, owner: Owner, keywords: Sequence[str], now: datetime) -> int:
    """Add interest keywords and retrain; returns the new model version."""
    with ctx.db.write() as session:
        row = owners.get_owner(session, owner_id=owner.id)
        prefs = dict(row.preferences or {})
        arxiv = dict(prefs.get("arxiv") or {})
        arxiv["keywords"] = list(dict.fromkeys([*arxiv.get("keywords", []), *keywords]))[
            -MAX_KEYWORDS:
        ]
        prefs["arxiv"] = arxiv
        row.preferences = prefs
        session.flush()
        return retrain(ctx, session, owner=row, now=now).version


async def add_seed_ids(
    ctx: AppContext, client: ArxivClient, *, owner: Owner, ids: Sequence[str], now: datetime
) -> tuple[list[str], int]:
    """Fetch papers by id, mark them as seeds (likes) and retrain; (found ids, version)."""
    found = await fetch_ids(ctx, client, ids=ids, now=now)
    if not found:
        raise InvalidInput("None of those arXiv ids exist.")
    with ctx.db.write() as session:
        known = repo.labels(session, owner_id=owner.id).seeded
        for pid in found:
            if pid not in known:
                repo.add_event(session, owner_id=owner.id, paper_id=pid, kind="seeded", now=now)
        row = owners.get_owner(session, owner_id=owner.id)
        version = retrain(ctx, session, owner=row, now=now).version
    return found, version
