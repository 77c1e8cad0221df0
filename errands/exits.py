"""Why errands stopped, as one line and an exit code; and secrets kept out of every line.

The CLI (``errands/cli.py``) is the one edge that turns errors into exit codes. The codes tell a
supervisor whether restarting can help: systemd's ``RestartPreventExitStatus=2 3`` stops
restarting on a configuration error or an unusable store, which no restart fixes.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from store.errors import ConfigError, ErrandsError, StoreUnavailable

EXIT_ERROR = 1  # anything else errands refused (already running, not found, ...)
EXIT_CONFIG = 2  # a setting, the .env file or the database URL is invalid
EXIT_STORE = 3  # the data dir or database cannot be written (read-only, permissions, disk full)
EXIT_LISTEN = 4  # the web server cannot listen (port in use, address not available)


class CannotListen(ErrandsError):
    """The web server cannot bind its host and port."""


def exit_code(exc: ErrandsError) -> int:
    """The exit code for an error that reached the CLI."""
    if isinstance(exc, ConfigError):
        return EXIT_CONFIG
    if isinstance(exc, StoreUnavailable):
        return EXIT_STORE
    if isinstance(exc, CannotListen):
        return EXIT_LISTEN
    return EXIT_ERROR


# ---- secrets out of error and log lines

_URL_PASSWORD = re.compile(r"(?P<head>\b[a-zA-Z][a-zA-Z0-9+.-]*://[^\s:/@'\"]*):[^\s@/'\"]*@")
_QUERY_VALUE = re.compile(r"(?P<key>[?&;][^\s=&#'\"]+)=[^\s&#'\"]*")
_SECRET_PAIR = re.compile(
    r"(?P<key>\b(?:api[_-]?key|access[_-]?token|token|secret|password|passwd|pwd|key|sig|"
    r"signature|auth)\s*[=:]\s*)(?!\*\*\*)[^\s&,;'\"]+",
    re.IGNORECASE,
)
_BOT_TOKEN = re.compile(r"\bbot\d+:[A-Za-z0-9_-]+")


def redact(text: str) -> str:
    """``text`` with URL passwords, query-string values, ``key=...`` pairs and bot tokens masked."""
    text = _URL_PASSWORD.sub(r"\g<head>:***@", text)
    text = _QUERY_VALUE.sub(r"\g<key>=***", text)
    text = _SECRET_PAIR.sub(r"\g<key>***", text)
    return _BOT_TOKEN.sub("bot***", text)


# ---- the store and the file system, in words

_ERRNO_WORDS = {
    errno.ENOSPC: "disk full",
    errno.EDQUOT: "disk full (quota exceeded)",
    errno.EROFS: "read-only file system",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ENOTDIR: "not a directory",
    errno.EEXIST: "a file is in the way (not a directory)",
    errno.EISDIR: "is a directory",
    errno.ENOENT: "no such file or directory",
}
FILESYSTEM_ERRNOS = frozenset(_ERRNO_WORDS)
_SQLITE_WORDS = (
    ("database or disk is full", "disk full"),
    ("readonly database", "read-only"),
    ("read-only", "read-only"),
    ("unable to open database file", "cannot open the file"),
    ("disk i/o error", "disk I/O error"),
    ("file is not a database", "not an SQLite database"),
    ("database disk image is malformed", "the database file is corrupt"),
)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)  # SQLAlchemy's DBAPIError wraps the driver's
        if isinstance(orig, BaseException) and id(orig) not in seen:
            yield orig
            seen.add(id(orig))
        current = current.__cause__ or current.__context__


def is_store_failure(exc: BaseException) -> bool:
    """An error that means the store or the data dir cannot be used (not a bug in errands)."""
    from sqlalchemy.exc import OperationalError

    for part in _chain(exc):
        if isinstance(part, OperationalError | sqlite3.OperationalError):
            return True
        if isinstance(part, OSError) and part.errno in FILESYSTEM_ERRNOS:
            return True
    return False


def _free_bytes(path: Path) -> int | None:
    for candidate in (path, *path.parents):
        if candidate.exists():
            try:
                return shutil.disk_usage(candidate).free
            except OSError:
                return None
    return None


def _read_only_mount(path: Path) -> bool:
    for candidate in (path, *path.parents):
        if candidate.exists():
            try:
                return bool(os.statvfs(candidate).f_flag & os.ST_RDONLY)
            except OSError:
                return False
    return False


def problem(exc: BaseException, path: Path | None = None) -> str:
    """What went wrong, in a few words that name it ("disk full", "read-only file system", ...).

    ``path`` (the file or directory errands was using) lets a vague SQLite message ("disk I/O
    error", "unable to open database file") be told apart: a full or read-only file system.
    """
    words = ""
    for part in _chain(exc):
        if isinstance(part, OSError) and part.errno in _ERRNO_WORDS:
            words = _ERRNO_WORDS[part.errno]
            break
        text = str(part).lower()
        match = next((w for key, w in _SQLITE_WORDS if key in text), "")
        if match:
            words = match
            break
    if path is not None and words not in ("disk full", "read-only file system"):
        free = _free_bytes(path)
        if _read_only_mount(path):
            words = "read-only file system"
        elif free is not None and free < 64 * 1024:
            words = "disk full"
    return words or redact(f"{type(exc).__name__}: {exc}".splitlines()[0])


def _fix(words: str) -> str:
    if words.startswith("disk full"):
        return "free some space there"
    if words == "read-only file system":
        return "mount it read-write, or set ERRANDS_DATA_DIR to a writable place"
    if "directory" in words:
        return "point ERRANDS_DATA_DIR (or ERRANDS_DATABASE_URL) at a directory"
    return "make it writable by this user, or set ERRANDS_DATA_DIR"


def data_dir_unusable(exc: BaseException, data_dir: Path) -> StoreUnavailable:
    """The data dir (or a file in it) cannot be created or written."""
    words = problem(exc, data_dir)
    return StoreUnavailable(
        f"cannot write the data dir {data_dir}: {words} ({_fix(words)})"
        if not words.startswith("disk full")
        else f"disk full: cannot write the data dir {data_dir} ({_fix(words)})"
    )


def database_unusable(exc: BaseException, url: str, path: Path | None) -> StoreUnavailable:
    """The database cannot be opened, migrated or written; ``url`` is shown redacted."""
    words = problem(exc, path)
    where = redact(url)
    if words.startswith("disk full"):
        return StoreUnavailable(f"disk full: cannot write the database {where} ({_fix(words)})")
    if words == "read-only":
        return StoreUnavailable(
            f"the database {where} is read-only (make the file and its directory writable by "
            "this user)"
        )
    hint = f" ({_fix(words)})" if path is not None else ""
    return StoreUnavailable(f"cannot use the database {where}: {words}{hint}")
