"""``errands bench web-fuzz``: schema-driven requests at the public web endpoints, counted.

One temporary data dir, a real SQLite file, one owner (``ada``, Mon-Fri 09:00-17:00 Berlin)
with a pending and an accepted booking, and the real app: in-process through httpx's
``ASGITransport`` or served by uvicorn on 127.0.0.1. Hypothesis draws requests from the app's
own OpenAPI schema (``bench.web_fuzz_schema``); each response is checked: no 5xx, and a
refused request (4xx), like any GET, changes no row in any table but ``rate_hits`` (the booking
rate limit must count refused attempts too, or invalid requests would be free).
``tests/bots/test_web_fuzz`` asserts the same checks as a property; ``run_web_fuzz`` counts them.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings

from agents.context import AppConfig, AppContext
from agents.meetings import lifecycle, links
from agents.meetings.config import MeetingsConfig, Policy
from agents.meetings.policy import save_policy
from agents.meetings.rules_text import parse_weekly
from bench.measure import free_port
from bench.web_fuzz_schema import FuzzRequest, Seeds, requests
from bots.web import csrf
from bots.web.app import create_app
from store import availability, owners
from store.db import Database
from store.migrate import upgrade
from store.models import Booking

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)  # a Monday, 09:00 in Berlin
SLUG = "ada"
SECRET = "fuzz-secret"
Send = Callable[[FuzzRequest], httpx.Response]


def _ctx(db: Database) -> AppContext:
    meetings = replace(
        MeetingsConfig(),
        rate_limit_per_minute=10**6,
        open_requests_per_email=10**6,
        open_requests_per_ip=10**6,
    )
    config = AppConfig(secret_key=SECRET, public_url="http://127.0.0.1", meetings=meetings)
    return AppContext(db=db, config=config, clock=lambda: NOW)


def _seed_store(ctx: AppContext) -> tuple[str, ...]:
    """The owner, a pending and an accepted booking; their manage tokens and some fakes."""
    with ctx.db.write() as session:
        owner = owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug=SLUG
        )
        windows = parse_weekly("Mon-Fri 09:00-17:00")
        availability.replace_rules(
            session, owner_id=owner.id, windows=[(w.weekday, w.start, w.end) for w in windows]
        )
        save_policy(session, owner, Policy(lengths=(30, 60), min_notice=0))
    made = []
    for day, action in ((1, None), (2, "approve")):
        start = NOW + timedelta(days=day, hours=1)
        data = lifecycle.BookingInput(
            SLUG, start, 30, "Grace", f"seed{day}@example.org", "", "UTC", "10.9.9.9"
        )
        booking = lifecycle.request_booking(ctx, data, now=NOW)
        if action:
            lifecycle.apply_decision(ctx, booking_id=booking.id, action=action, now=NOW)
        made.append(booking.id)
    tokens = []
    with ctx.db.read() as session:
        for booking_id in made:
            row = session.get(Booking, booking_id)
            assert row is not None
            tokens.append(links.manage_link(ctx, row).rsplit("/", 1)[1])
    fake = "1.9999999999." + "0" * 32
    return (*tokens, fake, "1.2.abc", "٣.١٢." + "a" * 32, "99999999999999.1." + "f" * 32)


# Bookkeeping a refused request is meant to write: the per-address attempt counter.
COUNTERS = ("rate_hits",)


def fingerprint(db: Database) -> str:
    """A hash of every row of every table but ``COUNTERS``: equal before and after means no
    data was written."""
    digest = hashlib.sha256()
    raw = db.engine.raw_connection()  # plain sqlite3: a third of the cost of ORM sessions
    try:
        cursor = raw.cursor()
        cursor.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
        for (name,) in cursor.fetchall():
            if name in COUNTERS:
                continue
            cursor.execute(f'SELECT * FROM "{name}" ORDER BY rowid')
            digest.update(repr(cursor.fetchall()).encode())
        cursor.close()
    finally:
        raw.close()
    return digest.hexdigest()


@dataclass
class Target:
    """The app over a seeded store, and the check every response must pass."""

    app: FastAPI
    db: Database
    tokens: tuple[str, ...]

    @classmethod
    def create(cls, data_dir: Path) -> Target:
        db = Database.from_url(f"sqlite:///{data_dir / 'errands.db'}")
        upgrade(db.engine)
        ctx = _ctx(db)
        tokens = _seed_store(ctx)
        return cls(create_app(ctx), db, tokens)

    def seeds(self, send: Send, cookies: httpx.Cookies) -> Seeds:
        """Open a form once so the client holds a CSRF cookie; its token goes in the seeds."""
        send(FuzzRequest("setup", "GET", f"/book/{SLUG}/slot?start=2026-03-03T10:00:00%2B01:00"))
        token = cookies[csrf.COOKIE].split(".")[0]
        return Seeds(slug=SLUG, csrf_token=token, tokens=self.tokens, now=NOW)

    def problems(self, request: FuzzRequest, send: Send) -> tuple[int, list[str]]:
        """Send ``request``; the status and what was wrong with the answer (nothing, ideally)."""
        before = fingerprint(self.db)
        try:
            response = send(request)
        except httpx.TransportError as exc:  # the server dropped the request: as bad as a 5xx
            return 0, [f"no answer: {type(exc).__name__}: {exc}"[:200]]
        found = []
        if response.status_code >= 500:
            found.append(f"{response.status_code}: {response.text[:200]}")
        refused = response.status_code >= 400 or request.method == "GET"
        if refused and fingerprint(self.db) != before:
            found.append(f"{response.status_code} but rows changed")
        return response.status_code, found


@contextmanager
def asgi_sender(app: FastAPI) -> Iterator[tuple[Send, httpx.Cookies]]:
    """Requests to ``app`` in-process (httpx ``ASGITransport``) from one event loop."""
    loop = asyncio.new_event_loop()
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    client = httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1", timeout=30)

    def send(r: FuzzRequest) -> httpx.Response:
        call = client.request(r.method, r.url, headers=r.headers, content=r.content)
        return loop.run_until_complete(call)

    try:
        yield send, client.cookies
    finally:
        loop.run_until_complete(client.aclose())
        loop.close()


@contextmanager
def uvicorn_sender(app: FastAPI) -> Iterator[tuple[Send, httpx.Cookies]]:
    """Requests over real HTTP to uvicorn serving ``app`` on 127.0.0.1 (in a thread)."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            app, host="127.0.0.1", port=port, log_level="warning", lifespan="off", access_log=False
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the fuzz server did not start")
        time.sleep(0.01)
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)

    def send(r: FuzzRequest) -> httpx.Response:
        return client.request(r.method, r.url, headers=r.headers, content=r.content)

    try:
        yield send, client.cookies
    finally:
        client.close()
        server.should_exit = True
        thread.join(15)


