"""``errands bench booking``: slot computation, page latency and booking throughput.

One run, one temporary data dir: an owner open 08:00-20:00 every day with 15-minute
meetings. (1) ``free_slots`` for 60 days, timed in-process, then again once an outside
calendar of 500 busy events (450 single, 50 weekly recurring) has been expanded and cached:
the ratio says what a real calendar costs the slot computation. (2) The real app (uvicorn,
create_app, SQLite checkpointer) in a server thread; 50 concurrent httpx clients hit
``/healthz``, then the booking page, then ``POST /api/book/<slug>`` for distinct free slots.
Page p95 and booking throughput are given as ratios to ``/healthz`` on the same server in the
same run, so the figures travel between machines.

With ``server`` (``--database-url``) the store is a new database on that PostgreSQL server
(``bench.database``) and the graphs are checkpointed there too (errands.checkpoints, the
same saver errands runs with), as a deployment on PostgreSQL would run.
"""

from __future__ import annotations

import asyncio
import random
import statistics
import tempfile
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.engine import URL

from agents.context import AppConfig, AppContext
from agents.meetings.availability import visitor_range
from agents.meetings.config import MeetingsConfig, Policy
from agents.meetings.policy import owner_by_slug, save_policy
from agents.meetings.rules_text import parse_weekly
from agents.meetings.slots import free_slots
from bench.database import BenchStores
from bench.measure import free_port, percentile
from store import availability, owners
from store.db import Database

SLUG = "bench"
ZONE = "Europe/Berlin"


def _setup(db: Database, now: datetime) -> None:
    with db.write() as session:
        owner = owners.create_owner(
            session, name="Bench Owner", timezone=ZONE, now=now, chat_id=None, slug=SLUG
        )
        availability.replace_rules(
            session,
            owner_id=owner.id,
            windows=[(w.weekday, w.start, w.end) for w in parse_weekly("Mon-Sun 08:00-20:00")],
        )
        save_policy(session, owner, Policy(lengths=(15, 30), min_notice=0, horizon_days=90))


def _ctx(db: Database, now: datetime, checkpointer: Any = None) -> AppContext:
    meetings = replace(
        MeetingsConfig(),
        rate_limit_per_minute=10**6,
        open_requests_per_email=10**3,
        open_requests_per_ip=10**6,
    )
    return AppContext(
        db=db,
        config=AppConfig(secret_key="bench", meetings=meetings),
        clock=lambda: now,
        checkpointer=checkpointer,
    )


BUSY_SINGLE, BUSY_WEEKLY = 450, 50


def busy_feed(now: datetime, days: int) -> str:
    """An .ics of ``BUSY_SINGLE`` one-off events spread over ``days`` and ``BUSY_WEEKLY``
    weekly recurring ones (Berlin times, so DST applies), deterministic."""
    rng = random.Random(16)
    events = []
    for i in range(BUSY_SINGLE + BUSY_WEEKLY):
        day = now.date() + timedelta(days=rng.randrange(days))
        hour, minute = rng.randrange(7, 20), rng.choice((0, 15, 30, 45))
        start = f"{day:%Y%m%d}T{hour:02d}{minute:02d}00"
        length = rng.choice((30, 45, 60, 90))
        end_at = datetime.combine(day, datetime.min.time()) + timedelta(
            hours=hour, minutes=minute + length
        )
        rule = "\r\nRRULE:FREQ=WEEKLY" if i >= BUSY_SINGLE else ""
        events.append(
            f"BEGIN:VEVENT\r\nUID:bench-{i}\r\nDTSTAMP:20260101T000000Z\r\n"
            f"DTSTART;TZID={ZONE}:{start}\r\nDTEND;TZID={ZONE}:{end_at:%Y%m%dT%H%M%S}{rule}"
            "\r\nEND:VEVENT\r\n"
        )
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bench//EN\r\n"
        + "".join(events)
        + ("END:VCALENDAR\r\n")
    )


