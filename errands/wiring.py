"""Composition: the only place settings become objects (database, LLM client, clock)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import SecretStr
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from agents.arxiv.config import ArxivConfig
from agents.context import AppConfig, AppContext
from agents.meetings.config import MeetingsConfig
from agents.notify import Notifier
from agents.todos.config import TodoConfig
from errands.datadir import prepare_data_dir
from errands.exits import database_unusable
from errands.secret_key import require_shared_secret
from errands.settings import SchemaMode, Settings
from store import llm_log
from store.db import Database

if TYPE_CHECKING:  # imported lazily below: commands that need no LLM start faster
    from langgraph.checkpoint.base import BaseCheckpointSaver
    from telegram import Bot

    from agents.llm import Backend, CallRecord, LLMClient
    from agents.stt import EmbeddedEngine, EndpointEngine, Transcriber


def utc_now() -> datetime:
    """The real clock; everything below errands/ receives ``now`` instead of calling this."""
    return datetime.now(UTC)


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """Open the shared store, bring its schema up to date and prove it takes a write.

    The data dir is made owner-only and checked first. Any failure is one ``StoreUnavailable``
    line naming the problem (read-only, permission denied, disk full), the URL redacted.
    """
    prepare_data_dir(settings.data_dir)
    url = settings.effective_database_url
    try:
        db = Database.from_url(url)
        try:
            if migrate:
                from store.migrate import upgrade

                upgrade(db.engine)
                db.check_writable()
        except BaseException:
            db.dispose()
            raise
    except (SQLAlchemyError, OSError) as exc:
        parsed = make_url(url)
        path = Path(parsed.database) if db_is_file(url) and parsed.database else None
        raise database_unusable(exc, url, path) from exc
    return db


def db_is_file(url: str) -> bool:
    """Whether ``url`` is an SQLite database in a file (not in memory, not a server)."""
    parsed = make_url(url)
    return parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")


def llm_backends(settings: Settings) -> list[Backend]:
    """The fallback chain: local (vLLM) first, the embedded engine if ``errands run`` started
    one, then the hosted fallback if set."""
    from agents.llm import Backend
    from errands.embedded_llm import read_state

    s = settings
    embedded = read_state(s.data_dir)
    backends: list[Backend] = []
    if embedded is None or embedded.base_url.rstrip("/") != s.llm_base_url.rstrip("/"):
        backends.append(
            _configured("local", s.llm_base_url, s.llm_model, s.llm_api_key, s.llm_schema_mode)
        )
    if embedded is not None:
        backends.append(
            Backend(
                name="embedded",
                base_url=embedded.base_url,
                model=embedded.model,
                api_key="",
                schema_mode="json_object",
            )
        )
    if s.llm_fallback_base_url:
        backends.append(
            _configured(
                "fallback",
                s.llm_fallback_base_url,
                s.llm_fallback_model,
                s.llm_fallback_api_key,
                s.llm_fallback_schema_mode,
            )
        )
    return backends


def _configured(name: str, url: str, model: str, key: SecretStr, mode: SchemaMode) -> Backend:
    """A backend set in ERRANDS_* settings (the one place its API key is unwrapped)."""
    from agents.llm import Backend

    return Backend(
        name=name, base_url=url, model=model, api_key=key.get_secret_value(), schema_mode=mode
    )


def build_llm(
    settings: Settings, db: Database | None, *, backends: list[Backend] | None = None
) -> LLMClient:
    """An LLM client whose every call lands in the store's call log (when a db is given).

    ``backends`` defaults to the chat chain (``llm_backends``).
    """
    from agents.llm import LLMClient

    def log_call(record: CallRecord) -> None:
        if db is None:
            return
        with db.write() as session:
            llm_log.record_call(
                session,
                at=record.at,
                backend=record.backend,
                model=record.model,
                purpose=record.purpose,
                latency_ms=record.latency_ms,
                ok=record.ok,
                prompt_tokens=record.prompt_tokens,
                completion_tokens=record.completion_tokens,
                error=record.error,
            )

    return LLMClient(
        llm_backends(settings) if backends is None else backends,
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        concurrency=settings.llm_concurrency,
        call_log=log_call,
        clock=utc_now,
    )


def build_embedder(settings: Settings, db: Database | None) -> LLMClient | None:
    """A client for ERRANDS_EMBEDDINGS_BASE_URL alone, or None (embed with the chat chain)."""
    s = settings
    if not s.embeddings_base_url:
        return None
    backend = _configured(
        "embeddings", s.embeddings_base_url, s.embeddings_model, s.embeddings_api_key, "json_schema"
    )
    return build_llm(settings, db, backends=[backend])


def embedded_stt(settings: Settings) -> tuple[EmbeddedEngine | None, str]:
    """faster-whisper on ERRANDS_STT_MODEL_DIR (or the model the ``stt`` extra ships), or
    None and why not. Cheap: nothing is loaded."""
    from agents.stt import EmbeddedEngine

    if not settings.stt_embedded:
        return None, "ERRANDS_STT_EMBEDDED=false"
    if settings.stt_model_dir:
        engine = EmbeddedEngine(Path(settings.stt_model_dir).expanduser())
    else:
        engine = EmbeddedEngine(settings.data_dir / "stt-model", bundled=True)
    problem = engine.problem()
    return (engine, "") if problem is None else (None, problem)


def endpoint_stt(settings: Settings) -> EndpointEngine | None:
    """The /v1/audio/transcriptions client for ERRANDS_STT_BASE_URL, or None when unset."""
    from agents.stt import EndpointEngine

    s = settings
    if not s.stt_base_url:
        return None
    key = s.stt_api_key.get_secret_value()
    return EndpointEngine(s.stt_base_url, model=s.stt_model, api_key=key, timeout=s.stt_timeout)


def build_stt(settings: Settings) -> Transcriber | None:
    """The transcriber for voice notes: the endpoint (ERRANDS_STT_BASE_URL) first, then the
    embedded CPU engine; None when neither is there (voice notes are off)."""
    from agents.stt import Transcriber, VoiceLimits

    engines = [e for e in (endpoint_stt(settings), embedded_stt(settings)[0]) if e is not None]
    if not engines:
        return None
    return Transcriber(engines, limits=VoiceLimits(max_seconds=settings.stt_max_seconds))


def stt_state(settings: Settings, stt: Transcriber | None) -> str:
    """The banner's and doctor's line: "endpoint URL (model), then embedded faster-whisper
    (dir)", or "off (why)"; an embedded engine left out says why."""
    _, left_out = embedded_stt(settings)
    if stt is None:
        return f"off (no ERRANDS_STT_BASE_URL; embedded engine: {left_out})"
    return stt.describe() + (f" (no embedded engine: {left_out})" if left_out else "")


