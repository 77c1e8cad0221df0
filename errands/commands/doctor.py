"""``errands doctor``: one check per part, so a newcomer sees what works and what to set."""

from __future__ import annotations

import asyncio
import json
from dataclasses import asdict, dataclass

import typer
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from errands.commands._app import open_app
from errands.exits import problem, redact
from errands.secret_key import require_shared_secret
from errands.settings import Settings, load_settings
from errands.wiring import build_embedder, build_llm, build_stt, stt_state, utc_now
from store.db import Database
from store.errors import StoreUnavailable


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def check_database(settings: Settings) -> Check:
    """Open, migrate and commit a real write to the store (as ``errands run`` does at start);
    the only check whose failure is fatal."""
    try:
        with open_app(settings) as (_, db):
            return _probe_database(settings, db)
    except StoreUnavailable as exc:
        return Check(False, exc.user_message)


def _probe_database(settings: Settings, db: Database) -> Check:
    from store.migrate import current_revision, head_revision

    try:
        db.check_writable()  # a write to the database file itself, not to a TEMP table
        revision = current_revision(db.engine)
        if revision != head_revision():
            return Check(False, f"schema at {revision}, expected {head_revision()}")
        mode = ""
        if db.is_sqlite:
            with db.read() as session:
                mode = f", journal {session.execute(text('PRAGMA journal_mode')).scalar()}"
        return Check(True, f"{_safe_url(settings)} writable, schema {revision}{mode}")
    except SQLAlchemyError as exc:
        return Check(False, f"{_safe_url(settings)} not writable: {problem(exc)}")


def check_llm(settings: Settings) -> Check:
    """Ask each configured backend for its model list (fast, no retries).

    A dedicated embeddings endpoint is listed too; it does not decide ``ok`` (without it the
    recommender ranks on TF-IDF alone).
    """

    async def probe() -> Check:
        clients = [build_llm(settings, None)]
        embedder = build_embedder(settings, None)
        if embedder is not None:
            clients.append(embedder)
        try:
            checked = await asyncio.gather(*(c.check(timeout=3.0) for c in clients))
        finally:
            for client in clients:
                await client.aclose()
        chat, extra = checked[0], [s for states in checked[1:] for s in states]
        parts = []
        for state in [*chat, *extra]:
            verdict = "ok" if state.ok else "down"
            parts.append(f"{state.name} {state.base_url} {verdict}: {state.detail}")
        ok = any(s.ok for s in chat)
        hint = "" if ok else " (start one: `vllm serve MODEL` or set ERRANDS_LLM_FALLBACK_BASE_URL)"
        return Check(ok, redact("; ".join(parts)) + hint)

    return asyncio.run(probe())


def check_stt(settings: Settings) -> Check:
    """Which speech-to-text engines voice notes use, and whether each answers now (the
    endpoint's model list; the embedded engine's package and model files, nothing loaded)."""

    async def probe() -> Check:
        stt = build_stt(settings)
        state = stt_state(settings, stt)
        if stt is None:
            return Check(False, state)
        try:
            checked = await stt.check(timeout=3.0)
        finally:
            await stt.aclose()
        health = "; ".join(f"{s.name} {'ok' if s.ok else 'down'}: {s.detail}" for s in checked)
        return Check(any(s.ok for s in checked), redact(f"{state} - {health}"))

    return asyncio.run(probe())


def check_calendars(settings: Settings) -> Check:
    """The owners' outside calendars as the last sync left them (no network: the
    ``calendar_sync`` job reads them); not ``ok`` while one is failing."""
    from agents.meetings.calendar_status import CalendarState, describe
    from store import calendars

    try:
        with open_app(settings) as (_, db), db.read() as session:
            states = [CalendarState.of(row) for row in calendars.list_for(session)]
    except (StoreUnavailable, SQLAlchemyError):
        return Check(False, "unknown: the database is not readable")
    if not states:
        return Check(True, "none added (errands meetings calendar add --owner SLUG ...)")
    now = utc_now()
    return Check(all(s.ok for s in states), "; ".join(describe(s, now) for s in states))


def check_telegram(settings: Settings) -> Check:
    if not settings.telegram_token.get_secret_value():
        return Check(False, "not configured: set ERRANDS_TELEGRAM_TOKEN (from @BotFather)")
    allow = settings.owner_chat_ids
    who = f"owners {','.join(map(str, allow))}" if allow else "no ERRANDS_OWNER_CHAT_IDS yet"
    return Check(True, f"token configured, API {settings.telegram_base_url}, {who}")


def check_smtp(settings: Settings) -> Check:
    if not settings.smtp_configured:
        return Check(False, "not configured: set ERRANDS_SMTP_HOST and ERRANDS_SMTP_FROM")
    tls = "STARTTLS" if settings.smtp_starttls else "plain"
    return Check(
        True, f"{settings.smtp_host}:{settings.smtp_port} ({tls}) from {settings.smtp_from}"
    )


def _safe_url(settings: Settings) -> str:
    return redact(settings.effective_database_url)


def doctor(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
    """Check settings, database, LLM, STT, calendars, Telegram, SMTP; exit 1 only if the database
    is unusable (STT: speech-to-text for voice notes)."""
    # Invalid settings (ERRANDS_SCHEDULES included, checked as `run` checks it) -> ConfigError
    # -> one line, exit 2 in cli.main.
    settings = load_settings()
    require_shared_secret(settings)  # instances on one PostgreSQL must share ERRANDS_SECRET_KEY
    results = {
        "database": check_database(settings),
        "llm": check_llm(settings),
        "stt": check_stt(settings),
        "calendars": check_calendars(settings),
        "telegram": check_telegram(settings),
        "smtp": check_smtp(settings),
    }
    if as_json:
        typer.echo(json.dumps({name: asdict(check) for name, check in results.items()}))
    else:
        typer.echo(f"settings  ok    data dir {settings.data_dir}")
        for name, check in results.items():
            typer.echo(f"{name:<9} {'ok' if check.ok else 'off':<5} {check.detail}")
    if not results["database"].ok:
        raise typer.Exit(1)
