"""``errands bench outbox``: how fast the outbox drains into Telegram, and what a crash costs.

Everything happens in one run, against one fake Bot API process (``bench.fake_telegram``
under uvicorn, h11 on asyncio, ``record`` on so every accepted text can be counted):

1. **raw**: ``httpx.AsyncClient`` blasts ``sendMessage`` at the fake with the same concurrency,
   which gives the ceiling this machine and this fake allow (accepted per second).
2. **errands**: ``rows`` Telegram rows, all due at the start, spread over ``chats``
   recipients, drained in-process by the real dispatcher (``jobs.outbox.run``) through the real
   ``TelegramNotifier`` (PTB ``Bot``). Messages per second, lateness (``sent_at - due_at``),
   then every accepted ``sendMessage`` is matched to its row: duplicates, lost, order per chat.
3. **kill**: ``errands jobs run outbox`` as a subprocess on a fresh store, SIGKILLed once
   about half the rows were accepted, then run again. The dead worker's claimed rows wait
   for their lease (``jobs.outbox.LEASE``), so the restart runs with ``--now`` = kill time +
   lease + 1 s instead of sleeping through it. Duplicates here are the at-least-once window:
   rows Telegram accepted whose ``mark_sent`` had not committed when the process died.

Each part has its own fresh store (``bench.database``): a SQLite file in the work dir, or with
``--database-url`` a new database on that PostgreSQL server, which the killed and restarted
children reach through ``ERRANDS_DATABASE_URL`` (with a shared ``ERRANDS_SECRET_KEY``).
"""

from __future__ import annotations

import asyncio
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, update
from sqlalchemy.engine import URL

from bench.database import BenchStores
from bench.measure import free_port, percentile
from store import outbox
from store.db import Database
from store.models import OutboxMessage

TOKEN = "123:abc"
FAKE_APP = "bench.fake_telegram:create_app"
CHECKOUT = Path(__file__).resolve().parents[1]  # `python -m uvicorn` imports bench from here
FIRST_CHAT = 10_000
TEXT_PREFIX = "bench #"
_TEXT = re.compile(r"bench #(\d+)$")

Say = Callable[[str], None]


@dataclass(frozen=True)
class BenchOptions:
    rows: int = 10_000
    chats: int = 100
    concurrency: int = 8
    kill: bool = True
    kill_runs: int = 5
    raw_requests: int = 3_000


def utc_now() -> datetime:
    return datetime.now(UTC)


# --- the fake Bot API as a process --------------------------------------------------------------


@contextmanager
def fake_bot_api(log_path: Path) -> Iterator[str]:
    """Serve the fake with uvicorn (h11, asyncio loop) on a free port; yields its base URL."""
    port = free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "--factory",
                FAKE_APP,
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--http",
                "h11",
                "--loop",
                "asyncio",
                "--log-level",
                "warning",
                "--no-access-log",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=CHECKOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{base}/_control/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the fake Bot API did not start:\n{_tail(log_path.read_text())}"
                )
            time.sleep(0.05)
        control(base, "config", {"latency_ms": 0, "record": True})
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def control(base: str, what: str, body: dict[str, Any] | None = None) -> Any:
    """POST to the fake's control API (``reset``, ``config``)."""
    response = httpx.post(f"{base}/_control/{what}", json=body or {}, timeout=30)
    response.raise_for_status()
    return response.json()


def accepted(base: str, client: httpx.Client | None = None) -> int:
    """How many ``sendMessage`` calls the fake has accepted since its last reset."""
    url = f"{base}/_control/stats"
    stats = (client.get(url, timeout=10) if client else httpx.get(url, timeout=10)).json()
    return int(stats["ok"].get("sendMessage", 0))


def accepted_texts(base: str) -> list[tuple[int, str]]:
    """``(chat_id, text)`` of every accepted ``sendMessage``, in the fake's arrival order."""
    response = httpx.get(
        f"{base}/_control/calls", params={"method": "sendMessage", "ok": 1}, timeout=60
    )
    response.raise_for_status()
    return [(int(c["params"]["chat_id"]), str(c["params"]["text"])) for c in response.json()]


# --- rows ---------------------------------------------------------------------------------------


def open_db(url: str) -> Database:
    """A store ``BenchStores.fresh`` made (already migrated)."""
    return Database.from_url(url)


def chat_of(index: int, chats: int) -> int:
    return FIRST_CHAT + index % chats


def enqueue_rows(db: Database, *, rows: int, chats: int) -> None:
    """Queue ``rows`` Telegram rows through ``store.outbox.enqueue``, not yet due."""
    later = utc_now() + timedelta(days=1)
    with db.write() as session:
        for i in range(rows):
            outbox.enqueue(
                session,
                channel="telegram",
                recipient=str(chat_of(i, chats)),
                payload={"text": f"{TEXT_PREFIX}{i}"},
                due_at=later,
                idempotency_key=f"bench-{i}",
                now=later,
            )


