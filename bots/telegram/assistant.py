"""The assistant feature: every plain text goes to the assistant graph first; /agenda; card taps.

- Plain text (not a command): ``agents.assistant.graph.handle_text``. A text the rules call a
  to-do goes to the to-do capture card exactly as before (``TodoFeature.capture_text``), and
  so does the first text after a tap on a capture card's ✏️ Edit (it is the corrected to-do).
- ``/agenda [today|tomorrow|week|next week|monday..sunday|YYYY-MM-DD]``: the ``agenda`` tool
  through the same read-only path as "what's on tomorrow?".
- ``asst:<message id>:yes|no``: the owner's answer to a confirmation card
  (``agents.assistant.graph.decide``); the card is edited to show the outcome.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from agents.assistant.graph import answer_reads, decide, handle_text
from agents.assistant.replies import KIND
from agents.assistant.tools import parse_call
from agents.context import AppContext
from bots.telegram.feature import (
    STALE,
    CallbackRequest,
    CommandRequest,
    Handler,
    command,
    on_button,
    on_text,
    reply,
)
from bots.telegram.todos import NOT_STARTED, TodoFeature
from store.errors import InvalidInput

AGENDA_USAGE = "Usage: /agenda, /agenda tomorrow, /agenda week (or a weekday, or YYYY-MM-DD)"
_RANGE_WORDS = {
    "": "today", "week": "this_week", "this week": "this_week", "next week": "next_week",
}  # fmt: skip
TAP_ANSWERS = {"done": "Done.", "cancelled": "Cancelled."}


class AssistantFeature:
    commands: Sequence[tuple[str, str]] = (
        ("agenda", "Meetings, to-dos, papers: /agenda [tomorrow|week]"),
    )

    def __init__(self, todos: TodoFeature) -> None:
        self._todos = todos

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        return [
            command(ctx, "agenda", self._agenda, not_started=NOT_STARTED),
            on_text(ctx, self._text, not_started=NOT_STARTED),
            on_button(ctx, KIND, self.on_card),
        ]

    async def _text(self, request: CommandRequest) -> None:
        message = request.update.effective_message
        if message is not None and message.text is not None:
            await self.handle_text(request, message.text)

    async def handle_text(self, request: CommandRequest, text: str) -> None:
        """Plain text, typed or transcribed (``bots.telegram.voice``): the one way in."""
        message = request.update.effective_message
        assert message is not None
        owner, ctx = request.owner(), request.ctx
        if self._todos.take_edit(owner.id):
            await self._todos.capture_text(request, text)
            return
        answer = await handle_text(
            ctx, owner=owner, text=text, message_id=message.message_id, now=ctx.clock()
        )
        if answer.kind == "capture":
            await self._todos.capture_text(request, text)
            return
        await reply(request.update, answer.text, answer.buttons or None)

    async def _agenda(self, request: CommandRequest) -> None:
        owner, ctx = request.owner(), request.ctx
        words = " ".join(request.text.lower().split())
        try:
            call = parse_call("agenda", {"range": _RANGE_WORDS.get(words, words)})
        except InvalidInput:
            raise InvalidInput(AGENDA_USAGE) from None
        text, buttons = await answer_reads(ctx, owner, [call], now=ctx.clock())
        await reply(request.update, text, buttons or None)

    async def on_card(self, request: CallbackRequest) -> str:
        if request.action not in ("yes", "no"):
            return STALE
        answer = await decide(
            request.ctx,
            owner=request.owner,
            message_id=request.object_id,
            answer="yes" if request.action == "yes" else "no",
            now=request.ctx.clock(),
        )
        if answer.kind == "stale":
            return STALE
        await _edit(request.update, answer.text)
        return TAP_ANSWERS.get(answer.kind, "")


async def _edit(update: Update, text: str) -> None:
    """Replace the card by its outcome (no buttons left to tap)."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    with contextlib.suppress(BadRequest):  # too old or unchanged: the tap's answer still tells
        await query.edit_message_text(text, parse_mode=ParseMode.HTML)
