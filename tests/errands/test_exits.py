"""One line per failure: which exit code, which words, and no secrets in them."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError

from errands.exits import (
    CannotListen,
    data_dir_unusable,
    database_unusable,
    exit_code,
    is_store_failure,
    problem,
    redact,
)
from store.errors import ConfigError, ErrandsError, NotFound, StoreUnavailable


@pytest.mark.parametrize(
    ("text", "masked", "kept"),
    [
        ("postgresql+psycopg://errands:hunter2@db/errands", "hunter2", "errands:***@db"),
        ("https://llm.example/v1?key=s3cret&model=q", "s3cret", "?key=***&model=***"),
        ("got 'http://x/v1?api_key=s3cret'", "s3cret", "api_key=***"),
        ("ERRANDS_LLM_API_KEY token=s3cret in a line", "s3cret", "token=***"),
        ("GET https://api.telegram.org/bot123:AAbbCC-dd/getMe", "AAbbCC", "/bot***/getMe"),
    ],
)
def test_redact_masks_passwords_query_values_and_tokens(text: str, masked: str, kept: str) -> None:
    assert masked not in redact(text)
    assert kept in redact(text)


def test_redact_leaves_ordinary_lines_alone() -> None:
    line = "cannot write the data dir /var/lib/errands: permission denied (set ERRANDS_DATA_DIR)"
    assert redact(line) == line
    assert (
        redact("sqlite:////var/lib/errands/errands.db") == "sqlite:////var/lib/errands/errands.db"
    )


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (ConfigError("x"), 2),
        (StoreUnavailable("x"), 3),
        (CannotListen("x"), 4),
        (NotFound("x"), 1),
        (ErrandsError("x"), 1),
    ],
)
def test_exit_codes(error: ErrandsError, code: int) -> None:
    assert exit_code(error) == code


def _sqlite_error(message: str) -> OperationalError:
    return OperationalError("INSERT ...", {}, sqlite3.OperationalError(message))


@pytest.mark.parametrize(
    ("error", "words"),
    [
        (OSError(errno.ENOSPC, "No space left on device"), "disk full"),
        (OSError(errno.EROFS, "Read-only file system"), "read-only file system"),
        (PermissionError(errno.EACCES, "Permission denied"), "permission denied"),
        (_sqlite_error("database or disk is full"), "disk full"),
        (_sqlite_error("attempt to write a readonly database"), "read-only"),
        (_sqlite_error("file is not a database"), "not an SQLite database"),
    ],
)
def test_problem_names_what_went_wrong(error: BaseException, words: str) -> None:
    assert problem(error) == words
    assert is_store_failure(error)


def test_a_bug_is_not_a_store_failure() -> None:
    assert not is_store_failure(ValueError("bug"))
    assert not is_store_failure(OSError(errno.ECONNREFUSED, "Connection refused"))


def test_the_lines_say_what_to_do(tmp_path: Path) -> None:
    full = data_dir_unusable(OSError(errno.ENOSPC, "No space"), tmp_path).user_message
    assert full.startswith(f"disk full: cannot write the data dir {tmp_path}")
    read_only = database_unusable(
        _sqlite_error("attempt to write a readonly database"),
        "sqlite:///x.db",
        tmp_path / "x.db",
    ).user_message
    assert read_only.startswith("the database sqlite:///x.db is read-only")
    server = database_unusable(
        _sqlite_error("connection refused"), "postgresql://u:hunter2@db/e?sslkey=k", None
    ).user_message
    assert "hunter2" not in server and "sslkey=***" in server