def add_busy_calendar(db: Database, now: datetime, days: int) -> dict[str, Any]:
    """Expand ``busy_feed`` and cache it as the owner's calendar, as a sync would."""
    from zoneinfo import ZoneInfo

    from agents.meetings.calendar_parse import busy_between, parse_calendars
    from store import calendars

    text = busy_feed(now, days)
    began = time.perf_counter()
    found = busy_between(
        parse_calendars(text), zone=ZoneInfo(ZONE), start=now, end=now + timedelta(days=days + 2)
    )
    expand_ms = (time.perf_counter() - began) * 1000
    with db.write() as session:
        owner = owner_by_slug(session, SLUG)
        row = calendars.add(session, owner_id=owner.id, kind="ics", url="bench://busy", now=now)
        stored = calendars.replace_busy(
            session,
            row,
            [(b.start, b.end, b.uid, b.all_day) for b in found],
            state=None,
            covered_until=now + timedelta(days=days + 2),
            now=now,
        )
    return {
        "events": BUSY_SINGLE + BUSY_WEEKLY,
        "recurring": BUSY_WEEKLY,
        "busy_intervals": stored,
        "expand_ms": round(expand_ms, 1),
    }


def time_slot_computation(db: Database, now: datetime, days: int, reps: int) -> dict[str, Any]:
    ctx = _ctx(db, now)
    durations: list[float] = []
    found = 0
    from zoneinfo import ZoneInfo

    for _ in range(reps):
        began = time.perf_counter()
        with db.read() as session:
            owner = owner_by_slug(session, SLUG)
            start, end = visitor_range(now.date(), days, ZoneInfo("America/New_York"))
            found = len(free_slots(ctx, session, owner, start=start, end=end, length=15, now=now))
        durations.append((time.perf_counter() - began) * 1000)
    return {
        "days": days,
        "slots": found,
        "reps": reps,
        "ms_median": round(statistics.median(durations), 2),
        "ms_p95": round(percentile(durations, 95), 2),
    }


class _ServerThread:
    """The app under uvicorn in its own thread and event loop (like ``errands run``)."""

    def __init__(self, db: Database, now: datetime, data_dir: Path, url: str) -> None:
        self.port = free_port()
        self._db, self._now, self._dir, self._url = db, now, data_dir, url
        self._ready = threading.Event()
        self._server: Any = None
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        import uvicorn

        from bots.web.app import create_app

        async with self._checkpointer() as saver:
            app = create_app(_ctx(self._db, self._now, saver))
            self._server = uvicorn.Server(
                uvicorn.Config(
                    app,
                    host="127.0.0.1",
                    port=self.port,
                    log_level="warning",
                    lifespan="off",
                    access_log=False,
                    # The clients share this process: on a loaded machine one can take longer
                    # than uvicorn's default 5 s to send its next request, and the server then
                    # closes the idle connection under it (httpx.ReadError). A proxy's 75 s.
                    timeout_keep_alive=75,
                )
            )
            task = asyncio.create_task(self._server.serve())
            while not self._server.started and not task.done():
                await asyncio.sleep(0.01)
            self._ready.set()
            await task

    @asynccontextmanager
    async def _checkpointer(self) -> AsyncIterator[Any]:
        """The product's own checkpointer: SQLite beside a SQLite store, else the store's
        PostgreSQL database (``errands.checkpoints``), so the bench measures what runs."""
        from errands.checkpoints import postgres_checkpointer, sqlite_checkpointer

        if self._db.is_sqlite:
            async with sqlite_checkpointer(self._dir) as saver:
                yield saver
        else:
            async with postgres_checkpointer(self._url) as pg_saver:
                yield pg_saver

    def __enter__(self) -> str:
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("bench server did not start")
        return f"http://127.0.0.1:{self.port}"

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        self._thread.join(15)


