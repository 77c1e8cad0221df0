"""TelegramNotifier, send_with_retry and the HTML helpers against the fake Bot API.

A real ``telegram.Bot``/``Application`` talks HTTP to ``tests.fakes.telegram_api``, so PTB's
own request encoding and error mapping are part of what is tested.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes
from telegram.request import HTTPXRequest

from agents.context import AppConfig, AppContext
from agents.notify import DeliveryError, Notifier
from bots.telegram import html
from bots.telegram.notifier import (
    UNCONFIRMED,
    TelegramNotifier,
    may_have_arrived,
    send_with_retry,
)
from jobs.outbox import dispatch_once
from store import outbox
from store.db import Database
from tests.fakes.processes import free_port
from tests.fakes.telegram_api import FakeTelegramAPI, html_to_text

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "123:abc"


# PTB 22.8 itself warns when it builds a RetryAfter (int vs timedelta); nothing to fix here.
pytestmark = pytest.mark.filterwarnings(
    "ignore:.*`retry_after`.*:telegram.warnings.PTBDeprecationWarning"
)

# One server and one Bot per module (starting them costs ~0.3 s), so the async tests share
# the module's loop; each test still gets a reset fake through the ``api`` fixture.
shared_loop = pytest.mark.asyncio(loop_scope="module")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def server() -> AsyncIterator[FakeTelegramAPI]:
    async with FakeTelegramAPI() as fake:
        yield fake


@pytest.fixture
def api(server: FakeTelegramAPI) -> FakeTelegramAPI:
    server.reset()
    return server


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(server: FakeTelegramAPI) -> AsyncIterator[Bot]:
    base = server.base_url
    bot = Bot(token=TOKEN, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")
    await bot.initialize()
    yield bot
    await bot.shutdown()


@pytest.fixture
def notifier(bot: Bot) -> TelegramNotifier:
    return TelegramNotifier(bot)


class FakeSleep:
    """Records the waits instead of sleeping, so retry tests take milliseconds."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


def payload(text: str = "Hello", **extra: Any) -> dict[str, Any]:
    return {"text": text, "buttons": [], "edit_message_id": None, "disable_preview": False, **extra}


# --- TelegramNotifier ------------------------------------------------------------------------


def test_is_a_notifier(notifier: TelegramNotifier) -> None:
    checked: Notifier = notifier
    assert checked.channel == "telegram"


@shared_loop
async def test_send_with_buttons(api: FakeTelegramAPI, notifier: TelegramNotifier) -> None:
    buttons = [
        [{"text": "Yes", "callback_data": "todo:done:7"}, {"text": "Later", "callback_data": "s"}],
        [{"text": "Paper", "url": "https://arxiv.org/abs/2401.00001"}],
    ]
    result = await notifier.deliver(
        "42",
        payload(
            f"{html.bold('Due')} {html.escape('a < b')}", buttons=buttons, disable_preview=True
        ),
    )

    (sent,) = api.sent("sendMessage")
    assert result == {"message_id": api.bot_messages[-1]["message_id"]}
    assert sent["chat_id"] == "42"
    assert sent["parse_mode"] == "HTML"
    assert sent["text"] == "<b>Due</b> a &lt; b"
    assert sent["reply_markup"] == {"inline_keyboard": buttons}
    assert sent["link_preview_options"] == {"is_disabled": True}
    assert api.messages[(42, result["message_id"])]["text"] == "Due a < b"


@shared_loop
async def test_edit_and_repeated_edit(api: FakeTelegramAPI, notifier: TelegramNotifier) -> None:
    first = await notifier.deliver(
        "42", payload("Pick one", buttons=[[{"text": "A", "callback_data": "a"}]])
    )
    edit = payload("<i>Done</i>", edit_message_id=first["message_id"])

    assert await notifier.deliver("42", edit) == first
    # The outbox may deliver the same edit twice; "message is not modified" is a success.
    assert await notifier.deliver("42", edit) == first

    (sent,) = api.sent("editMessageText")
    assert sent["message_id"] == str(first["message_id"])
    assert sent["parse_mode"] == "HTML"
    stored = api.messages[(42, first["message_id"])]
    assert stored["text"] == "Done"
    assert "reply_markup" not in stored  # the edit carried no buttons, so they are gone
    assert [c.status for c in api.calls if c.method == "editMessageText"] == [200, 400]


@shared_loop
async def test_flood_control_gives_retry_after(
    api: FakeTelegramAPI, notifier: TelegramNotifier
) -> None:
    api.fail_next("sendMessage", "429", retry_after=3)
    with pytest.raises(DeliveryError) as caught:
        await notifier.deliver("42", payload())
    assert caught.value.retry_after == 3
    assert not caught.value.permanent


