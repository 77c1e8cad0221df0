"""A PostgreSQL URL without the psycopg driver installed is one clear line, not a traceback."""

from __future__ import annotations

import subprocess
import sys

import pytest

from errands.settings import Settings
from store.db import DRIVER_HINT, create_db_engine, normalize_url
from store.errors import ConfigError

BLOCK_DRIVER = "import sys; sys.modules['psycopg'] = None; sys.modules['psycopg2'] = None; "


def test_heroku_style_url_means_postgresql() -> None:
    assert normalize_url("postgres://u:p@h/db") == "postgresql://u:p@h/db"
    assert normalize_url("postgresql+psycopg://h/db") == "postgresql+psycopg://h/db"
    assert normalize_url("sqlite:////x.db") == "sqlite:////x.db"


def test_engine_without_driver_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ConfigError) as caught:
        create_db_engine("postgresql://errands@127.0.0.1:9/errands")
    assert "postgres extra" in caught.value.user_message


def test_settings_without_driver_says_which_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(ValueError, match="postgres extra"):
        Settings(database_url="postgres://errands:secret@127.0.0.1:9/errands")


@pytest.mark.subprocess
@pytest.mark.parametrize("command", [["db", "upgrade"], ["doctor"]])
def test_cli_without_driver_is_one_clear_line(cli_env: dict[str, str], command: list[str]) -> None:
    env = {**cli_env, "ERRANDS_DATABASE_URL": "postgresql://errands:pw@127.0.0.1:9/errands"}
    done = subprocess.run(
        [sys.executable, "-c", BLOCK_DRIVER + "from errands.cli import main; main()", *command],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
    assert DRIVER_HINT.split(":")[0] in done.stderr + done.stdout
    assert "pw@" not in done.stderr + done.stdout  # the password is never echoed
