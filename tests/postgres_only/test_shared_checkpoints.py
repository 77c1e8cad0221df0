"""Paused graphs live in the shared PostgreSQL database: a card is answered on any instance.

Two ``app_context``s with their own data dirs on one database stand for two ``errands run``.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import create_engine, text

from agents.todos import capture
from errands.checkpoints import libpq_url, postgres_checkpointer
from errands.settings import Settings
from errands.wiring import app_context
from store import owners
from store.errors import StoreUnavailable
from store.models import Todo

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _settings(data_dir: Path, url: str) -> Settings:
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        data_dir=data_dir,
        database_url=url,
        secret_key=SecretStr("one key for every instance"),
        llm_base_url="http://127.0.0.1:9/v1",
        llm_embedded=False,
        stt_embedded=False,
    )


async def test_a_card_started_on_one_instance_is_answered_on_the_other(
    pg_url: str, tmp_path: Path
) -> None:
    async with (
        app_context(_settings(tmp_path / "a", pg_url), clock=lambda: NOW, telegram_bot=False) as a,
        app_context(_settings(tmp_path / "b", pg_url), clock=lambda: NOW, telegram_bot=False) as b,
    ):
        with a.db.write() as session:
            owner = owners.create_owner(session, name="Ada", timezone="Europe/Berlin", now=NOW)
        asked = await capture.start(
            a,
            owner_id=owner.id,
            timezone="Europe/Berlin",
            text="call bob at 7",
            capture_id=7,
            now=NOW,
            use_llm=False,
        )
        assert asked.kind == "clarify"  # interrupted on A, waiting for a choice
        chosen = await capture.resume(b, owner_id=owner.id, capture_id=7, answer="opt_b")
        assert chosen.kind == "saved"
        again = await capture.resume(a, owner_id=owner.id, capture_id=7, answer="opt_a")
        assert (again.kind, again.text) == ("stale", "Already handled.")
        with b.db.read() as session:
            todos = [(t.title, t.due_at) for t in session.query(Todo).all()]
    assert todos == [("Call bob", datetime(2026, 3, 3, 6, tzinfo=UTC))]  # once, option b
    assert not (tmp_path / "a" / "graphs.db").exists()
    assert not (tmp_path / "b" / "graphs.db").exists()


async def test_instances_starting_together_set_the_tables_up_once(pg_url: str) -> None:
    """Without the setup lock, concurrent ``setup()`` calls fail (duplicate table or row)."""

    async def open_one() -> int:
        async with postgres_checkpointer(pg_url) as saver:
            return len([c async for c in saver.alist(None)])

    assert await asyncio.gather(*(open_one() for _ in range(4))) == [0, 0, 0, 0]
    engine = create_engine(pg_url)
    try:
        with engine.connect() as conn:
            versions = conn.execute(text("SELECT v FROM checkpoint_migrations ORDER BY v"))
            found = [row[0] for row in versions]
    finally:
        engine.dispose()
    assert found == list(range(len(found))) and len(found) > 1  # each migration applied once


def test_libpq_url_keeps_credentials_and_options() -> None:
    url = "postgresql+psycopg://errands:p%40ss@db.example:5433/errands?sslmode=require"
    assert libpq_url(url) == "postgresql://errands:p%40ss@db.example:5433/errands?sslmode=require"
    assert libpq_url("postgres://u@h/d") == "postgresql://u@h/d"


async def test_an_unreachable_database_is_one_line_without_the_password() -> None:
    with pytest.raises(StoreUnavailable) as caught:
        async with postgres_checkpointer("postgresql+psycopg://errands:pw@127.0.0.1:9/errands"):
            pass
    assert "pw" not in caught.value.user_message
    assert "\n" not in caught.value.user_message


async def test_a_dropped_connection_is_replaced_not_fatal(pg_url: str) -> None:
    """A database restart (here: its backend terminated) costs a reconnect, not the saver."""
    async with postgres_checkpointer(pg_url) as saver:
        assert [c async for c in saver.alist(None)] == []
        engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as conn:
                killed = conn.execute(
                    text(
                        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                ).scalar()
        finally:
            engine.dispose()
        assert killed == 1  # the saver's one connection
        assert [c async for c in saver.alist(None)] == []
