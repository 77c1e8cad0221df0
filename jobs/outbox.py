"""The outbox dispatcher: deliver due rows through their channel, each marked sent once.

Rows are leased in a ``BEGIN IMMEDIATE`` transaction, so racing dispatchers never get the same
row. A lease lasts ``LEASE`` of real time and is renewed every ``RENEW_EVERY`` while its batch
is in flight, so a slow batch (Telegram timing out) is never taken over mid-send; a dead
worker stops renewing, and its unsent rows are claimable again at most ``LEASE`` later, or at
once when the worker was a process of this host that is gone (a SIGKILLed ``errands run`` or
``errands jobs run``: the restart must not wait, and a replay with the same ``--now`` must not
find the rows still leased). Worker ids are ``host:pid`` for that check.

Rows for one recipient go out in order; different recipients go out concurrently. A row is
marked sent in its own transaction right after the channel accepted it, which leaves one
unavoidable window for a duplicate: a crash (SIGKILL) between the channel's reply and that
commit. The Bot API has no idempotency key, so delivery is at-least-once: a crash can repeat
at most the sends in flight, one per recipient, ``outbox_concurrency`` in all (measured by
``errands bench outbox``). SIGTERM never opens the window: shutdown waits for in-flight sends.
A send that timed out after it went out is the other way round, at-most-once: the notifier
says ``unconfirmed`` (it may have arrived), the row counts as sent and a warning names it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from agents.context import AppContext
from agents.notify import DeliveryError
from store import outbox
from store.models import OutboxMessage

log = logging.getLogger(__name__)

LEASE = timedelta(seconds=60)
RENEW_EVERY = timedelta(seconds=20)
BATCH = 200
BACKOFF_BASE = timedelta(seconds=5)
BACKOFF_MAX = timedelta(minutes=30)


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class DispatchReport:
    """What one pass did; ``errands jobs run outbox`` prints it."""

    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    late: int = 0
    lost_race: int = 0
    errors: list[str] = field(default_factory=list)

    def merge(self, other: DispatchReport) -> None:
        self.claimed += other.claimed
        self.sent += other.sent
        self.retried += other.retried
        self.failed += other.failed
        self.late += other.late
        self.lost_race += other.lost_race
        self.errors.extend(other.errors)


def backoff(attempts: int) -> timedelta:
    """Exponential backoff from 5 s up to 30 min."""
    seconds = BACKOFF_BASE.total_seconds() * (2 ** min(max(0, attempts - 1), 20))
    return min(timedelta(seconds=seconds), BACKOFF_MAX)


@dataclass(frozen=True)
class _Claimed:
    id: int
    channel: str
    recipient: str
    payload: dict[str, Any]
    due_at: datetime
    attempts: int


def worker_is_gone(worker: str) -> bool:
    """True only for a ``host:pid`` worker of this host whose process no longer exists.

    Anything else (another host, an id of another shape, a live or unknown pid, a pid we may
    not signal) counts as alive, so its lease is simply waited out.
    """
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit() or int(pid) in (0, os.getpid()):
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except (OSError, OverflowError):  # EPERM: it exists (not ours); or not a real pid
        return False
    return False


def _claim(ctx: AppContext, *, now: datetime, worker: str, limit: int) -> list[_Claimed]:
    with ctx.db.write() as session:
        for holder in outbox.lease_holders(session, now=now):
            if holder != worker and worker_is_gone(holder):
                released = outbox.release_leases(session, worker=holder)
                log.warning("released %d outbox rows leased by dead worker %s", released, holder)
        rows = outbox.claim_due(
            session,
            now=now,
            worker=worker,
            lease=LEASE,
            limit=limit,
            lease_from=max(now, ctx.clock()),  # run() keeps its first now for every batch
        )
        return [_snapshot(r) for r in rows]


async def _keep_leases(ctx: AppContext, in_flight: set[int], worker: str) -> None:
    """Renew this worker's leases on the rows of its batch not yet done, until cancelled."""
    while True:
        await asyncio.sleep(RENEW_EVERY.total_seconds())
        if not in_flight:
            return
        try:
            with ctx.db.write(exclusive=False) as session:  # one conditional UPDATE
                outbox.renew_leases(
                    session, ids=sorted(in_flight), worker=worker, until=ctx.clock() + LEASE
                )
        except Exception:  # the next renewal may succeed; the lease still has time left
            log.warning("could not renew outbox leases", exc_info=True)


def _snapshot(row: OutboxMessage) -> _Claimed:
    return _Claimed(row.id, row.channel, row.recipient, dict(row.payload), row.due_at, row.attempts)


