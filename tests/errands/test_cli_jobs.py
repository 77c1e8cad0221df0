"""``errands jobs run NAME --now ISO --dry-run``: what a run would send, and nothing written.

The CLI runs as a subprocess against a local arXiv and the fake Bot API (both processes); the
store is checked byte for byte before and after.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from errands.commands import dry_run
from errands.settings import Settings
from store import owners
from store.db import Database
from store.errors import ConfigError
from tests.conftest import NOW
from tests.errands.test_cli_arxiv import arxiv_url, cli, env
from tests.errands.test_run import calls, fake_api

__all__ = ["arxiv_url", "env", "fake_api"]

MONDAY = "2026-03-02T09:00:00+01:00"


def fingerprint(data_dir: Path) -> dict[str, str]:
    """Every file in the data dir and its hash."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(data_dir.iterdir())
        if p.is_file()
    }


def outbox_rows(data_dir: Path) -> int:
    uri = f"{(data_dir / 'errands.db').as_uri()}?immutable=1"
    with sqlite3.connect(uri, uri=True) as conn:
        return int(conn.execute("SELECT count(*) FROM outbox").fetchone()[0])


@pytest.mark.slow
@pytest.mark.subprocess
def test_dry_run_prints_what_it_would_send_and_leaves_everything_as_it_was(
    env: dict[str, str], fake_api: str, data_dir: Path
) -> None:
    cli(env, "owner", "add", "--chat-id", "42", "--name", "Ada", "--tz", "Europe/Berlin")
    before = fingerprint(data_dir)
    assert "errands.db" in before

    dry = cli(env, "jobs", "run", "arxiv-digest", "--now", MONDAY, "--dry-run").stdout
    assert dry.startswith(f"Dry run of arxiv-digest at {MONDAY}: nothing was written or sent.")
    assert "It would send 10 message(s):" in dry
    assert "1. telegram to 42 (due 2026-03-02T08:00+00:00, key arxiv:1:2026-03-02:" in dry
    assert "   | 1. " in dry and "   buttons: 👍 · 👎 · 📖" in dry
    assert dry.count("telegram to 42") == 10
    assert '"queued": 10' in dry  # the job's own report
    assert fingerprint(data_dir) == before  # not a byte changed
    assert outbox_rows(data_dir) == 0
    assert calls(fake_api, "sendMessage") == []

    real = json.loads(cli(env, "jobs", "run", "arxiv-digest", "--now", MONDAY).stdout)
    assert real["result"]["ada"]["queued"] == 10  # without --dry-run: as before
    assert len(calls(fake_api, "sendMessage")) == 10
    assert outbox_rows(data_dir) == 10

    after = fingerprint(data_dir)
    again = cli(env, "jobs", "run", "arxiv-digest", "--now", MONDAY, "--dry-run").stdout
    assert "It would send nothing." in again  # today's digest went out already
    outbox = cli(env, "jobs", "run", "outbox", "--now", MONDAY, "--dry-run").stdout
    assert "It would send nothing." in outbox and '"due": 0' in outbox
    assert fingerprint(data_dir) == after
    assert len(calls(fake_api, "sendMessage")) == 10


@pytest.mark.slow
@pytest.mark.subprocess
def test_run_help_explains_dry_run(cli_env: dict[str, str]) -> None:
    shown = cli({**cli_env, "COLUMNS": "250"}, "jobs", "run", "--help").stdout
    assert "--dry-run" in shown and "Writes nothing, sends nothing" in shown


def settings_for(data_dir: Path, **values: str) -> Settings:
    return Settings(_env_file=None, data_dir=data_dir).model_copy(update=values)


def test_the_sandbox_is_a_copy_of_the_store_and_creates_nothing_real(
    db: Database, data_dir: Path
) -> None:
    with db.write() as session:  # the live store is open (WAL) while it is copied
        owners.create_owner(session, name="Ada", timezone="UTC", now=NOW, chat_id=42)
    with dry_run.sandbox(settings_for(data_dir)) as copy:
        assert copy.data_dir != data_dir
        copied = Database.from_url(copy.effective_database_url)
        with copied.read() as session:
            assert [o.name for o in owners.list_owners(session)] == ["Ada"]
        with copied.write() as session:
            owners.create_owner(session, name="Bob", timezone="UTC", now=NOW, chat_id=43)
        copied.dispose()
        assert copy.secret_key.get_secret_value()  # links can be signed ...
    assert not copy.data_dir.exists()
    assert not (data_dir / "secret_key").exists()  # ... without creating a key for real
    with db.read() as session:
        assert [o.name for o in owners.list_owners(session)] == ["Ada"]


def test_dry_run_needs_a_sqlite_store(data_dir: Path) -> None:
    settings = settings_for(data_dir, database_url="postgresql://u@127.0.0.1:9/errands")
    with (
        pytest.raises(ConfigError, match="--dry-run copies the SQLite store"),
        dry_run.sandbox(settings),
    ):
        pass
