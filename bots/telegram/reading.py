"""The reading list in Telegram: 📖 on a digest paper, then Today / Friday / Next week.

📖 (``read:<event id>:open``) swaps the paper's button row for the day choices (only that
paper's row: a message may carry several); a choice saves the paper as a 'Read: …' to-do
(``agents.arxiv.reading``) and puts the 👍/👎/📖 row back with 📖 marked; ✖️ puts it back
unchanged. Completing the to-do, anywhere, counts as a 👍 (the hook ``reading.install``).
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

from agents.arxiv import reading, render
from agents.context import AppContext
from bots.telegram.feature import STALE, CallbackRequest, Handler, on_button, replace_rows
from store import papers as repo

PICK = "When do you want to read it?"


class ReadingFeature:
    """The ``read`` button kind (no commands: the reading list lives in /list as to-dos)."""

    commands: Sequence[tuple[str, str]] = ()

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        reading.install(ctx)  # idempotent: the composition root may have done it already
        return [on_button(ctx, render.READ_KIND, on_read)]


async def on_read(request: CallbackRequest) -> str:
    ctx, owner, event_id = request.ctx, request.owner, request.object_id
    action = request.action
    if action == "open":
        if reading.list_state(ctx, owner_id=owner.id, event_id=event_id) == "read":
            return reading.READ_ALREADY  # nothing to choose (NotFound: not the owner's paper)
        local = ctx.clock().astimezone(ZoneInfo(owner.timezone)).replace(tzinfo=None)
        today = reading.today_label(local, ctx.config.todos.evening)
        rows = reading.choice_buttons(event_id, today=today)
        await replace_rows(request.update, render.READ_KIND, event_id, rows)
        return PICK
    if action != "cancel" and action not in reading.CHOICES:
        return STALE
    saved = None
    if action in reading.CHOICES:
        saved = reading.save(
            ctx, owner_id=owner.id, event_id=event_id, choice=action, now=ctx.clock()
        )
    with ctx.db.read() as session:
        event = repo.get_event(session, event_id=event_id, owner_id=owner.id)
        choice = repo.current_tap(session, owner_id=owner.id, paper_id=event.paper_id)
    state = reading.list_state(ctx, owner_id=owner.id, event_id=event_id)
    rows = render.buttons(event_id, choice, saved=state != "none")
    await replace_rows(request.update, render.READ_KIND, event_id, rows)
    return reading.answer(saved, owner.timezone) if saved is not None else ""
