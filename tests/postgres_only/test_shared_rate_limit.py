"""The booking rate limit is counted in the shared database: it holds across instances.

Two web apps, each with its own ``Database`` handle on one PostgreSQL database, stand for two
``errands run`` behind a proxy; with a per-process counter each would allow its own budget.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient

from bots.web.app import create_app
from store.db import Database
from tests.agents.meetings.helpers import add_owner, make_ctx, serve

pytestmark = pytest.mark.postgres

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)
BAD = {"start": "2026-03-03T10:00:00+01:00", "length": 30, "name": "G", "email": "not-an-email"}


@pytest.fixture
def two(pg_url: str) -> Iterator[tuple[Database, Database]]:
    a, b = Database.from_url(pg_url), Database.from_url(pg_url)
    add_owner(a, now=NOW)
    yield a, b
    a.dispose()
    b.dispose()


def test_the_n_plus_first_request_from_one_address_across_two_apps_is_refused(
    two: tuple[Database, Database],
) -> None:
    apps = [create_app(make_ctx(db, lambda: NOW, rate_limit_per_minute=3)) for db in two]
    guest = [TestClient(app, client=("198.51.100.7", 50000)) for app in apps]
    other = TestClient(apps[1], client=("198.51.100.8", 50000))
    codes = [guest[i % 2].post("/api/book/ada", json=BAD).status_code for i in range(3)]
    assert codes == [422, 422, 422]  # counted on A, B, A: within the budget of 3
    assert guest[1].post("/api/book/ada", json=BAD).status_code == 429  # the 4th, on B
    assert guest[0].post("/api/book/ada", json=BAD).status_code == 429
    assert other.post("/api/book/ada", json=BAD).status_code == 422  # another address


async def test_concurrent_requests_to_two_servers_share_one_budget(
    two: tuple[Database, Database],
) -> None:
    apps = [create_app(make_ctx(db, lambda: NOW, rate_limit_per_minute=5)) for db in two]
    async with (
        serve(apps[0]) as base_a,
        serve(apps[1]) as base_b,
        httpx.AsyncClient(timeout=30) as http,
    ):
        responses = await asyncio.gather(
            *(http.post(f"{(base_a, base_b)[i % 2]}/api/book/ada", json=BAD) for i in range(20))
        )
    assert Counter(r.status_code for r in responses) == {422: 5, 429: 15}
