"""Two real ``errands run`` on one PostgreSQL: every message once, every tick once, a takeover.

Each instance has its own data dir and its own fake Bot API process (the same token), so the
test can tell who sent a message and who polls; the two fakes together are "Telegram". The
instances share the database, the secret key and ``ERRANDS_SCHEDULES``, which runs
``bookings-expire`` every 5 s, so several ticks fall inside the test.
"""

from __future__ import annotations

import math
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from agents.context import AppConfig
from store import job_runs, outbox
from store.db import Database
from store.models import OutboxMessage
from tests.conftest import ERRANDS
from tests.fakes.processes import ROOT, fake_bot_api_process, free_port, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.subprocess, pytest.mark.postgres]

# One chat's rows go out in order, through one instance at a time: many chats let both work.
CHATS = [str(100 + i) for i in range(100)]
CONCURRENCY = AppConfig().outbox_concurrency  # the most sends one instance has in flight
JOB, TICK = "bookings-expire", 5  # the job the test times, and its interval in seconds
FIRST, SECOND = 1000, 400  # messages before the kill, and in the batch the kill cuts


class Instance:
    """One ``errands run`` with its data dir and its fake Bot API."""

    def __init__(self, name: str, env: dict[str, str], fake: str, tmp: Path) -> None:
        self.name, self.fake = name, fake
        self.log = tmp / f"{name}.log"
        data_dir = tmp / name
        data_dir.mkdir(mode=0o700)
        env = {
            **env,
            "ERRANDS_DATA_DIR": str(data_dir),
            "ERRANDS_TELEGRAM_BASE_URL": f"{fake}/bot",
            "ERRANDS_WEB_PORT": str(free_port()),
        }
        self.proc = subprocess.Popen(
            [*ERRANDS, "run"], env=env, stdout=self.log.open("w"), stderr=subprocess.STDOUT,
            cwd=ROOT,
        )  # fmt: skip

    def output(self) -> str:
        return self.log.read_text()

    def banner(self) -> str:
        text = wait_until(lambda: "llm:" in self.output() and self.output(), 90, "banner")
        return str(text)

    def role(self) -> str:
        line = next(x for x in self.banner().splitlines() if x.strip().startswith("leader:"))
        return line.split(":", 1)[1].strip()

    def sent(self) -> list[str]:
        """Texts the fake accepted from this instance (in flight at a kill included)."""
        calls = httpx.get(
            f"{self.fake}/_control/calls", params={"method": "sendMessage", "ok": 1}
        ).json()
        return [c["params"]["text"] for c in calls]

    def polls(self) -> int:
        """``getUpdates`` calls this instance made (answered or still waiting)."""
        calls = httpx.get(f"{self.fake}/_control/calls", params={"method": "getUpdates"})
        return len(calls.json())

    def slow_down(self, latency_ms: int) -> None:
        httpx.post(f"{self.fake}/_control/config", json={"latency_ms": latency_ms})

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)


def enqueue(db: Database, prefix: str, count: int) -> set[str]:
    now = datetime.now(UTC)
    texts = {f"{prefix}-{i:04d}" for i in range(count)}
    with db.write() as session:
        for i, text in enumerate(sorted(texts)):
            outbox.enqueue(
                session,
                channel="telegram",
                recipient=CHATS[i % len(CHATS)],
                payload={"text": text},
                due_at=now,
                idempotency_key=f"scale:{text}",
                now=now,
            )
    return texts


def pending(db: Database) -> int:
    query = select(func.count()).select_from(OutboxMessage)
    with db.read() as session:
        return int(session.scalar(query.where(OutboxMessage.status != "sent")) or 0)


