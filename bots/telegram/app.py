"""The Telegram surface: build a python-telegram-bot ``Application`` for an ``AppContext``.

Only allowlisted chats (``ERRANDS_OWNER_CHAT_IDS``) are served; anyone else gets one polite
refusal that shows their chat id (how a new owner learns what to allow) and nothing more.
The bot's own commands (/start, /help, /status; setup in ``onboarding``) and every agent's
``Feature`` (``bots.telegram.feature``) are composed here, in menu order; each feature's
buttons are routed by PTB's own ``CallbackQueryHandler`` patterns, and a press nobody claims
answers "Already handled.". Errors are translated here: ``ErrandsError`` messages are shown as
they are, anything else becomes a short apology while the traceback goes to the log.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from telegram import BotCommand, Update
from telegram.ext import Application, ApplicationHandlerStop, CallbackQueryHandler, TypeHandler

from agents.context import AppContext
from agents.messaging import esc
from bots.telegram import health, onboarding
from bots.telegram.arxiv import ArxivFeature
from bots.telegram.assistant import AssistantFeature
from bots.telegram.calendar import CalendarFeature
from bots.telegram.feature import (
    APOLOGY,
    Callback,
    CommandRequest,
    Context,
    Feature,
    Handler,
    answer_stale,
    command,
    owner_for,
    reply,
    unknown_commands,
)
from bots.telegram.meetings import MeetingsFeature
from bots.telegram.notifier import send_with_retry
from bots.telegram.onboarding import SetupFeature
from bots.telegram.polling import POLL_TIMEOUT
from bots.telegram.polling import start_polling as start_polling  # with the leadership
from bots.telegram.polling import stop_polling as stop_polling
from bots.telegram.reading import ReadingFeature
from bots.telegram.todos import TodoFeature
from bots.telegram.voice import VoiceFeature
from store.errors import ErrandsError
from store.outbox import outbox_state

log = logging.getLogger(__name__)

REFUSAL = "Sorry, this is a private assistant. It only answers its owner."
ALLOW_SETTING = "ERRANDS_OWNER_CHAT_IDS"
"""The setting that allowlists chats (``errands.settings.Settings.owner_chat_ids``)."""
REFUSED_MEMORY = 10_000
"""How many refused chats are remembered (each is refused once); then the memory restarts."""

TelegramApp = Application[Any, Any, Any, Any, Any, Any]


def default_features() -> list[Feature]:
    """Every agent's feature, in the order their commands appear in the menu."""
    todos = TodoFeature(free_text=False)  # plain text: the assistant, which hands to-dos back
    assistant = AssistantFeature(todos)
    voice = VoiceFeature(assistant.handle_text)  # a transcript goes where typed text goes
    features: list[Feature] = [MeetingsFeature(), CalendarFeature(), todos, ArxivFeature()]
    return [*features, ReadingFeature(), assistant, voice]


@dataclass
class BotSurface:
    """The bot's command menu (its own commands, then each feature's), for /help and Telegram."""

    ctx: AppContext
    commands: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class CoreFeature:
    """/start, /help and /status: the bot's own commands, registered like any feature."""

    surface: BotSurface
    commands: Sequence[tuple[str, str]] = (
        ("start", "Set up: time zone, booking link, paper interests"),
        ("help", "What I can do"),
        ("status", "Scheduled runs, outbox and LLM state"),
    )

    def handlers(self, ctx: AppContext) -> Sequence[Handler]:
        return [
            command(ctx, "start", self.start),
            command(ctx, "help", self.help),
            command(ctx, "status", self.status),
        ]

    def help_text(self) -> str:
        lines = [f"/{name} - {esc(description)}" for name, description in self.surface.commands]
        return "Here is what I can do:\n" + "\n".join(lines)

    async def start(self, request: CommandRequest) -> None:
        """Make an allowlisted chat an owner (once) and guide setup (``onboarding``)."""
        await onboarding.start(request.ctx, request.update)

    async def help(self, request: CommandRequest) -> None:
        """List the commands."""
        await reply(request.update, self.help_text())

    async def status(self, request: CommandRequest) -> None:
        """Scheduled runs, outbox state and LLM backends, in the owner's zone."""
        ctx = request.ctx
        owner = owner_for(ctx, request.update)
        zone = ZoneInfo(owner.timezone if owner else ctx.config.default_timezone)
        lines = ["<b>Scheduled</b>"]
        schedule = ctx.schedule_view() if ctx.schedule_view else []
        if not schedule:
            lines.append("  (scheduler not running)")
        for job_id, when in sorted(schedule, key=lambda j: (j[1] is None, j[1] or 0, j[0])):
            at = when.astimezone(zone).strftime("%a %d %b %H:%M:%S") if when else "paused"
            lines.append(f"  {esc(job_id)}: {at}")
        with ctx.db.read() as session:
            state = outbox_state(session, now=ctx.clock())
            background = health.sections(session, owner=owner, zone=zone, now=ctx.clock())
        lines.append("<b>Outbox</b>")
        lines.append(
            f"  pending {state.pending} (due {state.due}), sent {state.sent}, failed {state.failed}"
        )
        for row_id, recipient, error in state.recent_failures:
            lines.append(f"  ✖ #{row_id} to {esc(recipient)}: {esc(error[:120])}")
        lines += background
        lines.append("<b>LLM</b>")
        if ctx.llm is None:
            lines.append("  off")
        else:
            for backend in await ctx.llm.check(timeout=2.0):
                verdict = "up" if backend.ok else "down"
                lines.append(f"  {esc(backend.name)}: {verdict} ({esc(backend.detail[:120])})")
        await reply(request.update, "\n".join(lines))


