"""Webhook mode and leader-only polling: a real PTB Application, the real web app on uvicorn
(127.0.0.1) and the fake Bot API, which POSTs updates to the webhook as Telegram would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from agents.context import AppConfig, AppContext
from bots.telegram import webhook
from bots.telegram.app import (
    TelegramApp,
    build_application,
    start_bot,
    start_polling,
    stop_bot,
    stop_polling,
)
from bots.web.app import create_app
from bots.web.telegram_webhook import FORBIDDEN, NOT_JSON, SECRET_HEADER
from errands.runtime import Banner, _start_telegram
from errands.settings import load_settings
from store import owners
from store.db import Database
from tests.agents.meetings.helpers import serve
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)
SECRET = "s3cret_token-42"
PATH = "/telegram/webhook"


@pytest.fixture
def ctx(db: Database) -> AppContext:
    return AppContext(db=db, config=AppConfig(owner_chat_ids=(42,)), clock=lambda: NOW)


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
async def web(ctx: AppContext) -> AsyncIterator[str]:
    """The errands web app served on 127.0.0.1; yields the webhook URL on it."""
    async with serve(create_app(ctx)) as base:
        yield base + PATH


class Counting:
    """Counts what reaches the bot's receiver (to show a refused POST reaches nothing)."""

    def __init__(self, ctx: AppContext) -> None:
        assert ctx.telegram_webhook is not None
        self.inner = ctx.telegram_webhook.receive
        self.calls = 0
        ctx.telegram_webhook = replace(ctx.telegram_webhook, receive=self.receive)

    async def receive(self, data: object) -> bool:
        self.calls += 1
        return await self.inner(data)


@pytest.fixture
async def bot(ctx: AppContext, api: FakeTelegramAPI, web: str) -> AsyncIterator[TelegramApp]:
    """The bot in webhook mode, built the way ``bots`` offers it (no runtime)."""
    app, surface = build_application(ctx, token="123:abc", base_url=api.bot_base_url, features=[])
    await start_bot(app, surface, poll=False)
    await webhook.register(app, url=web, secret=SECRET)
    ctx.telegram_webhook = webhook.receiver(app, url=web, secret=SECRET)
    try:
        yield app
    finally:
        await stop_bot(app)


async def test_runtime_starts_webhook_mode_and_an_update_posted_with_the_secret_is_answered(
    ctx: AppContext, api: FakeTelegramAPI, web: str, db: Database, tmp_path: Path
) -> None:
    settings = load_settings(
        data_dir=tmp_path / "data",
        telegram_token="123:abc",
        telegram_base_url=api.bot_base_url,
        telegram_webhook_url=web,
        telegram_webhook_secret=SECRET,
    )
    banner = Banner()
    app = await _start_telegram(ctx, settings, banner, poll=True)  # poll is moot: a webhook
    assert app is not None
    try:
        assert f"@fake_bot webhook at {web}" in "\n".join(banner.lines)
        (call,) = api.sent("setWebhook")
        assert call["url"] == web and call["secret_token"] == SECRET
        assert call["allowed_updates"] == ["message", "edited_message", "callback_query"]
        assert call["drop_pending_updates"] in ("False", "false", False)
        assert (api.webhook_url, api.webhook_secret) == (web, SECRET)
        info = await app.bot.get_webhook_info()
        assert info.url == web

        api.user_message("/start", chat_id=42)
        assert await api.deliver_webhook() == [200]
        reply = (await api.wait_for("sendMessage"))[0]
        assert reply["chat_id"] == "42"
        with db.read() as session:
            assert owners.get_by_chat_id(session, chat_id=42) is not None
        assert api.updates == []  # delivered: Telegram would not send it again
    finally:
        from errands.runtime import _stop_telegram

        await _stop_telegram(app)
    assert not [c for c in api.calls if c.method == "getUpdates"]  # nobody polled
    assert api.sent("deleteWebhook") == []  # other instances still serve it
    assert api.webhook_url == web


async def test_wrong_or_missing_secret_is_403_and_nothing_is_processed(
    ctx: AppContext, api: FakeTelegramAPI, bot: TelegramApp, web: str
) -> None:
    counting = Counting(ctx)
    api.user_message("/start", chat_id=42)
    assert await api.deliver_webhook(headers={SECRET_HEADER: "wrong"}) == [403]
    assert await api.deliver_webhook(headers={SECRET_HEADER: SECRET + "x"}) == [403]
    assert await api.deliver_webhook(headers={}) == [403]
    async with httpx.AsyncClient() as client:
        refused = await client.post(web, content=b"not json", headers={SECRET_HEADER: ""})
    assert refused.status_code == 403  # the secret is checked before the body is read
    assert refused.json()["error"] == FORBIDDEN
    assert counting.calls == 0
    assert len(api.updates) == 1  # still pending at Telegram

    assert await api.deliver_webhook() == [200]
    await api.wait_for("sendMessage")
    await stop_bot(bot)  # handles every queued update before it returns
    assert counting.calls == 1
    assert len(api.sent("sendMessage")) == 1