def _resolve_edit(ctx: AppContext, payload: dict[str, Any]) -> dict[str, Any] | None:
    """Turn ``edit_of`` (the key of an earlier message) into its Telegram message id.

    Returns None while the earlier message is not sent yet (so the edit waits for it).
    """
    key = payload.get("edit_of")
    if not key:
        return payload
    with ctx.db.read() as session:
        earlier = outbox.get_message(session, key=str(key))
    resolved = {k: v for k, v in payload.items() if k != "edit_of"}
    if earlier is None or earlier.status == "failed":
        return resolved  # nothing to edit: send as a new message
    if earlier.status != "sent":
        return None
    message_id = earlier.result.get("message_id")
    if message_id is not None:
        resolved["edit_message_id"] = message_id
    return resolved


async def _deliver_one(
    ctx: AppContext, row: _Claimed, *, worker: str, now: datetime, report: DispatchReport
) -> None:
    notifier = ctx.notifiers.get(row.channel)
    error: DeliveryError | None = None
    if notifier is None:
        error = DeliveryError(f"channel {row.channel} is not configured", permanent=False)
        payload: dict[str, Any] | None = None
    else:
        payload = _resolve_edit(ctx, row.payload)
        if payload is None:
            error = DeliveryError("waiting for the message it edits to be sent")
    late = now - row.due_at > ctx.config.late_after
    result: dict[str, Any] = {}
    if error is None and notifier is not None and payload is not None:
        try:
            result = await notifier.deliver(
                row.recipient, notifier.mark_late(payload) if late else payload
            )
        except DeliveryError as exc:
            error = exc
        except Exception as exc:  # a bug in a notifier must not stop the outbox
            log.exception("notifier %s crashed on outbox row %s", row.channel, row.id)
            error = DeliveryError(f"{type(exc).__name__}: {exc}")
    sent_at = ctx.clock()
    # Marking is a conditional UPDATE of this worker's own row: no store-wide lock needed.
    with ctx.db.write(exclusive=False) as session:
        if error is None:
            if outbox.mark_sent(
                session, message_id=row.id, worker=worker, now=sent_at, late=late, result=result
            ):
                if result.get("unconfirmed"):
                    log.warning("outbox row %s: %s", row.id, result["unconfirmed"])
                report.sent += 1
                report.late += int(late)
            else:
                report.lost_race += 1
            return
        report.errors.append(f"#{row.id}: {error.user_message}")
        if error.permanent or row.attempts >= ctx.config.outbox_max_attempts:
            outbox.mark_failed(session, message_id=row.id, worker=worker, error=error.user_message)
            report.failed += 1
            log.warning("outbox row %s failed for good: %s", row.id, error.user_message)
        else:
            wait = backoff(row.attempts)
            if error.retry_after is not None:
                wait = max(wait, timedelta(seconds=error.retry_after))
            outbox.mark_retry(
                session,
                message_id=row.id,
                worker=worker,
                error=error.user_message,
                retry_at=sent_at + wait,
            )
            report.retried += 1


async def dispatch_once(
    ctx: AppContext, *, now: datetime, worker: str | None = None, limit: int = BATCH
) -> DispatchReport:
    """Claim up to ``limit`` due rows and deliver them; per-recipient order is kept."""
    worker = worker or default_worker_id()
    report = DispatchReport()
    rows = _claim(ctx, now=now, worker=worker, limit=limit)
    report.claimed = len(rows)
    if not rows:
        return report
    by_recipient: dict[tuple[str, str], list[_Claimed]] = defaultdict(list)
    for row in rows:
        by_recipient[(row.channel, row.recipient)].append(row)
    gate = asyncio.Semaphore(ctx.config.outbox_concurrency)
    in_flight = {row.id for row in rows}

    async def drain(queue: list[_Claimed]) -> None:
        async with gate:
            for row in queue:
                try:
                    await _deliver_one(ctx, row, worker=worker, now=now, report=report)
                finally:
                    in_flight.discard(row.id)

    keeper = asyncio.create_task(_keep_leases(ctx, in_flight, worker))
    try:
        await asyncio.gather(*(drain(q) for q in by_recipient.values()))
    finally:
        keeper.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await keeper
    return report


async def run(ctx: AppContext, *, now: datetime) -> DispatchReport:
    """Deliver everything due at ``now`` (batch after batch until none is left)."""
    total = DispatchReport()
    worker = default_worker_id()
    while True:
        report = await dispatch_once(ctx, now=now, worker=worker)
        total.merge(report)
        if report.claimed < BATCH:
            return total