def make_due(db: Database, at: datetime) -> None:
    """Every row falls due at ``at`` (one statement, so enqueue time is not lateness)."""
    with db.write() as session:
        session.execute(update(OutboxMessage).values(due_at=at))


def status_counts(db: Database) -> dict[str, int]:
    with db.read() as session:
        counts = session.execute(
            select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        ).all()
    return {str(status): int(n) for status, n in counts}


def leased_unsent(db: Database) -> int:
    """Rows some worker still holds a lease on without having marked them sent."""
    with db.read() as session:
        return int(
            session.scalar(
                select(func.count()).where(
                    OutboxMessage.status == "pending", OutboxMessage.claimed_by.is_not(None)
                )
            )
            or 0
        )


@dataclass(frozen=True)
class Delivery:
    duplicates: int  # extra copies: sum of (times received - 1) over rows received twice or more
    duplicated_rows: int
    lost: int  # rows the fake never accepted
    out_of_order: int  # rows received before an earlier row of the same chat
    unexpected: int  # accepted texts that match no row


def check_delivery(received: list[tuple[int, str]], *, rows: int, chats: int) -> Delivery:
    counts: Counter[int] = Counter()
    unexpected = 0
    out_of_order = 0
    newest: dict[int, int] = defaultdict(lambda: -1)
    for chat, text in received:
        match = _TEXT.search(text)
        index = int(match.group(1)) if match else -1
        if not 0 <= index < rows or chat != chat_of(index, chats):
            unexpected += 1
            continue
        if counts[index] == 0:  # a re-delivery after a crash is not an ordering fault
            if index < newest[chat]:
                out_of_order += 1
            newest[chat] = max(newest[chat], index)
        counts[index] += 1
    return Delivery(
        duplicates=sum(n - 1 for n in counts.values() if n > 1),
        duplicated_rows=sum(1 for n in counts.values() if n > 1),
        lost=rows - len(counts),
        out_of_order=out_of_order,
        unexpected=unexpected,
    )


# --- 1. the fake's raw acceptance rate ----------------------------------------------------------


async def raw_rate(base: str, *, requests: int, concurrency: int, chats: int) -> float:
    """``sendMessage`` calls the fake accepts per second from a bare httpx client."""
    url = f"{base}/bot{TOKEN}/sendMessage"
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def blast(start: int, count: int) -> int:
            ok = 0
            for i in range(start, start + count):
                response = await client.post(
                    url,
                    data={
                        "chat_id": str(chat_of(i, chats)),
                        "text": f"raw #{i}",
                        "parse_mode": "HTML",
                    },
                )
                ok += response.status_code == 200 and bool(response.json().get("ok"))
            return ok

        async def run(count: int) -> tuple[int, float]:
            share, extra = divmod(count, concurrency)
            sizes = [share + (1 if w < extra else 0) for w in range(concurrency)]
            starts = [sum(sizes[:w]) for w in range(concurrency)]
            began = time.perf_counter()
            done = await asyncio.gather(*(blast(s, n) for s, n in zip(starts, sizes, strict=True)))
            return sum(done), time.perf_counter() - began

        await run(concurrency * 20)  # warm up: connections, the fake's first-call paths
        ok, elapsed = await run(requests)
    if ok != requests:
        raise RuntimeError(f"the fake accepted {ok} of {requests} raw sendMessage calls")
    return ok / elapsed


# --- 2. errands in-process ------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrandsResult:
    msgs_per_s: float
    lateness_ms_p50: float
    lateness_ms_p99: float
    lateness_ms_max: float
    sent: int
    unsent_in_db: int
    delivery: Delivery


