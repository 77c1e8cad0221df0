"""The arXiv digest in Telegram: 👍/👎 buttons, /papers, /more, /seed.

A tap retrains the owner's model (agents.arxiv.feedback) and edits the message's buttons to
show the choice; the other button changes it, the same one again is "Already handled.".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from agents.arxiv import digest, feedback, recommender, render
from agents.arxiv.fetch import arxiv_config
from agents.context import AppContext
from bots.telegram import html
from bots.telegram.app import STALE, BotSurface, CallbackRequest, reply
from bots.telegram.notifier import build_keyboard, send_with_retry
from store import outbox
from store import papers as repo
from store.errors import InvalidInput
from store.models import Owner

ANSWERS = {"liked": "👍 Noted: more like this.", "disliked": "👎 Noted: fewer like this."}


class ArxivFeature:
    """Registers the arXiv commands and the ``arxiv`` button kind."""

    commands: Sequence[tuple[str, str]] = (
        ("papers", "Today's arXiv digest again"),
        ("more", "The next papers of today's digest"),
        ("seed", "Add arXiv interests: /seed keywords or arXiv ids"),
    )

    def register(self, app: Application[Any, Any, Any, Any, Any, Any], bot: BotSurface) -> None:
        app.add_handler(CommandHandler("papers", self._papers(bot)))
        app.add_handler(CommandHandler("more", self._more(bot)))
        app.add_handler(CommandHandler("seed", self._seed(bot)))
        bot.on_callback(render.KIND, on_tap)

    def _owner(self, bot: BotSurface, update: Update) -> Owner:
        owner = bot.owner_for(update)
        if owner is None:
            raise InvalidInput("Send /start first.")
        return owner

    def _papers(self, bot: BotSurface) -> Any:
        async def papers(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            """Show today's digest again (with its buttons and current choices)."""
            owner = self._owner(bot, update)
            ctx = bot.ctx
            day = digest.local_day(owner, ctx.clock())
            with ctx.db.read() as session:
                events = repo.shown(session, owner_id=owner.id, digest_date=day)
                if not events:
                    await reply(update, "No digest yet today (it comes on announcement days).")
                    return
                found = repo.get_papers(session, ids=[e.paper_id for e in events])
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
                    await reply(update, text, render.buttons(event.id, choice))

        return papers

    def _more(self, bot: BotSurface) -> Any:
        async def more(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            """The next N papers of today's batch, ranked by the current model."""
            owner = self._owner(bot, update)
            await send_more(bot.ctx, owner, update)

        return more

    def _seed(self, bot: BotSurface) -> Any:
        async def seed(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            """/seed diffusion models, protein folding  or  /seed 2501.01234 2502.04321"""
            owner = self._owner(bot, update)
            text = " ".join(context.args or []).strip()
            if not text:
                raise InvalidInput(
                    "Usage: /seed keywords (comma-separated) or /seed arXiv ids, "
                    "e.g. /seed 2501.01234"
                )
            ctx = bot.ctx
            try:
                ids = feedback.parse_ids(text)
            except InvalidInput:
                ids = []
            if ids:
                from agents.arxiv.fetch import make_client

                async with make_client(arxiv_config(ctx)) as client:
                    found, _ = await feedback.add_seed_ids(
                        ctx, client, owner=owner, ids=ids, now=ctx.clock()
                    )
                await reply(update, f"Added {len(found)} paper(s) as interests.")
                return
            words = feedback.parse_keywords(text)
            feedback.add_keywords(ctx, owner=owner, keywords=words, now=ctx.clock())
            await reply(update, "Interests added: " + html.escape(", ".join(words)))

        return seed


async def send_more(ctx: AppContext, owner: Owner, update: Update) -> None:
    """Rank today's remaining batch and show the next ``digest_size`` as new 'shown' papers."""
    config = arxiv_config(ctx)
    now = ctx.clock()
    day = digest.local_day(owner, now)
    with ctx.db.read() as session:
        latest = repo.latest_announcement(session, until=day)
        seen = repo.shown_ids(session, owner_id=owner.id)
    if latest is None:
        await reply(update, "No papers fetched yet.")
        return
    pool = digest.candidates(ctx, owner, listing_day=latest, shown_before=seen)
    if not pool:
        await reply(update, "That was everything from today's listing.")
        return
    vectors = await digest.pool_vectors(ctx, owner, pool, now=now)
    model = digest.ensure_model(ctx, owner, now, vectors)
    ranked = recommender.rank_papers(model, pool, top=config.digest_size, vectors=vectors)
    with ctx.db.write() as session:
        base = len(repo.shown(session, owner_id=owner.id, digest_date=day))
        items = []
        for offset, item in enumerate(ranked, start=1):
            event = repo.add_event(
                session,
                owner_id=owner.id,
                paper_id=item.paper.id,
                kind="shown",
                now=now,
                digest_date=day,
                rank=base + offset,
            )
            items.append((event.id, event.rank, item))
    for event_id, rank, item in items:
        text = render.paper_message(
            paper_id=item.paper.id,
            title=item.paper.title,
            authors=item.paper.authors,
            categories=item.paper.categories,
            why=item.why,
            tldr=None,
            rank=rank,
        )
        await reply(update, text, render.buttons(event_id))


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
    query = request.update.callback_query
    if query is not None and query.message is not None:
        markup = build_keyboard(render.buttons(result.event_id, result.choice))
        await send_with_retry(lambda: query.edit_message_reply_markup(reply_markup=markup))
    return ANSWERS[result.choice]
