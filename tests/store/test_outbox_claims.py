"""``claim_due`` counts the attempt in SQL and hands back the rows as the database now has them,
on both engines (the race between dispatchers: tests/postgres_only/test_store_claims.py)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from store import outbox
from store.db import Database
from store.models import OutboxMessage
from tests.conftest import NOW

LEASE = timedelta(seconds=30)


def test_claims_count_attempts_in_sql_and_return_fresh_rows(db: Database) -> None:
    with db.write() as session:
        for i, channel in enumerate(["telegram", "email", "telegram"]):
            outbox.enqueue(
                session,
                channel=channel,
                recipient="42" if channel == "telegram" else "a@example.org",
                payload={"text": str(i)},
                due_at=NOW + timedelta(seconds=i),
                idempotency_key=f"m{i}",
                now=NOW,
            )
    later = NOW + timedelta(minutes=1)
    for attempt in (1, 2):
        at = later + (attempt - 1) * LEASE * 2  # the first lease has run out
        with db.write() as session:
            loaded = list(session.scalars(select(OutboxMessage)))  # stale copies in the session
            assert {m.attempts for m in loaded} == {attempt - 1}
            rows = outbox.claim_due(
                session, now=at, worker=f"w{attempt}", lease=LEASE, channel="telegram"
            )
            assert [m.idempotency_key for m in rows] == ["m0", "m2"]  # soonest first
            assert [(m.attempts, m.claimed_by) for m in rows] == [(attempt, f"w{attempt}")] * 2
            assert all(m.claimed_until == at + LEASE for m in rows)
            assert outbox.claim_due(session, now=at, worker="other", lease=LEASE, limit=1) == [
                next(m for m in loaded if m.idempotency_key == "m1")
            ]
    with db.read() as session:
        attempts = dict(
            session.execute(select(OutboxMessage.idempotency_key, OutboxMessage.attempts)).all()
        )
    assert attempts == {"m0": 2, "m1": 2, "m2": 2}


def test_nothing_due_claims_nothing(db: Database) -> None:
    with db.write() as session:
        outbox.enqueue(
            session,
            channel="telegram",
            recipient="42",
            payload={"text": "later"},
            due_at=NOW + timedelta(hours=1),
            idempotency_key="later",
            now=NOW,
        )
    with db.write() as session:
        assert outbox.claim_due(session, now=NOW, worker="w", lease=LEASE) == []
    with db.read() as session:
        assert session.scalars(select(OutboxMessage.attempts)).one() == 0


def test_a_chat_another_worker_is_sending_to_waits_so_its_order_holds(db: Database) -> None:
    """Two dispatchers (two instances): while A has chat 42's first rows in flight, B takes
    only other chats; once A is done, chat 42's later rows go to whoever claims next."""
    with db.write() as session:
        for i, chat in enumerate(["42", "42", "42", "7"]):
            outbox.enqueue(
                session,
                channel="telegram",
                recipient=chat,
                payload={"text": str(i)},
                due_at=NOW + timedelta(seconds=i),
                idempotency_key=f"m{i}",
                now=NOW,
            )
    at = NOW + timedelta(minutes=1)
    with db.write() as session:
        first = outbox.claim_due(session, now=at, worker="a", lease=LEASE, limit=2)
    assert [m.idempotency_key for m in first] == ["m0", "m1"]
    with db.write() as session:
        second = outbox.claim_due(session, now=at, worker="b", lease=LEASE)
    assert [m.idempotency_key for m in second] == ["m3"]  # m2 waits behind a's m0, m1
    with db.write() as session:
        again = outbox.claim_due(session, now=at, worker="a", lease=LEASE)
    assert [m.idempotency_key for m in again] == ["m2"]  # the holder itself may go on
    with db.write() as session:
        for message in (*first, *again):
            assert outbox.mark_sent(session, message_id=message.id, worker="a", now=at)
    with db.write() as session:
        assert outbox.claim_due(session, now=at, worker="b", lease=LEASE) == []


def test_an_expired_lease_does_not_hold_its_chat_back(db: Database) -> None:
    with db.write() as session:
        for i in range(2):
            outbox.enqueue(
                session,
                channel="telegram",
                recipient="42",
                payload={"text": str(i)},
                due_at=NOW,
                idempotency_key=f"k{i}",
                now=NOW,
            )
    with db.write() as session:
        assert len(outbox.claim_due(session, now=NOW, worker="dead", lease=LEASE, limit=1)) == 1
    later = NOW + LEASE * 2  # the dead worker's lease ran out: both rows are free again
    with db.write() as session:
        rows = outbox.claim_due(session, now=later, worker="b", lease=LEASE)
    assert [m.idempotency_key for m in rows] == ["k0", "k1"]
