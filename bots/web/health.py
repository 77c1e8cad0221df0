"""``/healthz``: is the store readable *and writable* right now, and is the scheduler running.

A ``SELECT 1`` stays fine on a full disk or a read-only file while every booking fails, so
the check also writes: it creates a table and a page-sized row in the main database file and
rolls both back (nothing lands, but SQLite must allocate pages and take the write lock, so a
read-only file, a full database or a stuck writer shows). A rolled-back write never reaches
the disk, so for a SQLite file it also asks the file system how much room is left.
"""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text

from store.db import BUSY_TIMEOUT_MS, Database

LOW_SPACE = 1 << 20
"""Below this many free bytes next to the database file, writes are about to fail."""
PROBE_BUSY_MS = 2000
"""How long the probe waits for another writer before it calls the database locked."""
PROBE_ROW = "x" * 8192
"""Two pages' worth: the probe must allocate new pages, as a booking eventually does."""

DiskFree = Callable[[Path], int]
"""Free bytes of the file system holding a path (``shutil.disk_usage`` by default)."""


def disk_free(path: Path) -> int:
    return shutil.disk_usage(path).free


def _messages(exc: BaseException) -> list[str]:
    """The driver's words along the exception chain (SQLAlchemy wraps them; a failed rollback
    after SQLITE_FULL hides the cause one level down)."""
    seen: list[str] = []
    current: BaseException | None = exc
    while current is not None and len(seen) < 8:
        seen.append(f"{getattr(current, 'sqlite_errorname', '')} {current}".lower())
        orig = getattr(current, "orig", None)
        if isinstance(orig, BaseException):
            current = orig
        else:
            current = current.__cause__ or current.__context__
    return seen


def describe(exc: BaseException) -> str:
    """One short phrase for why the database failed: disk full, read-only, locked, or the
    driver's own first line."""
    words = " ".join(_messages(exc))
    if "sqlite_full" in words or "disk is full" in words or "no space left" in words:
        return "disk full"
    if "readonly" in words or "read-only" in words:
        return "read-only"
    if "sqlite_busy" in words or "locked" in words:
        return "locked by another writer"
    first = str(getattr(exc, "orig", None) or exc).splitlines() or [type(exc).__name__]
    return first[0][:120] or type(exc).__name__


def _probe_sqlite(db: Database) -> None:
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        cursor.execute(f"PRAGMA busy_timeout={PROBE_BUSY_MS}")
        try:
            cursor.execute("BEGIN IMMEDIATE")
            try:
                cursor.execute("CREATE TABLE errands_health_probe (x TEXT)")
                cursor.execute("INSERT INTO errands_health_probe VALUES (?)", (PROBE_ROW,))
            finally:
                if getattr(raw.driver_connection, "in_transaction", True):  # SQLITE_FULL ends it
                    cursor.execute("ROLLBACK")
        finally:
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            cursor.close()
    finally:
        raw.close()


def _probe_other(db: Database) -> None:
    with db.engine.connect() as conn, conn.begin() as transaction:
        conn.execute(text("CREATE TABLE errands_health_probe (x TEXT)"))
        conn.execute(text("INSERT INTO errands_health_probe VALUES (:x)"), {"x": PROBE_ROW})
        transaction.rollback()


def database_problem(db: Database, free: DiskFree = disk_free) -> str | None:
    """None when a write would land now, else one line: "database not writable: disk full"."""
    try:
        with db.read() as session:
            session.execute(text("SELECT 1"))
    except Exception as exc:  # health must answer, whatever broke
        return f"database not readable: {describe(exc)}"
    try:
        (_probe_sqlite if db.is_sqlite else _probe_other)(db)
    except Exception as exc:
        return f"database not writable: {describe(exc)}"
    path = db.engine.url.database if db.is_sqlite else None
    if path and path != ":memory:" and not path.startswith("file:"):
        try:
            left = free(Path(path).resolve().parent)
        except OSError:
            return None  # no answer from the file system is not a failed write
        if left < LOW_SPACE:
            return f"database not writable: disk full ({left // 1024} KiB free)"
    return None


FRESH = 1.0
"""Seconds an answer is reused by the health checks that queued behind it."""


class Probe:
    """One probe at a time per app: concurrent ``/healthz`` calls queue on a lock and reuse an
    answer at most ``FRESH`` seconds old. Fifty monitors at once otherwise each took the write
    lock in turn, and the fiftieth, waiting more than ``PROBE_BUSY_MS``, called a healthy
    database locked (one 503 in 1,000 under ``errands bench booking``)."""

    def __init__(self, free: DiskFree = disk_free, clock: Callable[[], float] = time.monotonic):
        self._free, self._clock = free, clock
        self._lock = threading.Lock()
        self._at = float("-inf")
        self._answer: str | None = None

    def problem(self, db: Database) -> str | None:
        with self._lock:
            if self._clock() - self._at >= FRESH:
                self._answer = database_problem(db, self._free)
                self._at = self._clock()
            return self._answer
