"""The ``calendar_sync`` job: a good run returns counts; a failing calendar fails the run (the
job runner shows it and tells the owner after a streak) while its last good copy stays."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from jobs.registry import JOBS, run_job
from store import calendars
from store.db import Database
from store.errors import ErrandsError
from tests.agents.meetings.calendar_servers import IcsFeed, Served, event, serve_wsgi, vcalendar
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 10, 15, 6, 0, tzinfo=UTC)


@pytest.fixture
def feed() -> Iterator[tuple[IcsFeed, Served]]:
    body = vcalendar(event("x", ":20261019T100000Z", ":20261019T110000Z")).encode()
    app = IcsFeed(body=body)
    served = serve_wsgi(app)
    yield app, served
    served.stop()


async def test_the_job_syncs_and_fails_loudly_keeping_the_copy(
    db: Database, feed: tuple[IcsFeed, Served]
) -> None:
    app, served = feed
    spec = JOBS["calendar_sync"]
    assert spec.trigger == "every 10m" and not spec.per_owner
    ctx = make_ctx(db, lambda: NOW)
    owner_id = add_owner(db, now=NOW)
    with db.write() as session:
        calendars.add(session, owner_id=owner_id, kind="ics", url=f"{served.base}/a.ics", now=NOW)
    done = await run_job("calendar_sync", ctx, now=NOW)
    assert done == {"calendars": 1, "busy": 1, "written": 0, "deleted": 0}

    app.status, app.etag = 500, '"v2"'
    with pytest.raises(ErrandsError, match=r"1 of 1 calendars failed; 127.0.0.1 answered HTTP 500"):
        await run_job("calendar_sync", ctx, now=NOW + timedelta(minutes=10))
    with db.read() as session:
        busy = calendars.busy_between(
            session, owner_id=owner_id, start=NOW, end=NOW + timedelta(days=9)
        )
    assert len(busy) == 1
