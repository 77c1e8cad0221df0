"""Engine and transactions for the shared store.

SQLite is opened in WAL mode with a busy timeout and foreign keys on. pysqlite's own
transaction handling is switched off so that errands decides how a transaction begins:
``Database.read()`` starts a deferred one, ``Database.write()`` a ``BEGIN IMMEDIATE`` one, which
takes the write lock up front. Check-then-write code uses ``write()`` so two processes never
interleave between the check and the write, and never hit "database is locked" on upgrade.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

BUSY_TIMEOUT_MS = 15_000
_BEGIN_OPTION = "errands_begin"


def _is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def create_db_engine(url: str, *, echo: bool = False) -> Engine:
    """Create an engine; for SQLite, make the parent directory and set the pragmas."""
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
    return create_engine(url, echo=echo, pool_pre_ping=True)


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
    def write(self) -> Iterator[Session]:
        """A session that holds the write lock from its first statement and commits at the end."""
        with self._write() as session, session.begin():
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
