"""Several instances on one PostgreSQL: one leader, and a quick takeover when it is gone."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import text

from store.db import Database
from store.leader import LEADER_LOCK_KEY, LeaderLock, Leadership

pytestmark = pytest.mark.postgres


def _holder_pid(db: Database) -> int | None:
    with db.read() as session:
        pid = session.execute(
            text(
                "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid = :hi AND objid = :lo AND objsubid = 1"
            ),
            {"hi": LEADER_LOCK_KEY >> 32, "lo": LEADER_LOCK_KEY & 0xFFFFFFFF},
        ).scalar()
    return None if pid is None else int(pid)


def _kill_backend(db: Database, pid: int) -> None:
    with db.read() as session:
        session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})


def test_only_one_instance_holds_the_lock(db: Database) -> None:
    a, b = LeaderLock(db, name="host:1"), LeaderLock(db, name="host:2")
    try:
        assert a.try_acquire()
        assert not b.try_acquire()
        assert not b.try_acquire()  # trying again does not stack anything
        assert a.try_acquire() and a.check()
        assert b.holder() == "host:1"
        a.release()
        assert b.try_acquire()
        assert a.holder() == "host:2"
        assert not a.try_acquire()
    finally:
        a.close()
        b.close()


def test_a_dropped_connection_frees_the_lock(db: Database) -> None:
    a, b = LeaderLock(db), LeaderLock(db)
    try:
        assert a.try_acquire()
        pid = _holder_pid(db)
        assert pid is not None
        _kill_backend(db, pid)  # what PostgreSQL does when the process dies or the link drops
        assert not a.check()  # the keep-alive notices
        assert not a.held
        assert b.try_acquire()
    finally:
        a.close()
        b.close()


async def _until(predicate: object, what: str) -> None:
    async def wait() -> None:
        while not predicate():  # type: ignore[operator]
            await asyncio.sleep(0.02)

    try:
        await asyncio.wait_for(wait(), timeout=10)
    except TimeoutError:
        raise AssertionError(f"not within 10 s: {what}") from None


async def test_the_follower_takes_over_when_the_leader_connection_dies(db: Database) -> None:
    log: list[str] = []

    def callbacks(name: str) -> dict[str, object]:
        async def gain() -> None:
            log.append(f"{name} gains")

        async def loss() -> None:
            log.append(f"{name} loses")

        return {"on_gain": gain, "on_loss": loss}

    a = Leadership(LeaderLock(db, name="a"), interval=0.05, **callbacks("a"))  # type: ignore[arg-type]
    b = Leadership(LeaderLock(db, name="b"), interval=0.05, **callbacks("b"))  # type: ignore[arg-type]
    try:
        assert await a.start() is True
        assert await b.start() is False
        await asyncio.sleep(0.3)  # b keeps trying, a keeps checking: nothing changes
        assert log == ["a gains"]
        pid = _holder_pid(db)
        assert pid is not None
        _kill_backend(db, pid)
        await _until(lambda: b.leading and not a.leading, "b leads, a follows")
        assert log[:1] == ["a gains"] and set(log[1:]) == {"a loses", "b gains"}
        assert b.lock.holder() == "b"
        await asyncio.sleep(0.3)  # a, following now, does not get it back while b lives
        assert not a.leading and b.leading
        await b.stop()
        await _until(lambda: a.leading, "a leads again after b's clean stop")
    finally:
        await a.stop()
        await b.stop()


def test_a_leader_that_stops_checking_loses_the_lock(db: Database) -> None:
    """Frozen or cut off: PostgreSQL ends the silent session, so the others are not locked out."""
    import time

    frozen, other = LeaderLock(db, idle_timeout=0.5), LeaderLock(db)
    try:
        assert frozen.try_acquire()
        assert not other.try_acquire()
        deadline = time.monotonic() + 10
        while not other.try_acquire():
            assert time.monotonic() < deadline, "the silent leader kept the lock"
            time.sleep(0.1)
        assert not frozen.check()  # when it wakes up, it learns it lost the lock
    finally:
        frozen.close()
        other.close()
