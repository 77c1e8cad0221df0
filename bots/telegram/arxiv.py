"""The arXiv digest in Telegram: 👍/👎 buttons, /papers, /more, /seed; follows, mutes and
the weekly recap are ``bots.telegram.arxiv_follows``.

A tap retrains the owner's model (agents.arxiv.feedback) and edits the message's buttons to
show the choice; the other button changes it, the same one again is "Already handled.".
/papers says when today's listing is late (arXiv unreachable); /seed with arXiv ids waits at
most ``seed_timeout`` seconds for arXiv, showing "typing…" meanwhile.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from telegram import Update

from agents.arxiv import feedback, ranking, render, status
from agents.arxiv.fetch import arxiv_config, make_client
from agents.arxiv.parse import ArxivError
from agents.context import AppContext
from agents.messaging import esc
from bots.telegram import arxiv_follows
from bots.telegram.feature import (
    STALE,
    CallbackRequest,
    CommandRequest,
    Handler,
    command,
    on_button,
    replace_rows,
    reply,
    typing,
)
from store import outbox, reading
from store import papers as repo
from store.errors import InvalidInput
from store.models import Owner

ANSWERS = {"liked": "👍 Noted: more like this.", "disliked": "👎 Noted: fewer like this."}
SEED_USAGE = "Usage: /seed keywords (comma-separated) or /seed arXiv ids, e.g. /seed 2501.01234"
SEED_TIMEOUT = 10.0  # seconds a person waits for arXiv on /seed ids, in all
SEED_LATE = (
    "arXiv did not answer; try again later or /seed keywords instead "
    "(e.g. /seed diffusion models, protein folding)."
)
NO_DIGEST = "No digest yet today (it comes on announcement days)."
PAPERS_USAGE = "Usage: /papers (today's digest again) or /papers settings"


class ArxivFeature:
    """The arXiv commands and the ``arxiv`` button kind."""

    commands: Sequence[tuple[str, str]] = (
        ("papers", "Today's arXiv digest again"),
        ("more", "The next papers of today's digest"),
        ("seed", "Add arXiv interests: /seed keywords or arXiv ids"),
        ("follow", "Pin papers: /follow author NAME or /follow keyword WORDS"),
        ("unfollow", "Stop a follow: /unfollow author NAME or /unfollow keyword WORDS"),
        ("mute", "Drop papers with a word: /mute keyword WORDS"),
        ("unmute", "Undo a mute: /unmute keyword WORDS"),
        ("recap", "Weekly recap of your liked papers: /recap on or /recap off"),
    )

    def __init__(self, *, seed_timeout: float = SEED_TIMEOUT) -> None:
        self.seed_timeout = seed_timeout

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        return [
            command(ctx, "papers", papers),
            command(ctx, "more", more),
            command(ctx, "seed", self.seed),
            command(ctx, "follow", arxiv_follows.follow),
            command(ctx, "unfollow", arxiv_follows.unfollow),
            command(ctx, "mute", arxiv_follows.mute),
            command(ctx, "unmute", arxiv_follows.unmute),
            command(ctx, "recap", arxiv_follows.recap),
            on_button(ctx, render.KIND, on_tap),
        ]

    async def seed(self, request: CommandRequest) -> None:
        """/seed diffusion models, protein folding  or  /seed 2501.01234 2502.04321"""
        owner, ctx = request.owner(), request.ctx
        text = request.text.strip()
        if not text:
            raise InvalidInput(SEED_USAGE)
        try:
            ids = feedback.parse_ids(text)
        except InvalidInput:
            ids = []
        if ids:
            config = arxiv_config(ctx)
            try:
                async with (
                    typing(request.update),
                    asyncio.timeout(self.seed_timeout),
                    make_client(config, timeout=self.seed_timeout, retries=0) as client,
                ):
                    found, _ = await feedback.add_seed_ids(
                        ctx, client, owner=owner, ids=ids, now=ctx.clock()
                    )
            except (TimeoutError, ArxivError):
                raise ArxivError(SEED_LATE) from None
            await reply(request.update, f"Added {len(found)} paper(s) as interests.")
            return
        words = feedback.parse_keywords(text)
        feedback.add_keywords(ctx, owner=owner, keywords=words, now=ctx.clock())
        await reply(request.update, "Interests added: " + esc(", ".join(words)))


async def papers(request: CommandRequest) -> None:
    """Show today's digest again (with its buttons and current choices); /papers settings."""
    word = request.text.strip().lower()
    if word == "settings":
        await arxiv_follows.settings(request)
        return
    if word:
        raise InvalidInput(PAPERS_USAGE)
    owner, ctx, update = request.owner(), request.ctx, request.update
    now = ctx.clock()
    day = ranking.local_day(owner, now)
    with ctx.db.read() as session:
        events = repo.shown(session, owner_id=owner.id, digest_date=day)
        fetch = status.fetch_state(session)
        late = None
        if fetch is not None and not fetch.ok:  # arXiv did not answer the last fetch
            late = status.late_line(fetch, ZoneInfo(owner.timezone), now)
        if late is not None or not events:
            await reply(update, late or NO_DIGEST)
        if not events:
            return
        found = repo.get_papers(session, ids=[e.paper_id for e in events])
        listed = reading.states(session, owner_id=owner.id, paper_ids=list(found))
        for event in events:
            paper = found[event.paper_id]
            choice = repo.current_tap(session, owner_id=owner.id, paper_id=paper.id)
            # the message as the digest sent it (TL;DR, "why this"), else rebuilt
            key = render.outbox_key(owner.id, day.isoformat(), paper.id)
            sent = outbox.get_message(session, key=key)
            text = (sent.payload or {}).get("text") if sent is not None else None
            if not isinstance(text, str):
                text = render.paper_message(
                    paper_id=paper.id,
                    title=paper.title,
                    authors=paper.authors,
                    categories=paper.categories,
                    why="",
                    tldr=None,
                    rank=event.rank,
                )
            await reply(update, text, render.buttons(event.id, choice, saved=paper.id in listed))


async def more(request: CommandRequest) -> None:
    """The next N papers of today's batch, ranked by the current model."""
    await send_more(request.ctx, request.owner(), request.update)


async def send_more(ctx: AppContext, owner: Owner, update: Update) -> None:
    """Show the next papers of today's batch (``agents.arxiv.ranking.more_papers``)."""
    more = await ranking.more_papers(ctx, owner, now=ctx.clock())
    if more.note:
        await reply(update, more.note)
    for text, buttons in more.messages:
        await reply(update, text, buttons)


async def on_tap(request: CallbackRequest) -> str:
    """👍/👎: retrain, then mark the choice on the message's buttons."""
    ctx = request.ctx
    if request.action not in render.ACTIONS:
        return STALE
    result = feedback.apply_tap(
        ctx,
        owner_id=request.owner.id,
        event_id=request.object_id,
        action=request.action,
        now=ctx.clock(),
    )
    with ctx.db.read() as session:  # keep 📖's mark (on the reading list or not)
        listed = reading.states(session, owner_id=request.owner.id, paper_ids=[result.paper_id])
    buttons = render.buttons(result.event_id, result.choice, saved=bool(listed))
    await replace_rows(request.update, render.KIND, request.object_id, buttons)
    return ANSWERS[result.choice]
