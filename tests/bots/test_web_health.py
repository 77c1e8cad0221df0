"""``/healthz`` writes for real, and a store that cannot write answers 503 + Retry-After.

Failures are real SQLite errors on the test's own database file, injected through the
engine (a ``connect`` listener), not by patching: ``PRAGMA max_page_count`` gives the real
"database or disk is full", ``PRAGMA query_only`` the real "attempt to write a readonly
database", a second connection holding the write lock a real "database is locked".
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select, text

from bots.web import csrf
from bots.web.app import create_app
from bots.web.errors import UNAVAILABLE, status_for
from bots.web.health import FRESH, LOW_SPACE, Probe
from store.db import Database
from store.errors import StoreUnavailable
from store.models import Booking
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)


def plenty(_: Path) -> int:
    return 10 * LOW_SPACE


def app_client(db: Database, free: Callable[[Path], int] = plenty) -> TestClient:
    ctx = make_ctx(db, lambda: NOW, rate_limit_per_minute=10_000, open_requests_per_ip=1000)
    return TestClient(create_app(ctx, free=free), raise_server_exceptions=False)


def on_connect(db: Database, pragma: str) -> None:
    """Every new connection of ``db`` runs ``pragma`` (the pool is emptied first)."""

    def run(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute(pragma)

    event.listen(db.engine, "connect", run)
    db.engine.dispose()


def make_full(db: Database) -> None:
    with db.read() as session:
        pages = session.scalar(text("PRAGMA page_count"))
    on_connect(db, f"PRAGMA max_page_count={pages}")


def tables(db: Database) -> list[str]:
    with db.read() as session:
        return sorted(session.scalars(text("SELECT name FROM sqlite_master WHERE type='table'")))


def count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Booking)) or 0)


def test_healthy_store_says_ok_and_the_probe_leaves_nothing(db: Database) -> None:
    before = tables(db)
    response = app_client(db).get("/healthz")
    assert response.status_code == 200, response.text
    assert response.json()["ok"] is True and response.json()["database"]["detail"] == "ok"
    assert tables(db) == before and "errands_health_probe" not in before


@pytest.mark.parametrize(
    ("break_it", "reason"),
    [
        (make_full, "database not writable: disk full"),
        (lambda db: on_connect(db, "PRAGMA query_only=ON"), "database not writable: read-only"),
    ],
    ids=["full", "read-only"],
)
def test_healthz_is_503_with_one_line_when_writes_fail(
    db: Database, break_it: Callable[[Database], None], reason: str
) -> None:
    break_it(db)
    response = app_client(db).get("/healthz")
    assert response.status_code == 503
    assert response.headers["retry-after"].isdigit()
    assert response.json()["reason"] == reason
    assert response.json()["database"] == {"ok": False, "detail": reason}


def test_healthz_is_503_when_the_disk_has_no_room(db: Database) -> None:
    asked: list[Path] = []

    def nearly_full(path: Path) -> int:
        asked.append(path)
        return 8 * 1024

    response = app_client(db, nearly_full).get("/healthz")
    assert response.status_code == 503
    assert response.json()["reason"] == "database not writable: disk full (8 KiB free)"
    assert asked and (asked[0] / "errands.db").exists()


@pytest.mark.slow  # waits out the probe's 2 s lock timeout
def test_healthz_says_locked_while_another_writer_holds_the_lock(db: Database) -> None:
    path = db.engine.url.database
    assert path
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        response = app_client(db).get("/healthz")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert response.status_code == 503
    assert response.json()["reason"] == "database not writable: locked by another writer"


def test_store_unavailable_is_503() -> None:
    assert status_for(StoreUnavailable("cannot open sqlite:////secret/path")) == 503


def test_bookings_on_a_full_database_are_503_with_retry_after(db: Database) -> None:
    add_owner(db, now=NOW)
    make_full(db)
    client = app_client(db)
    statuses = []
    for day in range(3, 7):  # Tue..Fri: bookings fill the last pages, then the disk is "full"
        response = client.post(
            "/api/book/ada",
            json={
                "start": f"2026-03-{day:02d}T10:00:00+01:00",
                "length": 30,
                "name": "G" * 100,
                "email": f"g{day}@example.org",
                "topic": "t" * 1000,
            },
        )
        statuses.append(response.status_code)
        if response.status_code == 503:
            assert response.json() == {"error": UNAVAILABLE}
            assert response.headers["retry-after"] == "60"
    assert 503 in statuses and set(statuses) <= {201, 503}, statuses
    assert count(db) == statuses.count(201)
    client.get("/book/ada/slot", params={"start": "2026-03-03T11:00:00+01:00"})
    form = client.post(
        "/book/ada",
        data={
            "start": "2026-03-03T11:00:00+01:00",
            "length": "30",
            "name": "G" * 100,
            "email": "form@example.org",
            "topic": "t" * 1000,
            csrf.FIELD: client.cookies[csrf.COOKIE].split(".")[0],
        },
    )
    assert form.status_code == 503 and "<html" in form.text and "try again" in form.text
    assert "disk" not in form.text and "sqlite" not in form.text.lower()


def test_bookings_on_a_read_only_database_are_503(db: Database) -> None:
    add_owner(db, now=NOW)
    on_connect(db, "PRAGMA query_only=ON")
    response = app_client(db).post(
        "/api/book/ada",
        json={
            "start": "2026-03-03T10:00:00+01:00",
            "length": 30,
            "name": "G",
            "email": "g@example.org",
        },
    )
    assert response.status_code == 503 and response.headers["retry-after"] == "60"
    assert count(db) == 0


def test_concurrent_health_checks_share_one_probe_and_never_lock_each_other_out(
    db: Database,
) -> None:
    """Fifty monitors at once: a handful of write probes, not fifty; every answer 200."""
    probes: list[Path] = []

    def free(path: Path) -> int:  # called once per probe of a SQLite file
        probes.append(path)
        return 10 * LOW_SPACE

    client = app_client(db, free)
    answers: list[int] = []
    barrier = threading.Barrier(50)

    def check() -> None:
        barrier.wait()
        answers.append(client.get("/healthz").status_code)

    threads = [threading.Thread(target=check) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 50
    assert 1 <= len(probes) <= 5


def test_a_probe_answer_is_reused_only_while_fresh(db: Database) -> None:
    now = [100.0]
    calls: list[Path] = []

    def free(path: Path) -> int:
        calls.append(path)
        return 10 * LOW_SPACE

    probe = Probe(free, clock=lambda: now[0])
    assert probe.problem(db) is None and probe.problem(db) is None
    assert len(calls) == 1  # the second call reused the first answer
    now[0] += FRESH
    assert probe.problem(db) is None and len(calls) == 2
