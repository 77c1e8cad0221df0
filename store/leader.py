"""The scheduler leader among instances sharing one database.

Several ``errands run`` on one PostgreSQL all serve the web and send the outbox, but only one
may fire the shared jobs (digest, reminders, ...) and poll Telegram. That one holds a
session-level advisory lock (``pg_try_advisory_lock``) on a connection of its own, kept open:
PostgreSQL releases it when the process dies or the connection drops, so another instance
takes over at its next try (``RETRY_SECONDS``). The holder checks its connection every try
(``SELECT 1``); when that fails it stops leading at once and tries to take the lock again.
A leader that stops checking (frozen, or cut off by the network, which PostgreSQL would only
notice after its TCP keepalive, hours by default) loses its session to PostgreSQL's
``idle_session_timeout`` (``IDLE_TIMEOUT``), so the lock is free again within seconds.

SQLite is one instance by construction (the data dir's file lock), so it always leads.
``Leadership`` is the loop around the lock, with callbacks for gaining and losing it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.pool import NullPool

from store.db import Database

log = logging.getLogger(__name__)

# pg_try_advisory_lock's key for "the scheduler leader" ("errlead" in ASCII); the write lock
# (store.db.WRITE_LOCK_KEY) is another key, and transaction-scoped.
LEADER_LOCK_KEY = 0x65_72_72_6C_65_61_64
RETRY_SECONDS = 2.0  # how often a follower tries the lock and the leader checks its connection
CALL_TIMEOUT = 5.0  # a lock call or check that takes longer counts as a lost connection
# PostgreSQL (14+) ends the lock's session when no check came for this long: a leader that is
# frozen (SIGSTOP, a blocked loop) or cut off by the network frees the lock for the others.
IDLE_TIMEOUT = 15.0
APP_NAME_PREFIX = "errands-leader "
# libpq: give up on a dead peer in seconds, not the kernel's minutes.
_PG_CONNECT_ARGS: dict[str, Any] = {
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
    "tcp_user_timeout": 5000,
}
_KEY_PARTS = (LEADER_LOCK_KEY >> 32, LEADER_LOCK_KEY & 0xFFFFFFFF)  # pg_locks' classid, objid


def instance_name() -> str:
    """``host:pid``: how an instance names itself to the others (the outbox's worker ids too)."""
    return f"{socket.gethostname()}:{os.getpid()}"


class LeaderLock:
    """The lock itself: synchronous calls (run them in a thread); one holder per database."""

    def __init__(
        self, db: Database, *, name: str | None = None, idle_timeout: float = IDLE_TIMEOUT
    ) -> None:
        self.shared = not db.is_sqlite
        self.name = name or instance_name()
        self.idle_timeout = idle_timeout
        self._engine: Engine | None = None
        if self.shared:
            self._engine = create_engine(
                db.engine.url,
                poolclass=NullPool,
                isolation_level="AUTOCOMMIT",  # a session lock, not a transaction left open
                connect_args={
                    **_PG_CONNECT_ARGS,
                    "application_name": (APP_NAME_PREFIX + self.name)[:63],
                },
            )
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return not self.shared or self._conn is not None

    def try_acquire(self) -> bool:
        """Take the lock if nobody holds it; True when this instance holds it now."""
        if self.held:
            return True
        assert self._engine is not None
        conn = self._engine.connect()
        try:
            got = bool(
                conn.execute(
                    text("SELECT pg_try_advisory_lock(:k)"), {"k": LEADER_LOCK_KEY}
                ).scalar_one()
            )
        except Exception:
            _close_quietly(conn)
            raise
        if not got:
            _close_quietly(conn)
            return False
        try:
            conn.exec_driver_sql(f"SET idle_session_timeout = {int(self.idle_timeout * 1000)}")
        except Exception:  # PostgreSQL before 14: a dead process still frees the lock
            log.info("no idle_session_timeout: a frozen leader keeps the lock until it dies")
        self._conn = conn
        return True

    def check(self) -> bool:
        """Is the lock still ours? ``SELECT 1`` on its connection; a failure drops it."""
        if not self.shared:
            return True
        conn = self._conn
        if conn is None:
            return False
        try:
            conn.execute(text("SELECT 1")).scalar_one()
        except Exception as exc:
            log.warning("the leader's lock connection failed: %s", type(exc).__name__)
            self.drop()
            return False
        return True

    def drop(self) -> None:
        """Forget the lock's connection (closing it ends the session and so the lock)."""
        conn, self._conn = self._conn, None
        if conn is not None:
            _close_quietly(conn)

    def release(self) -> None:
        """Give the lock back (a clean stop): unlock, then close the connection."""
        conn = self._conn
        if conn is not None:
            with contextlib.suppress(Exception):
                conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": LEADER_LOCK_KEY})
        self.drop()

    def holder(self) -> str | None:
        """The name of the instance leading now (this one on SQLite), None when nobody is."""
        if not self.shared:
            return self.name
        assert self._engine is not None
        query = text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
            " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :hi"
            " AND l.objid = :lo AND l.objsubid = 1"
        )
        with self._engine.connect() as conn:
            name = conn.execute(query, {"hi": _KEY_PARTS[0], "lo": _KEY_PARTS[1]}).scalar()
        if name is None:
            return None
        return str(name).removeprefix(APP_NAME_PREFIX)

    def close(self) -> None:
        self.release()
        if self._engine is not None:
            self._engine.dispose()


