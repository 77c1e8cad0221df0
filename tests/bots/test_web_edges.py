"""Edge input on the public web endpoints: a clear 4xx, never a 5xx, and nothing stored.

Extreme dates (year 1 or 9999, which overflowed the slot arithmetic) and digits that
``str.isdigit`` accepts but ``int`` does not (``²``) on every route that reads them.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from agents.meetings import lifecycle, links
from agents.meetings.availability import OUT_OF_REACH
from bots.web import csrf
from bots.web.app import create_app
from store.db import Database
from store.models import Booking, OutboxMessage
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)
SLOT = "2026-03-03T10:00:00+01:00"
FAR_DAYS = ["9999-12-31", "9999-12-01", "0001-01-01", "0001-01-02", "2029-03-02", "2024-01-01"]
FAR_TIMES = [
    "9999-12-31T23:00:00-05:00",
    "9999-12-31T23:59:59+00:00",
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:00:00-12:00",
    "2030-01-01T10:00:00+01:00",
]
ODD_DIGITS = ["²", "٣", "３", "0²", "¹⁰", "1e3", "-1", " 7", "99999"]


def count(db: Database) -> int:
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Booking)) or 0)


@pytest.fixture
def client(db: Database) -> TestClient:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW, rate_limit_per_minute=10_000, open_requests_per_ip=1000)
    return TestClient(create_app(ctx), raise_server_exceptions=False)


def form_token(client: TestClient) -> str:
    client.get("/book/ada/slot", params={"start": SLOT, "length": 30})
    return client.cookies[csrf.COOKIE].split(".")[0]


@pytest.mark.parametrize("day", FAR_DAYS)
def test_far_from_days_are_a_clear_422(client: TestClient, day: str) -> None:
    api = client.get("/api/book/ada/slots", params={"from": day, "tz": "Pacific/Kiritimati"})
    assert api.status_code == 422 and api.json() == {"error": OUT_OF_REACH}
    page = client.get("/book/ada", params={"from": day, "tz": "Pacific/Kiritimati"})
    if day < "2026":  # the page starts at today when asked for the past
        assert page.status_code == 200
    else:
        assert page.status_code == 422 and OUT_OF_REACH in page.text


@pytest.mark.parametrize("start", FAR_TIMES)
def test_far_start_times_are_a_clear_422_and_store_nothing(
    client: TestClient, db: Database, start: str
) -> None:
    form = client.get("/book/ada/slot", params={"start": start, "tz": "Asia/Tokyo"})
    assert form.status_code == 422 and OUT_OF_REACH in form.text
    booking = {"start": start, "length": 30, "name": "Grace", "email": "g@example.org"}
    api = client.post("/api/book/ada", json={**booking, "timezone": "Pacific/Kiritimati"})
    assert api.status_code == 422 and api.json() == {"error": OUT_OF_REACH}
    fields = {**booking, "tz": "Asia/Tokyo", csrf.FIELD: form_token(client)}
    posted = client.post("/book/ada", data=fields)
    assert posted.status_code == 422 and OUT_OF_REACH in posted.text
    assert count(db) == 0


def test_moving_a_meeting_to_a_far_time_is_a_clear_422(client: TestClient, db: Database) -> None:
    assert client.post(
        "/api/book/ada",
        json={"start": SLOT, "length": 30, "name": "Grace", "email": "g@example.org"},
    ).is_success
    ctx = client.app.state.ctx  # type: ignore[attr-defined]
    lifecycle.apply_decision(ctx, booking_id=1, action="approve", now=NOW)
    with db.read() as session:
        booking = session.get(Booking, 1)
        assert booking is not None
        path = links.manage_link(ctx, booking).removeprefix("http://127.0.0.1:8080")
    token = form_token(client)
    for start in FAR_TIMES:
        moved = client.post(
            f"{path}/reschedule", data={"start": start, "sequence": "0", csrf.FIELD: token}
        )
        assert moved.status_code == 422 and OUT_OF_REACH in moved.text, start
    with db.read() as session:
        booking = session.get(Booking, 1)
        assert booking is not None and booking.sequence == 0
        assert booking.start_at == datetime.fromisoformat(SLOT)


@pytest.mark.parametrize("odd", ODD_DIGITS)
def test_numbers_must_be_ascii_digits_in_range(client: TestClient, odd: str) -> None:
    for params in ({"days": odd}, {"length": odd}):
        api = client.get("/api/book/ada/slots", params=params)
        assert api.status_code == 422, (params, api.text)
        name = next(iter(params))
        assert api.json()["error"] in (
            f"{name} must be a whole number.",
            f"{name} must be 1 to 62." if name == "days" else f"{name} must be 0 to 1440.",
        )
    assert client.get("/book/ada", params={"length": odd}).status_code == 422
    assert client.get("/book/ada/slot", params={"start": SLOT, "length": odd}).status_code == 422
    fields = {"start": SLOT, "length": odd, "name": "G", "email": "g@example.org"}
    posted = client.post("/book/ada", data={**fields, csrf.FIELD: form_token(client)})
    assert posted.status_code == 422


FORMAT_CHARS = ["\u202e", "\u202d", "\u200b", "\u200e", "\u2066", "\u2069", "\ufeff", "\u00ad"]
"""Unicode Cf: bidi overrides and isolates, zero-width space, marks, BOM, soft hyphen."""


def has_format_chars(text: str) -> bool:
    return any(unicodedata.category(c) in ("Cf", "Cc", "Cs") and c not in "\n\t" for c in text)


@pytest.mark.parametrize("cf", FORMAT_CHARS, ids=[f"U+{ord(c):04X}" for c in FORMAT_CHARS])
def test_names_with_format_characters_are_refused(
    client: TestClient, db: Database, cf: str
) -> None:
    booking = {"start": SLOT, "length": 30, "email": "g@example.org"}
    api = client.post("/api/book/ada", json={**booking, "name": f"Grace{cf}gpj.exe"})
    assert api.status_code == 422 and "invisible" in api.json()["error"]
    email = client.post("/api/book/ada", json={**booking, "name": "G", "email": f"g{cf}@x.org"})
    assert email.status_code == 422
    fields = {**booking, "name": f"{cf}Grace", csrf.FIELD: form_token(client)}
    form = client.post("/book/ada", data=fields)
    assert form.status_code == 422 and "invisible" in form.text
    assert count(db) == 0


def test_format_characters_are_dropped_from_the_topic_and_never_reach_the_card(
    client: TestClient, db: Database
) -> None:
    topic = "".join(f"part{i}{cf}" for i, cf in enumerate(FORMAT_CHARS)) + "\nline two"
    created = client.post(
        "/api/book/ada",
        json={
            "start": SLOT,
            "length": 30,
            "name": "Grace",
            "email": "g@example.org",
            "topic": topic,
        },
    )
    assert created.status_code == 201, created.text
    with db.read() as session:
        booking = session.get(Booking, 1)
        assert booking is not None
        assert booking.topic == "part0part1part2part3part4part5part6part7\nline two"
        cards = list(session.scalars(select(OutboxMessage)))
    assert cards and all(not has_format_chars(str(c.payload)) for c in cards)
    assert "part7" in str(cards[0].payload["text"])


@pytest.mark.parametrize("field", ["name", "topic", "email", "timezone"])
def test_lone_surrogates_and_nul_in_json_are_a_422(
    client: TestClient, db: Database, field: str
) -> None:
    base = {"start": SLOT, "length": 30, "name": "Grace", "email": "g@example.org"}
    base.pop(field, None)
    for bad in ("\\ud800", "\\udfff", "\\u0000"):
        raw = json.dumps(base)[:-1] + f', "{field}": "x{bad}"}}'  # a raw escape in the JSON
        response = client.post(
            "/api/book/ada", content=raw.encode(), headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, (field, bad, response.text)
    assert count(db) == 0


def test_json_api_refuses_other_content_types_with_415_and_stores_nothing(
    client: TestClient, db: Database
) -> None:
    booking = json.dumps({"start": SLOT, "length": 30, "name": "Grace", "email": "g@example.org"})
    cross_site = {"origin": "https://evil.example", "referer": "https://evil.example/page"}
    for media in [
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
    ]:
        headers = {**cross_site, "content-type": media} if media else cross_site
        response = client.post("/api/book/ada", content=booking.encode(), headers=headers)
        assert response.status_code == 415, (media, response.text)
        assert response.json() == {
            "error": "Send the booking as JSON (Content-Type: application/json)."
        }
    assert count(db) == 0
    created = client.post(
        "/api/book/ada",
        content=booking.encode(),
        headers={"content-type": "application/json; charset=utf-8"},
    )
    assert created.status_code == 201 and count(db) == 1


def test_non_ascii_csrf_values_are_refused_not_a_crash(client: TestClient, db: Database) -> None:
    token = form_token(client)
    fields = {"start": SLOT, "length": "30", "name": "G", "email": "g@example.org"}
    for bad in ("é", "\u202e", token + "²", "x" * 5000):
        assert client.post("/book/ada", data={**fields, csrf.FIELD: bad}).status_code == 403
    strange = TestClient(client.app, raise_server_exceptions=False)
    cookie = {b"cookie": f"{csrf.COOKIE}=\xe9t\xe9.\xe9".encode("latin-1")}  # non-ASCII bytes
    assert strange.get("/book/ada", headers=cookie).status_code == 200
    posted = strange.post("/book/ada", data={**fields, csrf.FIELD: "\xe9t\xe9"}, headers=cookie)
    assert posted.status_code == 403
    assert count(db) == 0


def test_the_edges_of_the_window_still_answer(client: TestClient) -> None:
    for day in ("2025-03-01", "2028-03-03"):  # a year back, two years ahead of 2026-03-02
        for tz in ("Pacific/Kiritimati", "Etc/GMT+12"):
            got = client.get("/api/book/ada/slots", params={"from": day, "days": 62, "tz": tz})
            assert got.status_code == 200 and got.json()["slots"] == [], (day, tz, got.text)
    beyond = client.get("/api/book/ada/slots", params={"from": "2028-03-05"})
    assert beyond.status_code == 422