async def _drain(db: Database, base: str, *, concurrency: int) -> tuple[int, float, datetime]:
    from telegram import Bot

    from agents.context import AppConfig, AppContext
    from bots.telegram.notifier import TelegramNotifier
    from jobs import outbox as dispatcher

    bot = Bot(TOKEN, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")
    ctx = AppContext(
        db=db,
        config=AppConfig(outbox_concurrency=concurrency),
        clock=utc_now,
        notifiers={"telegram": TelegramNotifier(bot)},
    )
    try:
        due = utc_now()
        make_due(db, due)
        began = time.perf_counter()
        report = await dispatcher.run(ctx, now=due)
        elapsed = time.perf_counter() - began
    finally:
        await bot.shutdown()
    if report.errors:
        raise RuntimeError(f"the dispatcher reported errors, first: {report.errors[0]}")
    return report.sent, elapsed, due


def run_errands(base: str, url: str, options: BenchOptions) -> ErrandsResult:
    control(base, "reset")
    db = open_db(url)
    try:
        enqueue_rows(db, rows=options.rows, chats=options.chats)
        sent, elapsed, due = asyncio.run(_drain(db, base, concurrency=options.concurrency))
        with db.read() as session:
            sent_at = list(
                session.scalars(
                    select(OutboxMessage.sent_at).where(OutboxMessage.sent_at.is_not(None))
                )
            )
        lateness = [(_aware(at) - due).total_seconds() * 1000 for at in sent_at if at]
        unsent = options.rows - status_counts(db).get("sent", 0)
    finally:
        db.dispose()
    delivery = check_delivery(accepted_texts(base), rows=options.rows, chats=options.chats)
    return ErrandsResult(
        msgs_per_s=sent / elapsed,
        lateness_ms_p50=percentile(lateness, 50),
        lateness_ms_p99=percentile(lateness, 99),
        lateness_ms_max=max(lateness, default=0.0),
        sent=sent,
        unsent_in_db=unsent,
        delivery=delivery,
    )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


# --- 3. SIGKILL half-way, then restart ------------------------------------------------------------


@dataclass(frozen=True)
class KillResult:
    accepted_at_kill: int  # sendMessage calls the fake had accepted once the process was dead
    sent_in_db_at_kill: int  # rows whose mark_sent had committed
    leased_at_kill: int  # rows claimed by the dead worker and not marked sent
    delivery: Delivery
    unsent_in_db: int


def _cli_env(data_dir: Path, base: str, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERRANDS_")}
    if not url.startswith("sqlite"):  # the SQLite store is the data dir's own errands.db
        env["ERRANDS_DATABASE_URL"] = url
    env.update(
        ERRANDS_DATA_DIR=str(data_dir),
        ERRANDS_SECRET_KEY=secrets.token_urlsafe(32),  # required on PostgreSQL
        ERRANDS_TELEGRAM_TOKEN=TOKEN,
        ERRANDS_TELEGRAM_BASE_URL=f"{base}/bot",
        ERRANDS_LLM_BASE_URL="http://127.0.0.1:9/v1",  # never called by the outbox job
        PYTHONUNBUFFERED="1",
    )
    return env


CLI = [sys.executable, "-m", "errands.cli", "jobs", "run", "outbox"]


def kill_point(rows: int, run: int, runs: int, batch: int) -> int:
    """Where run ``run`` (0-based) of ``runs`` kills: about half-way, at a spread batch phase.

    The dispatcher claims ``batch`` rows, sends them, then claims the next, so at a batch
    boundary nothing is in flight; killing at exactly ``rows // 2`` (a multiple of the batch
    for round numbers) would always hit that quiet moment and hide the window.
    """
    phase = round((run + 0.5) / runs * batch)
    start = (rows // 2) // batch * batch
    return min(max(1, start + phase), rows - 1)


def run_kill(
    base: str, data_dir: Path, url: str, options: BenchOptions, *, target: int
) -> KillResult:
    """One kill/restart on the fresh store ``url``; ``data_dir`` is the children's data dir."""
    from jobs.outbox import LEASE

    control(base, "reset")
    data_dir.mkdir(parents=True, exist_ok=True)
    db = open_db(url)
    try:
        enqueue_rows(db, rows=options.rows, chats=options.chats)
        make_due(db, utc_now())
    finally:
        db.dispose()
    env = _cli_env(data_dir, base, url)
    log_path = data_dir / "killed.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(CLI, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 300
        with httpx.Client() as poll:  # one connection: polling must not load the fake
            while accepted(base, poll) < target:
                if proc.poll() is not None:
                    raise RuntimeError(
                        f"errands jobs run outbox ended (rc {proc.returncode}) before {target} "
                        f"rows were accepted:\n{_tail(log_path.read_text())}"
                    )
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no progress: {target} rows not accepted after 300 s")
                time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        killed_at = utc_now()
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    at_kill = _settled(base)
    db = open_db(url)
    try:
        sent_at_kill = status_counts(db).get("sent", 0)
        leased = leased_unsent(db)
    finally:
        db.dispose()

    restart_now = killed_at + LEASE + timedelta(seconds=1)
    restarted = subprocess.run(
        [*CLI, "--now", restart_now.isoformat()],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if restarted.returncode != 0:
        raise RuntimeError(
            f"the restarted job failed (rc {restarted.returncode}):\n"
            f"{_tail(restarted.stdout + restarted.stderr)}"
        )
    db = open_db(url)
    try:
        unsent = options.rows - status_counts(db).get("sent", 0)
    finally:
        db.dispose()
    return KillResult(
        accepted_at_kill=at_kill,
        sent_in_db_at_kill=sent_at_kill,
        leased_at_kill=leased,
        delivery=check_delivery(accepted_texts(base), rows=options.rows, chats=options.chats),
        unsent_in_db=unsent,
    )


def _tail(text: str, lines: int = 20) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _settled(base: str, *, quiet: float = 0.3, limit: float = 5.0) -> int:
    """The accepted count once requests already on the wire have reached the fake."""
    deadline = time.monotonic() + limit
    count = accepted(base)
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = accepted(base)
        if now == count:
            break
        count = now
    return count


# --- all of it ------------------------------------------------------------------------------------


def run_benchmark(
    options: BenchOptions,
    workdir: Path,
    say: Say,
    *,
    server: URL | None = None,
    keep: bool = False,
) -> dict[str, Any]:
    """Run the three parts against one fake, each on a fresh store (SQLite files in ``workdir``,
    or new databases on the PostgreSQL ``server``); returns the report (see
    ``errands bench outbox``)."""
    with BenchStores(server, workdir, keep=keep) as stores:
        stores.check()
        say(f"store: {stores.engine}" + (f" at {stores.describe()['server']}" if server else ""))
        parts = _run_parts(options, workdir, say, stores)
        report = {**stores.describe(), **parts}
    if stores.created:
        kept = "kept" if keep else "dropped"
        say(f"store: databases {', '.join(stores.created)} {kept}")
    return report


def _run_parts(
    options: BenchOptions, workdir: Path, say: Say, stores: BenchStores
) -> dict[str, Any]:
    from jobs.outbox import BATCH, LEASE

    with fake_bot_api(workdir / "fake.log") as base:
        say(f"fake Bot API at {base} (uvicorn, h11, asyncio loop)")
        raw_requests = max(options.raw_requests, options.concurrency * 20)
        say(f"raw: {raw_requests} sendMessage calls at concurrency {options.concurrency}")
        raw = asyncio.run(
            raw_rate(
                base,
                requests=raw_requests,
                concurrency=options.concurrency,
                chats=options.chats,
            )
        )
        say(f"raw: {raw:.0f} accepted/s")
        say(f"errands: {options.rows} rows over {options.chats} chats")
        result = run_errands(base, stores.fresh("errands"), options)
        say(
            f"errands: {result.msgs_per_s:.0f} msgs/s, lateness p99 "
            f"{result.lateness_ms_p99:.0f} ms, duplicates {result.delivery.duplicates}, "
            f"lost {result.delivery.lost}"
        )
        kills: list[KillResult] = []
        if options.kill:
            for run in range(options.kill_runs):
                target = kill_point(options.rows, run, options.kill_runs, BATCH)
                part = f"kill-{run + 1}"
                killed = run_kill(base, workdir / part, stores.fresh(part), options, target=target)
                kills.append(killed)
                say(
                    f"kill {run + 1}/{options.kill_runs}: killed after {killed.accepted_at_kill} "
                    f"accepted ({killed.sent_in_db_at_kill} marked sent, "
                    f"{killed.leased_at_kill} leased); after restart duplicates "
                    f"{killed.delivery.duplicates}, lost {killed.delivery.lost}"
                )

    delivery = result.delivery
    return {
        "rows": options.rows,
        "chats": options.chats,
        "concurrency": options.concurrency,
        "errands_msgs_per_s": round(result.msgs_per_s, 1),
        "fake_raw_msgs_per_s": round(raw, 1),
        "ratio": round(result.msgs_per_s / raw, 3),
        "lateness_ms_p50": round(result.lateness_ms_p50, 1),
        "lateness_ms_p99": round(result.lateness_ms_p99, 1),
        "duplicates": delivery.duplicates,
        "lost": delivery.lost,
        "unsent_in_db": result.unsent_in_db,
        "out_of_order": delivery.out_of_order,
        "raw_requests": raw_requests,
        "kill": {
            "runs": len(kills),
            "killed_after_accepted": [k.accepted_at_kill for k in kills],
            "duplicates": [k.delivery.duplicates for k in kills],
            "lost": [k.delivery.lost for k in kills],
            "marked_sent_at_kill": [k.sent_in_db_at_kill for k in kills],
            "leased_at_kill": [k.leased_at_kill for k in kills],
            "unsent_in_db": [k.unsent_in_db for k in kills],
            "restart_now_offset_s": (LEASE + timedelta(seconds=1)).total_seconds(),
            "batch": BATCH,
        },
        "machine": {"cpus": os.cpu_count(), "loadavg_1m": round(os.getloadavg()[0], 2)},
    }


def failed(report: dict[str, Any]) -> bool:
    """Anything lost, left unsent, or duplicated without a crash to explain it."""
    kill = report["kill"]
    return bool(
        report["lost"]
        or report["unsent_in_db"]
        or report["duplicates"]
        or any(kill["lost"])
        or any(kill["unsent_in_db"])
    )
