"""The one interface a Telegram feature implements, and what every feature shares.

A feature (``bots/telegram/<agent>.py``) is an object with ``commands`` (its lines in the bot's
menu) and ``handlers(ctx)`` (its python-telegram-bot handlers, in order), built with the three
adapters below so every handler has the same shape:

- ``command(ctx, name, func)`` and ``on_text(ctx, func)`` call ``func(CommandRequest)``;
- ``on_button(ctx, kind, func)`` is PTB's ``CallbackQueryHandler`` with a pattern for
  ``kind:<id>:<action>`` (``agents.messaging.callback_data``). The press is validated (our
  format, an owner, pressed by the owner's own user: ``not_the_owner``) before
  ``func(CallbackRequest)`` runs; its return value is the answer shown on the button, and a
  ``Conflict`` (a repeat or a race) answers "Already handled.". Commands check the sender the
  same way (``CommandRequest.owner``): in a group chat only the owner acts.

``typing(update)`` shows "typing…" while a handler does slow work (LLM calls, fetches).
``bots.telegram.app`` composes the features; features import this module and never the app.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from telegram import InlineKeyboardButton, Update
from telegram.constants import ChatAction, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from agents.context import AppContext
from agents.messaging import KIND_RE, Button, Buttons, esc, link_button, parse_callback
from bots.telegram.notifier import build_keyboard, send_with_retry
from store import owners
from store.errors import Conflict, InvalidInput
from store.models import Owner

APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
STALE = "Already handled."
NOT_STARTED = "Send /start first."
TYPING_EVERY = 4.0
"""Seconds between "typing…" actions: Telegram shows one for about 5 s (or until a message)."""

Context = ContextTypes.DEFAULT_TYPE
Handler = BaseHandler[Update, Context, None]
"""A PTB handler as features hand them to the app."""
Callback = Callable[[Update, Context], Coroutine[Any, Any, None]]
"""A PTB handler callback."""


@dataclass(frozen=True)
class CommandRequest:
    """A command (or plain text) from an allowlisted chat; the owner is looked up on demand."""

    ctx: AppContext
    update: Update
    args: tuple[str, ...]
    not_started: str = NOT_STARTED

    @property
    def text(self) -> str:
        """The command's arguments as one string ("" for none)."""
        return " ".join(self.args)

    def owner(self) -> Owner:
        """The chat's owner; ``InvalidInput`` (shown to the person) before /start, or when
        the sender is someone else in the owner's group chat."""
        owner = owner_for(self.ctx, self.update)
        if owner is None:
            raise InvalidInput(self.not_started)
        refusal = not_the_owner(owner, self.update)
        if refusal is not None:
            raise InvalidInput(refusal)
        return owner


@dataclass(frozen=True)
class CallbackRequest:
    """A validated button press: who pressed it and what it names."""

    ctx: AppContext
    owner: Owner
    kind: str
    object_id: int
    action: str
    update: Update


CommandFunc = Callable[[CommandRequest], Awaitable[None]]
ButtonFunc = Callable[[CallbackRequest], Awaitable[str]]


class Feature(Protocol):
    """What an agent adds to the bot."""

    @property
    def commands(self) -> Sequence[tuple[str, str]]:
        """(name, description) lines for the command menu and /help."""

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        """The feature's handlers (``command``, ``on_text``, ``on_button``), in order."""


def owner_for(ctx: AppContext, update: Update) -> Owner | None:
    """The owner of the update's chat, if that chat has said /start."""
    chat = update.effective_chat
    if chat is None:
        return None
    with ctx.db.read() as session:
        return owners.get_by_chat_id(session, chat_id=chat.id)


def not_the_owner(owner: Owner, update: Update) -> str | None:
    """Why the update's sender may not act for ``owner``; None when they may.

    The allowlist admits a chat; inside a group chat only the owner's own Telegram user
    (``store.owners.telegram_user_id``: recorded at /start) may press buttons or give commands.
    """
    user = update.effective_user
    expected = owners.telegram_user_id(owner)
    if user is not None and expected is not None and user.id == expected:
        return None
    if expected is None:
        return f"Only {owner.name} can do that: {owner.name}, send /start once so I know you."
    return f"Only {owner.name} can do that."


def command(
    ctx: AppContext, name: str, func: CommandFunc, *, not_started: str = NOT_STARTED
) -> Handler:
    """``/name args`` -> ``func(CommandRequest)``."""
    return CommandHandler(name, _adapt(ctx, func, not_started))


def on_text(
    ctx: AppContext,
    func: CommandFunc,
    *,
    not_started: str = NOT_STARTED,
    only: filters.BaseFilter | None = None,
) -> Handler:
    """Plain text (not a command) -> ``func(CommandRequest)`` (no args; read the message).

    ``only`` narrows it (a text that names a time zone): a handler registered before the
    catch-all text handler takes just those.
    """
    wanted = filters.TEXT & ~filters.COMMAND
    return MessageHandler(wanted & only if only else wanted, _adapt(ctx, func, not_started))


