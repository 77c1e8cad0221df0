"""The scheduler leader's lock and loop, on both engines (one instance; several: postgres_only)."""

from __future__ import annotations

import asyncio

import pytest

from store.db import Database
from store.leader import LeaderLock, Leadership


class Events:
    def __init__(self) -> None:
        self.seen: list[str] = []

    async def gain(self) -> None:
        self.seen.append("gain")

    async def loss(self) -> None:
        self.seen.append("loss")


async def test_a_lone_instance_leads_at_once_and_says_so(db: Database) -> None:
    events = Events()
    lock = LeaderLock(db, name="host-a:1")
    lead = Leadership(lock, on_gain=events.gain, on_loss=events.loss, interval=0.05)
    assert await lead.start() is True
    assert lock.holder() == "host-a:1"
    for _ in range(3):
        await lead.step()  # a leader's step is the keep-alive check
    assert lead.leading and events.seen == ["gain"]
    await lead.stop()
    assert events.seen == ["gain", "loss"]
    if lock.shared:
        assert LeaderLock(db).holder() is None  # given back at a clean stop


async def test_after_a_clean_stop_another_instance_leads(db: Database) -> None:
    first = Leadership(LeaderLock(db), on_gain=Events().gain, on_loss=Events().loss)
    assert await first.start()
    await first.stop()
    second = LeaderLock(db, name="host-b:2")
    try:
        assert second.try_acquire()
        assert second.holder() == "host-b:2"
    finally:
        second.close()


async def test_a_failing_start_of_leading_gives_the_lock_back(db: Database) -> None:
    events = Events()

    async def broken() -> None:
        raise RuntimeError("the job store is unreachable")

    lock = LeaderLock(db)
    lead = Leadership(lock, on_gain=broken, on_loss=events.loss, interval=0.05)
    assert await lead.start() is False
    assert events.seen == ["loss"]  # whatever the half-start did is undone
    if lock.shared:
        assert lock.holder() is None
    await lead.stop()


class HangingCheck(LeaderLock):
    """A keep-alive that never answers in time (a dead network under the connection)."""

    def check(self) -> bool:
        import time

        time.sleep(0.5)
        return True


async def test_a_keep_alive_that_hangs_stops_the_leading_at_once(db: Database) -> None:
    events = Events()
    lock = HangingCheck(db)
    lead = Leadership(lock, on_gain=events.gain, on_loss=events.loss, interval=0.05, timeout=0.1)
    await lead.step()  # the steps by hand, no loop
    assert lead.leading
    await lead.step()
    assert not lead.leading
    assert events.seen == ["gain", "loss"]
    await lead.step()  # the hung call still runs: no new call shares its connection
    assert not lead.leading
    await asyncio.sleep(0.6)  # it returned and dropped its connection: the lock is free
    for _ in range(100):  # PostgreSQL ends the dropped session on its own time
        await lead.step()
        if lead.leading:
            break
        await asyncio.sleep(0.05)
    assert lead.leading and events.seen == ["gain", "loss", "gain"]
    await lead.stop()


@pytest.mark.sqlite_only
def test_sqlite_needs_no_connection_to_lead(db: Database) -> None:
    lock = LeaderLock(db)
    assert not lock.shared and lock.held and lock.check()
    assert LeaderLock(db).try_acquire()  # the data dir's file lock keeps a second run away