def build_application(
    ctx: AppContext,
    *,
    token: str,
    base_url: str,
    features: Sequence[Feature] | None = None,
) -> tuple[TelegramApp, BotSurface]:
    """A configured, not yet started ``Application`` and its ``BotSurface``.

    ``features=None`` means every agent's feature (``default_features``).
    """
    surface = BotSurface(ctx)
    composed: list[Feature] = [CoreFeature(surface), SetupFeature()]
    composed += default_features() if features is None else features
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
    for feature in composed:
        app.add_handlers(feature.handlers(ctx))
        surface.commands.extend(feature.commands)
    app.add_handler(unknown_commands())  # commands no feature claims
    app.add_handler(CallbackQueryHandler(answer_stale))  # presses no feature's pattern claims
    app.add_error_handler(_on_error)
    return app, surface


async def start_bot(
    app: TelegramApp, surface: BotSurface, *, poll: bool = True, poll_timeout: int = POLL_TIMEOUT
) -> None:
    """Initialize (getMe), register the command list, start handlers; long polling only when
    ``poll`` (with several instances only the scheduler leader polls: ``start_polling``)."""
    await app.initialize()
    commands = [BotCommand(name, description) for name, description in surface.commands]
    await send_with_retry(lambda: app.bot.set_my_commands(commands))
    await app.start()
    if poll:
        await start_polling(app, poll_timeout=poll_timeout)


async def stop_bot(app: TelegramApp) -> None:
    """Stop taking updates, let handlers finish (queued webhook updates too), release the HTTP
    client. A webhook stays set: other instances still serve it."""
    await stop_polling(app)
    if app.running:
        await app.stop()
    await app.shutdown()


def refusal(chat_id: int) -> str:
    """The one reply a chat outside the allowlist gets: polite, and it shows the chat id, the
    only way a new owner can learn what to allow."""
    return (
        f"{REFUSAL}\n\nIf this is your errands: this chat's id is <code>{chat_id}</code>. "
        f"Allow it with <code>{ALLOW_SETTING}={chat_id}</code> in errands' .env (separate "
        "several ids with commas), restart errands, then send /start again."
    )


def _allowlist_guard(ctx: AppContext) -> Callback:
    refused: set[int] = set()

    async def guard(update: Update, context: Context) -> None:
        chat = update.effective_chat
        if chat is not None and chat.id in ctx.config.owner_chat_ids:
            return
        if update.callback_query is not None:
            await update.callback_query.answer()
        elif chat is not None and chat.id not in refused:
            if len(refused) >= REFUSED_MEMORY:
                refused.clear()
            refused.add(chat.id)
            log.info("refused chat %s: not in %s", chat.id, ALLOW_SETTING)
            await reply(update, refusal(chat.id))
        raise ApplicationHandlerStop

    return guard


async def _on_error(update: object, context: Context) -> None:
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
            await reply(update, esc(message))
    except Exception:  # the apology itself failed; nothing more to do but log
        log.exception("could not tell the user about an error")