BAD_BODIES = [
    (b"not json", NOT_JSON),
    (b"\xff\xfe{", NOT_JSON),
    (b"[" * 20_000, NOT_JSON),  # nested past the parser's recursion limit
    (b"", NOT_JSON),
    (b"[1, 2]", webhook.NOT_AN_UPDATE),
    (b'"update"', webhook.NOT_AN_UPDATE),
    (b'{"message": {}}', webhook.NOT_AN_UPDATE),
    (b'{"update_id": "7"}', webhook.NOT_AN_UPDATE),
    (b'{"update_id": true}', webhook.NOT_AN_UPDATE),
    (b'{"update_id": -1}', webhook.NOT_AN_UPDATE),
    (b'{"update_id": 7, "message": "hi"}', "a field has a wrong shape"),
    (b'{"update_id": 7, "message": {"message_id": 1}}', "a field has a wrong shape"),
    (b'{"update_id": 7, "callback_query": [1]}', "a field has a wrong shape"),
]


async def test_bad_bodies_are_400_with_a_clear_message(
    bot: TelegramApp, web: str, api: FakeTelegramAPI
) -> None:
    async with httpx.AsyncClient() as client:
        for body, error in BAD_BODIES:
            response = await client.post(web, content=body, headers={SECRET_HEADER: SECRET})
            assert (response.status_code, body[:40]) == (400, body[:40])
            assert error in response.json()["error"], body[:40]
    await stop_bot(bot)  # whatever was queued is handled before this returns
    assert api.sent("sendMessage") == []


async def test_method_and_path_edges(ctx: AppContext, bot: TelegramApp, web: str) -> None:
    good = {"update_id": 9}  # an update of a kind nobody handles: taken, ignored
    async with httpx.AsyncClient() as client:
        assert (await client.get(web)).status_code == 405
        other = web.replace(PATH, "/telegram/other")
        assert (await client.post(other, json=good)).status_code == 404
        response = await client.post(web, json=good, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 200
        await stop_bot(bot)  # stopping: Telegram should retry, maybe at another instance
        response = await client.post(web, json=good, headers={SECRET_HEADER: SECRET})
        assert response.status_code == 503
        assert response.headers["retry-after"]


def test_no_webhook_route_without_a_receiver(db: Database) -> None:
    ctx = AppContext(db=db, config=AppConfig(), clock=lambda: NOW)
    client = TestClient(create_app(ctx), raise_server_exceptions=False)
    response = client.post(PATH, json={"update_id": 1}, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 404


async def test_webhook_mode_never_polls(ctx: AppContext, api: FakeTelegramAPI, web: str) -> None:
    app, surface = build_application(ctx, token="123:abc", base_url=api.bot_base_url, features=[])
    await start_bot(app, surface, poll=True, poll_timeout=1)
    try:
        await webhook.register(app, url=web, secret=SECRET)  # stops the poll it finds
        assert app.updater is not None and not app.updater.running
        await start_polling(app)  # the leader gaining leadership: still no poll
        assert not app.updater.running
        assert api.webhook_url == web
    finally:
        await stop_bot(app)


@pytest.mark.slow
async def test_start_and_stop_polling_are_idempotent_and_stopping_stops_get_updates(
    ctx: AppContext, api: FakeTelegramAPI, db: Database
) -> None:
    app, surface = build_application(ctx, token="123:abc", base_url=api.bot_base_url, features=[])
    await start_bot(app, surface, poll=False)
    try:
        assert _polls(api) == 0  # not the leader: no getUpdates at all
        await start_polling(app, poll_timeout=1)
        await start_polling(app, poll_timeout=1)  # gained twice: one poller
        api.user_message("/start", chat_id=42)
        await api.wait_for("sendMessage")

        await stop_polling(app)
        await stop_polling(app)  # lost twice: fine
        polls = _polls(api)
        api.user_message("/help", chat_id=42)
        await asyncio.sleep(1.5)  # longer than one long-poll: a live poller would have asked
        assert _polls(api) == polls
        assert len(api.sent("sendMessage")) == 1
        assert len(api.updates) == 1  # /help waits at Telegram for the next leader

        await start_polling(app, poll_timeout=1)  # leader again: nothing was lost
        await api.wait_for("sendMessage", 2)
    finally:
        await stop_bot(app)
    assert api.sent("deleteWebhook")  # PTB clears any webhook before polling


def _polls(api: FakeTelegramAPI) -> int:
    return sum(1 for c in api.calls if c.method == "getUpdates")


async def test_the_fake_refuses_what_telegram_refuses(api: FakeTelegramAPI) -> None:
    from telegram import Bot
    from telegram.error import BadRequest, Conflict

    async with Bot("123:abc", base_url=api.bot_base_url) as tg:
        with pytest.raises(BadRequest, match=r"(?i)https url"):
            await tg.set_webhook("http://bot.example.org/tg", secret_token=SECRET)
        with pytest.raises(BadRequest, match=r"(?i)ports 80, 88, 443 or 8443"):
            await tg.set_webhook("https://bot.example.org:8080/tg", secret_token=SECRET)
        with pytest.raises(BadRequest, match=r"(?i)secret token"):
            await tg.set_webhook("https://bot.example.org/tg", secret_token="not ok")
        assert api.webhook_url == ""
        async with httpx.AsyncClient() as client:
            response = await client.post(f"{api.base_url}/_control/deliver")
        assert response.status_code == 409  # nothing to deliver to

        assert await tg.set_webhook("https://bot.example.org/tg", secret_token=SECRET)
        with pytest.raises(Conflict, match=r"(?i)webhook is active"):
            await tg.get_updates()
        assert await tg.delete_webhook()
        assert await tg.get_updates() == ()
