"""Busy times out of iCalendar text: recurrences, exceptions, DST, free and all-day events."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from agents.meetings.calendar_events import FeedItem, feed_token, feed_token_ok, stored_event
from agents.meetings.calendar_parse import BusyEvent, busy_between, parse_calendars
from store.errors import InvalidInput
from tests.agents.meetings.calendar_servers import event, vcalendar

NY = ZoneInfo("America/New_York")
OUTLOOK_ALL_DAY = "X-MICROSOFT-CDO-ALLDAYEVENT:TRUE"
START, END = datetime(2026, 10, 18, tzinfo=UTC), datetime(2026, 11, 20, tzinfo=UTC)


def busy(text: str, zone: ZoneInfo = NY) -> list[BusyEvent]:
    return busy_between(parse_calendars(text), zone=zone, start=START, end=END)


def utc(year: int, month: int, day: int, hour: int = 0) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def test_weekly_event_keeps_its_wall_time_across_dst_with_exdate_and_exception() -> None:
    found = busy(
        vcalendar(
            event(
                "w", ";TZID=Europe/Berlin:20261019T100000", ";TZID=Europe/Berlin:20261019T110000",
                "RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=5", "EXDATE;TZID=Europe/Berlin:20261102T100000",
            ),
            event(
                "w", ";TZID=Europe/Berlin:20261109T140000", ";TZID=Europe/Berlin:20261109T150000",
                "RECURRENCE-ID;TZID=Europe/Berlin:20261109T100000",
            ),
        )
    )  # fmt: skip
    assert [b.start for b in found] == [
        utc(2026, 10, 19, 8),  # 10:00 CEST
        utc(2026, 10, 26, 9),  # 10:00 CET after the change on Oct 25
        utc(2026, 11, 9, 13),  # moved to 14:00 that week
        utc(2026, 11, 16, 9),
    ]


def test_free_cancelled_and_instant_events_do_not_block() -> None:
    found = busy(
        vcalendar(
            event("free", ":20261020T090000Z", ":20261020T100000Z", "TRANSP:TRANSPARENT"),
            event("gone", ":20261020T110000Z", ":20261020T120000Z", "STATUS:CANCELLED"),
            "UID:instant\r\nDTSTAMP:20260101T000000Z\r\nDTSTART:20261020T130000Z",
            event("real", ":20261020T140000Z", ":20261020T150000Z"),
        )
    )
    assert [b.uid for b in found] == ["real"]


def test_all_day_events_block_the_owners_local_days() -> None:
    found = busy(
        vcalendar(
            event("trip", ";VALUE=DATE:20261021", ";VALUE=DATE:20261023"),
            event("outlook", ":20261026T000000Z", ":20261027T000000Z", OUTLOOK_ALL_DAY),
        )
    )
    assert [(b.uid, b.start, b.end, b.all_day) for b in found] == [
        ("trip", utc(2026, 10, 21, 4), utc(2026, 10, 23, 4), True),  # New York midnights (EDT)
        ("outlook", utc(2026, 10, 26, 4), utc(2026, 10, 27, 4), True),  # not UTC midnight
    ]


def test_floating_times_use_x_wr_timezone_or_the_owners_zone() -> None:
    floating = event("f", ":20261020T090000", ":20261020T100000")
    assert busy(vcalendar(floating))[0].start == utc(2026, 10, 20, 13)  # 09:00 in New York
    google = vcalendar(floating, extra="X-WR-TIMEZONE:Asia/Tokyo\r\n")
    assert busy(google)[0].start == utc(2026, 10, 20, 0)  # 09:00 in Tokyo


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("<html>login</html>", "not iCalendar data"),
        ("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n", "malformed"),
        (
            vcalendar(event("m", ":20261020T090000Z", ":20261020T090100Z", "RRULE:FREQ=MINUTELY")),
            "repeating every minute",
        ),
    ],
)
def test_unusable_calendars_are_refused_clearly(text: str, said: str) -> None:
    with pytest.raises(InvalidInput, match=said):
        busy(text)


def test_a_stored_booking_has_no_method_no_attendees_and_keeps_uid_and_sequence() -> None:
    item = FeedItem("u@errands", 3, utc(2026, 10, 20, 9), utc(2026, 10, 20, 10), "Meeting")
    text = stored_event(item, now=utc(2026, 10, 1))
    assert "METHOD" not in text and "ATTENDEE" not in text and "ORGANIZER" not in text
    [cal] = parse_calendars(text)
    [ev] = cal.walk("VEVENT")
    assert str(ev["UID"]) == "u@errands" and str(ev["SEQUENCE"]) == "3"


def test_feed_tokens_are_bound_to_owner_and_counter() -> None:
    token = feed_token("k", slug="ada", epoch=0)
    assert feed_token_ok("k", token, slug="ada", epoch=0)
    assert not feed_token_ok("k", token, slug="ada", epoch=1)
    assert not feed_token_ok("k", token, slug="bob", epoch=0)
    assert not feed_token_ok("", feed_token("", slug="ada", epoch=0), slug="ada", epoch=0)
