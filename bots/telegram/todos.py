"""The to-do feature: plain text (or /todo) -> confirmation card -> saved task; lists, buttons.

UX choice: every capture is confirmed (✅ Save / ✏️ Edit / ✖️ Cancel); an ambiguous one first
asks which reading is meant (one tap picks it and saves). Cards are LangGraph interrupts, so
they still work after a restart. Buttons: ``tcap:<message id>:...`` (capture cards),
``todo:<task id>:...`` (lists, agendas, reviews, snooze menus), ``rem:<task id>:...``
(reminders; they act only while the reminded occurrence is current, so a second tap or an
old reminder of a repeating task answers "Already done.").
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from typing import Any

from telegram import Update
from telegram.constants import ParseMode
from telegram.error import BadRequest
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from agents.todos import actions, capture
from agents.todos.messages import Buttons, item_buttons, item_line, snooze_buttons
from agents.todos.snooze import PRESETS, preset_time, typed_time
from agents.todos.timeutil import day_bounds, zone
from bots.telegram import html
from bots.telegram.app import STALE, BotSurface, CallbackRequest, reply
from bots.telegram.notifier import build_keyboard
from store import todos
from store.errors import InvalidInput, NotFound
from store.models import Owner, Todo

ALREADY_DONE = "Already done."
LIST_LIMIT = 30
USAGE = {
    "done": "Usage: /done ID (the number shown in /list).",
    "snooze": "Usage: /snooze ID WHEN, e.g. /snooze 12 tomorrow 9am.",
    "delete": "Usage: /delete ID (the number shown in /list).",
    "todo": "Usage: /todo TEXT, e.g. /todo call mom tomorrow at 6pm.",
}


class TodoFeature:
    commands: Sequence[tuple[str, str]] = (
        ("todo", "Add a to-do (or just send the text)"),
        ("list", "Open to-dos: overdue, today, upcoming"),
        ("done", "Mark a to-do done: /done ID"),
        ("snooze", "Snooze a to-do: /snooze ID WHEN"),
        ("delete", "Delete a to-do: /delete ID"),
    )

    def register(self, app: Application[Any, Any, Any, Any, Any, Any], bot: BotSurface) -> None:
        self.bot = bot
        app.add_handler(CommandHandler("todo", self._todo))
        app.add_handler(CommandHandler("list", self._list))
        app.add_handler(CommandHandler("done", self._done))
        app.add_handler(CommandHandler("snooze", self._snooze))
        app.add_handler(CommandHandler("delete", self._delete))
        app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, self._text))
        bot.on_callback("tcap", self.on_capture)
        bot.on_callback("todo", self.on_todo)
        bot.on_callback("rem", self.on_reminder)

    # ------------------------------------------------------------ capture

    def _owner(self, update: Update) -> Owner:
        owner = self.bot.owner_for(update)
        if owner is None:
            raise InvalidInput("Send /start first, then your to-dos.")
        return owner

    async def _capture(self, update: Update, text: str) -> None:
        owner = self._owner(update)
        message = update.effective_message
        assert message is not None
        prompt = await capture.start(
            self.bot.ctx,
            owner_id=owner.id,
            timezone=owner.timezone,
            text=text,
            capture_id=message.message_id,
            now=self.bot.ctx.clock(),
        )
        await reply(update, prompt.text, prompt.buttons or None)

    async def _text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is not None and message.text is not None:
            await self._capture(update, message.text)

    async def _todo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        text = " ".join(context.args or [])
        if not text.strip():
            await reply(update, html.escape(USAGE["todo"]))
            return
        await self._capture(update, text)

    async def on_capture(self, request: CallbackRequest) -> str:
        prompt = await capture.resume(
            request.ctx,
            owner_id=request.owner.id,
            capture_id=request.object_id,
            answer=request.action,
        )
        if prompt.kind == "stale":
            return STALE
        await _edit(request.update, prompt.text, prompt.buttons)
        return {"saved": "Saved.", "cancelled": "Cancelled.", "edit": "Send the new text."}.get(
            prompt.kind, ""
        )

    # ------------------------------------------------------------ commands

    async def _list(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        owner = self._owner(update)
        ctx = self.bot.ctx
        now = ctx.clock()
        with ctx.db.read() as session:
            items = todos.list_open(session, owner_id=owner.id)
        if not items:
            await reply(update, "No open to-dos. Send me one in plain words.")
            return
        text, buttons = list_message(items, owner=owner, now=now)
        await reply(update, text, buttons)

    def _id_arg(self, context: ContextTypes.DEFAULT_TYPE, usage: str) -> int:
        args = context.args or []
        if not args or not args[0].lstrip("#").isdigit() or len(args[0]) > 12:
            raise InvalidInput(USAGE[usage])
        return int(args[0].lstrip("#"))

    async def _done(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        owner = self._owner(update)
        todo_id = self._id_arg(context, "done")
        with self.bot.ctx.db.write() as session:
            todo = todos.get_owned(session, owner_id=owner.id, todo_id=todo_id)
            if todo.status == "done":
                raise InvalidInput(ALREADY_DONE)
            answer = actions.complete(todo, now=self.bot.ctx.clock())
            title = todo.title
        await reply(update, f"✅ {html.escape(title)}: {html.escape(answer)}")

    async def _snooze(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """``/snooze ID WHEN`` snoozes; ``/snooze ID`` offers the presets."""
        owner = self._owner(update)
        todo_id = self._id_arg(context, "snooze")
        words = " ".join((context.args or [])[1:])
        ctx = self.bot.ctx
        now = ctx.clock()
        with ctx.db.write() as session:
            todo = todos.get_owned(session, owner_id=owner.id, todo_id=todo_id)
            title = html.escape(todo.title)
            if words:
                until = typed_time(words, now=now, timezone=owner.timezone, config=ctx.config.todos)
                answer = html.escape(actions.snooze(todo, until=until, now=now))
        if words:
            await reply(update, f"💤 {title}: {answer}")
        else:
            await reply(update, f"💤 Snooze “{title}” until…", snooze_buttons("todo", todo_id))

    async def _delete(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        owner = self._owner(update)
        todo_id = self._id_arg(context, "delete")
        with self.bot.ctx.db.write() as session:
            todo = todos.get_owned(session, owner_id=owner.id, todo_id=todo_id)
            answer = actions.delete(todo, now=self.bot.ctx.clock())
        await reply(update, "🗑 " + html.escape(answer))

    # ------------------------------------------------------------ buttons

    async def on_todo(self, request: CallbackRequest) -> str:
        ctx, now = request.ctx, request.ctx.clock()
        with ctx.db.write() as session:
            try:
                todo = todos.get_owned(
                    session, owner_id=request.owner.id, todo_id=request.object_id
                )
            except NotFound:
                return STALE
            if todo.status != "open":
                return ALREADY_DONE
            if request.action == "snooze":
                title = todo.title
            else:
                answer = _act(todo, request, now)
        if request.action == "snooze":
            await reply(
                request.update,
                f"💤 Snooze “{html.escape(title)}” until…",
                snooze_buttons("todo", request.object_id),
            )
            return ""
        if request.action in PRESETS:
            await _edit(request.update, f"💤 {html.escape(answer)}", [])
        else:
            await _drop_row(request.update, request.object_id)
        return answer

    async def on_reminder(self, request: CallbackRequest) -> str:
        """A reminder's buttons act only while its occurrence is the current one."""
        ctx, now = request.ctx, request.ctx.clock()
        with ctx.db.write() as session:
            try:
                todo = todos.get_owned(
                    session, owner_id=request.owner.id, todo_id=request.object_id
                )
            except NotFound:
                return STALE
            if todo.status == "done":
                return ALREADY_DONE
            if todo.due_at is None or todo.due_at > now:  # it moved on: this reminder is old
                return ALREADY_DONE if todo.completed_at is not None else STALE
            title = todo.title
            if request.action != "snooze":
                answer = _act(todo, request, now)
        if request.action == "snooze":
            await _edit_markup(request.update, snooze_buttons("rem", request.object_id))
            return ""
        mark = "✅" if request.action == "done" else "💤"
        await _edit(
            request.update, f"{mark} <b>{html.escape(title)}</b>\n{html.escape(answer)}", []
        )
        return answer