@shared_loop
async def test_network_error_is_transient(api: FakeTelegramAPI, notifier: TelegramNotifier) -> None:
    api.fail_next("sendMessage", "network")
    with pytest.raises(DeliveryError) as caught:
        await notifier.deliver("42", payload())
    assert not caught.value.permanent
    assert caught.value.retry_after is None
    # The connection pool recovers: the next send goes through.
    assert await notifier.deliver("42", payload())


@shared_loop
async def test_a_send_that_timed_out_after_it_went_out_is_not_sent_again(
    api: FakeTelegramAPI, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    """The answer is late, Telegram has the message: the outbox marks the row sent (at most
    once) and names it in a warning; an edit that timed out is simply retried."""
    now = datetime(2026, 3, 2, 9, tzinfo=UTC)
    slow = Bot(TOKEN, base_url=f"{api.base_url}/bot", request=HTTPXRequest(read_timeout=0.2))
    await slow.initialize()
    ctx = AppContext(
        db=db, config=AppConfig(), clock=lambda: now, notifiers={"telegram": TelegramNotifier(slow)}
    )
    with db.write() as session:
        outbox.enqueue(
            session,
            channel="telegram",
            recipient="42",
            payload=payload("Hello once"),
            due_at=now,
            idempotency_key="once",
            now=now,
        )
    api.latency_ms = 500  # longer than the bot waits for an answer
    try:
        first = await dispatch_once(ctx, now=now)
        for _ in range(500):  # the fake finishes the call its client gave up on
            if api.calls[-1].status is not None:
                break
            await asyncio.sleep(0.01)
        again = await dispatch_once(ctx, now=now + timedelta(hours=1))
        with pytest.raises(DeliveryError) as edit_failed:
            await TelegramNotifier(slow).deliver("42", payload("Edited", edit_message_id=2))
    finally:
        api.latency_ms = 0
        await slow.shutdown()
    assert (first.sent, first.retried, again.claimed) == (1, 0, 0)
    assert [m["text"] for m in api.bot_messages] == ["Hello once"]  # Telegram got it, once
    with db.read() as session:
        sent = outbox.get_message(session, key="once")
    assert sent is not None and sent.status == "sent"
    assert sent.result == {"message_id": None, "unconfirmed": UNCONFIRMED}
    assert f"outbox row {sent.id}: Telegram did not answer in time" in caplog.text
    assert not edit_failed.value.permanent


def test_only_a_timeout_before_the_request_left_counts_as_not_arrived() -> None:
    def timed_out(cause: Exception | None) -> TimedOut:
        error = TimedOut()
        error.__cause__ = cause
        return error

    assert not may_have_arrived(timed_out(httpx.ConnectTimeout("no connection")))
    assert not may_have_arrived(timed_out(httpx.PoolTimeout("no free connection")))
    assert may_have_arrived(timed_out(httpx.ReadTimeout("no answer")))
    assert may_have_arrived(timed_out(httpx.WriteTimeout("half sent")))
    assert may_have_arrived(timed_out(None))


@pytest.mark.parametrize(("kind", "words"), [("400", "chat not found"), ("403", "blocked")])
@shared_loop
async def test_rejections_are_permanent(
    api: FakeTelegramAPI, notifier: TelegramNotifier, kind: str, words: str
) -> None:
    api.fail_next("sendMessage", kind)
    with pytest.raises(DeliveryError) as caught:
        await notifier.deliver("42", payload())
    assert caught.value.permanent
    assert words in caught.value.user_message.lower()
    assert TOKEN not in caught.value.user_message


@pytest.mark.parametrize(
    "bad",
    [
        ("@someone", payload()),
        ("42", payload("")),
        ("42", payload(buttons=[[{"text": "x", "callback_data": "é" * 33}]])),  # 66 bytes
        ("42", payload(buttons=[[{"text": "x", "callback_data": "a", "url": "https://x.y"}]])),
        ("42", payload(edit_message_id="7")),
    ],
    ids=["recipient", "empty-text", "long-callback-data", "two-targets", "edit-id-type"],
)
@shared_loop
async def test_invalid_input_is_permanent_and_not_sent(
    api: FakeTelegramAPI, notifier: TelegramNotifier, bad: tuple[str, dict[str, Any]]
) -> None:
    recipient, body = bad
    with pytest.raises(DeliveryError) as caught:
        await notifier.deliver(recipient, body)
    assert caught.value.permanent
    assert api.calls == []


@shared_loop
async def test_callback_data_of_exactly_64_bytes_is_fine(
    api: FakeTelegramAPI, notifier: TelegramNotifier
) -> None:
    data = "é" * 32
    await notifier.deliver("42", payload(buttons=[[{"text": "x", "callback_data": data}]]))
    assert (
        api.sent("sendMessage")[0]["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == data
    )


@shared_loop
async def test_long_text_is_cut_to_valid_html(
    api: FakeTelegramAPI, notifier: TelegramNotifier
) -> None:
    text = "<b>" + "x &amp; y " * 1000 + "</b>"  # 6000 visible characters
    await notifier.deliver("42", payload(text))
    sent = api.sent("sendMessage")[0]["text"]
    assert sent.endswith("…</b>")
    assert len(api.bot_messages[-1]["text"]) == 4096  # the fake parsed it like Telegram


# --- send_with_retry -------------------------------------------------------------------------


@shared_loop
async def test_send_with_retry_waits_out_flood_control(api: FakeTelegramAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", "429", retry_after=1)
    sleep = FakeSleep()
    message = await send_with_retry(lambda: bot.send_message(42, "hi"), sleep=sleep)
    assert sleep.delays == [1.0]
    assert message.text == "hi"
    assert len(api.sent("sendMessage")) == 1


@shared_loop
async def test_send_with_retry_backs_off_on_network_errors(api: FakeTelegramAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", "network", count=2)
    sleep = FakeSleep()
    await send_with_retry(lambda: bot.send_message(42, "hi"), base_delay=0.5, sleep=sleep)
    assert sleep.delays == [0.5, 1.0]
    assert len(api.sent("sendMessage")) == 1


@shared_loop
async def test_send_with_retry_gives_up(api: FakeTelegramAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", "network", count=3)
    sleep = FakeSleep()
    with pytest.raises(NetworkError):
        await send_with_retry(lambda: bot.send_message(42, "hi"), attempts=3, sleep=sleep)
    assert len(sleep.delays) == 2


@shared_loop
async def test_send_with_retry_does_not_retry_bad_requests(api: FakeTelegramAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", "400")
    sleep = FakeSleep()
    with pytest.raises(BadRequest):
        await send_with_retry(lambda: bot.send_message(42, "hi"), sleep=sleep)
    assert sleep.delays == []


@shared_loop
async def test_send_with_retry_refuses_long_flood_waits(api: FakeTelegramAPI, bot: Bot) -> None:
    api.fail_next("sendMessage", "429", retry_after=600)
    with pytest.raises(RetryAfter):
        await send_with_retry(lambda: bot.send_message(42, "hi"), max_wait=60, sleep=FakeSleep())


# --- the polling path, as the bot will run it -------------------------------------------------


@shared_loop
async def test_application_polls_commands_and_buttons(api: FakeTelegramAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.effective_message is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("10:00", callback_data="book:10")]])
        await update.effective_message.reply_text("Pick a slot", reply_markup=keyboard)

    async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        await query.answer()
        await query.edit_message_text(f"Booked {query.data.split(':')[1]}:00")

    app = (
        Application.builder()
        .token(TOKEN)
        .base_url(f"{api.base_url}/bot")
        .base_file_url(f"{api.base_url}/file/bot")
        .build()
    )
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CallbackQueryHandler(on_button, pattern=r"^book:"))
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=1)
        try:
            api.user_message("/start")
            (reply,) = await api.wait_for("sendMessage")
            assert reply["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "book:10"

            api.press_button(api.bot_messages[-1], "book:10")
            await api.wait_for("answerCallbackQuery")
            (edit,) = await api.wait_for("editMessageText")
            assert edit["text"] == "Booked 10:00"
        finally:
            await app.updater.stop()
            await app.stop()
    assert api.bot_messages[-1]["text"] == "Booked 10:00"


# --- the fake's HTTP control API -------------------------------------------------------------


@shared_loop
async def test_control_api(api: FakeTelegramAPI, bot: Bot) -> None:
    async with httpx.AsyncClient(base_url=f"{api.base_url}/_control") as control:
        update = (await control.post("/message", json={"text": "/help", "chat_id": 7})).json()
        assert update["message"]["entities"][0]["type"] == "bot_command"
        assert (await bot.get_updates())[0].message.text == "/help"  # type: ignore[union-attr]

        sent = await bot.send_message(
            7,
            "Choose",
            reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("A", callback_data="a")]]),
        )
        pressed = await control.post(
            "/button", json={"message_id": sent.message_id, "data": "a", "chat_id": 7}
        )
        assert pressed.json()["callback_query"]["message"]["message_id"] == sent.message_id

        fail = {"method": "sendMessage", "kind": "429", "retry_after": 2}
        assert (await control.post("/fail", json=fail)).status_code == 200
        with pytest.raises(RetryAfter):
            await bot.send_message(7, "x")

        calls = (await control.get("/calls", params={"method": "sendMessage"})).json()
        assert [c["status"] for c in calls] == [200, 429]
        assert calls[0]["params"]["text"] == "Choose"
        assert (await control.get("/stats")).json()["ok"]["sendMessage"] == 1

        await control.post("/reset")
        assert (await control.get("/calls")).json() == []