async def _load(base: str, clients: int, jobs: list[tuple[str, str, Any]]) -> dict[str, Any]:
    """Run ``jobs`` (method, path, json) with ``clients`` workers; latency and throughput."""
    queue: asyncio.Queue[tuple[str, str, Any]] = asyncio.Queue()
    for job in jobs:
        queue.put_nowait(job)
    latencies: list[float] = []
    statuses: dict[str, int] = {}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http:

        async def worker() -> None:
            while not queue.empty():
                method, path, body = queue.get_nowait()
                began = time.perf_counter()
                try:
                    response = await http.request(method, path, json=body)
                except httpx.TransportError as exc:  # counted, not a traceback
                    status = f"no answer ({type(exc).__name__})"
                else:
                    status = str(response.status_code)
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[status] = statuses.get(status, 0) + 1

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        elapsed = time.perf_counter() - began
    return {
        "requests": len(jobs),
        "per_s": round(len(jobs) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2),
        "p95_ms": round(percentile(latencies, 95), 2),
        "statuses": dict(sorted(statuses.items())),
    }


@dataclass(frozen=True)
class Sizes:
    requests: int  # GETs per endpoint
    bookings: int  # booking POSTs, one per distinct free slot
    clients: int  # concurrent HTTP clients
    days: int  # days of slots computed
    reps: int  # repetitions of the in-process slot computation


def run_benchmark(
    *,
    requests: int = 1000,
    bookings: int = 500,
    clients: int = 50,
    days: int = 60,
    reps: int = 20,
    server: URL | None = None,
    keep: bool = False,
) -> dict[str, Any]:
    """The report of ``errands bench booking``: on a temporary SQLite file, or on a new database
    on the PostgreSQL ``server`` (dropped at the end unless ``keep``)."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    with (
        tempfile.TemporaryDirectory(prefix="errands-bench-booking-") as tmp,
        BenchStores(server, Path(tmp), keep=keep) as stores,
    ):
        stores.check()
        data_dir = Path(tmp) / "booking"
        url = stores.fresh("booking")
        db = Database.from_url(url)
        try:
            sizes = Sizes(requests, bookings, clients, days, reps)
            measured = _measure(db, now, data_dir, url, sizes)
        finally:
            db.dispose()
        return {**stores.describe(), **measured}


def _measure(db: Database, now: datetime, data_dir: Path, url: str, n: Sizes) -> dict[str, Any]:
    requests, bookings, clients, days, reps = n.requests, n.bookings, n.clients, n.days, n.reps
    _setup(db, now)
    compute = time_slot_computation(db, now, days, reps)
    calendar = add_busy_calendar(db, now, days)
    busy_compute = time_slot_computation(db, now, days, reps)
    calendar["slot_computation"] = busy_compute
    calendar["ratio_to_no_busy"] = round(busy_compute["ms_median"] / compute["ms_median"], 2)
    with _ServerThread(db, now, data_dir, url) as base:
        slots = httpx.get(
            f"{base}/api/book/{SLUG}/slots",
            timeout=60,
            params={
                "from": (now + timedelta(days=1)).date().isoformat(),
                "days": days,
                "tz": ZONE,
                "length": 15,
            },
        ).json()["slots"]
        page = f"/book/{SLUG}?tz=America/New_York&length=15"
        health = asyncio.run(_load(base, clients, [("GET", "/healthz", None)] * requests))
        pages = asyncio.run(_load(base, clients, [("GET", page, None)] * requests))
        chosen = slots[: min(bookings, len(slots))]
        posts = [
            (
                "POST",
                f"/api/book/{SLUG}",
                {
                    "start": s["start"],
                    "length": 15,
                    "name": f"Guest {i}",
                    "email": f"g{i}@example.org",
                    "topic": "bench",
                    "timezone": ZONE,
                },
            )
            for i, s in enumerate(chosen)
        ]
        booked = asyncio.run(_load(base, clients, posts))
    return {
        "clients": clients,
        "slot_computation": compute,
        "slot_computation_with_500_busy_events": calendar,
        "healthz": health,
        "slots_page": pages,
        "booking": booked,
        "slots_page_p95_ratio_to_healthz": round(pages["p95_ms"] / health["p95_ms"], 2),
        "booking_throughput_ratio_to_healthz": round(booked["per_s"] / health["per_s"], 3),
        "all_bookings_created": booked["statuses"] == {"201": len(chosen)},
    }
