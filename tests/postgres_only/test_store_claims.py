"""Two dispatchers claiming from one PostgreSQL outbox at once take every row exactly once, and
counters kept in rows are incremented in SQL, so two writers never lose an update.

The racing threads use plain transactions, not ``Database.write()``: its advisory lock would
serialize them and hide the claim's own guarantee (``FOR UPDATE SKIP LOCKED`` and the
conditional UPDATE), which is what this checks.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from store import job_runs, outbox
from store.db import Database
from store.models import JobRun, OutboxMessage

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
ROWS = 1000


def _race(workers: int, work: Callable[[int, Session], bool], db: Database) -> None:
    """Run ``work(worker, session)`` in a fresh transaction per call, in ``workers`` threads
    started together, until it returns False; re-raises the first error."""
    plain = sessionmaker(db.engine, expire_on_commit=False)
    start = threading.Barrier(workers)
    errors: list[BaseException] = []

    def loop(worker: int) -> None:
        start.wait()
        try:
            while True:
                with plain() as session, session.begin():
                    if not work(worker, session):
                        return
        except BaseException as exc:  # collected and re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=loop, args=(w,)) for w in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(t.is_alive() for t in threads)
    if errors:
        raise errors[0]


def test_two_dispatchers_claim_every_row_once(db: Database) -> None:
    with db.write() as session:
        for i in range(ROWS):
            outbox.enqueue(
                session,
                channel="telegram",
                recipient=str(i),  # one chat each: a chat in the other's hands would wait
                payload={"text": str(i)},
                due_at=NOW,
                idempotency_key=f"m{i}",
                now=NOW,
            )
    claimed: dict[int, list[int]] = {0: [], 1: []}

    def claim(worker: int, session: Session) -> bool:
        rows = outbox.claim_due(
            session, now=NOW, worker=f"w{worker}", lease=timedelta(minutes=5), limit=20
        )
        claimed[worker].extend(r.id for r in rows)
        assert all(r.attempts == 1 and r.claimed_by == f"w{worker}" for r in rows)
        return bool(rows)

    _race(2, claim, db)
    every = claimed[0] + claimed[1]
    assert len(every) == ROWS and len(set(every)) == ROWS  # each row once, none lost
    assert claimed[0] and claimed[1]  # both took part (SKIP LOCKED: neither waited it out)
    with db.read() as session:
        attempts = Counter(session.scalars(select(OutboxMessage.attempts)))
        holders = dict(
            session.execute(
                select(OutboxMessage.claimed_by, func.count()).group_by(OutboxMessage.claimed_by)
            ).all()
        )
    assert attempts == {1: ROWS}
    assert holders == {"w0": len(claimed[0]), "w1": len(claimed[1])}


def test_job_run_counters_are_not_lost_between_two_writers(db: Database) -> None:
    runs_each = 40
    done = Counter[int]()

    def record(worker: int, session: Session) -> bool:
        if done[worker] == runs_each:
            return False
        job_runs.record_run(
            session,
            key="outbox",
            job="outbox",
            started_at=NOW,
            finished_at=NOW,
            error="boom",
        )
        done[worker] += 1
        return True

    _race(2, record, db)
    with db.read() as session:
        row = session.scalars(select(JobRun)).one()
    assert (row.runs, row.failures) == (2 * runs_each, 2 * runs_each)
