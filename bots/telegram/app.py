"""The Telegram surface: build a python-telegram-bot ``Application`` for an ``AppContext``.

Only allowlisted chats (``ERRANDS_OWNER_CHAT_IDS``) are served; anyone else gets one polite
refusal and nothing more. Agents plug in through ``Feature`` objects (commands, handlers and
callback-button kinds). Errors are translated here: ``ErrandsError`` messages are shown as they
are, anything else becomes a short apology while the traceback goes to the log.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from telegram import BotCommand, Update
from telegram.constants import ParseMode
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    TypeHandler,
)

from agents.context import AppContext
from bots.telegram import html
from bots.telegram.notifier import build_keyboard, send_with_retry
from store import owners
from store.errors import Conflict, ErrandsError
from store.models import Owner

log = logging.getLogger(__name__)

REFUSAL = "Sorry, this is a private assistant. It only answers its owner."
APOLOGY = "Sorry, something went wrong on my side. Please try again in a moment."
STALE = "Already handled."
CALLBACK_RE = re.compile(r"^([a-z]{1,16}):(\d{1,12}):([a-z_]{1,16})$")

Buttons = Sequence[Sequence[dict[str, Any]]]
CallbackFunc = Callable[["CallbackRequest"], Awaitable[str]]
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


@dataclass(frozen=True)
class CallbackRequest:
    """A validated button press: who pressed it and what it names."""

    ctx: AppContext
    owner: Owner
    kind: str
    object_id: int
    action: str
    update: Update


class Feature(Protocol):
    """What an agent adds to the bot."""

    commands: Sequence[tuple[str, str]]

    def register(self, app: Application[Any, Any, Any, Any, Any, Any], bot: BotSurface) -> None:
        """Add handlers to ``app`` and callback kinds to ``bot``."""


@dataclass
class BotSurface:
    """Shared state of the bot: the context, the callback kinds and the command list."""

    ctx: AppContext
    callbacks: dict[str, CallbackFunc] = field(default_factory=dict)
    commands: list[tuple[str, str]] = field(
        default_factory=lambda: [
            ("start", "Start and see what I can do"),
            ("help", "What I can do"),
            ("status", "Scheduled runs, outbox and LLM state"),
        ]
    )

    def on_callback(self, kind: str, func: CallbackFunc) -> None:
        if not re.fullmatch(r"[a-z]{1,16}", kind):
            raise ValueError(f"bad callback kind {kind!r}")
        self.callbacks[kind] = func

    def owner_for(self, update: Update) -> Owner | None:
        chat = update.effective_chat
        if chat is None:
            return None
        with self.ctx.db.read() as session:
            return owners.get_by_chat_id(session, chat_id=chat.id)


def callback_data(kind: str, object_id: int, action: str) -> str:
    """Encode a button; ``CALLBACK_RE`` is the only format accepted back."""
    data = f"{kind}:{object_id}:{action}"
    if not CALLBACK_RE.match(data):
        raise ValueError(f"bad callback data {data!r}")
    return data


async def reply(update: Update, text: str, buttons: Buttons | None = None) -> None:
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


def build_application(
    ctx: AppContext,
    *,
    token: str,
    base_url: str,
    features: Sequence[Feature] | None = None,
) -> tuple[Application[Any, Any, Any, Any, Any, Any], BotSurface]:
    """A configured, not yet started ``Application`` and its ``BotSurface``.

    ``features=None`` means every agent's feature (``bots.telegram.features``).
    """
    if features is None:
        from bots.telegram.features import default_features

        features = default_features(ctx)
    surface = BotSurface(ctx)
    base = base_url.rstrip("/")
    app = (
        Application.builder()
        .token(token)
        .base_url(base)
        .base_file_url(base.removesuffix("/bot") + "/file/bot")
        .concurrent_updates(False)
        .build()
    )
    app.add_handler(TypeHandler(Update, _allowlist_guard(ctx)), group=-1)
    app.add_handler(CommandHandler("start", _start(surface)))
    app.add_handler(CommandHandler("help", _help(surface)))
    app.add_handler(CommandHandler("status", _status(surface)))
    for feature in features:
        feature.register(app, surface)
        surface.commands.extend(feature.commands)
    app.add_handler(CallbackQueryHandler(_route_callback(surface)))
    app.add_error_handler(_on_error)
    return app, surface


async def start_bot(
    app: Application[Any, Any, Any, Any, Any, Any], surface: BotSurface, *, poll_timeout: int = 10
) -> None:
    """Initialize (getMe), register the command list, start handlers and long polling."""
    await app.initialize()
    commands = [BotCommand(name, description) for name, description in surface.commands]
    await send_with_retry(lambda: app.bot.set_my_commands(commands))
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=poll_timeout)


async def stop_bot(app: Application[Any, Any, Any, Any, Any, Any]) -> None:
    """Stop taking updates, let handlers finish, release the HTTP client."""
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()


def _allowlist_guard(
    ctx: AppContext,
) -> Handler:
    refused: set[int] = set()

    async def guard(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is not None and chat.id in ctx.config.owner_chat_ids:
            return
        if update.callback_query is not None:
            await update.callback_query.answer()
        elif chat is not None and chat.id not in refused:
            refused.add(chat.id)
            await reply(update, REFUSAL)
        raise ApplicationHandlerStop

    return guard


def _help_text(surface: BotSurface) -> str:
    lines = [f"/{name} - {html.escape(description)}" for name, description in surface.commands]
    return "Here is what I can do:\n" + "\n".join(lines)


def _start(surface: BotSurface) -> Handler:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Make an allowlisted chat an owner (once) and say what the bot does."""
        chat, user = update.effective_chat, update.effective_user
        assert chat is not None
        name = (user.full_name if user else "") or chat.full_name or f"chat {chat.id}"
        created = False
        with surface.ctx.db.write() as session:
            if owners.get_by_chat_id(session, chat_id=chat.id) is None:
                slug = _free_slug(session, owners.slugify(name))
                owners.create_owner(
                    session,
                    name=name[:200],
                    timezone=surface.ctx.config.default_timezone,
                    now=surface.ctx.clock(),
                    chat_id=chat.id,
                    slug=slug,
                )
                created = True
        greeting = f"Welcome, {html.escape(name)}!" if created else "Welcome back!"
        await reply(update, f"{greeting}\n\n{_help_text(surface)}")

    return start


