"""Composition: the only place settings become objects (database, LLM client, clock)."""

from __future__ import annotations

from datetime import UTC, datetime

from agents.llm import Backend, CallRecord, LLMClient
from errands.settings import Settings
from store import llm_log
from store.db import Database
from store.migrate import upgrade


def utc_now() -> datetime:
    """The real clock; everything below errands/ receives ``now`` instead of calling this."""
    return datetime.now(UTC)


def open_database(settings: Settings, *, migrate: bool = True) -> Database:
    """Open the shared store and bring its schema up to date."""
    db = Database.from_url(settings.effective_database_url)
    if migrate:
        upgrade(db.engine)
    return db


def llm_backends(settings: Settings) -> list[Backend]:
    """The fallback chain from settings: local (vLLM) first, then the hosted one if set."""
    backends = [
        Backend(
            name="local",
            base_url=settings.llm_base_url,
            model=settings.llm_model,
            api_key=settings.llm_api_key.get_secret_value(),
            schema_mode=settings.llm_schema_mode,
        )
    ]
    if settings.llm_fallback_base_url:
        backends.append(
            Backend(
                name="fallback",
                base_url=settings.llm_fallback_base_url,
                model=settings.llm_fallback_model,
                api_key=settings.llm_fallback_api_key.get_secret_value(),
                schema_mode=settings.llm_fallback_schema_mode,
            )
        )
    return backends


def build_llm(settings: Settings, db: Database | None) -> LLMClient:
    """An LLM client whose every call lands in the store's call log (when a db is given)."""

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
        llm_backends(settings),
        timeout=settings.llm_timeout,
        max_retries=settings.llm_max_retries,
        concurrency=settings.llm_concurrency,
        call_log=log_call,
        clock=utc_now,
    )