def app_config(settings: Settings) -> AppConfig:
    """The plain values agents need, taken from settings once."""
    return AppConfig(
        default_timezone=settings.timezone,
        owner_chat_ids=tuple(settings.owner_chat_ids),
        public_url=settings.effective_public_url,
        secret_key=settings.ensure_secret_key(),
        briefing=settings.briefing,
        meetings=meetings_config(settings),
        todos=todo_config(settings),
        arxiv=arxiv_config(settings),
    )


def arxiv_config(settings: Settings) -> ArxivConfig:
    """The arXiv agent's settings: endpoints, default categories, digest size, politeness."""
    from agents.arxiv.config import ArxivConfig

    hour, minute = settings.arxiv_digest_time.split(":")
    return ArxivConfig(
        api_url=settings.arxiv_api_url,
        rss_url=settings.arxiv_rss_url,
        categories=tuple(settings.arxiv_categories),
        digest_size=settings.arxiv_digest_size,
        digest_time=f"{int(hour):02d}:{minute}",
        digest_days=settings.arxiv_digest_days,
        min_interval=settings.arxiv_min_interval,
        tldr=settings.arxiv_tldr,
        embeddings=settings.arxiv_embeddings,
        embedding_weight=settings.arxiv_embedding_weight,
    )


def todo_config(settings: Settings) -> TodoConfig:
    """The to-do agent's settings: nagging, quiet hours, LLM fallback on or off."""
    from datetime import time, timedelta

    quiet = settings.todo_quiet_hours.split("-") if settings.todo_quiet_hours else ["0:00"] * 2
    start, end = (time(int(part.split(":")[0]), int(part.split(":")[1])) for part in quiet)
    return TodoConfig(
        nag_interval=timedelta(minutes=settings.todo_nag_minutes),
        nag_priority=settings.todo_nag_priority,
        quiet_start=start,
        quiet_end=end,
        use_llm=settings.todo_use_llm,
    )


