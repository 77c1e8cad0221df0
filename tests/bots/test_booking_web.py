"""The booking page and JSON API over real HTTP: bad input, CSRF, honeypot, 50 racing clients."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bots.web import csrf
from bots.web.app import create_app
from store.db import Database
from store.models import Booking
from tests.agents.meetings.helpers import add_owner, make_ctx, serve

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)
SLOT = "2026-03-03T10:00:00+01:00"


def count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Booking)) or 0)


@pytest.fixture
def client(db: Database) -> TestClient:
    add_owner(db, now=NOW)
    return TestClient(
        create_app(make_ctx(db, lambda: NOW, rate_limit_per_minute=100)),
        raise_server_exceptions=False,
    )


def body(**over: object) -> dict[str, object]:
    return {
        "start": SLOT,
        "length": 30,
        "name": "Grace",
        "email": "g@example.org",
        "topic": "Plans",
        "timezone": "Europe/Berlin",
        **over,
    }


def test_slots_api_in_the_visitors_zone(client: TestClient) -> None:
    got = client.get(
        "/api/book/ada/slots", params={"from": "2026-03-03", "days": 1, "tz": "Asia/Tokyo"}
    ).json()
    # Berlin 09:00-17:00 = Tokyo 17:00-01:00: Tuesday in Tokyo holds the end of Monday in
    # Berlin (00:00, 00:30) and the start of Tuesday (17:00..23:30), nothing in between
    starts = [s["start"][11:16] for s in got["slots"]]
    assert got["slots"][0] == {
        "start": "2026-03-03T00:00:00+09:00",
        "end": "2026-03-03T00:30:00+09:00",
    }
    assert starts[:3] == ["00:00", "00:30", "17:00"] and starts[-1] == "23:30"
    for params, status in [
        ({"tz": "Mars/Base"}, 422),
        ({"days": "0"}, 422),
        ({"days": "abc"}, 422),
        ({"from": "03/03/2026"}, 422),
        ({"length": "45"}, 422),
    ]:
        assert client.get("/api/book/ada/slots", params=params).status_code == status
    assert client.get("/api/book/nobody/slots").status_code == 404


def test_api_booking_statuses_and_nothing_stored_on_bad_input(
    client: TestClient, db: Database
) -> None:
    bad = [
        body(start="2026-03-01T10:00:00+01:00"),  # past
        body(start="2026-03-03T22:00:00+01:00"),  # outside availability
        body(start="2026-03-03T10:00:00"),  # no offset
        body(email="nope"),
        body(name="x" * 5000),
        body(topic="t" * 1001),
        body(extra="field"),
        body(length=45),
        body(timezone="../../etc/passwd"),
    ]
    for item in bad:
        response = client.post("/api/book/ada", json=item)
        assert response.status_code == 422, (item, response.text)
        assert "error" in response.json()
    assert (
        client.post(
            "/api/book/ada", content=b"{not json", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )
    assert client.post("/api/book/nobody", json=body()).status_code == 404
    assert client.post("/api/book/ada", content=b"x" * 70_000).status_code == 413
    assert count(db) == 0
    created = client.post("/api/book/ada", json=body(name="<script>alert(1)</script>"))
    assert created.status_code == 201
    assert created.json() == {"id": 1, "status": "pending"}
    taken = client.post("/api/book/ada", json=body(email="h@example.org"))
    assert taken.status_code == 409
    assert len(taken.json()["alternatives"]) == 3
    page = client.get("/book/ada", params={"tz": "Europe/Berlin", "from": "2026-03-03"})
    assert "2026-03-03T10:00:00+01:00" not in page.text  # held slot is gone
    assert "2026-03-03T10:30:00+01:00" in page.text


def test_form_needs_csrf_and_refuses_honeypot_and_rate_limits(db: Database) -> None:
    add_owner(db, now=NOW)
    client = TestClient(
        create_app(make_ctx(db, lambda: NOW, rate_limit_per_minute=2)),
        raise_server_exceptions=False,
    )
    form_page = client.get(
        "/book/ada/slot", params={"start": SLOT, "length": 30, "tz": "Europe/Berlin"}
    )
    assert form_page.status_code == 200 and 'name="website"' in form_page.text
    token = client.cookies[csrf.COOKIE].split(".")[0]
    fields = {
        "start": SLOT,
        "length": "30",
        "tz": "Europe/Berlin",
        "name": "<b>Grace</b>",
        "email": "g@example.org",
        "topic": "<script>alert(1)</script>",
    }
    assert client.post("/book/ada", data=fields).status_code == 403  # no CSRF token
    assert (
        client.post("/book/ada", data={**fields, csrf.FIELD: token, "website": "spam"}).status_code
        == 400
    )
    too_long = client.post("/book/ada", data={**fields, csrf.FIELD: token, "name": "x" * 500})
    assert too_long.status_code == 422
    assert count(db) == 0
    done = client.post("/book/ada", data={**fields, csrf.FIELD: token})
    assert done.status_code == 200
    assert "you will get an email" in done.text.lower()
    assert client.post("/book/ada", data={**fields, csrf.FIELD: token}).status_code == 429
    assert count(db) == 1


def test_pages_are_clear_for_unknown_slug_and_bad_tokens(client: TestClient) -> None:
    page = client.get("/book/nobody")
    assert page.status_code == 404 and "no booking page" in page.text
    assert client.get("/book/ada", params={"tz": "Nowhere/Land"}).status_code == 422
    assert client.get("/book/manage/1.2.abc").status_code == 404
    assert client.get("/book/manage/" + "1.9999999999." + "0" * 32).status_code == 404
    assert client.get("/book/ada/slot", params={"start": "garbage"}).status_code == 422


async def test_fifty_concurrent_posts_for_one_slot_hold_exactly_one(db: Database) -> None:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW, rate_limit_per_minute=1000, open_requests_per_ip=1000)
    async with serve(create_app(ctx)) as base, httpx.AsyncClient(base_url=base, timeout=30) as http:
        responses = await asyncio.gather(
            *(http.post("/api/book/ada", json=body(email=f"g{i}@example.org")) for i in range(50))
        )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [201] + [409] * 49
    for r in responses:
        if r.status_code == 409:
            assert "that time was just taken" in r.json()["error"].lower()
            alts = r.json()["alternatives"]
            assert len(alts) == 3 and SLOT not in [a["start"] for a in alts]
    assert count(db) == 1
    with db.read() as session:
        assert session.execute(select(Booking.status, Booking.start_at)).one() == (
            "pending",
            datetime.fromisoformat(SLOT),
        )
    assert datetime.fromisoformat(SLOT) - NOW > timedelta(0)


def test_api_rate_limit_answers_429(db: Database) -> None:
    add_owner(db, now=NOW)
    client = TestClient(create_app(make_ctx(db, lambda: NOW, rate_limit_per_minute=2)))
    codes = [client.post("/api/book/ada", json=body(email="bad")).status_code for _ in range(3)]
    assert codes == [422, 422, 429]
    assert client.post("/api/book/ada", json=body()).json()["error"].startswith("Too many")
    assert count(db) == 0


def test_guest_manages_the_meeting_through_signed_links(db: Database) -> None:
    from agents.meetings import lifecycle, links, moves

    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    client = TestClient(create_app(ctx), raise_server_exceptions=False)
    assert client.post("/api/book/ada", json=body()).status_code == 201
    lifecycle.apply_decision(ctx, booking_id=1, action="approve", now=NOW)
    with db.read() as session:
        booking = session.get(Booking, 1)
        assert booking is not None
        link = links.manage_link(ctx, booking)
    path = link.removeprefix("http://127.0.0.1:8080")
    page = client.get(path)
    assert page.status_code == 200 and "Move it to another time" in page.text
    token = client.cookies[csrf.COOKIE].split(".")[0]
    assert client.post(f"{path}/reschedule", data={"start": SLOT}).status_code == 403
    later = "2026-03-03T15:00:00+01:00"
    asked = client.post(
        f"{path}/reschedule", data={"start": later, "sequence": "0", csrf.FIELD: token}
    )
    assert asked.status_code == 200 and "Move your meeting?" in asked.text  # asks first
    with db.read() as session:
        assert session.scalar(select(Booking.proposed_start_at)) is None
    fields = {"start": later, "sequence": "0", "confirm": "yes", csrf.FIELD: token}
    requested = client.post(f"{path}/reschedule", data=fields)
    assert requested.status_code == 200 and "request to move" in requested.text
    assert "pending-move" in client.get(path).text  # the same link shows the open request
    assert moves.decide_move(ctx, booking_id=1, approve=True, now=NOW, owner_id=1)[0]
    assert client.get(path).status_code == 404  # the old link died with the old time
    with db.read() as session:
        booking = session.get(Booking, 1)
        assert booking is not None and booking.sequence == 1
        link = links.manage_link(ctx, booking)
    path = link.removeprefix("http://127.0.0.1:8080")
    outside = client.post(
        f"{path}/reschedule",
        data={
            "start": "2026-03-03T23:00:00+01:00",
            "sequence": "1",
            "confirm": "yes",
            csrf.FIELD: token,
        },
    )
    assert outside.status_code == 422 and "not offered" in outside.text
    ask = client.post(f"{path}/cancel", data={csrf.FIELD: token})
    assert ask.status_code == 200 and "Cancel your meeting?" in ask.text
    with db.read() as session:
        assert session.scalar(select(Booking.status)) == "accepted"
    sure = {csrf.FIELD: token, "confirm": "yes"}
    gone = client.post(f"{path}/cancel", data=sure)
    assert gone.status_code == 200 and "cancelled" in gone.text
    assert client.post(f"{path}/cancel", data=sure).status_code == 422
    with db.read() as session:
        assert session.scalar(select(Booking.status)) == "cancelled"


def test_rate_limit_window_follows_the_clock(db: Database) -> None:
    add_owner(db, now=NOW)
    now = [NOW]
    client = TestClient(create_app(make_ctx(db, lambda: now[0], rate_limit_per_minute=1)))
    assert client.post("/api/book/ada", json=body(email="x")).status_code == 422
    assert client.post("/api/book/ada", json=body(email="x")).status_code == 429
    now[0] = NOW + timedelta(seconds=61)
    assert client.post("/api/book/ada", json=body(email="x")).status_code == 422