FUZZ_SETTINGS: dict[str, Any] = {
    "deadline": None,
    "database": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large],
}
"""Hypothesis settings the test and the benchmark share (no example database on disk)."""


@contextmanager
def _quiet(name: str) -> Iterator[None]:
    """Mute a chatty logger for the run (python-multipart warns on every malformed body)."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_web_fuzz(n: int = 300, *, server: str = "uvicorn") -> dict[str, Any]:
    """``n`` drawn requests at the app (``server`` "uvicorn" on 127.0.0.1 or "asgi"): the
    statuses, then 5xx, requests with no answer and refused requests that wrote rows (all goal
    0), and requests per operation."""
    if server not in ("uvicorn", "asgi"):
        raise ValueError(f"server must be uvicorn or asgi, not {server!r}")
    statuses: Counter[int] = Counter()
    by_operation: Counter[str] = Counter()
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="errands-web-fuzz-") as workdir:
        target = Target.create(Path(workdir))
        opener = uvicorn_sender if server == "uvicorn" else asgi_sender
        started = time.perf_counter()
        with _quiet("python_multipart"), opener(target.app) as (send, cookies):
            seeds = target.seeds(send, cookies)

            @settings(max_examples=n, phases=[Phase.generate], **FUZZ_SETTINGS)
            @given(requests(target.app.openapi(), seeds))
            def one(request: FuzzRequest) -> None:
                status, problems = target.problems(request, send)
                statuses[status] += 1
                by_operation[request.operation] += 1
                failures.extend(f"{request.method} {request.url[:120]}: {p}" for p in problems)

            one()
        seconds = time.perf_counter() - started
        target.db.dispose()
    total = sum(statuses.values())
    return {
        "requests": total,
        "server": "uvicorn on 127.0.0.1" if server == "uvicorn" else "ASGI in process",
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "5xx": sum(v for k, v in statuses.items() if k >= 500),
        "no_answer": statuses[0],
        "refused_with_writes": sum("rows changed" in f for f in failures),
        "operations": dict(sorted(by_operation.items())),
        "failures": failures[:20],
        "seconds": round(seconds, 2),
        "requests_per_s": round(total / seconds, 1) if seconds else 0.0,
    }
