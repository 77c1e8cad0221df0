"""Fifty guests POST the same slot at once to the real web app (uvicorn on 127.0.0.1) on one
PostgreSQL database: exactly one 201, forty-nine clear 409s, one pending row.

Twice: as errands runs (``write()``'s advisory lock, then the exclusion constraint under it),
and with the lock taken away, so that only migration 0012's constraint stands between the
requests; a refusal there must still be the guest's 409, never a 500.
(On SQLite: test_fifty_concurrent_posts_for_one_slot_hold_exactly_one in
tests/bots/test_booking_web.py.)
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bots.web.app import create_app
from store.db import Database
from store.models import Booking
from tests.agents.meetings.helpers import add_owner, make_ctx, serve

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)
SLOT = "2026-03-03T10:00:00+01:00"
GUESTS = 50


class WithoutWriteLock(Database):
    """``write()`` as plain READ COMMITTED transactions: no advisory lock, only the database's
    own constraints keep two writers apart."""

    @contextmanager
    def write(self) -> Iterator[Session]:
        with sessionmaker(self.engine, expire_on_commit=False)() as session, session.begin():
            yield session


async def _fifty_posts(db: Database) -> list[httpx.Response]:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW, rate_limit_per_minute=10_000, open_requests_per_ip=1000)
    limits = httpx.Limits(max_connections=GUESTS)
    async with (
        serve(create_app(ctx)) as base,
        httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as http,
    ):
        return await asyncio.gather(
            *(
                http.post(
                    "/api/book/ada",
                    json={
                        "start": SLOT,
                        "length": 30,
                        "name": f"Guest {i}",
                        "email": f"g{i}@example.org",
                        "topic": "Plans",
                        "timezone": "Europe/Berlin",
                    },
                )
                for i in range(GUESTS)
            )
        )


def _assert_exactly_one_held(db: Database, responses: list[httpx.Response]) -> None:
    assert sorted(r.status_code for r in responses) == [201] + [409] * (GUESTS - 1)
    for r in responses:
        if r.status_code == 409:
            assert "that time was just taken" in r.json()["error"].lower()
    with db.read() as session:
        rows = session.execute(
            select(Booking.status, Booking.start_at, func.count()).group_by(
                Booking.status, Booking.start_at
            )
        ).all()
    assert rows == [("pending", datetime.fromisoformat(SLOT), 1)]


@pytest.mark.slow
async def test_fifty_concurrent_posts_hold_the_slot_once(db: Database) -> None:
    _assert_exactly_one_held(db, await _fifty_posts(db))


@pytest.mark.slow
async def test_the_exclusion_constraint_alone_holds_the_slot_once(pg_url: str) -> None:
    db = WithoutWriteLock.from_url(pg_url)
    try:
        _assert_exactly_one_held(db, await _fifty_posts(db))
    finally:
        db.dispose()
