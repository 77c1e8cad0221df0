"""What a guest sees on the booking page: the host, meeting types, the month, 12/24-hour times,
the zone list, and booking a type that needs no approval; plus the rules behind them."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from zoneinfo import available_timezones

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from agents.meetings import zones
from agents.meetings.clock_style import clock_for, hm
from agents.meetings.meeting_types import MeetingType, save_types, set_about
from bots.web import csrf
from bots.web.app import create_app
from store import owners
from store.db import Database
from store.models import Booking, OutboxMessage
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday 09:00 in Berlin
US = {"accept-language": "en-US,en;q=0.9"}
DE = {"accept-language": "de-DE,de;q=0.9,en;q=0.5"}


@pytest.fixture
def client(db: Database) -> TestClient:
    add_owner(db, now=NOW)
    return TestClient(
        create_app(make_ctx(db, lambda: NOW, rate_limit_per_minute=100)),
        raise_server_exceptions=False,
    )


def set_owner(db: Database, *, about: str = "", types: tuple[MeetingType, ...] = ()) -> None:
    with db.write() as session:
        owner = owners.get_by_slug(session, slug="ada")
        assert owner is not None
        set_about(owner, about)
        save_types(owner, list(types))


def slot_labels(html: str) -> list[str]:
    return re.findall(
        r'class="slot" href="[^"]*" data-start="[^"]*" aria-label="[^"]*">([^<]*)<', html
    )


# ---------------------------------------------------------------- rules


@pytest.mark.parametrize(
    ("header", "clock"),
    [
        ("en-US,en;q=0.9", 12),
        ("en-CA", 12),
        ("fr-CA,fr;q=0.9", 24),
        ("en-AU", 12),
        ("en-IN", 12),
        ("hi-IN", 12),
        ("en-GB,en;q=0.9", 24),
        ("de-DE", 24),
        ("en", 24),
        ("zh-Hans-CN", 24),
        ("de;q=0.5,en-US;q=0.9", 12),  # the most preferred counts, not the first written
        ("", 24),
        (None, 24),
        ("*;q=0,;;,en-US;q=abc", 24),  # unreadable weights count as not wanted
    ],
)
def test_clock_default_follows_the_most_preferred_language(header: str | None, clock: int) -> None:
    assert clock_for(header) == clock


def test_hm_writes_both_clocks() -> None:
    at = datetime(2026, 3, 3, 0, 5)
    assert (hm(at, 12), hm(at.replace(hour=12), 12), hm(at.replace(hour=15), 12)) == (
        "12:05 AM",
        "12:05 PM",
        "3:05 PM",
    )
    assert hm(at.replace(hour=15), 24) == "15:05"


def test_zone_list_is_canonical_current_names_only() -> None:
    names = zones.zone_names()
    for legacy in ("US/Eastern", "Asia/Calcutta", "Europe/Kiev", "Asia/Saigon", "GMT", "EST5EDT"):
        assert legacy in available_timezones()  # they exist, so leaving them out is a choice
        assert legacy not in names, legacy
    for current in ("America/New_York", "Asia/Kolkata", "Europe/Kyiv", "Europe/Amsterdam", "UTC"):
        assert current in names, current
    assert not any(n.startswith("Etc/") for n in names)


def test_zone_list_without_readable_tzdata_uses_the_shipped_aliases() -> None:
    legacy = zones.legacy_names(None, None)
    assert {"US/Eastern", "Asia/Calcutta"} <= legacy
    names = zones.canonical(["US/Eastern", "America/New_York", "Asia/Calcutta"], legacy)
    assert names == ["America/New_York", "UTC"]
    zi = "L America/New_York US/Eastern\nL Europe/Brussels Europe/Amsterdam\n"
    tab = "# comment\nNL\t+5222+00454\tEurope/Amsterdam\n"
    assert zones.legacy_names(zi, tab) == frozenset({"US/Eastern"})  # zone.tab keeps Amsterdam


# ---------------------------------------------------------------- the page


def test_page_shows_the_host_types_month_and_us_guests_12_hour_times(
    client: TestClient, db: Database
) -> None:
    set_owner(
        db,
        about="I build analytical engines.\nHappy to talk maths.",
        types=(
            MeetingType("intro", "Intro call", (15, 30), "https://meet.example.org/{slug}",
                        "A first hello.", approval=False),
            MeetingType("deep", "Deep dive", (60,), "Room 4, Babbage House"),
        ),
    )  # fmt: skip
    page = client.get("/book/ada", params={"tz": "America/New_York"}, headers=US)
    assert page.status_code == 200
    html = page.text
    assert "I build analytical engines." in html and "Happy to talk maths." in html
    assert "Intro call" in html and "Deep dive" in html and "Room 4, Babbage House" in html
    assert "Video call (link in the invite)" in html and "meet.example.org" not in html
    assert "booked at once" in html  # the first type needs no approval
    labels = slot_labels(html)
    assert labels[0] == "5:00 AM"  # Mon 11:00 in Berlin (2 h notice)
    assert all(re.fullmatch(r"\d{1,2}:\d\d [AP]M", x) for x in labels)
    assert '<h2 id="month-title">March 2026</h2>' in html
    free_days = re.findall(r'<td class="free[^"]*"><a href="[^"]*from=(2026-03-\d\d)', html)
    assert "2026-03-03" in free_days and "2026-03-07" not in free_days  # a Saturday
    assert 'aria-label="2026-03-07: no free times"' in html
    assert (
        'href="/book/ada?tz=America%2FNew_York&amp;length=15&amp;clock=12&amp;from=2026-04-01"'
        in html
    )
    # the type's lengths drive the length list; another type is one link away
    assert 'value="15" selected' in html and "60 minutes" not in html
    deep = client.get("/book/ada", params={"tz": "America/New_York", "type": "deep"}, headers=US)
    assert 'name="length" value="60"' in deep.text and "confirms every request" in deep.text
    assert client.get("/book/ada", params={"type": "nope"}).status_code == 404


def test_clock_choice_overrides_the_browser_and_survives_links(client: TestClient) -> None:
    de = client.get("/book/ada", params={"tz": "Europe/Berlin"}, headers=DE).text
    assert slot_labels(de)[0] == "11:00" and 'id="clock-12"' in de
    us = client.get("/book/ada", params={"tz": "Europe/Berlin", "clock": "24"}, headers=US).text
    assert slot_labels(us)[0] == "11:00"
    assert "clock=24" in re.findall(r'class="slot" href="([^"]*)"', us)[0]
    form = client.get(
        "/book/ada/slot",
        params={"start": "2026-03-03T10:00:00+01:00", "tz": "Europe/Berlin", "clock": "12"},
    )
    assert "10:00 AM-10:30 AM (Europe/Berlin)" in form.text
    assert client.get("/book/ada", params={"clock": "13"}).status_code == 422


def test_month_navigates_and_works_without_javascript(client: TestClient) -> None:
    april = client.get("/book/ada", params={"tz": "Europe/Berlin", "from": "2026-04-01"}).text
    assert "April 2026" in april and 'aria-label="Previous month"' in april
    assert (
        'href="/book/ada?tz=Europe%2FBerlin&amp;length=30&amp;clock=24&amp;from=2026-03-02"'
        in april
    )
    may = client.get("/book/ada", params={"tz": "Europe/Berlin", "from": "2026-05-01"}).text
    assert 'id="next-month"' in april and 'id="next-month"' not in may  # 60-day horizon
    march = client.get("/book/ada", params={"tz": "Europe/Berlin"}).text
    assert 'aria-label="Previous month"' not in march  # nothing bookable before this month
    options = re.findall(r'<option value="([^"]+)"', march)
    assert "America/New_York" in options and "US/Eastern" not in options
    assert "Asia/Kolkata" in options and "Asia/Calcutta" not in options
    assert "America/New York (UTC-05:00)" in march


def test_a_type_without_approval_is_booked_from_the_form(client: TestClient, db: Database) -> None:
    set_owner(db, types=(MeetingType("intro", "Intro call", (15,), approval=False),))
    start = "2026-03-03T10:00:00+01:00"
    form = client.get(
        "/book/ada/slot", params={"start": start, "tz": "Europe/Berlin", "type": "intro"}
    )
    assert form.status_code == 200 and "Book this time" in form.text
    assert 'name="type" value="intro"' in form.text
    fields = {
        "start": start,
        "length": "15",
        "tz": "Europe/Berlin",
        "type": "intro",
        "name": "Grace",
        "email": "g@example.org",
        csrf.FIELD: client.cookies[csrf.COOKIE].split(".")[0],
    }
    done = client.post("/book/ada", data=fields)
    assert done.status_code == 200 and "<h1>Booked</h1>" in done.text
    with db.read() as session:
        booking = session.scalars(select(Booking)).one()
        keys = list(session.scalars(select(OutboxMessage.idempotency_key)))
    assert (booking.status, booking.meeting_type) == ("accepted", "intro")
    assert f"meetings:confirm:{booking.id}:0" in keys
    wrong = client.post("/book/ada", data={**fields, "length": "30", "email": "h@example.org"})
    assert wrong.status_code == 422 and "Intro call meetings here are 15 minutes" in wrong.text


def test_slots_api_cuts_the_types_length(client: TestClient, db: Database) -> None:
    set_owner(db, types=(MeetingType("intro", "Intro call", (15,), approval=False),))
    params = {"from": "2026-03-03", "days": 1, "tz": "Europe/Berlin", "type": "intro"}
    got = client.get("/api/book/ada/slots", params=params).json()
    assert got["length"] == 15
    assert got["slots"][:2] == [
        {"start": "2026-03-03T09:00:00+01:00", "end": "2026-03-03T09:15:00+01:00"},
        {"start": "2026-03-03T09:15:00+01:00", "end": "2026-03-03T09:30:00+01:00"},
    ]
    assert client.get("/api/book/ada/slots", params={**params, "type": "x"}).status_code == 404


def test_a_taken_time_offers_others_of_the_same_type(client: TestClient, db: Database) -> None:
    set_owner(db, types=(MeetingType("intro", "Intro call", (15,), approval=False),))
    start = "2026-03-03T10:00:00+01:00"
    first = {"start": start, "length": 15, "name": "A", "email": "a@example.org", "type": "intro"}
    assert client.post("/api/book/ada", json=first).json()["status"] == "accepted"
    client.get("/book/ada")  # the CSRF cookie
    fields = {
        "start": start,
        "length": "15",
        "tz": "Europe/Berlin",
        "type": "intro",
        "name": "B",
        "email": "b@example.org",
        csrf.FIELD: client.cookies[csrf.COOKIE].split(".")[0],
    }
    taken = client.post("/book/ada", data=fields)
    assert taken.status_code == 409
    links = re.findall(r'class="slot wide" href="([^"]*)"', taken.text)
    assert len(links) == 3 and all("type=intro" in x and "length=15" in x for x in links)
    assert not any("T10%3A00%3A00" in x for x in links)  # never the taken time itself
