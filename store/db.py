"""Engine and transactions for the shared store.

SQLite (the default) or PostgreSQL (several instances on one database). SQLite is opened
in WAL mode with a busy timeout and foreign keys on. pysqlite's own
transaction handling is switched off so that errands decides how a transaction begins:
``Database.read()`` starts a deferred one, ``Database.write()`` a ``BEGIN IMMEDIATE`` one, which
takes the write lock up front. Check-then-write code uses ``write()`` so two processes never
interleave between the check and the write, and never hit "database is locked" on upgrade.

On PostgreSQL ``write()`` gives the same guarantee with a transaction-scoped advisory lock taken
as its first statement: writers queue for it as they would for SQLite's write lock, and under
READ COMMITTED every statement after it sees what earlier writers committed. Reads never wait.
The database's own constraints (migration 0012) are the net under it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from store.errors import ConfigError

BUSY_TIMEOUT_MS = 15_000
_BEGIN_OPTION = "errands_begin"
# pg_advisory_xact_lock's key for "the store's write lock" (any constant; "errands" in ASCII).
WRITE_LOCK_KEY = 0x65727261_6E6473
DRIVER_HINT = (
    "PostgreSQL needs the psycopg driver: install errands with its postgres extra "
    "(`uv sync --extra postgres`, or `pip install 'errands[postgres]'`)"
)


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def normalize_url(url: str) -> str:
    """``postgres://`` (Heroku-style, which SQLAlchemy refuses) means ``postgresql://``, whose
    default driver in SQLAlchemy 2.1 is psycopg 3."""
    if url.startswith("postgres://"):
        return "postgresql://" + url[len("postgres://") :]
    return url


def _require_driver(url: str) -> None:
    if make_url(url).get_backend_name() != "postgresql":
        return
    try:
        import psycopg  # noqa: F401
    except ImportError as exc:
        raise ConfigError(DRIVER_HINT) from exc


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine; for SQLite, make the parent directory and set the pragmas."""
    url = normalize_url(url)
    _require_driver(url)
    if _is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url,
            echo=echo,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        )
        _install_sqlite_hooks(engine)
        return engine
    return create_engine(
        url, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=40, pool_timeout=60
    )


def _install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(_BEGIN_OPTION, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


class Database:
    """The store's handle: an engine plus read and write sessions."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.is_sqlite = engine.dialect.name == "sqlite"
        immediate = engine.execution_options(**{_BEGIN_OPTION: "IMMEDIATE"})
        self._read = sessionmaker(engine, expire_on_commit=False)
        self._write = sessionmaker(immediate, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str) -> Database:
        return cls(create_db_engine(url))

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading; closing ends the transaction, loaded objects stay usable."""
        with self._read() as session:
            yield session

    @contextmanager
    def write(self, *, exclusive: bool = True) -> Iterator[Session]:
        """A session that holds the write lock from its first statement and commits at the end.

        ``exclusive=False`` is for a transaction of conditional single-row updates that need no
        earlier check (marking an outbox row sent by its lease holder): on PostgreSQL it skips
        the store-wide advisory lock, and row locks alone keep it right; SQLite has only one
        kind of write transaction.
        """
        with self._write() as session, session.begin():
            if exclusive and not self.is_sqlite:
                session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield session

    def check_writable(self) -> None:
        """Commit one real write, so a read-only file or file system, or a full disk, fails now.

        The write is a no-op update of Alembic's version row (present once migrated): no data
        changes, but the database must take a page and a commit. A TEMP table would not do: it
        lives outside the database file.
        """
        with self.write() as session:
            session.execute(text("UPDATE alembic_version SET version_num = version_num"))

    def dispose(self) -> None:
        self.engine.dispose()
