"""Where LangGraph keeps paused graphs (a to-do card's question, a booking's approval card).

SQLite: ``graphs.db`` beside the store in the data dir (one instance). PostgreSQL: the store's
own database, so a card sent by one instance can be answered on any other. The PostgreSQL
saver creates its tables itself (``setup()``, its own ``checkpoint_migrations`` table, not
Alembic's); instances starting together take turns with a session advisory lock, else two
``CREATE TABLE IF NOT EXISTS`` or two migration rows would race.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.engine import make_url

from errands.exits import database_unusable
from store.db import normalize_url

if TYPE_CHECKING:
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

# pg_advisory_lock's key for "setting up LangGraph's tables" ("lg-setup" in ASCII).
SETUP_LOCK_KEY = 0x6C672D7365747570
_SETUP_POLL = 0.05  # seconds between tries for the setup lock
CONNECT_TIMEOUT = 30.0


def libpq_url(url: str) -> str:
    """SQLAlchemy's ``postgresql+psycopg://…`` as the ``postgresql://…`` psycopg connects to
    (password and query options such as ``sslmode`` kept)."""
    parsed = make_url(normalize_url(url)).set(drivername="postgresql")
    return parsed.render_as_string(hide_password=False)


@asynccontextmanager
async def sqlite_checkpointer(data_dir: Path) -> AsyncIterator[AsyncSqliteSaver]:
    """LangGraph's SQLite checkpointer in ``data_dir/graphs.db``: paused graphs survive restarts."""
    from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

    data_dir.mkdir(parents=True, exist_ok=True)
    async with AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as saver:
        await saver.conn.execute("PRAGMA journal_mode=WAL")
        await saver.conn.execute("PRAGMA busy_timeout=15000")
        await saver.setup()
        yield saver


@asynccontextmanager
async def postgres_checkpointer(url: str) -> AsyncIterator[AsyncPostgresSaver]:
    """LangGraph's PostgreSQL checkpointer in the database at ``url`` (SQLAlchemy form).

    Its connection comes from a one-connection pool that checks it before each use, so a
    database restart costs a reconnect, not every paused graph until errands restarts (the saver
    serializes its calls on one connection anyway). A database that cannot be reached is one
    ``StoreUnavailable`` line, the URL redacted.
    """
    import psycopg
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg.rows import DictRow, dict_row
    from psycopg_pool import AsyncConnectionPool, PoolTimeout

    conninfo = libpq_url(url)
    try:
        await _setup(conninfo)
        pool = AsyncConnectionPool(
            conninfo,
            connection_class=psycopg.AsyncConnection[DictRow],
            kwargs={"autocommit": True, "prepare_threshold": 0, "row_factory": dict_row},
            min_size=1,
            max_size=1,
            check=AsyncConnectionPool.check_connection,
            open=False,
            name="langgraph-checkpoints",
        )
        await pool.open(wait=True, timeout=CONNECT_TIMEOUT)
    except (psycopg.Error, PoolTimeout, OSError) as exc:
        raise database_unusable(exc, url, None) from exc
    try:
        yield AsyncPostgresSaver(pool)
    finally:
        await pool.close()


async def _setup(conninfo: str) -> None:
    """Create or migrate the saver's tables, one instance at a time.

    The lock is tried, not waited for inside a statement: a waiting statement holds a snapshot,
    and the saver's ``CREATE INDEX CONCURRENTLY`` waits for every older snapshot to end, so the
    instance holding the lock would wait for the one queued behind it ("deadlock detected").
    """
    import psycopg
    from langgraph.checkpoint.postgres.aio import AsyncPostgresSaver
    from psycopg.rows import dict_row

    async with await psycopg.AsyncConnection.connect(
        conninfo,
        autocommit=True,
        prepare_threshold=0,
        row_factory=dict_row,
        connect_timeout=int(CONNECT_TIMEOUT),
    ) as conn:
        while True:
            cursor = await conn.execute("SELECT pg_try_advisory_lock(%s) AS got", (SETUP_LOCK_KEY,))
            row = await cursor.fetchone()
            if row is not None and row["got"]:
                break
            await asyncio.sleep(_SETUP_POLL)
        try:
            await AsyncPostgresSaver(conn).setup()
        finally:
            await conn.execute("SELECT pg_advisory_unlock(%s)", (SETUP_LOCK_KEY,))
