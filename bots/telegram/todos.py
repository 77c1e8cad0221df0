"""The to-do feature: plain text (or /todo) -> confirmation card -> saved task; lists, buttons.

UX choice: every capture is confirmed (✅ Save / ✏️ Edit / ✖️ Cancel); an ambiguous one first
asks which reading is meant (one tap picks it and saves). Cards are LangGraph interrupts, so
they still work after a restart. Buttons: ``tcap:<message id>:...`` (capture cards),
``tlist:<task id>:...`` (/list: a tap redraws the list's text and keyboard),
``todo:<task id>:...`` (agendas, reviews, snooze menus), ``rem:<task id>:...``
(reminders); what a tap does is decided by ``agents.todos.chat``, this module shows it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest

from agents.context import AppContext
from agents.messaging import Buttons, esc
from agents.todos import actions, capture, chat
from agents.todos.chat import ALREADY_DONE, USAGE
from agents.todos.messages import (
    list_message,
    list_snooze_buttons,
    snooze_buttons,
    snooze_question,
)
from agents.todos.snooze import PRESETS, typed
from bots.telegram.feature import (
    STALE,
    CallbackRequest,
    CommandFunc,
    CommandRequest,
    Handler,
    command,
    on_button,
    on_text,
    replace_rows,
    reply,
    typing,
)
from bots.telegram.notifier import build_keyboard
from store import todos

NOT_STARTED = "Send /start first, then your to-dos."
UNDONE = {"stale": STALE, "done": ALREADY_DONE}
"""Answers for a tap that changed nothing."""
CAPTURE_ANSWERS = {"saved": "Saved.", "cancelled": "Cancelled.", "edit": "Send the new text."}


class TodoFeature:
    commands: Sequence[tuple[str, str]] = (
        ("todo", "Add a to-do (or just send the text)"),
        ("list", "Open to-dos: overdue, today, upcoming"),
        ("done", "Mark a to-do done: /done ID"),
        ("snooze", "Snooze a to-do: /snooze ID WHEN"),
        ("delete", "Delete a to-do: /delete ID"),
    )

    def __init__(self, *, free_text: bool = True) -> None:
        # free_text=False: another feature (the assistant) owns plain text and hands to-dos
        # over through ``capture_text``; alone, this feature captures every plain text.
        self._free_text = free_text
        self._editing: set[int] = set()  # owners who tapped ✏️ Edit: their next text is a to-do

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        def cmd(name: str, func: CommandFunc) -> Handler:
            return command(ctx, name, func, not_started=NOT_STARTED)

        text = [on_text(ctx, self._text, not_started=NOT_STARTED)] if self._free_text else []
        return [
            cmd("todo", self._todo),
            cmd("list", self._list),
            cmd("done", self._done),
            cmd("snooze", self._snooze),
            cmd("delete", self._delete),
            *text,
            on_button(ctx, "tcap", self.on_capture),
            on_button(ctx, "todo", self.on_todo),
            on_button(ctx, "tlist", self.on_list),
            on_button(ctx, "rem", self.on_reminder),
        ]

    def take_edit(self, owner_id: int) -> bool:
        """True once after the owner tapped ✏️ Edit: the next plain text is the corrected to-do."""
        if owner_id in self._editing:
            self._editing.discard(owner_id)
            return True
        return False

    # ------------------------------------------------------------ capture

    async def capture_text(self, request: CommandRequest, text: str) -> None:
        """Start the capture card for ``text`` (plain text, /todo, or handed over)."""
        await self._capture(request, text)

    async def _capture(self, request: CommandRequest, text: str, check_task: bool = False) -> None:
        owner, ctx = request.owner(), request.ctx
        message = request.update.effective_message
        assert message is not None
        may_ask_llm = ctx.llm is not None and ctx.config.todos.use_llm
        async with typing(request.update, enabled=may_ask_llm):
            prompt = await capture.start(
                ctx,
                owner_id=owner.id,
                timezone=owner.timezone,
                text=text,
                capture_id=message.message_id,
                now=ctx.clock(),
                check_task=check_task,
            )
        await reply(request.update, prompt.text, prompt.buttons or None)

    async def _text(self, request: CommandRequest) -> None:
        message = request.update.effective_message
        if message is not None and message.text is not None:  # "asdfgh": "Save this as a to-do?"
            await self._capture(request, message.text, check_task=True)

    async def _todo(self, request: CommandRequest) -> None:
        if not request.text.strip():
            await reply(request.update, esc(USAGE["todo"]))
            return
        await self._capture(request, request.text)

    async def on_capture(self, request: CallbackRequest) -> str:
        prompt = await capture.resume(
            request.ctx,
            owner_id=request.owner.id,
            capture_id=request.object_id,
            answer=request.action,
        )
        if prompt.kind == "stale":
            return STALE
        if prompt.kind == "edit":
            self._editing.add(request.owner.id)
        await _edit(request.update, prompt.text, prompt.buttons)
        return CAPTURE_ANSWERS.get(prompt.kind, "")

    # ------------------------------------------------------------ commands

    async def _list(self, request: CommandRequest) -> None:
        owner = request.owner()
        text, buttons = _open_list(request.ctx, owner.id, owner.timezone)
        await reply(request.update, text, buttons)

    async def _done(self, request: CommandRequest) -> None:
        owner, ctx = request.owner(), request.ctx
        todo_id = chat.task_id(request.args, "done")
        with ctx.db.write() as session:
            todo = todos.get_owned(session, owner_id=owner.id, todo_id=todo_id)
            # "Already done." if it is; a 'Read: …' task also counts its paper as liked
            answer = actions.complete(todo, now=ctx.clock(), on_done=ctx.todo_done)
            title = todo.title
        await reply(request.update, f"✅ {esc(title)}: {esc(answer)}")

    async def _snooze(self, request: CommandRequest) -> None:
        """``/snooze ID WHEN`` snoozes; ``/snooze ID`` offers the presets."""
        owner, ctx = request.owner(), request.ctx
        todo_id = chat.task_id(request.args, "snooze")
        words = " ".join(request.args[1:])
        now = ctx.clock()
        with ctx.db.write() as session:
            todo = todos.get_owned(session, owner_id=owner.id, todo_id=todo_id)
            title = todo.title
            if words:
                plan = typed(
                    words,
                    now=now,
                    timezone=owner.timezone,
                    config=ctx.config.todos,
                    due=todo.due_at,
                )  # its note (quiet hours, never earlier than due) ends the reply
                answer = esc(actions.snooze(todo, until=plan.until, now=now, note=plan.note))
        if words:
            await reply(request.update, f"💤 {esc(title)}: {answer}")
        else:
            await reply(request.update, snooze_question(title), snooze_buttons("todo", todo_id))

    async def _delete(self, request: CommandRequest) -> None:
        owner, ctx = request.owner(), request.ctx
        todo_id = chat.task_id(request.args, "delete")
        with ctx.db.write() as session:
            todo = todos.get_owned(session, owner_id=owner.id, todo_id=todo_id)
            answer = actions.delete(todo, now=ctx.clock())
        await reply(request.update, "🗑 " + esc(answer))

    # ------------------------------------------------------------ buttons

    async def on_todo(self, request: CallbackRequest) -> str:
        """A list/agenda/review button: acts on the task as it is now."""
        tap = _tap(request, reminder=False)
        if tap.outcome in UNDONE:
            return UNDONE[tap.outcome]
        if tap.outcome == "menu":
            menu = snooze_buttons("todo", request.object_id)
            await reply(request.update, snooze_question(tap.title), menu)
            return ""
        if request.action in PRESETS:
            await _edit(request.update, f"💤 {esc(tap.answer)}", [])
        else:
            await replace_rows(request.update, request.kind, request.object_id, [])
        return tap.answer

    async def on_list(self, request: CallbackRequest) -> str:
        """A /list button: the same tap rules, then the list as it is now (text and keyboard);
        💤 puts the snooze choices in place of that item's row."""
        back = request.action == "back"
        tap = chat.Tap("acted") if back else _tap(request, reminder=False)
        if tap.outcome == "menu":
            rows = list_snooze_buttons(request.object_id)
            await replace_rows(request.update, request.kind, request.object_id, rows)
            return ""
        owner = request.owner
        text, buttons = _open_list(request.ctx, owner.id, owner.timezone)
        await _edit(request.update, text, buttons)
        return UNDONE.get(tap.outcome, tap.answer)

    async def on_reminder(self, request: CallbackRequest) -> str:
        """A reminder's buttons act only while its occurrence is the current one."""
        tap = _tap(request, reminder=True)
        if tap.outcome in UNDONE:
            return UNDONE[tap.outcome]
        if tap.outcome == "menu":
            await _edit_markup(request.update, snooze_buttons("rem", request.object_id))
            return ""
        mark = "✅" if request.action == "done" else "💤"
        await _edit(request.update, f"{mark} <b>{esc(tap.title)}</b>\n{esc(tap.answer)}", [])
        return tap.answer


def _open_list(ctx: AppContext, owner_id: int, timezone: str) -> tuple[str, Buttons]:
    with ctx.db.read() as session:
        items = todos.list_open(session, owner_id=owner_id)
    return list_message(items, timezone=timezone, now=ctx.clock())


def _tap(request: CallbackRequest, *, reminder: bool) -> chat.Tap:
    ctx = request.ctx
    with ctx.db.write() as session:
        return chat.tap(
            session,
            owner_id=request.owner.id,
            todo_id=request.object_id,
            action=request.action,
            reminder=reminder,
            timezone=request.owner.timezone,
            now=ctx.clock(),
            config=ctx.config.todos,
            on_done=ctx.todo_done,
        )


async def _edit(update: Update, text: str, buttons: Buttons) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    # A message too old or unchanged cannot be edited; the answer text still tells the outcome.
    with contextlib.suppress(BadRequest):
        await query.edit_message_text(
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=build_keyboard(buttons) if buttons else None,
        )


async def _edit_markup(update: Update, buttons: Buttons) -> None:
    query = update.callback_query
    if query is None or query.message is None:
        return
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(build_keyboard(buttons))
