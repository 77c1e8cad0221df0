"""The owner's calendar feed over real HTTP: signed link in, iCalendar out, revoked link 404."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from icalendar import Calendar

from agents.meetings import calendar_feed
from agents.meetings.calendar_parse import busy_between, parse_calendars
from bots.web.app import create_app
from store import bookings, owners, todos
from store.db import Database
from tests.agents.meetings.helpers import add_owner, make_ctx, serve

NOW = datetime(2026, 10, 15, 6, 0, tzinfo=UTC)


@pytest.mark.asyncio
async def test_the_feed_serves_meetings_and_dated_todos_until_revoked(db: Database) -> None:
    ctx = make_ctx(db, lambda: NOW)
    owner_id = add_owner(db, now=NOW)
    start = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    with db.write() as session:
        b = bookings.create_pending(
            session, owner_id=owner_id, start_at=start, end_at=start + timedelta(minutes=30),
            guest_name="Grace", guest_email="grace@example.org", guest_timezone="UTC",
            topic="COBOL", client_ip="", expires_at=start, now=NOW, gap=timedelta(0),
        )  # fmt: skip
        bookings.accept_if_pending(
            session, booking_id=b.id, owner_id=owner_id, now=NOW, gap=timedelta(0)
        )
        uid = b.ical_uid
        todos.create_todo(
            session, owner_id=owner_id, title="file taxes", timezone="Europe/Berlin", now=NOW,
            due_at=NOW + timedelta(days=2),
        )  # fmt: skip
        todos.create_todo(
            session, owner_id=owner_id, title="someday", timezone="Europe/Berlin", now=NOW
        )
        owner = owners.get_owner(session, owner_id=owner_id)
        _, plain = calendar_feed.link(ctx, owner)
    path = plain.split("8080", 1)[1]

    async with serve(create_app(ctx)) as base, httpx.AsyncClient(base_url=base) as client:
        got = await client.get(path)
        assert got.status_code == 200
        assert got.headers["content-type"].startswith("text/calendar")
        [cal] = parse_calendars(got.content)
        events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
        assert str(events[uid]["SUMMARY"]) == "Meeting with Grace"
        assert [str(e["SUMMARY"]) for e in events.values() if "todo" in str(e["UID"])] == [
            "☐ file taxes"
        ]
        # Subscribed back as a busy calendar, only the meeting blocks (to-dos are transparent).
        busy = busy_between(
            [Calendar.from_ical(got.content)],
            zone=ZoneInfo("UTC"),
            start=NOW,
            end=NOW + timedelta(days=9),
        )
        assert [(x.uid, x.start) for x in busy] == [(uid, start)]

        assert (await client.get(path.replace(".ics", "0.ics"))).status_code == 404
        assert (await client.get(path.replace("/ada/", "/bob/"))).status_code == 404
        assert (await client.get("/feed/ada/%C3%A9%F0%9F%98%80.ics")).status_code == 404
        with db.write() as session:
            calendar_feed.revoke(owners.get_owner(session, owner_id=owner_id))
        assert (await client.get(path)).status_code == 404
        with db.read() as session:
            _, fresh = calendar_feed.link(ctx, owners.get_owner(session, owner_id=owner_id))
        assert (await client.get(fresh.split("8080", 1)[1])).status_code == 200