def _act(todo: Todo, request: CallbackRequest, now: Any) -> str:
    action = request.action
    if action == "done":
        return actions.complete(todo, now=now)
    if action == "tomorrow":
        return actions.move_to_tomorrow(todo, now=now)
    if action in PRESETS:
        until = preset_time(
            action, now=now, timezone=request.owner.timezone, config=request.ctx.config.todos
        )
        return actions.snooze(todo, until=until, now=now)
    raise InvalidInput("That button no longer does anything.")


def list_message(items: list[Todo], *, owner: Owner, now: Any) -> tuple[str, Buttons]:
    """/list: overdue, today, upcoming, no date; a ✅/💤 row per dated item shown."""
    tz = zone(owner.timezone)
    start, end = day_bounds(now.astimezone(tz).replace(tzinfo=None), tz)
    groups: dict[str, list[Todo]] = {"Overdue": [], "Today": [], "Upcoming": [], "No date": []}
    for todo in items:
        when = todo.snoozed_until or todo.due_at
        if when is None:
            groups["No date"].append(todo)
        elif when < start:
            groups["Overdue"].append(todo)
        elif when < end:
            groups["Today"].append(todo)
        else:
            groups["Upcoming"].append(todo)
    lines: list[str] = []
    shown: list[Todo] = []
    for name, group in groups.items():
        if not group or len(shown) >= LIST_LIMIT:
            continue
        lines.append(f"\n<b>{name}</b>")
        for todo in group[: LIST_LIMIT - len(shown)]:
            lines.append(item_line(todo))
            shown.append(todo)
    if len(items) > len(shown):
        lines.append(f"\n… and {len(items) - len(shown)} more")
    return "\n".join(lines).strip(), [item_buttons(t) for t in shown]


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


async def _drop_row(update: Update, todo_id: int) -> None:
    """Remove the buttons of one task from a list/agenda/review message."""
    query = update.callback_query
    message = getattr(query, "message", None)
    markup = getattr(message, "reply_markup", None)
    if query is None or markup is None:
        return
    suffix = f":{todo_id}:"
    rows = [
        [{"text": b.text, "callback_data": b.callback_data} for b in row]
        for row in markup.inline_keyboard
        if not any(suffix in str(b.callback_data or "") for b in row)
    ]
    await _edit_markup(update, rows)