class Ticks:
    """The timed job's run counter and last start, read from ``job_runs`` (shared by both)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def read(self) -> tuple[int, datetime] | None:
        with self.db.read() as session:
            row = job_runs.get_run(session, key=JOB)
            if row is None or row.started_at is None:
                return None
            return int(row.runs), row.started_at

    def wait_past(self, runs: int, what: str) -> tuple[int, datetime]:
        def ran() -> tuple[int, datetime] | None:
            reading = self.read()
            return reading if reading is not None and reading[0] > runs else None

        reading = wait_until(ran, 60, what)
        assert reading is not None
        return reading


def runs_per_tick(a: tuple[int, datetime], b: tuple[int, datetime]) -> tuple[int, int]:
    """(runs between two readings, ticks between their runs' starts): at most one per tick."""
    tick = [math.floor(r[1].timestamp() / TICK) for r in (a, b)]
    return b[0] - a[0], tick[1] - tick[0]


@pytest.fixture
def fakes() -> Iterator[tuple[str, str]]:
    with fake_bot_api_process() as one, fake_bot_api_process() as two:
        yield one, two


def test_two_instances_share_the_work_and_the_follower_takes_over(
    pg_url: str, cli_env: dict[str, str], fakes: tuple[str, str], tmp_path: Path
) -> None:
    env = {
        **cli_env,
        "ERRANDS_DATABASE_URL": pg_url,
        "ERRANDS_SECRET_KEY": "scale-out-test-" + "k" * 40,
        "ERRANDS_TELEGRAM_TOKEN": "123:abc",
        "ERRANDS_OWNER_CHAT_IDS": "42",
        "ERRANDS_SCHEDULES": f'{{"{JOB}": "every {TICK}s"}}',
        "ERRANDS_STT_EMBEDDED": "false",  # voice notes are not what this test is about
    }
    db = Database.from_url(pg_url)
    ticks = Ticks(db)
    with ExitStack() as stack:
        one = Instance("one", env, fakes[0], tmp_path)
        stack.callback(one.stop)
        two = Instance("two", env, fakes[1], tmp_path)
        stack.callback(two.stop)
        began = time.monotonic()
        roles = {one.role(), two.role()}
        waiting = f"follower (waiting for the leader's lock; held by {_name(one, two)})"
        assert roles == {"leader", waiting}, roles
        leader, follower = (one, two) if one.role() == "leader" else (two, one)
        wait_until(leader.polls, 30, "the leader polls Telegram")

        # 1,000 messages due now: every one reaches Telegram exactly once, both instances send
        # (20 ms a send: one instance alone needs over 2 s, so the other's 2 s tick comes).
        for instance in (leader, follower):
            instance.slow_down(20)
        first = enqueue(db, "first", FIRST)
        enqueued = time.monotonic()
        wait_until(lambda: pending(db) == 0, 120, "the first batch sent")
        first_took = time.monotonic() - enqueued
        by_leader, by_follower = leader.sent(), follower.sent()
        sent = Counter(by_leader + by_follower)
        assert set(sent) == first
        assert max(sent.values()) == 1  # 0 duplicates, 0 lost
        assert by_leader and by_follower  # every instance dispatches the outbox
        assert follower.polls() == 0  # only the leader polls getUpdates

        # The shared job ran on its ticks and at most once per tick, though two schedulers run.
        start = ticks.wait_past(0, f"{JOB} ran")
        before = ticks.wait_past(start[0] + 1, f"{JOB} ran twice more")
        runs, spanned = runs_per_tick(start, before)
        assert 1 <= runs <= spanned

        # Another batch, slower sends; SIGKILL the leader while it has sends in flight.
        for instance in (leader, follower):
            instance.slow_down(100)
        second = enqueue(db, "second", SECOND)
        wait_until(
            lambda: sum(t.startswith("second") for t in leader.sent()) >= 40, 60, "leader sends"
        )
        assert follower.polls() == 0
        leader.proc.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        leader.proc.wait(30)  # reaped: its leases are free at once (its pid is gone)
        assert pending(db) > 0, "the second batch was all sent before the kill"
        at_kill = ticks.read()
        assert at_kill is not None

        wait_until(follower.polls, 30, "the follower polls Telegram after the takeover")
        takeover = time.monotonic() - killed_at
        wait_until(lambda: "leading now" in follower.output(), 30, "the follower says it leads")
        wait_until(lambda: pending(db) == 0, 120, "the rest sent by the survivor")
        done = time.monotonic()
        sent = Counter(leader.sent() + follower.sent())
        assert set(sent) == first | second  # nothing lost
        duplicates = sum(n - 1 for n in sent.values())
        assert all(text.startswith("second") for text, n in sent.items() if n > 1)
        assert duplicates <= CONCURRENCY  # only the leader's sends in flight at the kill

        after = ticks.wait_past(at_kill[0] + 1, f"{JOB} runs on the new leader")
        runs, spanned = runs_per_tick(start, after)
        assert 1 <= runs <= spanned  # the takeover fired no tick twice

        follower.proc.send_signal(signal.SIGTERM)
        assert follower.proc.wait(60) == 0
        assert "Traceback" not in follower.output()
        print(  # the figures (pytest -s shows them)
            f"\nscale-out: {FIRST + SECOND} messages, {duplicates} duplicate(s) at the kill "
            f"(bound {CONCURRENCY}), takeover {takeover:.1f} s after SIGKILL, "
            f"{JOB}: {runs} runs over {spanned} ticks; start-up {enqueued - began:.1f} s, "
            f"first batch {first_took:.1f} s, kill to all sent {done - killed_at:.1f} s"
        )
    db.dispose()


def _name(*instances: Instance) -> str:
    """The leader's ``host:pid`` as the follower's banner names it (either instance)."""
    import socket

    leader = next(i for i in instances if i.role() == "leader")
    return f"{socket.gethostname()}:{leader.proc.pid}"
