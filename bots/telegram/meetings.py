"""The meeting scheduler in Telegram: the approval card's buttons, /meetings, /availability, /block.

The card itself is queued by ``agents.meetings.service`` through the outbox; its buttons
(``mtg:<booking id>:approve|decline|offer``) resume the booking's approval graph. The service
checks ownership and state, so a repeat or a race answers "Already handled."
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.ext import Application, CommandHandler, ContextTypes

from agents.llm import LLMError
from agents.meetings import graph, messages, service
from agents.meetings.availability import DateOverride
from agents.meetings.block_words import interpret_block
from agents.meetings.config import Policy
from agents.meetings.rules_text import (
    format_override,
    format_weekly,
    parse_block,
    parse_override,
    parse_weekly,
)
from bots.telegram import html
from bots.telegram.app import STALE, BotSurface, CallbackRequest, reply
from store import availability as avail_store
from store import bookings, owners
from store.errors import InvalidInput

AVAILABILITY_HELP = (
    "Change with:\n"
    "/availability Mon-Fri 09:00-17:00 (weekly hours)\n"
    "/availability 2026-03-10 off | 2026-03-10 13:00-15:00 (a date)\n"
    "/availability lengths 15,30,60 | interval 15 | buffer 10 5 | notice 120 | horizon 60 | "
    "max 4\n"
    "/block Friday afternoon"
)


class MeetingsFeature:
    commands: Sequence[tuple[str, str]] = (
        ("meetings", "Upcoming and pending meetings"),
        ("availability", "Show or change your bookable hours"),
        ("block", "Block time, e.g. /block Friday afternoon"),
    )

    def register(self, app: Application[Any, Any, Any, Any, Any, Any], bot: BotSurface) -> None:
        app.add_handler(CommandHandler("meetings", self._wrap(bot, self.meetings)))
        app.add_handler(CommandHandler("availability", self._wrap(bot, self.availability)))
        app.add_handler(CommandHandler("block", self._wrap(bot, self.block)))
        bot.on_callback("mtg", self.on_button)

    def _wrap(self, bot: BotSurface, func: Any) -> Any:
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            owner = bot.owner_for(update)
            if owner is None:
                await reply(update, "Send /start first.")
                return
            text = " ".join(context.args or [])
            await reply(update, await func(bot, owner.id, text))

        return handler

    async def on_button(self, request: CallbackRequest) -> str:
        if request.action not in ("approve", "decline", "offer"):
            return STALE
        outcome = await graph.decide(
            request.ctx,
            booking_id=request.object_id,
            action=request.action,
            now=request.ctx.clock(),
            owner_id=request.owner.id,
        )
        if request.ctx.wake_outbox is not None and outcome.changed:
            request.ctx.wake_outbox()
        return outcome.text if outcome.changed else (outcome.text or STALE)

    async def meetings(self, bot: BotSurface, owner_id: int, text: str) -> str:
        ctx = bot.ctx
        with ctx.db.read() as session:
            owner = owners.get_owner(session, owner_id=owner_id)
            rows = bookings.upcoming(session, owner_id=owner_id, now=ctx.clock())
        if not rows:
            return f"No upcoming meetings. Your booking page: {html.escape(_page(bot, owner.slug))}"
        lines = ["<b>Upcoming meetings</b>"]
        for b in rows:
            mark = "⏳ pending" if b.status == "pending" else "✅"
            when = messages.when(b.start_at, b.end_at, owner.timezone)
            topic = f" - {html.escape(b.topic[:80])}" if b.topic else ""
            lines.append(f"{mark} {html.escape(when)}: {html.escape(b.guest_name)}{topic}")
        return "\n".join(lines)

    async def availability(self, bot: BotSurface, owner_id: int, text: str) -> str:
        ctx = bot.ctx
        words = text.split()
        with ctx.db.write() as session:
            owner = owners.get_owner(session, owner_id=owner_id)
            if words and words[0].lower() in POLICY_KEYS:
                policy = _set_policy(service.policy_of(ctx, owner), words)
                service.save_policy(session, owner, policy)
            elif words and words[0][:1].isdigit():
                o = parse_override(text)
                _add_override(session, owner_id, o)
            elif words:
                windows = parse_weekly(text)
                avail_store.replace_rules(
                    session,
                    owner_id=owner_id,
                    windows=[(w.weekday, w.start, w.end) for w in windows],
                )
            rules = service.load_rules(session, owner_id)
            today = ctx.clock().astimezone(ZoneInfo(owner.timezone)).date()
            overrides = [o for o in service.load_overrides(session, owner_id) if o.on_date >= today]
            policy = service.policy_of(ctx, owner)
        lines = [
            f"<b>Your bookable hours</b> ({html.escape(owner.timezone)})",
            html.escape(format_weekly(rules)),
        ]
        if overrides:
            lines.append("<b>Dates</b>")
            lines += [html.escape(format_override(o)) for o in overrides[:20]]
        lines.append(
            f"<b>Rules</b>: lengths {', '.join(map(str, policy.lengths))} min, "
            f"interval {policy.interval or 'length'}, buffers {policy.buffer_before}/"
            f"{policy.buffer_after} min, notice {policy.min_notice} min, horizon "
            f"{policy.horizon_days} days, max/day {policy.max_per_day or 'none'}"
        )
        lines.append(f"Page: {html.escape(_page(bot, owner.slug))}")
        if not words:
            lines.append(html.escape(AVAILABILITY_HELP))
        return "\n".join(lines)

    async def block(self, bot: BotSurface, owner_id: int, text: str) -> str:
        """Rules first; words they cannot read go to the LLM (bounded); no LLM = rule error."""
        ctx = bot.ctx
        with ctx.db.read() as session:
            owner = owners.get_owner(session, owner_id=owner_id)
        today = ctx.clock().astimezone(ZoneInfo(owner.timezone)).date()
        guessed = False
        try:
            o = parse_block(text, today=today)
        except InvalidInput:
            if ctx.llm is None or not text.strip():
                raise
            try:
                o = await interpret_block(ctx.llm, text, today=today)
            except LLMError:
                raise InvalidInput(
                    f"I could not read a day in {text!r} and no language model answered: use "
                    "today, tomorrow, a weekday or YYYY-MM-DD, then morning / afternoon / "
                    "evening / 09:00-11:00."
                ) from None
            guessed = True
        with ctx.db.write() as session:
            _add_override(session, owner_id, o, note=text)
        note = " (my reading of your words; /availability shows all blocks)" if guessed else ""
        return f"Blocked: {html.escape(format_override(o))}.{html.escape(note)}"


POLICY_KEYS = ("lengths", "interval", "buffer", "notice", "horizon", "max")


def _set_policy(policy: Policy, words: list[str]) -> Policy:
    key, values = words[0].lower(), [w.strip(",") for w in words[1:] if w.strip(",")]
    try:
        numbers = [int(v) for part in values for v in part.split(",") if v]
    except ValueError:
        raise InvalidInput("Give whole numbers, e.g. /availability lengths 15,30,60.") from None
    if not numbers:
        raise InvalidInput(AVAILABILITY_HELP)
    if key == "lengths":
        return replace(policy, lengths=tuple(numbers))
    if key == "buffer":
        after = numbers[1] if len(numbers) > 1 else numbers[0]
        return replace(policy, buffer_before=numbers[0], buffer_after=after)
    value = numbers[0]
    if key == "interval":
        return replace(policy, interval=value)
    if key == "notice":
        return replace(policy, min_notice=value)
    if key == "horizon":
        return replace(policy, horizon_days=value)
    return replace(policy, max_per_day=value)


def _add_override(session: Any, owner_id: int, o: DateOverride, note: str = "") -> None:
    avail_store.add_override(
        session,
        owner_id=owner_id,
        on_date=o.on_date,
        kind=o.kind,
        start_time=o.start,
        end_time=o.end,
        note=note,
    )


def _page(bot: BotSurface, slug: str) -> str:
    return service.page_link(bot.ctx, slug)
