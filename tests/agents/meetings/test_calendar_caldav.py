"""Calendar sync against a real local CalDAV server (Radicale from PyPI, 127.0.0.1 only).

A weekly event across the DST change blocks the right local hours, a transparent one does not,
an all-day one blocks the owner's local day; an accepted booking is written with the invite's
UID and SEQUENCE, updated when moved and removed when cancelled; a server that goes down keeps
the last busy copy.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from agents.context import AppContext
from agents.meetings.availability import resolve_local, visitor_range
from agents.meetings.calendar_sync import Syncer
from agents.meetings.config import Policy
from agents.meetings.slots import free_slots
from store import bookings, calendars, owners
from store.calendar_models import CalendarBusy
from store.db import Database
from tests.agents.meetings.calendar_servers import (
    PASSWORD,
    USER,
    Served,
    event,
    event_uids,
    make_calendar,
    put_event,
    radicale,
    vcalendar,
)
from tests.agents.meetings.helpers import add_owner, make_ctx

pytestmark = pytest.mark.slow  # a real CalDAV server: a few seconds per test

NOW = datetime(2026, 10, 15, 6, 0, tzinfo=UTC)  # a Thursday; Berlin leaves CEST on Oct 25
BERLIN = ZoneInfo("Europe/Berlin")
ENV = {"CAL_PW": PASSWORD}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Served]:
    served = radicale(tmp_path / "radicale")
    yield served
    served.stop()


@pytest.fixture
def setup(db: Database, server: Served) -> tuple[AppContext, int, int, str]:
    ctx = make_ctx(db, lambda: NOW, secrets=ENV.get)
    owner_id = add_owner(db, now=NOW, policy=Policy(min_notice=0))
    url = make_calendar(server.base)
    with db.write() as session:
        cal = calendars.add(
            session,
            owner_id=owner_id,
            kind="caldav",
            url=url,
            username=USER,
            password_env="CAL_PW",
            now=NOW,
        )
        cal_id = cal.id
    return ctx, owner_id, cal_id, url


def local_starts(ctx: AppContext, owner_id: int, day: date) -> set[time]:
    """Free 30-minute slot starts on ``day``, as Berlin wall times."""
    start, end = visitor_range(day, 1, BERLIN)
    with ctx.db.read() as session:
        owner = owners.get_owner(session, owner_id=owner_id)
        found = free_slots(ctx, session, owner, start=start, end=end, length=30, now=NOW)
    return {s.start.astimezone(BERLIN).time() for s in found}


def syncer(ctx: AppContext) -> Syncer:
    return Syncer(ctx, secrets=ENV.get)


def test_busy_times_from_caldav_block_the_right_slots(
    setup: tuple[AppContext, int, int, str],
) -> None:
    ctx, owner_id, _cal_id, url = setup
    put_event(
        url,
        vcalendar(
            event(
                "weekly",
                ";TZID=Europe/Berlin:20261019T100000",
                ";TZID=Europe/Berlin:20261019T110000",
                "RRULE:FREQ=WEEKLY;BYDAY=MO",
            )
        ),
    )
    put_event(
        url,
        vcalendar(event("free", ":20261020T100000Z", ":20261020T110000Z", "TRANSP:TRANSPARENT")),
    )
    put_event(url, vcalendar(event("off", ";VALUE=DATE:20261021", ";VALUE=DATE:20261022")))
    put_event(
        url,
        vcalendar(  # began long before the window: the server's time-range search finds it
            event(
                "old",
                ";TZID=Europe/Berlin:20250107T150000",
                ";TZID=Europe/Berlin:20250107T160000",
                "RRULE:FREQ=WEEKLY;BYDAY=TU",
            )
        ),
    )
    put_event(url, vcalendar(event("past", ":20250301T100000Z", ":20250301T110000Z")))

    [result] = syncer(ctx).sync(now=NOW)
    assert result.error is None and result.changed
    with ctx.db.read() as session:  # the 2025 one-off is not in the window, not stored
        uids = {u for (u,) in session.execute(select(CalendarBusy.uid))}
    assert uids == {"weekly", "off", "old"}

    for monday in (date(2026, 10, 19), date(2026, 10, 26)):  # CEST, then CET
        starts = local_starts(ctx, owner_id, monday)
        assert time(9, 30) in starts and time(11, 0) in starts
        assert time(10, 0) not in starts and time(10, 30) not in starts
    tuesday = local_starts(ctx, owner_id, date(2026, 10, 20))
    assert time(12, 0) in tuesday  # transparent
    assert time(15, 0) not in tuesday and time(15, 30) not in tuesday  # weekly since 2025
    assert local_starts(ctx, owner_id, date(2026, 10, 21)) == set()  # all-day: the whole day
    assert len(local_starts(ctx, owner_id, date(2026, 10, 22))) == 16


def test_unchanged_ctag_reads_nothing_and_a_dead_server_keeps_the_copy(
    setup: tuple[AppContext, int, int, str], server: Served
) -> None:
    ctx, owner_id, cal_id, url = setup
    put_event(url, vcalendar(event("dentist", ":20261019T080000Z", ":20261019T090000Z")))
    assert syncer(ctx).sync(now=NOW)[0].changed
    again = syncer(ctx).sync(now=NOW + timedelta(minutes=10))[0]
    assert again.error is None and not again.changed and again.busy == 1

    server.stop()
    later = NOW + timedelta(minutes=20)
    [down] = syncer(ctx).sync(now=later)
    assert down.error is not None and "Could not" in down.error
    assert time(10, 0) not in local_starts(ctx, owner_id, date(2026, 10, 19))  # still busy
    with ctx.db.read() as session:
        row = calendars.get(session, owner_id=owner_id, calendar_id=cal_id)
        assert row.last_ok_at == NOW + timedelta(minutes=10)
        assert row.failing_since == later and row.busy_count == 1


def test_wrong_password_and_missing_variable_are_clear(
    setup: tuple[AppContext, int, int, str],
) -> None:
    ctx, _owner_id, _cal_id, _url = setup
    [bad] = Syncer(ctx, secrets={"CAL_PW": "wrong"}.get).sync(now=NOW)
    assert bad.error is not None and "refused the login (HTTP 401)" in bad.error
    [unset] = Syncer(ctx, secrets=dict[str, str]().get).sync(now=NOW)
    assert unset.error is not None and "CAL_PW is not set" in unset.error


def _accepted(ctx: AppContext, owner_id: int, start: datetime) -> int:
    with ctx.db.write() as session:
        b = bookings.create_pending(
            session,
            owner_id=owner_id,
            start_at=start,
            end_at=start + timedelta(minutes=30),
            guest_name="Grace Hopper",
            guest_email="grace@example.org",
            guest_timezone="UTC",
            topic="COBOL",
            client_ip="",
            expires_at=start,
            now=NOW,
            gap=timedelta(0),
        )
        assert bookings.accept_if_pending(
            session, booking_id=b.id, owner_id=owner_id, now=NOW, gap=timedelta(0)
        )
        return b.id


def test_an_accepted_booking_is_written_moved_and_removed(
    setup: tuple[AppContext, int, int, str],
) -> None:
    ctx, owner_id, _cal_id, url = setup
    start = resolve_local(date(2026, 10, 22), time(14, 0), BERLIN)
    booking_id = _accepted(ctx, owner_id, start)
    with ctx.db.read() as session:
        uid = bookings.get(session, booking_id=booking_id).ical_uid

    first = syncer(ctx).sync(now=NOW)[0]
    assert first.error is None and first.written == 1
    assert event_uids(url) == [f"{uid}#0"]
    # Its own copy on the calendar does not block the booking's time (it is the booking).
    with ctx.db.read() as session:
        owner = owners.get_owner(session, owner_id=owner_id)
        free = free_slots(
            ctx,
            session,
            owner,
            start=start,
            end=start + timedelta(minutes=1),
            length=30,
            now=NOW,
            ignore_booking=booking_id,
        )
    assert [s.start for s in free] == [start]
    assert syncer(ctx).sync(now=NOW)[0].written == 0  # idempotent

    with ctx.db.write() as session:
        assert bookings.move_if_free(
            session,
            booking_id=booking_id,
            start_at=start + timedelta(hours=1),
            end_at=start + timedelta(hours=1, minutes=30),
            gap=timedelta(0),
            expected_sequence=0,
            now=NOW,
        )
    assert syncer(ctx).sync(now=NOW)[0].written == 1
    assert event_uids(url) == [f"{uid}#1"]

    with ctx.db.write() as session:
        assert bookings.cancel_if_active(session, booking_id=booking_id, now=NOW)
    assert syncer(ctx).sync(now=NOW)[0].deleted == 1
    assert event_uids(url) == []
    assert syncer(ctx).sync(now=NOW)[0].deleted == 0


def test_a_failed_write_is_retried_and_the_booking_kept(
    setup: tuple[AppContext, int, int, str], server: Served
) -> None:
    ctx, owner_id, _cal_id, url = setup
    start = resolve_local(date(2026, 10, 22), time(14, 0), BERLIN)
    booking_id = _accepted(ctx, owner_id, start)
    [bad] = Syncer(ctx, secrets={"CAL_PW": "wrong"}.get).sync(now=NOW)
    assert bad.error is not None and bad.written == 0
    with ctx.db.read() as session:
        assert bookings.get(session, booking_id=booking_id).status == "accepted"
    assert syncer(ctx).sync(now=NOW)[0].written == 1
    assert len(event_uids(url)) == 1


def test_push_only_writes_what_changed(setup: tuple[AppContext, int, int, str]) -> None:
    ctx, owner_id, _cal_id, url = setup
    assert syncer(ctx).push_pending(now=NOW) == []  # nothing to write: no network at all
    start = resolve_local(date(2026, 10, 22), time(14, 0), BERLIN)
    booking_id = _accepted(ctx, owner_id, start)
    [pushed] = syncer(ctx).push_pending(now=NOW)
    assert pushed.error is None and pushed.written == 1 and len(event_uids(url)) == 1
    assert syncer(ctx).push_pending(now=NOW) == []
    with ctx.db.write() as session:
        assert bookings.cancel_if_active(session, booking_id=booking_id, now=NOW)
    assert syncer(ctx).push_pending(now=NOW)[0].deleted == 1
    assert event_uids(url) == []
