"""The meeting scheduler in Telegram: the approval card's buttons, /meetings, /availability, /block.

The card itself is queued by ``agents.meetings.notices`` through the outbox; its buttons
(``mtg:<booking id>:approve|decline``) resume the booking's approval graph. 🕒 (``offer``)
swaps the card's buttons for a picker of free times (``agents.meetings.offers``: ``pick_…``
toggles, ``send_…`` resumes the graph with the chosen ones, ``back`` restores the card); a
guest's move request has its own card (``move_yes|move_no``, ``agents.meetings.moves``). The
service checks ownership and state, so a repeat or a race answers "Already handled."
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from agents.context import AppContext
from agents.llm import LLMError
from agents.meetings import graph, links, messages, moves, notices, offers
from agents.meetings.block_words import interpret_block
from agents.meetings.policy import (
    add_override,
    load_overrides,
    load_rules,
    policy_of,
    save_policy,
    save_weekly,
)
from agents.meetings.policy_text import (
    AVAILABILITY_HELP,
    apply_policy_words,
    format_policy,
    is_policy_change,
)
from agents.meetings.rules_text import (
    format_override,
    format_weekly,
    parse_block,
    parse_override,
    parse_weekly,
)
from agents.messaging import esc
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
from store import bookings, owners
from store.errors import InvalidInput


class MeetingsFeature:
    commands: Sequence[tuple[str, str]] = (
        ("meetings", "Upcoming and pending meetings"),
        ("availability", "Show or change your bookable hours"),
        ("block", "Block time, e.g. /block Friday afternoon"),
    )

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        return [
            command(ctx, "meetings", self.meetings),
            command(ctx, "availability", self.availability),
            command(ctx, "block", self.block),
            on_button(ctx, "mtg", self.on_button),
        ]

    async def on_button(self, request: CallbackRequest) -> str:
        action, ctx = request.action, request.ctx
        if action in ("offer", "back") or action.startswith("pick_"):
            return await self._picker(request)
        picks: str | None = None
        if action.startswith("send_"):
            action, picks = "offer", action.removeprefix("send_")
        if action in moves.MOVE_ACTIONS:
            changed, text = moves.decide_move(
                ctx,
                booking_id=request.object_id,
                approve=action == "move_yes",
                now=ctx.clock(),
                owner_id=request.owner.id,
            )
        elif action in ("approve", "decline", "offer"):
            outcome = await graph.decide(
                ctx,
                booking_id=request.object_id,
                action=action,
                now=ctx.clock(),
                owner_id=request.owner.id,
                picks=picks,
            )
            changed, text = outcome.changed, outcome.text
        else:
            return STALE
        if ctx.wake_outbox is not None and changed:
            ctx.wake_outbox()
        return text if changed else (text or STALE)

    async def _picker(self, request: CallbackRequest) -> str:
        """🕒 opens the picker of free times, a time toggles, ↩️ goes back to the card."""
        ctx, booking_id, owner = request.ctx, request.object_id, request.owner
        if request.action == "back":
            offers.shown(ctx, booking_id=booking_id, owner_id=owner.id)  # Conflict once decided
            await replace_rows(request.update, "mtg", booking_id, notices.card_buttons(booking_id))
            return ""
        if request.action == "offer":
            slots, picks = offers.open_picker(
                ctx, booking_id=booking_id, owner_id=owner.id, now=ctx.clock()
            )
        else:
            slots = offers.shown(ctx, booking_id=booking_id, owner_id=owner.id)
            picks = request.action.removeprefix("pick_")
        rows = offers.picker_buttons(booking_id, slots, picks, offers.SlotLabel(owner.timezone))
        await replace_rows(request.update, "mtg", booking_id, rows)
        if not slots:
            return "No free times nearby: Send gives the guest your page link."
        return "Pick the times to offer, then Send."

    async def meetings(self, request: CommandRequest) -> None:
        ctx, owner_id = request.ctx, request.owner().id
        with ctx.db.read() as session:
            owner = owners.get_owner(session, owner_id=owner_id)
            rows = bookings.upcoming(session, owner_id=owner_id, now=ctx.clock())
        if not rows:
            page = esc(links.page_link(ctx, owner.slug))
            await reply(request.update, f"No upcoming meetings. Your booking page: {page}")
            return
        lines = ["<b>Upcoming meetings</b>"]
        for b in rows:
            mark = "⏳ pending" if b.status == "pending" else "✅"
            when = messages.when(b.start_at, b.end_at, owner.timezone)
            topic = f" - {esc(b.topic[:80])}" if b.topic else ""
            moving = ""
            if b.proposed_start_at is not None and b.proposed_end_at is not None:
                to = messages.when(b.proposed_start_at, b.proposed_end_at, owner.timezone)
                moving = f"\n   🔁 asks to move to {esc(to)}"
            lines.append(f"{mark} {esc(when)}: {esc(b.guest_name)}{topic}{moving}")
        await reply(request.update, "\n".join(lines))

    async def availability(self, request: CommandRequest) -> None:
        ctx, owner_id, text = request.ctx, request.owner().id, request.text
        words = text.split()
        with ctx.db.write() as session:
            owner = owners.get_owner(session, owner_id=owner_id)
            if is_policy_change(words):
                policy = apply_policy_words(policy_of(ctx, owner), words)
                save_policy(session, owner, policy)
            elif words and words[0][:1].isdigit():
                add_override(session, owner_id, parse_override(text))
            elif words:
                save_weekly(session, owner_id, parse_weekly(text))
            rules = load_rules(session, owner_id)
            today = ctx.clock().astimezone(ZoneInfo(owner.timezone)).date()
            overrides = [o for o in load_overrides(session, owner_id) if o.on_date >= today]
            policy = policy_of(ctx, owner)
        lines = [
            f"<b>Your bookable hours</b> ({esc(owner.timezone)})",
            esc(format_weekly(rules)),
        ]
        if overrides:
            lines.append("<b>Dates</b>")
            lines += [esc(format_override(o)) for o in overrides[:20]]
        lines.append(f"<b>Rules</b>: {esc(format_policy(policy))}")
        lines.append(f"Page: {esc(links.page_link(ctx, owner.slug))}")
        if not words:
            lines.append(esc(AVAILABILITY_HELP))
        await reply(request.update, "\n".join(lines))

    async def block(self, request: CommandRequest) -> None:
        """Rules first; words they cannot read go to the LLM (bounded); no LLM = rule error."""
        ctx, owner_id, text = request.ctx, request.owner().id, request.text
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
                async with typing(request.update):
                    o = await interpret_block(ctx.llm, text, today=today)
            except LLMError:
                raise InvalidInput(
                    f"I could not read a day in {text!r} and no language model answered: use "
                    "today, tomorrow, a weekday or YYYY-MM-DD, then morning / afternoon / "
                    "evening / 09:00-11:00."
                ) from None
            guessed = True
        with ctx.db.write() as session:
            add_override(session, owner_id, o, note=text)
        note = " (my reading of your words; /availability shows all blocks)" if guessed else ""
        await reply(request.update, f"Blocked: {esc(format_override(o))}.{esc(note)}")