@shared_loop
async def test_hold_answers_n_calls_then_holds_and_never_accepts_a_call_cut_off(
    api: FakeTelegramAPI, bot: Bot
) -> None:
    """What the arXiv SIGKILL test relies on: a held call is accepted only when released."""
    async with httpx.AsyncClient(base_url=f"{api.base_url}/_control") as control:
        bad = await control.post("/hold", json={"method": "sendMessage", "after": -1})
        assert bad.status_code == 422
        await control.post("/hold", json={"method": "sendMessage", "after": 1})
        await bot.send_message(7, "answered")
        with pytest.raises(TimedOut):  # the client gives up while held: the socket closes
            await bot.send_message(7, "cut off", read_timeout=0.3)
        for _ in range(200):
            if api.calls[-1].status is not None:
                break
            await asyncio.sleep(0.01)
        assert [(c.params["text"], c.status) for c in api.calls] == [
            ("answered", 200),
            ("cut off", 0),
        ]

        waiting = asyncio.create_task(bot.send_message(7, "released"))
        for _ in range(200):
            if (await control.get("/stats")).json()["held"] == {"sendMessage": 1}:
                break
            await asyncio.sleep(0.01)
        assert api.calls[-1].status is None and not waiting.done()
        await control.post("/release")
        assert (await waiting).text == "released"
    assert [m["text"] for m in api.bot_messages] == ["answered", "released"]
    assert api.stats()["held"] == {}