def _close_quietly(conn: Connection) -> None:
    with contextlib.suppress(Exception):
        conn.invalidate()  # do not try a rollback on a connection that may be dead
    with contextlib.suppress(Exception):
        conn.close()


Callback = Callable[[], Awaitable[None]]


class Leadership:
    """Try the lock every ``interval`` seconds; ``on_gain``/``on_loss`` when that changes.

    The lock's calls run in a thread with a ``timeout``: a call that hangs (a dead network)
    counts as a lost lock, so a cut-off leader stops leading within ``interval + timeout``
    seconds. A failing ``on_gain`` gives the lock back and the next try starts over.
    """

    def __init__(
        self,
        lock: LeaderLock,
        *,
        on_gain: Callback,
        on_loss: Callback,
        interval: float = RETRY_SECONDS,
        timeout: float = CALL_TIMEOUT,
    ) -> None:
        self.lock = lock
        self.interval = interval
        self.timeout = timeout
        self._on_gain = on_gain
        self._on_loss = on_loss
        self.leading = False
        self.started = False  # the first try is done
        self.stopping = False
        self._task: asyncio.Task[None] | None = None
        self._busy: asyncio.Future[Any] | None = None
        self._turn = asyncio.Lock()  # steps and the stop never interleave

    async def start(self) -> bool:
        """One try now (so the caller knows the role it starts in), then the loop."""
        await self.step()
        self.started = True
        if self.lock.shared:  # SQLite: the one instance leads until it stops
            self._task = asyncio.create_task(self._loop(), name="leadership")
        return self.leading

    async def stop(self) -> None:
        """Stop trying; a leader loses its role (``on_loss``) and gives the lock back."""
        self.stopping = True
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        async with self._turn:
            if self.leading:
                self.leading = False
                await self._lose()
            await self._call(self.lock.close)

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.step()

    async def step(self) -> None:
        """Leader: check the lock (lost: ``on_loss`` now). Follower: try to take it."""
        async with self._turn:
            if self.leading:
                if await self._call(self.lock.check):
                    return
                self.leading = False
                log.warning("lost the scheduler leader's lock: following until it is free again")
                await self._lose()
                return
            if not await self._call(self.lock.try_acquire):
                return
            self.leading = True
            try:
                await self._on_gain()
            except Exception:
                log.exception("could not start leading; giving the lock back")
                self.leading = False
                await self._lose()
                await self._call(self.lock.release)

    async def _lose(self) -> None:
        try:
            await self._on_loss()
        except Exception:
            log.exception("could not stop leading cleanly")

    async def _call(self, func: Callable[[], Any]) -> bool:
        """Run a lock call in a thread, one at a time (the lock's connection is not shared).

        An error is False (the lock is dropped); so is a call still running after ``timeout``:
        it drops the lock itself when it returns, and no other call starts before that.
        """
        busy = self._busy
        if busy is not None and not busy.done():
            await asyncio.wait({busy}, timeout=self.timeout)  # a step cancelled by ``stop``
            if not busy.done():
                return False
        abandoned = threading.Event()

        def run() -> Any:
            try:
                return func()
            finally:
                if abandoned.is_set():
                    self.lock.drop()

        future = asyncio.get_running_loop().run_in_executor(None, run)
        self._busy = future
        try:
            return bool(await asyncio.wait_for(asyncio.shield(future), self.timeout))
        except TimeoutError:
            log.warning("leader lock call hung for %.1f s: counted as lost", self.timeout)
            abandoned.set()
            future.add_done_callback(_retrieve)
            return False
        except Exception as exc:
            log.warning("leader lock call failed: %s", type(exc).__name__)
            self.lock.drop()
            return False


def _retrieve(future: asyncio.Future[Any]) -> None:
    """A late error of an abandoned call was already reported as the hang."""
    if not future.cancelled():
        future.exception()
