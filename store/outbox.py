"""The durable outbox: enqueue once by key, claim atomically, mark sent exactly once.

Producers call ``enqueue`` inside their own write transaction, so the message exists if and
only if the change that caused it was committed. Dispatchers call ``claim_due`` (in a
``Database.write()`` session) to lease rows, deliver them, then ``mark_sent`` or
``mark_retry``/``mark_failed``. A lease that runs out (the dispatcher died) makes the row
claimable again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, select, tuple_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.errors import InvalidInput
from store.models import OutboxMessage

CHANNELS = ("telegram", "email")


def enqueue(
    session: Session,
    *,
    channel: str,
    recipient: str,
    payload: dict[str, Any],
    due_at: datetime,
    idempotency_key: str,
    now: datetime,
) -> tuple[OutboxMessage, bool]:
    """Add a message unless one with this key exists; returns (row, created)."""
    if channel not in CHANNELS:
        raise InvalidInput(f"Unknown channel {channel!r}.")
    if not idempotency_key or len(idempotency_key) > 200:
        raise InvalidInput("An idempotency key of 1-200 characters is required.")
    existing = session.scalar(
        select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
    )
    if existing is not None:
        return existing, False
    row = OutboxMessage(
        channel=channel,
        recipient=recipient,
        payload=payload,
        due_at=due_at,
        idempotency_key=idempotency_key,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # another writer won the race (only possible outside SQLite)
        won = session.scalar(
            select(OutboxMessage).where(OutboxMessage.idempotency_key == idempotency_key)
        )
        assert won is not None
        return won, False
    return row, True


def claim_due(
    session: Session,
    *,
    now: datetime,
    worker: str,
    lease: timedelta,
    limit: int = 50,
    channel: str | None = None,
    lease_from: datetime | None = None,
) -> list[OutboxMessage]:
    """Lease up to ``limit`` due rows to ``worker``; call inside ``Database.write()``.

    ``now`` decides what is due and which leases ran out; the new leases last ``lease`` from
    ``lease_from`` (default ``now``), so a dispatcher still working through an old ``now``
    passes the real time and its rows stay its own for the whole lease.

    The pick locks its rows ``FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLAlchemy leaves it out
    on SQLite, whose write lock already serializes claims), so two dispatchers never wait on
    or take each other's rows; the UPDATE repeats the due test and counts the attempt in SQL,
    so even without the lock a row is leased once. Rows come back fresh, soonest first.

    A recipient with rows in another worker's hands (an unexpired lease on an unsent row) is
    skipped until they are done, so messages to one chat keep their order even when several
    instances dispatch the outbox.
    """
    claimable = (
        OutboxMessage.status == "pending",
        OutboxMessage.due_at <= now,
        or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )
    pick = select(OutboxMessage.id).where(*claimable)
    busy = _held_elsewhere(session, now=now, worker=worker)
    if busy:
        pick = pick.where(tuple_(OutboxMessage.channel, OutboxMessage.recipient).not_in(busy))
    if channel is not None:
        pick = pick.where(OutboxMessage.channel == channel)
    pick = (
        pick.order_by(OutboxMessage.due_at, OutboxMessage.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = list(session.scalars(pick))
    if not ids:
        return []
    until = (lease_from or now) + lease
    claimed = list(
        session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(ids), *claimable)
            .values(claimed_until=until, claimed_by=worker, attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        )
    )
    if not claimed:
        return []
    return list(
        session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.id.in_(claimed))
            .order_by(OutboxMessage.due_at, OutboxMessage.id)
            .execution_options(populate_existing=True)
        )
    )


def _held_elsewhere(session: Session, *, now: datetime, worker: str) -> list[tuple[str, str]]:
    """(channel, recipient) pairs with unsent rows under another worker's unexpired lease: a
    few chats at most (those in flight), and none when one dispatcher runs alone."""
    return [
        (channel, recipient)
        for channel, recipient in session.execute(
            select(OutboxMessage.channel, OutboxMessage.recipient)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.claimed_by.is_not(None),
                OutboxMessage.claimed_by != worker,
                OutboxMessage.claimed_until >= now,
            )
            .distinct()
        )
    ]


def renew_leases(session: Session, *, ids: list[int], worker: str, until: datetime) -> int:
    """Extend ``worker``'s leases on its unsent rows ``ids`` to ``until`` (never shortens)."""
    if not ids:
        return 0
    done = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id.in_(ids),
            OutboxMessage.status == "pending",
            OutboxMessage.claimed_by == worker,
            OutboxMessage.claimed_until < until,
        )
        .values(claimed_until=until)
    )
    return int(getattr(done, "rowcount", 0))