def callback_pattern(kind: str) -> str:
    """The callback data of ``kind``'s buttons, for PTB's ``CallbackQueryHandler``."""
    if not KIND_RE.fullmatch(kind):
        raise ValueError(f"bad callback kind {kind!r}")
    return rf"^{kind}:\d{{1,12}}:[a-z_]{{1,16}}$"


def on_button(ctx: AppContext, kind: str, func: ButtonFunc) -> Handler:
    """Presses of ``kind:<id>:<action>`` buttons -> ``func(CallbackRequest)`` -> the answer."""

    async def handle(update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None
        press = parse_callback(query.data if isinstance(query.data, str) else None)
        owner = owner_for(ctx, update)
        if press is None or press.kind != kind or owner is None:
            await query.answer(STALE)
            return
        refusal = not_the_owner(owner, update)
        if refusal is not None:
            await query.answer(refusal[:200])
            return
        request = CallbackRequest(
            ctx=ctx,
            owner=owner,
            kind=press.kind,
            object_id=press.object_id,
            action=press.action,
            update=update,
        )
        try:
            answer = await func(request)
        except Conflict:
            answer = STALE
        await query.answer(answer[:200] if answer else None)

    return CallbackQueryHandler(handle, pattern=callback_pattern(kind))


async def answer_stale(update: Update, context: Context) -> None:
    """A press no feature claims (forged, an old format, a removed kind): "Already handled."."""
    if update.callback_query is not None:
        await update.callback_query.answer(STALE)


def unknown_commands() -> Handler:
    """A command no feature claimed: say so (registered after every feature's handlers)."""
    return MessageHandler(filters.COMMAND, _unknown_command)


async def _unknown_command(update: Update, context: Context) -> None:
    message = update.effective_message
    word = (message.text or "").split(maxsplit=1)[0] if message is not None else ""
    name, _, bot = word.partition("@")
    if bot and bot.lower() != (context.bot.username or "").lower():
        return  # "/cmd@other_bot" in a group: not ours to answer
    await reply(update, f"I don't know {esc(name[:64])}. /help lists what I can do.")


async def reply(
    update: Update, text: str, buttons: Sequence[Sequence[Button]] | None = None
) -> None:
    """Answer in the same chat (HTML; callers escape data), retrying 429s and network errors."""
    chat = update.effective_chat
    if chat is None:
        return
    markup = build_keyboard(buttons) if buttons else None
    bot = update.get_bot()
    await send_with_retry(
        lambda: bot.send_message(
            chat.id,
            text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            disable_web_page_preview=True,
        )
    )


@contextlib.asynccontextmanager
async def typing(
    update: Update, *, enabled: bool = True, every: float = TYPING_EVERY
) -> AsyncIterator[None]:
    """Show "typing…" in the update's chat while the block runs slow work (an LLM call, a
    fetch from arXiv): one chat action at once, then one every ``every`` seconds until the
    block ends. Best effort: a failed chat action never fails the work.

    ``async with typing(request.update, enabled=ctx.llm is not None): ...``
    """
    chat = update.effective_chat
    if not enabled or chat is None:
        yield
        return
    bot = update.get_bot()

    async def keep_typing() -> None:
        while True:
            with contextlib.suppress(TelegramError):
                await bot.send_chat_action(chat.id, ChatAction.TYPING)
            await asyncio.sleep(every)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def replace_rows(update: Update, kind: str, object_id: int, rows: Buttons) -> None:
    """Swap the keyboard rows of one object (``kind:<id>:…``) for ``rows`` ([] drops them).

    A message may carry several objects' buttons (a list, the morning briefing mixes to-dos,
    papers and requests): a tap edits its own rows only. Keeps its place in the keyboard.
    """
    query = update.callback_query
    message = query.message if query is not None else None
    markup = getattr(message, "reply_markup", None)
    if query is None or markup is None:
        return
    prefix = f"{kind}:{object_id}:"
    kept: Buttons = []
    replaced = False
    for row in markup.inline_keyboard:
        if any(str(b.callback_data or "").startswith(prefix) for b in row):
            if not replaced:
                kept.extend(list(r) for r in rows)
                replaced = True
            continue
        kept.append([_as_button(b) for b in row])
    with contextlib.suppress(BadRequest):  # "message is not modified": the same tap again
        await send_with_retry(lambda: query.edit_message_reply_markup(build_keyboard(kept)))


def _as_button(button: InlineKeyboardButton) -> Button:
    if button.url is not None:
        return link_button(button.text, button.url)
    return {"text": button.text, "callback_data": str(button.callback_data)}


def _adapt(ctx: AppContext, func: CommandFunc, not_started: str) -> Callback:
    async def handle(update: Update, context: Context) -> None:
        await func(CommandRequest(ctx, update, tuple(context.args or ()), not_started))

    return handle
