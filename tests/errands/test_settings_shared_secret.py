"""On PostgreSQL (several instances, one database) ERRANDS_SECRET_KEY must be set: a key
generated per data dir would make one instance refuse the links another signed."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from errands.settings import load_settings
from store.errors import ConfigError
from tests.conftest import ERRANDS

UNREACHABLE = "postgresql+psycopg://errands:pw@127.0.0.1:9/errands"
LINE = "ERRANDS_SECRET_KEY must be set when the database is PostgreSQL"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("ERRANDS_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("ERRANDS_DATA_DIR", str(tmp_path / "d"))


def test_postgresql_without_a_key_is_refused_and_nothing_generated(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ERRANDS_DATABASE_URL", UNREACHABLE)
    with pytest.raises(ConfigError) as caught:
        load_settings().ensure_secret_key()
    assert caught.value.user_message.startswith(LINE)
    assert "secrets.token_urlsafe" in caught.value.user_message  # how to make one
    assert not (tmp_path / "d" / "secret_key").exists()


def test_postgresql_with_a_key_uses_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ERRANDS_DATABASE_URL", "postgres://errands@db.example/errands")
    monkeypatch.setenv("ERRANDS_SECRET_KEY", "the same on every instance")
    assert load_settings().ensure_secret_key() == "the same on every instance"


def test_sqlite_still_generates_its_own(tmp_path: Path) -> None:
    settings = load_settings()
    assert not settings.is_shared_database
    assert settings.ensure_secret_key() == (tmp_path / "d" / "secret_key").read_text()


async def test_app_context_refuses_before_opening_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The URL points nowhere: had the store been opened first, this would be StoreUnavailable."""
    from errands.wiring import app_context, utc_now

    monkeypatch.setenv("ERRANDS_DATABASE_URL", UNREACHABLE)
    with pytest.raises(ConfigError, match=LINE):
        async with app_context(load_settings(), clock=utc_now, telegram_bot=False):
            pass


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ERRANDS, *args], env=env, capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.subprocess
def test_doctor_says_so_in_one_line(cli_env: dict[str, str]) -> None:
    done = _cli({**cli_env, "ERRANDS_DATABASE_URL": UNREACHABLE}, "doctor")
    assert done.returncode == 2, done.stderr
    assert LINE in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert "pw@" not in done.stderr + done.stdout


@pytest.mark.postgres
@pytest.mark.subprocess
@pytest.mark.slow
def test_run_on_postgresql_without_a_key_exits_in_one_line(
    cli_env: dict[str, str], pg_url: str
) -> None:
    env = {**cli_env, "ERRANDS_DATABASE_URL": pg_url, "ERRANDS_WEB_PORT": "0"}
    done = _cli(env, "run")
    assert done.returncode == 2, done.stderr
    assert LINE in done.stderr and "Traceback" not in done.stderr