def meetings_config(settings: Settings) -> MeetingsConfig:
    """The meeting scheduler's process-wide settings."""
    import os
    from datetime import timedelta
    from email.utils import parseaddr

    return MeetingsConfig(
        pending_ttl=timedelta(hours=settings.meetings_pending_ttl_hours),
        reminder_offsets=tuple(timedelta(minutes=m) for m in settings.meetings_reminder_offsets),
        open_requests_per_email=settings.meetings_requests_per_email,
        open_requests_per_ip=settings.meetings_requests_per_ip,
        rate_limit_per_minute=settings.meetings_rate_limit,
        organizer_email=parseaddr(settings.smtp_from)[1],
        secrets=os.environ.get,  # calendar passwords, by the env var name stored (#16)
    )


def offset_clock(start: datetime) -> Callable[[], datetime]:
    """A clock that reads ``start`` now and advances with real time (for ``--now`` replays)."""
    origin = utc_now()
    return lambda: start + (utc_now() - origin)


def email_notifier(settings: Settings) -> Notifier | None:
    """The SMTP channel when ERRANDS_SMTP_HOST and ERRANDS_SMTP_FROM are set."""
    if not settings.smtp_configured:
        return None
    from bots.email.notifier import EmailNotifier

    return EmailNotifier(
        host=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_user,
        password=settings.smtp_password.get_secret_value(),
        from_addr=settings.smtp_from,
        starttls=settings.smtp_starttls,
    )


@asynccontextmanager
async def open_checkpointer(settings: Settings) -> AsyncIterator[BaseCheckpointSaver[str]]:
    """Where paused graphs live (``errands.checkpoints``): ``graphs.db`` in the data dir, or the
    store's own database when it is PostgreSQL (a card is answered on any instance)."""
    from errands.checkpoints import postgres_checkpointer, sqlite_checkpointer

    if settings.is_shared_database:
        async with postgres_checkpointer(settings.effective_database_url) as saver:
            yield saver
    else:
        async with sqlite_checkpointer(settings.data_dir) as lite:
            yield lite


@asynccontextmanager
async def app_context(
    settings: Settings, *, clock: Callable[[], datetime], telegram_bot: bool = True
) -> AsyncIterator[AppContext]:
    """Everything a job or handler receives: store, LLM, checkpointer, channels.

    ``telegram_bot=False`` leaves the Telegram channel to the caller (the runtime plugs in the
    polling application's bot).
    """
    require_shared_secret(settings)  # before any I/O: one line, nothing opened
    db = open_database(settings)
    llm = build_llm(settings, db)
    embedder = build_embedder(settings, db)
    stt = build_stt(settings)
    channels: dict[str, Notifier] = {}
    email = email_notifier(settings)
    if email is not None:
        channels["email"] = email
    bot: Bot | None = None
    token = settings.telegram_token.get_secret_value()
    if telegram_bot and token:
        from telegram import Bot

        from bots.telegram.notifier import TelegramNotifier

        base = settings.telegram_base_url.rstrip("/")
        bot = Bot(token, base_url=base, base_file_url=base.removesuffix("/bot") + "/file/bot")
        channels["telegram"] = TelegramNotifier(bot)
    try:
        async with open_checkpointer(settings) as checkpointer:
            yield AppContext(
                db=db,
                config=app_config(settings),
                clock=clock,
                llm=llm,
                embedder=embedder,
                stt=stt,
                notifiers=channels,
                checkpointer=checkpointer,
            )
    finally:
        if bot is not None:
            await bot.shutdown()
        await llm.aclose()
        if embedder is not None:
            await embedder.aclose()
        if stt is not None:
            await stt.aclose()
        db.dispose()
