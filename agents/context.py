"""What every agent, job and bot handler receives instead of reading settings or the clock.

``errands/`` builds one ``AppContext`` per process; everything below takes it as an argument.
``AppConfig`` holds plain values derived from settings, so nothing deeper imports ``Settings``.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from agents.arxiv.config import ArxivConfig
from agents.meetings.config import MeetingsConfig
from agents.notify import Notifier
from agents.todos.config import TodoConfig
from store.db import Database

if TYPE_CHECKING:
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from sqlalchemy.orm import Session

    from agents.llm import LLMClient
    from agents.stt import Transcriber
    from store.models import Todo


@dataclass(frozen=True)
class AppConfig:
    """Plain configuration values the agents need."""

    default_timezone: str = "UTC"
    owner_chat_ids: tuple[int, ...] = ()
    public_url: str = "http://127.0.0.1:8080"
    secret_key: str = ""
    late_after: timedelta = timedelta(minutes=10)
    outbox_max_attempts: int = 8
    outbox_concurrency: int = 8
    # ERRANDS_BRIEFING: the morning-agenda job sends the cross-agent briefing
    # (agents.assistant.briefing) instead of the to-do agenda.
    briefing: bool = True
    todos: TodoConfig = field(default_factory=TodoConfig)
    meetings: MeetingsConfig = field(default_factory=MeetingsConfig)
    arxiv: ArxivConfig = field(default_factory=ArxivConfig)


@dataclass(frozen=True)
class UpdateReceiver:
    """Telegram's webhook as the web app serves it (webhook mode; set by the runtime).

    A POST to ``path`` whose X-Telegram-Bot-Api-Secret-Token header equals ``secret`` is
    handed to ``receive`` (the bot's Application): it raises ``InvalidInput`` for a body
    that is not an update and returns False while the bot takes no updates (stopping).
    """

    path: str
    secret: str
    receive: Callable[[object], Awaitable[bool]]


@dataclass
class AppContext:
    """The live objects of one errands process."""

    db: Database
    config: AppConfig
    clock: Callable[[], datetime]
    llm: LLMClient | None = None
    # Where embeddings come from when that is not the chat LLM (ERRANDS_EMBEDDINGS_BASE_URL).
    embedder: LLMClient | None = None
    # Speech-to-text for voice notes (ERRANDS_STT_*; errands.wiring.build_stt); None: off.
    stt: Transcriber | None = None
    # LangGraph checkpointer for graphs that pause for people: SQLite in the data dir, or the
    # store's own PostgreSQL database (errands/checkpoints.py), so any instance resumes a run.
    checkpointer: BaseCheckpointSaver[str] | None = None
    notifiers: dict[str, Notifier] = field(default_factory=dict)
    # Filled by the runtime: a view of scheduled jobs for /status (name, next run).
    schedule_view: Callable[[], list[tuple[str, datetime | None]]] | None = None
    # Set by the runtime in webhook mode (ERRANDS_TELEGRAM_WEBHOOK_URL): where the web app
    # hands the updates Telegram POSTs (bots.web.telegram_webhook).
    telegram_webhook: UpdateReceiver | None = None
    # Set by the runtime so producers can ask the dispatcher to look now, not at its next tick.
    wake_outbox: Callable[[], None] | None = None
    # Set by the scheduler: (re)schedule one owner's per-owner jobs (digest, agenda, review)
    # after /start adds the owner or /tz moves them, without a restart.
    on_owner_changed: Callable[[int], None] | None = None
    # Told (session, task, now) when a to-do is done for good, in that transaction
    # (agents.todos.actions.DoneHook): the reading list counts a read paper as a like.
    todo_done: list[Callable[[Session, Todo, datetime], None]] = field(default_factory=list)

    def now(self) -> datetime:
        return self.clock()

    @property
    def embeddings_client(self) -> LLMClient | None:
        """The dedicated embeddings endpoint if one is configured, else the chat LLM."""
        return self.embedder if self.embedder is not None else self.llm
