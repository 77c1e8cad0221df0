"""PostgreSQL's ``Database.write()`` gives SQLite's BEGIN IMMEDIATE guarantee (the SQLite side:
tests/store/test_db.py::test_write_session_takes_the_lock_up_front)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select, text

from store.db import Database
from store.models import Owner
from tests.conftest import NOW

pytestmark = pytest.mark.postgres

_WAITERS = """
    SELECT count(*) FROM pg_locks
    WHERE locktype = 'advisory' AND NOT granted
      AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
"""


def _wait_for_a_lock_waiter(db: Database) -> None:
    """Until another session waits for an advisory lock (the deadline is a failsafe only)."""
    deadline = time.monotonic() + 30
    with db.engine.connect() as conn:
        while time.monotonic() < deadline:
            waiting = conn.scalar(text(_WAITERS))
            conn.rollback()
            if waiting:
                return
            time.sleep(0.01)
    raise AssertionError("the second writer never queued on the write lock")


def test_second_writer_waits_for_the_first_and_sees_its_commit(db: Database) -> None:
    """A second write() queues on the lock while the first is open; its first statement then
    sees the first writer's row, so a check-then-write never acts on a stale check."""
    seen: list[int] = []
    errors: list[BaseException] = []
    inside = threading.Event()

    def second() -> None:
        try:
            with db.write() as session:
                inside.set()
                seen.append(int(session.scalar(select(func.count()).select_from(Owner)) or 0))
        except BaseException as exc:  # collected and asserted below
            errors.append(exc)

    thread = threading.Thread(target=second)
    with db.write() as session:
        session.add(Owner(name="A", timezone="UTC", slug="a", created_at=NOW))
        session.flush()
        thread.start()
        _wait_for_a_lock_waiter(db)
        assert not inside.is_set()  # queued on the lock, not inside its transaction
    thread.join(30)
    assert not thread.is_alive() and errors == []
    assert seen == [1]


def test_reads_do_not_wait_for_a_writer(db: Database) -> None:
    with db.write() as session:
        session.add(Owner(name="A", timezone="UTC", slug="a", created_at=NOW))
        session.flush()
        with db.read() as reader:  # another connection: answers now, without the open row
            assert reader.scalar(select(func.count()).select_from(Owner)) == 0


def test_a_non_exclusive_write_does_not_wait_for_the_lock(db: Database) -> None:
    """Marking an outbox row sent (``write(exclusive=False)``) goes ahead while a long
    check-then-write holds the store's lock: a dispatcher is never stuck behind it."""
    with db.write() as session:
        session.add(Owner(name="A", timezone="UTC", slug="a", created_at=NOW))
    done = threading.Event()

    def mark() -> None:
        with db.write(exclusive=False) as session:
            session.execute(text("UPDATE owners SET name = 'B' WHERE slug = 'a'"))
        done.set()

    with db.write() as session:  # holds the store's write lock until the block ends
        session.scalar(select(func.count()).select_from(Owner))
        thread = threading.Thread(target=mark)
        thread.start()
        assert done.wait(30), "a non-exclusive write waited for the store's lock"
    thread.join(30)
    with db.read() as session:
        assert session.scalar(select(Owner.name)) == "B"