def lease_holders(session: Session, *, now: datetime) -> list[str]:
    """Workers holding a lease that has not run out on an unsent row."""
    return list(
        session.scalars(
            select(OutboxMessage.claimed_by)
            .where(
                OutboxMessage.status == "pending",
                OutboxMessage.claimed_by.is_not(None),
                OutboxMessage.claimed_until >= now,
            )
            .distinct()
        )
    )


def release_leases(session: Session, *, worker: str) -> int:
    """Make ``worker``'s unsent rows claimable at once (only for a worker known to be dead).

    Rows waiting out a retry backoff have no ``claimed_by`` (``mark_retry``), so they keep it.
    """
    done = session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.status == "pending", OutboxMessage.claimed_by == worker)
        .values(claimed_until=None, claimed_by=None)
    )
    return int(getattr(done, "rowcount", 0))


def mark_sent(
    session: Session,
    *,
    message_id: int,
    worker: str,
    now: datetime,
    late: bool = False,
    result: dict[str, Any] | None = None,
) -> bool:
    """Record delivery; False when this worker no longer owns the row (someone else sent it)."""
    done = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.status == "pending",
            OutboxMessage.claimed_by == worker,
        )
        .values(
            status="sent",
            sent_at=now,
            late=late,
            result=result or {},
            claimed_until=None,
            last_error=None,
        )
    )
    return bool(getattr(done, "rowcount", 0))


def mark_retry(
    session: Session, *, message_id: int, worker: str, error: str, retry_at: datetime
) -> None:
    """Give the row back, due again at ``retry_at``."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker)
        .values(claimed_until=retry_at, claimed_by=None, last_error=error[:2000])
    )


def mark_failed(session: Session, *, message_id: int, worker: str, error: str) -> None:
    """Stop trying: the failure stays visible (``/status``, ``errands doctor``)."""
    session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id, OutboxMessage.claimed_by == worker)
        .values(status="failed", claimed_until=None, last_error=error[:2000])
    )


@dataclass(frozen=True)
class OutboxState:
    pending: int
    due: int
    sent: int
    failed: int
    recent_failures: list[tuple[int, str, str]]  # (id, recipient, last_error)


def outbox_state(session: Session, *, now: datetime, failures: int = 5) -> OutboxState:
    """Counts by status plus the newest permanent failures."""
    counts = dict(
        session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    )
    due = session.scalar(
        select(func.count()).where(OutboxMessage.status == "pending", OutboxMessage.due_at <= now)
    )
    failed_rows = session.execute(
        select(OutboxMessage.id, OutboxMessage.recipient, OutboxMessage.last_error)
        .where(OutboxMessage.status == "failed")
        .order_by(OutboxMessage.id.desc())
        .limit(failures)
    ).all()
    return OutboxState(
        pending=int(counts.get("pending", 0)),
        due=int(due or 0),
        sent=int(counts.get("sent", 0)),
        failed=int(counts.get("failed", 0)),
        recent_failures=[(r[0], r[1], r[2] or "") for r in failed_rows],
    )


def get_message(session: Session, *, key: str) -> OutboxMessage | None:
    return session.scalar(select(OutboxMessage).where(OutboxMessage.idempotency_key == key))
