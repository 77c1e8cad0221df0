"""The web skeleton through a real HTTP client (Starlette's TestClient) and uvicorn."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi import Form, Request
from fastapi.testclient import TestClient

from agents.context import AppConfig, AppContext
from bots.web import csrf
from bots.web.app import create_app
from bots.web.render import render
from store.db import Database
from store.errors import InvalidInput


@pytest.fixture
def ctx(db: Database) -> AppContext:
    return AppContext(
        db=db,
        config=AppConfig(secret_key="test-secret"),
        clock=lambda: datetime(2026, 3, 2, 9, tzinfo=UTC),
        schedule_view=lambda: [("outbox", datetime(2026, 3, 2, 9, 0, 2, tzinfo=UTC))],
    )


@pytest.fixture
def client(ctx: AppContext) -> TestClient:
    app = create_app(ctx)

    @app.get("/form")
    def form(request: Request):  # type: ignore[no-untyped-def]
        return render(request, "index.html", {})

    @app.post("/form")
    def submit(request: Request, csrf_token: str = Form("")) -> dict[str, bool]:
        if not csrf.is_valid(request, "test-secret", csrf_token):
            raise InvalidInput("The form expired; reload the page and try again.")
        return {"ok": True}

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret internals")

    return TestClient(app, raise_server_exceptions=False)


def test_healthz_reports_database_and_scheduler(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["scheduler"]["running"] is True
    assert body["scheduler"]["jobs"][0]["id"] == "outbox"


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["content-security-policy"]


def test_friendly_404_page_and_json(client: TestClient) -> None:
    page = client.get("/nope")
    assert page.status_code == 404
    assert "does not exist" in page.text
    assert "<html" in page.text
    api = client.get("/api/nope")
    assert api.status_code == 404
    assert api.json() == {"error": "This page does not exist."}


def test_500_is_friendly_and_hides_internals(client: TestClient) -> None:
    response = client.get("/boom")
    assert response.status_code == 500
    assert "something went wrong" in response.text
    assert "secret internals" not in response.text


def test_body_size_limit(client: TestClient) -> None:
    response = client.post("/form", content=b"x" * (65 * 1024))
    assert response.status_code == 413
    assert "too large" in response.json()["error"]


def test_csrf_round_trip_and_rejection(client: TestClient) -> None:
    page = client.get("/form")
    assert csrf.COOKIE in page.cookies
    token = page.cookies[csrf.COOKIE].split(".")[0]
    assert client.post("/form", data={"csrf_token": token}).json() == {"ok": True}
    missing = client.post("/form", data={})
    assert missing.status_code == 422
    assert "expired" in missing.text
    forged = TestClient(client.app, raise_server_exceptions=False)
    forged.cookies.set(csrf.COOKIE, "abc.def")
    assert forged.post("/form", data={"csrf_token": "abc"}).status_code == 422
