"""A read-only iCalendar subscription served locally: ETag, and every bad input said clearly.

Unreachable URL, 401, malformed iCalendar and a 10 MB feed each leave a clear error on the
calendar and keep the busy times of the last good copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest

from agents.context import AppContext
from agents.meetings.availability import visitor_range
from agents.meetings.calendar_fetch import CalendarError, IcsFetcher
from agents.meetings.calendar_sync import Syncer
from agents.meetings.config import Policy
from agents.meetings.slots import free_slots
from store import calendars, owners
from store.db import Database
from tests.agents.meetings.calendar_servers import IcsFeed, Served, event, serve_wsgi, vcalendar
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 10, 15, 6, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = date(2026, 10, 19)
GOOD = vcalendar(
    event("standup", ":20261019T100000", ":20261019T110000", "RRULE:FREQ=DAILY;COUNT=5"),
    extra="X-WR-TIMEZONE:Europe/Berlin\r\n",
).encode()


@pytest.fixture
def feed() -> Iterator[tuple[IcsFeed, Served]]:
    app = IcsFeed(body=GOOD)
    served = serve_wsgi(app)
    yield app, served
    served.stop()


def _setup(db: Database, url: str) -> tuple[AppContext, int, int]:
    ctx = make_ctx(db, lambda: NOW)
    owner_id = add_owner(db, now=NOW, policy=Policy(min_notice=0))
    with db.write() as session:
        cal_id = calendars.add(session, owner_id=owner_id, kind="ics", url=url, now=NOW).id
    return ctx, owner_id, cal_id


def starts(ctx: AppContext, owner_id: int, day: date) -> set[time]:
    start, end = visitor_range(day, 1, BERLIN)
    with ctx.db.read() as session:
        owner = owners.get_owner(session, owner_id=owner_id)
        found = free_slots(ctx, session, owner, start=start, end=end, length=30, now=NOW)
    return {s.start.astimezone(BERLIN).time() for s in found}


def test_a_subscription_blocks_and_an_unchanged_one_is_not_read_again(
    db: Database, feed: tuple[IcsFeed, Served]
) -> None:
    app, served = feed
    ctx, owner_id, _ = _setup(db, f"{served.base}/basic.ics")
    [first] = Syncer(ctx, secrets=dict[str, str]().get).sync(now=NOW)
    assert first.error is None and first.busy == 5
    assert time(10, 0) not in starts(ctx, owner_id, MONDAY)  # floating 10:00 = Berlin's
    assert time(11, 0) in starts(ctx, owner_id, MONDAY)
    [again] = Syncer(ctx, secrets=dict[str, str]().get).sync(now=NOW + timedelta(minutes=10))
    assert again.error is None and not again.changed and app.not_modified == 1


@pytest.mark.parametrize(
    ("breakage", "said"),
    [
        ("401", "refused the login (HTTP 401)"),
        ("malformed", "malformed iCalendar"),
        ("not ical", "not iCalendar data"),
        ("huge", "larger than 5 MB"),
        ("down", "Could not reach 127.0.0.1"),
    ],
)
def test_bad_input_is_said_and_nothing_is_lost(
    db: Database, feed: tuple[IcsFeed, Served], breakage: str, said: str
) -> None:
    app, served = feed
    ctx, owner_id, cal_id = _setup(db, f"{served.base}/basic.ics")
    assert Syncer(ctx, secrets=dict[str, str]().get).sync(now=NOW)[0].error is None
    app.etag = '"v2"'
    if breakage == "401":
        app.status = 401
    elif breakage == "malformed":
        app.body = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:garbage\r\nEND:VCALENDAR\r\n"
    elif breakage == "not ical":
        app.body = b"<html>Sign in</html>"
    elif breakage == "huge":
        app.body = GOOD + b"X" * (10 * 1024 * 1024)
    else:
        served.stop()
    later = NOW + timedelta(minutes=10)
    [result] = Syncer(ctx, secrets=dict[str, str]().get).sync(now=later)
    assert result.error is not None and said in result.error
    assert time(10, 0) not in starts(ctx, owner_id, MONDAY)
    with db.read() as session:
        row = calendars.get(session, owner_id=owner_id, calendar_id=cal_id)
        assert row.busy_count == 5 and row.last_ok_at == NOW and row.last_error == result.error


def test_the_fetcher_caps_while_streaming_and_times_out() -> None:
    def endless(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=iter([b"BEGIN:VCALENDAR\r\n"] + [b"x" * 65536] * 200))

    fetcher = IcsFetcher(transport=httpx.MockTransport(endless), max_bytes=1024 * 1024)
    with pytest.raises(CalendarError, match="larger than 1 MB"):
        fetcher.fetch("webcal://calendar.example/secret.ics")

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with pytest.raises(CalendarError, match="did not answer within 3 s"):
        IcsFetcher(transport=httpx.MockTransport(slow), timeout=3).fetch("https://cal.example/x")