@pytest.mark.subprocess
def test_fake_runs_as_a_separate_process() -> None:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            "tests.fakes.telegram_api:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, timeout=2) as client:
            for _ in range(200):
                try:
                    client.get("/_control/health")
                    break
                except httpx.TransportError:
                    if proc.poll() is not None:
                        pytest.fail(proc.stderr.read().decode() if proc.stderr else "exited")
                    time.sleep(0.02)
            client.post("/_control/message", json={"text": "/start"})
            got = client.post(f"/bot{TOKEN}/getUpdates", data={"timeout": "0"}).json()
            assert got["result"][0]["message"]["text"] == "/start"
            assert client.post(f"/bot{TOKEN}/nope").status_code == 400
    finally:
        proc.terminate()
        proc.wait(5)


def test_fake_serves_from_a_thread() -> None:
    fake = FakeTelegramAPI()
    with fake.serve_in_thread() as base, httpx.Client(base_url=base, timeout=5) as client:
        with ThreadPoolExecutor(1) as pool:
            poll = pool.submit(client.post, f"/bot{TOKEN}/getUpdates", data={"timeout": "10"})
            fake.wait_for_poller()  # the long-poll is waiting: the push below must wake it
            started = time.monotonic()
            fake.user_message("hi", chat_id=5)  # pushed from this thread, wakes that loop
            updates = poll.result(timeout=5).json()["result"]
        assert time.monotonic() - started < 2
        assert updates[0]["message"]["chat"]["id"] == 5


# --- HTML helpers ----------------------------------------------------------------------------


def test_html_helpers() -> None:
    assert html.escape('<a href="x">&') == '&lt;a href="x"&gt;&amp;'
    assert html.bold("1 < 2") == "<b>1 &lt; 2</b>"
    assert html.code("x&y") == "<code>x&amp;y</code>"
    assert html.link('https://e.x/?a=1&b="2"', "E & co") == (
        '<a href="https://e.x/?a=1&amp;b=&quot;2&quot;">E &amp; co</a>'
    )
    assert html.link("javascript:alert(1)", "click") == "click"
    assert html.link("tg://user?id=1", "<me>") == "&lt;me&gt;"


@pytest.mark.parametrize(
    "markup",
    [
        "plain " * 2000,
        "<b>bold</b> " + "<i>x &amp; &lt;y&gt; &#128512;</i> " * 500,
        '<a href="https://example.com/a?b=c">' + "link " * 1000 + "</a>",
        "<pre><code>" + "line\n" * 1000 + "</code></pre>",
        "😀" * 3000,
    ],
    ids=["plain", "entities", "link", "pre", "astral"],
)
def test_truncate_keeps_valid_html(markup: str) -> None:
    cut = html.truncate(markup, 4096)
    text = html_to_text(cut)  # raises if the tags no longer balance
    assert len(text.encode("utf-16-le")) // 2 <= 4096
    assert text.endswith("…")
    assert html.visible_length(cut) <= 4096


def test_truncate_leaves_short_text_alone() -> None:
    markup = "<b>" + "x" * 4090 + "</b>"  # long source, short visible text
    assert html.truncate(markup) == markup
