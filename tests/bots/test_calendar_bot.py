"""/calendar and the /status "Calendars" section: a real PTB application against the fake Bot
API, a real SQLite store and a local .ics URL that breaks (401) after a good sync."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest

from agents.context import AppConfig, AppContext
from bots.telegram.app import build_application, start_bot, stop_bot
from store import calendars, owners
from store.db import Database
from tests.agents.meetings.calendar_servers import IcsFeed, Served, event, serve_wsgi, vcalendar
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI


@pytest.fixture
def feed() -> Iterator[tuple[IcsFeed, Served]]:
    body = vcalendar(event("x", ":20260303T100000Z", ":20260303T110000Z")).encode()
    app = IcsFeed(body=body)
    served = serve_wsgi(app)
    yield app, served
    served.stop()


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    fake = FakeTelegramAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def ctx(api: FakeTelegramAPI, db: Database) -> AsyncIterator[AppContext]:
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
    clock = {"now": NOW}
    config = AppConfig(owner_chat_ids=(42,), secret_key="k" * 32, public_url="https://a.example")
    context = AppContext(db=db, config=config, clock=lambda: clock["now"])
    app, surface = build_application(context, token="123:abc", base_url=api.bot_base_url)
    await start_bot(app, surface, poll_timeout=1)
    yield context
    await stop_bot(app)


async def say(api: FakeTelegramAPI, text: str, count: int) -> str:
    api.user_message(text, chat_id=42)
    sent = await api.wait_for("sendMessage", count)
    return str(sent[count - 1]["text"])


async def test_calendar_add_status_and_feed(
    api: FakeTelegramAPI, ctx: AppContext, feed: tuple[IcsFeed, Served]
) -> None:
    app, served = feed
    assert "No calendars yet" in await say(api, "/calendar", 1)
    added = await say(api, f"/calendar add {served.base}/private/abcdef123456.ics", 2)
    assert "✔ #1 subscription 127.0.0.1/…56.ics: synced just now, 1 busy time" in added

    app.status = 401
    with ctx.db.write() as session:  # an hour later the server refuses us
        row = calendars.get(session, owner_id=1, calendar_id=1)
        calendars.record_failure(
            row, error="127.0.0.1 refused the login (HTTP 401)", now=NOW + timedelta(hours=1)
        )
    status = await say(api, "/status", 3)
    assert "<b>Calendars</b>" in status
    assert "✖ #1 subscription" in status and "refused the login (HTTP 401)" in status
    assert "still using the copy from just now (1 busy time)" in status

    link = await say(api, "/calendar feed", 4)
    assert "webcal://a.example/feed/ada/" in link
    revoked = await say(api, "/calendar revoke", 5)
    assert "Old links no longer work." in revoked and link.split("<code>")[1] not in revoked

    assert "No calendars yet" in await say(api, "/calendar remove 1", 6)
    assert "/calendar add" in await say(api, "/calendar add notaurl", 7)
