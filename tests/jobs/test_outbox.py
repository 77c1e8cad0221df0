"""The dispatcher with in-memory notifiers: ordering, retries, failures, lateness, races."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from agents.context import AppConfig, AppContext
from agents.notify import DeliveryError
from bots.telegram.notifier import TelegramNotifier
from jobs import outbox as dispatcher
from store import outbox
from store.db import Database
from store.models import OutboxMessage
from tests.conftest import NOW


class RecordingNotifier:
    channel = "telegram"
    mark_late = staticmethod(TelegramNotifier.mark_late)

    def __init__(self, fail: dict[str, list[DeliveryError]] | None = None) -> None:
        self.sent: list[tuple[str, dict[str, Any]]] = []
        self.fail = fail or {}
        self.delay = 0.0

    async def deliver(self, recipient: str, payload: dict[str, Any]) -> dict[str, Any]:
        if self.delay:
            await asyncio.sleep(self.delay)
        text = payload.get("text", "")
        errors = next((v for k, v in self.fail.items() if text.endswith(k)), [])
        if errors:
            raise errors.pop(0)
        self.sent.append((recipient, payload))
        return {"message_id": len(self.sent)}


def make_ctx(db: Database, notifier: RecordingNotifier, now=NOW) -> AppContext:  # type: ignore[no-untyped-def]
    return AppContext(
        db=db, config=AppConfig(), clock=lambda: now, notifiers={"telegram": notifier}
    )


def add(db: Database, key: str, text: str, *, due=NOW, recipient: str = "42", **extra: Any) -> None:  # type: ignore[no-untyped-def]
    with db.write() as session:
        outbox.enqueue(
            session,
            channel="telegram",
            recipient=recipient,
            payload={"text": text, **extra},
            due_at=due,
            idempotency_key=key,
            now=NOW,
        )


def rows(db: Database) -> dict[str, OutboxMessage]:
    with db.read() as session:
        return {r.idempotency_key: r for r in session.scalars(select(OutboxMessage))}


async def test_delivers_due_rows_in_order_per_recipient(db: Database) -> None:
    for i in range(5):
        add(db, f"a{i}", f"a{i}", recipient="1")
        add(db, f"b{i}", f"b{i}", recipient="2")
    add(db, "future", "future", due=NOW + timedelta(hours=1))
    notifier = RecordingNotifier()
    report = await dispatcher.run(make_ctx(db, notifier), now=NOW)
    assert report.sent == 10
    assert [p["text"] for r, p in notifier.sent if r == "1"] == [f"a{i}" for i in range(5)]
    assert [p["text"] for r, p in notifier.sent if r == "2"] == [f"b{i}" for i in range(5)]
    state = rows(db)
    assert state["future"].status == "pending"
    assert state["a0"].status == "sent"
    assert state["a0"].result == {"message_id": 1} or state["a0"].result["message_id"] >= 1


async def test_transient_error_is_retried_with_backoff_then_sent(db: Database) -> None:
    add(db, "k", "hello")
    notifier = RecordingNotifier({"hello": [DeliveryError("flood", retry_after=30)]})
    first = await dispatcher.run(make_ctx(db, notifier), now=NOW)
    assert (first.sent, first.retried) == (0, 1)
    row = rows(db)["k"]
    assert row.status == "pending"
    assert row.last_error == "flood"
    assert row.claimed_until is not None
    assert row.claimed_until >= NOW + timedelta(seconds=30)
    too_soon = await dispatcher.run(make_ctx(db, notifier), now=NOW + timedelta(seconds=10))
    assert too_soon.claimed == 0
    later = NOW + timedelta(minutes=1)
    second = await dispatcher.run(make_ctx(db, notifier, later), now=later)
    assert second.sent == 1
    assert notifier.sent == [("42", {"text": "hello"})]


async def test_permanent_error_is_recorded_and_not_retried(db: Database) -> None:
    add(db, "k", "hello")
    notifier = RecordingNotifier({"hello": [DeliveryError("chat not found", permanent=True)]})
    report = await dispatcher.run(make_ctx(db, notifier), now=NOW)
    assert report.failed == 1
    row = rows(db)["k"]
    assert (row.status, row.last_error) == ("failed", "chat not found")
    again = await dispatcher.run(make_ctx(db, notifier), now=NOW + timedelta(days=1))
    assert again.claimed == 0


async def test_gives_up_after_max_attempts(db: Database) -> None:
    add(db, "k", "hello")
    errors = [DeliveryError("down") for _ in range(20)]
    notifier = RecordingNotifier({"hello": errors})
    ctx = make_ctx(db, notifier)
    when = NOW
    for _ in range(ctx.config.outbox_max_attempts):
        await dispatcher.run(ctx, now=when)
        when += timedelta(hours=1)
    assert rows(db)["k"].status == "failed"


async def test_rows_due_long_ago_are_marked_late(db: Database) -> None:
    add(db, "old", "reminder", due=NOW - timedelta(hours=3))
    add(db, "fresh", "fresh", due=NOW - timedelta(minutes=1))
    notifier = RecordingNotifier()
    report = await dispatcher.run(make_ctx(db, notifier), now=NOW)
    assert report.late == 1
    texts = [p["text"] for _, p in notifier.sent]
    assert texts == ["<i>(late)</i> reminder", "fresh"]
    assert rows(db)["old"].late is True


async def test_edit_waits_for_and_targets_the_earlier_message(db: Database) -> None:
    add(db, "card", "card")
    add(db, "card-edit", "approved", edit_of="card", due=NOW + timedelta(seconds=1))
    notifier = RecordingNotifier()
    await dispatcher.run(make_ctx(db, notifier), now=NOW + timedelta(seconds=2))
    assert notifier.sent[1][1] == {"text": "approved", "edit_message_id": 1}


async def test_missing_channel_is_retried_not_lost(db: Database) -> None:
    with db.write() as session:
        outbox.enqueue(
            session,
            channel="email",
            recipient="a@example.test",
            payload={"subject": "s", "text": "t"},
            due_at=NOW,
            idempotency_key="mail",
            now=NOW,
        )
    report = await dispatcher.run(make_ctx(db, RecordingNotifier()), now=NOW)
    assert report.retried == 1
    assert "not configured" in (rows(db)["mail"].last_error or "")


async def test_two_dispatchers_racing_send_each_row_exactly_once(db: Database) -> None:
    for i in range(300):
        add(db, f"k{i}", f"m{i}", recipient=str(i % 7))
    shared = RecordingNotifier()
    shared.delay = 0.001
    ctx = make_ctx(db, shared)
    a, b = await asyncio.gather(
        dispatcher.dispatch_once(ctx, now=NOW, worker="a", limit=40),
        dispatcher.dispatch_once(ctx, now=NOW, worker="b", limit=40),
    )
    rest = await asyncio.gather(dispatcher.run(ctx, now=NOW), dispatcher.run(ctx, now=NOW))
    counts = Counter(p["text"] for _, p in shared.sent)
    assert len(counts) == 300
    assert max(counts.values()) == 1
    assert a.sent + b.sent + sum(r.sent for r in rest) == 300


def test_backoff_grows_and_is_capped() -> None:
    assert dispatcher.backoff(1) == timedelta(seconds=5)
    assert dispatcher.backoff(2) == timedelta(seconds=10)
    assert dispatcher.backoff(50) == timedelta(minutes=30)


class LeaseProbe(RecordingNotifier):
    """Looks at the outbox while a send is in flight: its own lease, and what a thief gets."""

    def __init__(self, db: Database, clock: Any) -> None:
        super().__init__()
        self.db = db
        self.clock = clock
        self.leases: list[Any] = []
        self.stolen: list[str] = []

    async def deliver(self, recipient: str, payload: dict[str, Any]) -> dict[str, Any]:
        with self.db.read() as session:
            row = session.scalar(
                select(OutboxMessage).where(
                    OutboxMessage.payload["text"].as_string() == payload["text"]
                )
            )
            assert row is not None
            self.leases.append(row.claimed_until)
        with self.db.write() as session:  # another dispatcher looking at the real time
            taken = outbox.claim_due(
                session, now=self.clock(), worker="thief", lease=dispatcher.LEASE
            )
            self.stolen.extend(r.idempotency_key for r in taken)
        return await super().deliver(recipient, payload)


async def test_lease_runs_from_the_clock_not_from_an_old_now(db: Database) -> None:
    add(db, "k", "hello")
    clock_now = NOW + timedelta(minutes=10)  # run() still passes the now it started with
    probe = LeaseProbe(db, lambda: clock_now)
    ctx = AppContext(
        db=db, config=AppConfig(), clock=lambda: clock_now, notifiers={"telegram": probe}
    )
    report = await dispatcher.dispatch_once(ctx, now=NOW)
    assert report.sent == 1
    assert probe.leases == [clock_now + dispatcher.LEASE]
    assert probe.stolen == []


async def test_a_slow_batch_renews_its_leases_so_nobody_takes_them_over(
    db: Database, monkeypatch: Any
) -> None:
    import time

    monkeypatch.setattr(dispatcher, "LEASE", timedelta(seconds=0.3))
    monkeypatch.setattr(dispatcher, "RENEW_EVERY", timedelta(seconds=0.05))
    origin = time.monotonic()

    def clock() -> Any:
        return NOW + timedelta(seconds=time.monotonic() - origin)

    for i in range(5):
        add(db, f"k{i}", f"m{i}")  # one recipient: sent one after the other, 0.15 s each
    probe = LeaseProbe(db, clock)
    probe.delay = 0.15
    ctx = AppContext(db=db, config=AppConfig(), clock=clock, notifiers={"telegram": probe})
    report = await dispatcher.dispatch_once(ctx, now=NOW)
    assert (report.sent, report.lost_race) == (5, 0)
    assert probe.stolen == []  # without renewal the thief gets k2.. after 0.3 s
    assert probe.leases[-1] > probe.leases[0]
    assert [p["text"] for _, p in probe.sent] == [f"m{i}" for i in range(5)]


async def test_a_dead_workers_rows_are_claimable_once_its_lease_ran_out(db: Database) -> None:
    add(db, "k", "hello")
    with db.write() as session:
        outbox.claim_due(session, now=NOW, worker="dead", lease=dispatcher.LEASE)
    notifier = RecordingNotifier()
    early = await dispatcher.run(make_ctx(db, notifier), now=NOW + dispatcher.LEASE)
    assert early.claimed == 0
    later = NOW + dispatcher.LEASE + timedelta(seconds=1)
    restarted = await dispatcher.run(make_ctx(db, notifier, later), now=later)
    assert restarted.sent == 1
    assert notifier.sent == [("42", {"text": "hello"})]


async def test_a_gone_local_workers_rows_are_claimable_at_once(db: Database) -> None:
    """A SIGKILLed process of this host holds no lease: its rows go out now, not a lease later."""
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    host = socket.gethostname()
    workers = {
        "gone": f"{host}:{dead.pid}",
        "alive": f"{host}:{os.getppid()}",
        "elsewhere": f"other-host:{dead.pid}",
        "named": "dead",
    }
    chats = {"gone": "1", "alive": "2", "elsewhere": "3", "named": "4"}  # a held chat waits
    for key, worker in workers.items():
        add(db, key, key, recipient=chats[key])
        with db.write() as session:
            outbox.claim_due(session, now=NOW, worker=worker, lease=dispatcher.LEASE, limit=1)
    add(db, "backoff", "backoff", recipient="5")
    with db.write() as session:
        (row,) = outbox.claim_due(session, now=NOW, worker=workers["gone"], lease=dispatcher.LEASE)
        outbox.mark_retry(
            session, message_id=row.id, worker=workers["gone"], error="x", retry_at=NOW + LATER
        )
    notifier = RecordingNotifier()
    report = await dispatcher.run(make_ctx(db, notifier), now=NOW + timedelta(seconds=1))
    assert report.sent == 1
    assert notifier.sent == [("1", {"text": "gone"})]
    state = rows(db)
    assert {k: state[k].claimed_by for k in ("alive", "elsewhere", "named")} == {
        k: workers[k] for k in ("alive", "elsewhere", "named")
    }
    assert state["backoff"].claimed_until == NOW + LATER  # a backoff is not a lease
    assert dispatcher.worker_is_gone(workers["gone"])
    assert not dispatcher.worker_is_gone(dispatcher.default_worker_id())  # this very process
    assert not dispatcher.worker_is_gone(f"{host}:{10**30}")


LATER = timedelta(minutes=10)


def test_renew_leases_only_extends_the_workers_own_unsent_rows(db: Database) -> None:
    for chat, key in enumerate(("mine", "theirs", "done")):
        add(db, key, key, recipient=str(chat))
    lease = timedelta(seconds=60)
    with db.write() as session:
        claimed = {
            r.idempotency_key: r.id
            for r in outbox.claim_due(session, now=NOW, worker="me", lease=lease, limit=1)
        }
        claimed |= {
            r.idempotency_key: r.id
            for r in outbox.claim_due(session, now=NOW, worker="other", lease=lease, limit=1)
        }
        claimed |= {
            r.idempotency_key: r.id
            for r in outbox.claim_due(session, now=NOW, worker="me", lease=lease, limit=1)
        }
        assert outbox.mark_sent(session, message_id=claimed["done"], worker="me", now=NOW)
    later = NOW + timedelta(minutes=5)
    with db.write() as session:
        renewed = outbox.renew_leases(session, ids=list(claimed.values()), worker="me", until=later)
        assert (
            outbox.renew_leases(session, ids=[claimed["mine"]], worker="me", until=NOW) == 0
        )  # never shortens
    assert renewed == 1
    state = rows(db)
    assert state["mine"].claimed_until == later
    assert state["theirs"].claimed_until == NOW + lease
    assert state["done"].status == "sent"
