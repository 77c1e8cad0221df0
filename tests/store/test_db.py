from __future__ import annotations

import multiprocessing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from store import outbox
from store.db import Database
from store.migrate import current_revision, head_revision, upgrade
from store.models import OutboxMessage, Owner
from tests.conftest import NOW


def test_migrates_from_empty_and_is_idempotent(tmp_path: Path) -> None:
    db = Database.from_url(f"sqlite:///{tmp_path / 'nested' / 'x.db'}")
    assert current_revision(db.engine) is None
    assert upgrade(db.engine) == head_revision()
    assert upgrade(db.engine) == head_revision()
    with db.read() as session:
        tables = set(
            session.execute(text("SELECT name FROM sqlite_master WHERE type='table'")).scalars()
        )
    assert {
        "owners",
        "papers",
        "paper_events",
        "todos",
        "bookings",
        "outbox",
        "llm_calls",
    } <= tables
    db.dispose()


@pytest.mark.sqlite_only  # PostgreSQL has no pragmas: WAL, timeouts and foreign keys are built in
def test_pragmas(db: Database) -> None:
    with db.read() as session:
        assert session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert session.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert session.execute(text("PRAGMA busy_timeout")).scalar() >= 5000


@pytest.mark.sqlite_only  # BEGIN IMMEDIATE; on PostgreSQL: postgres_only/test_store_write_lock
def test_write_session_takes_the_lock_up_front(db: Database) -> None:
    """A second connection cannot start an IMMEDIATE transaction while write() is open."""
    import sqlite3

    path = db.engine.url.database
    assert path and Path(path).is_absolute()
    with db.write() as session:
        session.execute(text("SELECT 1"))
        other = sqlite3.connect(path, timeout=0.1, isolation_level=None)
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
        other.close()


def test_naive_datetimes_are_refused(db: Database) -> None:
    with pytest.raises(Exception, match="naive datetime"), db.write() as session:
        session.add(Owner(name="A", timezone="UTC", slug="a", created_at=datetime(2026, 1, 1)))
        session.flush()


def test_datetimes_round_trip_as_aware_utc(db: Database) -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2026, 3, 29, 3, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    with db.write() as session:
        session.add(Owner(name="A", timezone="Europe/Berlin", slug="a", created_at=local))
    with db.read() as session:
        owner = session.scalars(select(Owner)).one()
    assert owner.created_at == local
    assert owner.created_at.tzinfo == UTC


def _enqueue_many(url: str, worker: int, count: int, barrier: object) -> None:
    db = Database.from_url(url)
    barrier.wait()  # type: ignore[attr-defined]
    now = datetime(2026, 1, 1, tzinfo=UTC)
    for i in range(count):
        # both processes try the same keys: check-then-insert must stay atomic
        with db.write() as session:
            outbox.enqueue(
                session,
                channel="telegram",
                recipient="42",
                payload={"text": f"{i} from {worker}"},
                due_at=now,
                idempotency_key=f"k{i}",
                now=now,
            )
        with db.write() as session:
            outbox.enqueue(
                session,
                channel="telegram",
                recipient="42",
                payload={"text": f"own {i}"},
                due_at=now,
                idempotency_key=f"w{worker}-{i}",
                now=now,
            )
    db.dispose()


@pytest.mark.slow
@pytest.mark.subprocess
def test_two_processes_write_concurrently_without_lock_errors(db: Database) -> None:
    url = db.engine.url.render_as_string(hide_password=False)
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(2)
    procs = [ctx.Process(target=_enqueue_many, args=(url, w, 150, barrier)) for w in (1, 2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    with db.read() as session:
        total = session.scalar(select(func.count()).select_from(OutboxMessage))
        shared = session.scalar(
            select(func.count()).where(OutboxMessage.idempotency_key.like("k%"))
        )
    assert shared == 150
    assert total == 450


def test_outbox_idempotency_key(db: Database) -> None:
    with db.write() as session:
        first, created = outbox.enqueue(
            session,
            channel="email",
            recipient="a@example.test",
            payload={"subject": "x", "text": "y"},
            due_at=NOW,
            idempotency_key="booking:1:confirm",
            now=NOW,
        )
        assert created
        again, created_again = outbox.enqueue(
            session,
            channel="email",
            recipient="a@example.test",
            payload={"subject": "different"},
            due_at=NOW + timedelta(hours=1),
            idempotency_key="booking:1:confirm",
            now=NOW,
        )
    assert not created_again
    assert again.id == first.id
    with db.read() as session:
        rows = list(session.scalars(select(OutboxMessage)))
    assert len(rows) == 1
    assert rows[0].payload == {"subject": "x", "text": "y"}


def test_outbox_claim_and_mark_sent_once(db: Database) -> None:
    with db.write() as session:
        for i in range(3):
            outbox.enqueue(
                session,
                channel="telegram",
                recipient="42",
                payload={"text": str(i)},
                due_at=NOW + timedelta(minutes=i * 10),
                idempotency_key=f"m{i}",
                now=NOW,
            )
    lease = timedelta(seconds=30)
    with db.write() as session:
        claimed = outbox.claim_due(session, now=NOW + timedelta(minutes=5), worker="a", lease=lease)
        ids = [m.id for m in claimed]
    assert len(ids) == 1  # only the first is due
    with db.write() as session:  # a second worker sees nothing while the lease holds
        assert (
            outbox.claim_due(session, now=NOW + timedelta(minutes=5), worker="b", lease=lease) == []
        )
    with db.write() as session:
        assert outbox.mark_sent(session, message_id=ids[0], worker="a", now=NOW)
        assert not outbox.mark_sent(session, message_id=ids[0], worker="a", now=NOW)
    with db.write() as session:  # after the lease, an unsent row is claimable again
        later = NOW + timedelta(minutes=25)
        again = outbox.claim_due(session, now=later, worker="b", lease=lease)
        assert [m.idempotency_key for m in again] == ["m1", "m2"]
        outbox.mark_failed(session, message_id=again[0].id, worker="b", error="chat not found")
    with db.read() as session:
        state = outbox.outbox_state(session, now=NOW + timedelta(minutes=25))
    assert (state.sent, state.failed, state.pending) == (1, 1, 1)
    assert state.recent_failures[0][2] == "chat not found"


def test_foreign_keys_are_enforced(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    from store.models import Todo

    with pytest.raises(IntegrityError), db.write() as session:
        session.add(Todo(owner_id=999, title="x", timezone="UTC", created_at=NOW, updated_at=NOW))
        session.flush()