def _free_slug(session: Any, base: str) -> str:
    slug, n = base, 1
    while owners.get_by_slug(session, slug=slug) is not None:
        n += 1
        slug = f"{base[:58]}-{n}"
    return slug


def _help(surface: BotSurface) -> Handler:
    async def help_(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """List the commands."""
        await reply(update, _help_text(surface))

    return help_


def _status(surface: BotSurface) -> Handler:
    async def status(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Scheduled runs, outbox state and LLM backends, in the owner's zone."""
        from store.outbox import outbox_state

        ctx = surface.ctx
        owner = surface.owner_for(update)
        zone = owner.timezone if owner else ctx.config.default_timezone
        lines = ["<b>Scheduled</b>"]
        schedule = ctx.schedule_view() if ctx.schedule_view else []
        if not schedule:
            lines.append("  (scheduler not running)")
        from zoneinfo import ZoneInfo

        for job_id, when in sorted(schedule, key=lambda j: (j[1] is None, j[1] or 0, j[0])):
            at = when.astimezone(ZoneInfo(zone)).strftime("%a %d %b %H:%M:%S") if when else "paused"
            lines.append(f"  {html.escape(job_id)}: {at}")
        with ctx.db.read() as session:
            state = outbox_state(session, now=ctx.clock())
        lines.append("<b>Outbox</b>")
        lines.append(
            f"  pending {state.pending} (due {state.due}), sent {state.sent}, failed {state.failed}"
        )
        for row_id, recipient, error in state.recent_failures:
            lines.append(f"  ✖ #{row_id} to {html.escape(recipient)}: {html.escape(error[:120])}")
        lines.append("<b>LLM</b>")
        if ctx.llm is None:
            lines.append("  off")
        else:
            for backend in await ctx.llm.check(timeout=2.0):
                verdict = "up" if backend.ok else "down"
                detail = html.escape(backend.detail[:120])
                lines.append(f"  {html.escape(backend.name)}: {verdict} ({detail})")
        await reply(update, "\n".join(lines))

    return status


def _route_callback(
    surface: BotSurface,
) -> Handler:
    async def route(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Validate a button press before anything changes, then hand it to its feature."""
        query = update.callback_query
        assert query is not None
        match = CALLBACK_RE.match(query.data or "")
        owner = surface.owner_for(update)
        func = surface.callbacks.get(match.group(1)) if match else None
        if match is None or func is None or owner is None:
            await query.answer(STALE)
            return
        request = CallbackRequest(
            ctx=surface.ctx,
            owner=owner,
            kind=match.group(1),
            object_id=int(match.group(2)),
            action=match.group(3),
            update=update,
        )
        try:
            answer = await func(request)
        except Conflict:
            answer = STALE
        await query.answer(answer[:200] if answer else None)

    return route


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """One error handler: the user gets a short message, the log gets the traceback."""
    error = context.error
    if isinstance(error, ErrandsError):
        message = error.user_message
    else:
        log.error("error while handling an update", exc_info=error)
        message = APOLOGY
    if not isinstance(update, Update):
        return
    try:
        if update.callback_query is not None:
            await update.callback_query.answer(message[:200])
        elif update.effective_chat is not None:
            await reply(update, html.escape(message))
    except Exception:  # the apology itself failed; nothing more to do but log
        log.exception("could not tell the user about an error")


# Re-exported for features: they only need these names from here.
__all__ = [
    "APOLOGY",
    "STALE",
    "BaseHandler",
    "BotSurface",
    "CallbackRequest",
    "Feature",
    "build_application",
    "callback_data",
    "reply",
    "start_bot",
    "stop_bot",
]
