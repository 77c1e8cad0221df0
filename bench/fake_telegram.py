"""A fake Telegram Bot API for tests and benchmarks (the subset errands uses).

Why a server and not a mock: pointing a real PTB ``Bot``/``Application`` at it (``base_url``)
exercises PTB's own serialisation, error mapping and polling loop. The wire details follow
offline-testing.md §2: form-encoded bodies with JSON-typed params as JSON strings, ``getMe``
with ``is_bot``, messages with ``message_id``/``date``/``chat``, HTTP 400 for unknown methods,
a ``getUpdates`` long-poll that honours ``timeout``. It also behaves like Telegram where bugs
hide: HTML is checked, edits remove a keyboard that is not re-sent, an identical edit is
"message is not modified", callback_data over 64 bytes is refused.

Two ways to use it:

- in-process (async tests): ``async with FakeTelegramAPI() as api:`` serves on a free port of
  127.0.0.1; use ``api.user_message``, ``api.press_button``, ``api.sent``, ``api.wait_for``,
  ``api.fail_next``; ``api.voice_message`` sends a voice note whose bytes ``getFile`` and
  ``/file/bot…`` serve (``fail_next("file", ...)`` fails the download).
  Webhook mode: after the bot's ``setWebhook`` (``api.webhook_url``, ``api.webhook_secret``),
  ``getUpdates`` is refused with 409 as Telegram does, and ``await api.deliver_webhook()``
  POSTs the pending updates to the webhook URL with the secret header, as Telegram would
  (``headers=`` replaces that header, to test a wrong or missing secret).
  ``serve_in_thread()`` does the same for sync tests.
- as a process (black-box tests, benchmarks):
  ``uvicorn --factory bench.fake_telegram:create_app --port 8081`` and the HTTP control
  API: ``POST /_control/message {"text", "chat_id"}``, ``POST /_control/button {"message_id" |
  "message", "data", "chat_id"}``, ``POST /_control/fail {"method", "kind", "count",
  "retry_after"}``, ``POST /_control/hold {"method", "after"}`` / ``POST /_control/release``
  (see ``hold``), ``GET /_control/calls?method=sendMessage`` (list of ``{"method", "params",
  "status"}``; add ``&ok=1`` for successful ones only), ``POST /_control/reset``,
  ``POST /_control/config {"latency_ms", "record"}``, ``GET /_control/stats``,
  ``POST /_control/deliver`` (``deliver_webhook``; answers ``{"statuses": [...]}``),
  ``GET /_control/health``. ``FAKE_TELEGRAM_LATENCY_MS`` sets the initial latency.

Benchmarks: ``sendMessage`` does no sleeping and constant work per call (bounded by the
4096-character text); ``stats()`` counts accepted calls per method with the first and last
call times, so the acceptance rate is ``ok / (last_s - first_s)`` (``ok_per_s``).
``record=False`` stops keeping each call and the ``bot_messages`` history, so a long blast
grows memory only by the message store that edits need; ``sent``/``wait_for`` then see
nothing. ``latency_ms`` delays every Bot API answer (not the control API).

Threading: call the helpers from the loop that serves the fake (or from the main thread when
using ``serve_in_thread``); long-poll wake-ups go through ``call_soon_threadsafe``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import json
import logging
import os
import re
import threading
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

BOT_USER: dict[str, Any] = {
    "id": 1000,
    "is_bot": True,
    "first_name": "FakeBot",
    "username": "fake_bot",
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}

# Parameters the Bot API types as objects/arrays: PTB sends them as JSON strings in the form.
JSON_PARAMS = frozenset(
    {
        "allowed_updates",
        "caption_entities",
        "commands",
        "entities",
        "link_preview_options",
        "media",
        "menu_button",
        "reply_markup",
        "reply_parameters",
        "results",
        "scope",
    }
)

METHODS = (
    "getMe",
    "deleteWebhook",
    "getWebhookInfo",
    "setWebhook",
    "getUpdates",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "setMyCommands",
    "getMyCommands",
    "deleteMessage",
    "sendChatAction",
    "getFile",
)
AUDIO_TYPES = {"audio/ogg": "oga", "audio/mpeg": "mp3", "audio/mp4": "m4a", "audio/wav": "wav"}
"""A voice note's or audio file's MIME type -> the extension Telegram's ``file_path`` ends in."""
CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
FAULT_KINDS = ("429", "network", "400", "403")
MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
WEBHOOK_PORTS = (443, 80, 88, 8443)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)
_TOKEN = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
_HTML_TAGS = frozenset(
    {
        "a",
        "b",
        "blockquote",
        "code",
        "del",
        "em",
        "i",
        "ins",
        "pre",
        "s",
        "span",
        "strike",
        "strong",
        "tg-emoji",
        "tg-spoiler",
        "u",
    }
)


@dataclass
class Call:
    """One Bot API request. ``status`` is None while in flight, 0 if the connection was cut."""

    method: str
    params: dict[str, Any]
    status: int | None = None

    def as_json(self) -> dict[str, Any]:
        return {"method": self.method, "params": self.params, "status": self.status}


@dataclass
class _Fault:
    kind: str
    retry_after: int


class ApiError(Exception):
    """An error answer, shaped like Telegram's ``{"ok": false, ...}``."""

    def __init__(
        self, status: int, description: str, parameters: dict[str, Any] | None = None
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters

    def response(self) -> JSONResponse:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.status,
            "description": self.description,
        }
        if self.parameters:
            body["parameters"] = self.parameters
        return JSONResponse(body, status_code=self.status)


# --- the "network" fault: start a response, then hang up -------------------------------------

_cut_here: contextvars.ContextVar[bool] = contextvars.ContextVar("fake_tg_cut", default=False)


class _DropConnection(Response):
    """Sends headers promising a body, then returns: uvicorn closes the socket mid-response.

    The client sees ``RemoteProtocolError`` (PTB: ``NetworkError``), like a proxy dying.
    """

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        _cut_here.set(True)
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"64")],
            }
        )


class _HideInjectedCuts(logging.Filter):
    """Drop uvicorn's "returned without completing response" error for our own cuts."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not _cut_here.get()


def _install_log_filter() -> None:
    logger = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, _HideInjectedCuts) for f in logger.filters):
        logger.addFilter(_HideInjectedCuts())


# --- HTML as Telegram parses it ----------------------------------------------------------------


class _TelegramHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS or (tag == "span" and dict(attrs).get("class") != "tg-spoiler"):
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"'
            )
        self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raise ApiError(400, f'Bad Request: can\'t parse entities: Unsupported start tag "{tag}"')

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            expected = f'"</{self.stack[-1]}>"' if self.stack else "no end tag"
            raise ApiError(
                400,
                f'Bad Request: can\'t parse entities: Unmatched end tag "{tag}", '
                f"expected {expected}",
            )
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str) -> str:
    """What Telegram shows for HTML ``markup``; ``ApiError`` (400) where Telegram would refuse."""
    parser = _TelegramHTML()
    parser.feed(markup)
    parser.close()
    if parser.stack:
        raise ApiError(
            400,
            "Bad Request: can't parse entities: Can't find end tag corresponding to start tag "
            f'"{parser.stack[-1]}"',
        )
    return "".join(parser.parts)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- the fake --------------------------------------------------------------------------------


class _QuietServer(uvicorn.Server):
    """uvicorn without its signal handlers: the test runner owns Ctrl-C."""

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        yield


class FakeTelegramAPI:
    """In-memory Telegram: records calls, queues updates, injects faults. See module doc."""

    def __init__(self, *, latency_ms: float = 0.0, record: bool = True) -> None:
        self.latency_ms = latency_ms
        self.record = record
        self.base_url: str | None = None
        self._server: _QuietServer | None = None
        self._task: asyncio.Task[None] | None = None
        self._waiters: set[asyncio.Future[None]] = set()
        self._polling = threading.Event()  # set while a getUpdates long-poll is waiting
        self._closing = False
        self._lock = threading.Lock()
        self._methods: dict[str, Callable[[dict[str, Any]], Awaitable[Any]]] = {
            name.lower(): getattr(self, f"_m_{name}") for name in METHODS
        }
        self._canonical = {name.lower(): name for name in METHODS}
        self.reset()
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._bot_api, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._file, methods=["GET"]),
                Route("/_control/message", self._c_message, methods=["POST"]),
                Route("/_control/button", self._c_button, methods=["POST"]),
                Route("/_control/fail", self._c_fail, methods=["POST"]),
                Route("/_control/hold", self._c_hold, methods=["POST"]),
                Route("/_control/release", self._c_release, methods=["POST"]),
                Route("/_control/calls", self._c_calls, methods=["GET"]),
                Route("/_control/reset", self._c_reset, methods=["POST"]),
                Route("/_control/config", self._c_config, methods=["POST"]),
                Route("/_control/stats", self._c_stats, methods=["GET"]),
                Route("/_control/deliver", self._c_deliver, methods=["POST"]),
                Route("/_control/health", self._c_health, methods=["GET"]),
            ]
        )
        self.app.state.fake = self
        _install_log_filter()

    # -- state ----------------------------------------------------------------------------------

    def reset(self) -> None:
        """Forget calls, updates, messages, faults and counters (latency/record stay)."""
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.bot_messages: list[dict[str, Any]] = []
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_allowed: list[str] | None = None
        self.deliveries: list[tuple[int, int]] = []  # (update_id, HTTP status) per webhook POST
        self._faults: dict[str, list[_Fault]] = {}
        self._holds: dict[str, int] = {}  # method -> calls still answered before holding
        self._held: Counter[str] = Counter()  # calls waiting in a hold right now
        self._callback_ids: set[str] = set()
        self.files: dict[str, bytes] = {}  # file_id -> content, for getFile and /file/bot…
        self.file_types: dict[str, str] = {}  # file_id -> extension of its file_path
        self._next_update_id = 1
        self._next_message_id = 1
        self._ok: Counter[str] = Counter()
        self._failed: Counter[str] = Counter()
        self._requests = 0
        self._first_at: float | None = None
        self._last_at: float | None = None
        self._started_at = time.monotonic()

    # -- test helpers ---------------------------------------------------------------------------

    @property
    def bot_base_url(self) -> str:
        """``base_url`` for PTB (it appends the token)."""
        return f"{self._require_url()}/bot"

    @property
    def file_base_url(self) -> str:
        """``base_file_url`` for PTB."""
        return f"{self._require_url()}/file/bot"

    def push_update(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Queue ``{"message": ...}``-style ``payload`` as the next update; wake long-polls."""
        with self._lock:
            update = {"update_id": self._next_update_id, **payload}
            self._next_update_id += 1
            self.updates.append(update)
        self._wake_all()
        return update

    def wait_for_poller(self, timeout: float = 5.0) -> None:
        """Block until a ``getUpdates`` long-poll is waiting (so a push must wake it)."""
        if not self._polling.wait(timeout):
            raise TimeoutError(f"no getUpdates long-poll started within {timeout} s")

    def user_message(
        self,
        text: str,
        chat_id: int = 42,
        *,
        user_id: int | None = None,
        language_code: str | None = None,
    ) -> dict[str, Any]:
        """A message in chat ``chat_id`` (private when positive) from ``user_id`` (default: the
        chat's own user); a ``/command`` gets its entity."""
        sender = _user(chat_id if user_id is None else user_id)
        if language_code is not None:
            sender["language_code"] = language_code
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": sender,
            "text": text,
        }
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0]
            message["entities"] = [
                {"type": "bot_command", "offset": 0, "length": _utf16_len(command)}
            ]
        return self.push_update({"message": message})

    def voice_message(
        self,
        audio: bytes,
        duration: int,
        chat_id: int = 42,
        *,
        file_size: int | None = None,
        kind: str = "voice",
        mime_type: str = "audio/ogg",
    ) -> dict[str, Any]:
        """A voice note (``kind="audio"``: an audio file) whose bytes ``getFile`` then serves;
        ``file_size`` overrides what the message claims (Telegram's metadata, not the bytes)."""
        file_id = f"{kind}-{len(self.files) + 1}"
        self.files[file_id] = audio
        self.file_types[file_id] = AUDIO_TYPES.get(mime_type, "bin")  # Telegram's file_path end
        media = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "duration": duration,
            "mime_type": mime_type,
            "file_size": len(audio) if file_size is None else file_size,
        }
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": _user(chat_id),
            kind: media,
        }
        return self.push_update({"message": message})

    def press_button(
        self,
        message: dict[str, Any] | int,
        data: str,
        chat_id: int = 42,
        *,
        user_id: int | None = None,
    ) -> dict[str, Any]:
        """User ``user_id`` (default: chat ``chat_id``'s own) presses the button carrying
        ``data`` under ``message``.

        ``message`` is a message dict (e.g. ``api.bot_messages[-1]``) or a message id of a
        message the bot sent to ``chat_id``.
        """
        if isinstance(message, int):
            found = self.messages.get((chat_id, message))
            if found is None:
                raise KeyError(f"no bot message {message} in chat {chat_id}")
            message = found
        query_id = f"cq{self._next_update_id}"
        self._callback_ids.add(query_id)
        return self.push_update(
            {
                "callback_query": {
                    "id": query_id,
                    "chat_instance": f"ci{chat_id}",
                    "from": _user(chat_id if user_id is None else user_id),
                    "message": dict(message),
                    "data": data,
                }
            }
        )

    def sent(self, method: str) -> list[dict[str, Any]]:
        """Params of every *successful* call to ``method``, oldest first."""
        return [c.params for c in self.calls if c.method == method and c.status == 200]

    async def wait_for(self, method: str, n: int = 1, timeout: float = 5.0) -> list[dict[str, Any]]:
        """Wait until ``method`` succeeded ``n`` times; returns ``sent(method)``."""
        deadline = time.monotonic() + timeout
        while len(found := self.sent(method)) < n:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{method}: {len(found)} of {n} calls after {timeout} s")
            await asyncio.sleep(0.01)
        return found

    async def deliver_webhook(
        self, *, headers: dict[str, str] | None = None, timeout: float = 10.0
    ) -> list[int]:
        """POST the pending updates, oldest first, to the webhook URL as Telegram does.

        Each carries the secret header of ``setWebhook`` (``headers`` replaces it; ``{}``
        sends none). A 2xx answer removes the update; any other status leaves it pending
        and ends this round (Telegram retries later). Returns the statuses, in order.
        """
        url = self.webhook_url
        if not url:
            raise RuntimeError("no webhook is set (the bot has not called setWebhook)")
        if headers is None:
            headers = {SECRET_HEADER: self.webhook_secret} if self.webhook_secret else {}
        statuses: list[int] = []
        async with httpx.AsyncClient(timeout=timeout) as client:
            for update in self._pending(self.webhook_allowed):
                response = await client.post(url, json=update, headers=headers)
                statuses.append(response.status_code)
                self.deliveries.append((update["update_id"], response.status_code))
                if not response.is_success:
                    break
                with self._lock:
                    self.updates = [u for u in self.updates if u is not update]
        return statuses

    def fail_next(self, method: str, kind: str, count: int = 1, retry_after: int = 1) -> None:
        """Make the next ``count`` calls to ``method`` (``"*"``: any method) fail.

        ``kind``: ``"429"`` (flood control, ``retry_after`` s), ``"network"`` (connection cut
        mid-response), ``"400"`` (chat not found), ``"403"`` (bot blocked by the user).
        Mind that a polling ``getUpdates`` also consumes ``"*"`` faults.
        """
        if kind not in FAULT_KINDS:
            raise ValueError(f"kind must be one of {FAULT_KINDS}, not {kind!r}")
        with self._lock:
            self._faults.setdefault(method.lower(), []).extend(
                _Fault(kind, retry_after) for _ in range(count)
            )

    def hold(self, method: str, after: int = 0) -> None:
        """Answer the next ``after`` calls to ``method``, then hold every later one.

        A held call is not processed (nothing is accepted or recorded as sent: its ``status``
        stays None) until ``release()``; if its client hangs up meanwhile (a killed process,
        a timeout) it ends with ``status`` 0, never accepted. ``stats()["held"]`` counts the
        calls waiting now, so a test can act at exactly that moment.
        """
        if after < 0:
            raise ValueError("after must be >= 0")
        with self._lock:
            self._holds[method.lower()] = after

    def release(self) -> None:
        """End every hold: waiting calls go on as usual (and are accepted if valid)."""
        with self._lock:
            self._holds.clear()

    def stats(self) -> dict[str, Any]:
        """Counters for benchmarks: accepted/failed calls per method and the call window."""
        first, last = self._first_at, self._last_at
        window = (last - first) if first is not None and last is not None else 0.0
        ok = sum(self._ok.values())
        return {
            "requests": self._requests,
            "ok": dict(self._ok),
            "failed": dict(self._failed),
            "first_s": None if first is None else first - self._started_at,
            "last_s": None if last is None else last - self._started_at,
            "ok_per_s": ok / window if window > 0 else None,
            "latency_ms": self.latency_ms,
            "held": {m: n for m, n in self._held.items() if n},
        }

    # -- serving --------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0: a free port) in this loop; returns the base URL."""
        if self._task is not None:
            raise RuntimeError("already started")
        config = uvicorn.Config(
            self.app,
            host=host,
            port=port,
            log_level="warning",
            lifespan="off",
            access_log=False,
            timeout_graceful_shutdown=2,
        )
        _install_log_filter()  # uvicorn.Config just re-applied its logging config
        self._closing = False
        self._server = _QuietServer(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:
            if self._task.done():
                self._task.result()
                raise RuntimeError("the fake Telegram API did not start")
            await asyncio.sleep(0.005)
        bound = self._server.servers[0].sockets[0].getsockname()[1]
        self.base_url = f"http://{host}:{bound}"
        return self.base_url

    async def stop(self) -> None:
        """Stop serving; pending long-polls return at once."""
        if self._task is None or self._server is None:
            return
        self._closing = True
        self._wake_all()
        self._server.should_exit = True
        try:
            await self._task
        finally:
            self._task = None
            self._server = None

    async def __aenter__(self) -> FakeTelegramAPI:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @contextlib.contextmanager
    def serve_in_thread(self, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
        """Serve from a daemon thread with its own loop, for sync tests; yields the base URL."""
        started = threading.Event()
        failure: list[BaseException] = []

        async def run() -> None:
            try:
                await self.start(host, port)
            except BaseException as exc:
                failure.append(exc)
                raise
            finally:
                started.set()
            assert self._task is not None
            await self._task

        thread = threading.Thread(target=asyncio.run, args=(run(),), daemon=True)
        thread.start()
        started.wait(10)
        if failure or self.base_url is None:
            raise RuntimeError("the fake Telegram API did not start") from (
                failure[0] if failure else None
            )
        try:
            yield self.base_url
        finally:
            self._closing = True
            self._wake_all()
            if self._server is not None:
                self._server.should_exit = True
            thread.join(10)

    # -- HTTP: Bot API --------------------------------------------------------------------------

    async def _bot_api(self, request: Request) -> Response:
        raw_method = request.path_params["method"]
        key = raw_method.lower()
        method = self._canonical.get(key, raw_method)
        params = await _read_params(request)
        call = Call(method, params)
        now = time.monotonic()
        self._requests += 1
        if self._first_at is None:
            self._first_at = now
        self._last_at = now
        if self.record:
            self.calls.append(call)
        if self.latency_ms > 0:
            await asyncio.sleep(self.latency_ms / 1000)
        if self._holds and await self._wait_while_held(key, method, request):
            call.status = 0  # the client hung up while held: Telegram never got the message
            self._failed[method] += 1
            return PlainTextResponse("client closed the request", status_code=499)
        fault = self._take_fault(key)
        if fault is not None:
            self._failed[method] += 1
            if fault.kind == "network":
                call.status = 0
                return _DropConnection()
            error = _fault_error(fault)
            call.status = error.status
            return error.response()
        try:
            if not _TOKEN.match(request.path_params["token"]):
                raise ApiError(404, "Not Found")
            handler = self._methods.get(key)
            if handler is None:
                raise ApiError(
                    400, f"Bad Request: method {raw_method} is not implemented by the fake"
                )
            result = await handler(params)
        except ApiError as exc:
            call.status = exc.status
            self._failed[method] += 1
            return exc.response()
        call.status = 200
        self._ok[method] += 1
        return JSONResponse({"ok": True, "result": result})

    async def _file(self, request: Request) -> Response:
        fault = self._take_fault("file")  # fail_next("file", ...): the download fails
        name = request.path_params["path"].rpartition("/")[2]
        content = self.files.get(name.partition(".")[0])
        if fault is not None or content is None:
            return JSONResponse(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status_code=404
            )
        return Response(content, media_type="application/octet-stream")

    async def _wait_while_held(self, key: str, method: str, request: Request) -> bool:
        """Wait while a ``hold`` covers this call; True if the client hung up meanwhile."""
        with self._lock:
            if key not in self._holds:
                return False
            if self._holds[key] > 0:
                self._holds[key] -= 1
                return False
            self._held[method] += 1
        try:
            while key in self._holds and not self._closing:
                if await request.is_disconnected():
                    return True
                await asyncio.sleep(0.01)
            return False
        finally:
            with self._lock:
                self._held[method] -= 1

    def _take_fault(self, key: str) -> _Fault | None:
        if not self._faults:
            return None
        with self._lock:
            for name in (key, "*"):
                queue = self._faults.get(name)
                if queue:
                    fault = queue.pop(0)
                    if not queue:
                        del self._faults[name]
                    return fault
        return None

    async def _m_getMe(self, p: dict[str, Any]) -> dict[str, Any]:
        return BOT_USER

    async def _m_deleteWebhook(self, p: dict[str, Any]) -> bool:
        self.webhook_url = ""
        self.webhook_secret = ""
        self.webhook_allowed = None
        if _flag(p.get("drop_pending_updates")):
            with self._lock:
                self.updates.clear()
        return True

    async def _m_getWebhookInfo(self, p: dict[str, Any]) -> dict[str, Any]:
        info: dict[str, Any] = {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self.updates),
        }
        if self.webhook_url and self.webhook_allowed is not None:
            info["allowed_updates"] = self.webhook_allowed
        return info

    async def _m_setWebhook(self, p: dict[str, Any]) -> bool:
        """Telegram's checks: https on its ports (http allowed for a local host: tests), a
        secret token of 1-256 characters of A-Z a-z 0-9 _ -."""
        url = str(p.get("url") or "")
        if not url:  # Telegram: an empty URL removes the webhook
            return await self._m_deleteWebhook(p)
        try:
            parts = httpx.URL(url)
        except httpx.InvalidURL:
            raise ApiError(400, "Bad Request: bad webhook: invalid URL") from None
        local = parts.host in LOCAL_HOSTS
        if parts.scheme != "https" and not (parts.scheme == "http" and local):
            raise ApiError(
                400, "Bad Request: bad webhook: An HTTPS URL must be provided for webhook"
            )
        if not local and parts.port not in (None, *WEBHOOK_PORTS):
            raise ApiError(
                400,
                "Bad Request: bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            )
        secret = str(p.get("secret_token") or "")
        if "secret_token" in p and not _SECRET_TOKEN.match(secret):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        allowed = p.get("allowed_updates")
        self.webhook_url = url
        self.webhook_secret = secret
        if isinstance(allowed, list):
            self.webhook_allowed = [str(a) for a in allowed] or None
        if _flag(p.get("drop_pending_updates")):
            with self._lock:
                self.updates.clear()
        self._wake_all()  # a waiting long-poll returns; the next one gets the 409
        return True

    async def _m_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = _opt_int(p, "offset") or 0
        limit = min(max(_opt_int(p, "limit") or 100, 1), 100)
        try:
            timeout = float(p.get("timeout") or 0)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: invalid timeout specified") from None
        allowed = p.get("allowed_updates") or None
        if offset > 0:
            with self._lock:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
        pending = self._pending(allowed)
        if pending or timeout <= 0 or self._closing:
            return pending[:limit]
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[None] = loop.create_future()
        with self._lock:
            self._waiters.add(waiter)
            self._polling.set()
        try:
            pending = self._pending(allowed)  # an update may have landed before we registered
            if not pending:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(waiter, timeout)
                pending = self._pending(allowed)
        finally:
            with self._lock:
                self._waiters.discard(waiter)
                if not self._waiters:
                    self._polling.clear()
        return pending[:limit]

    async def _m_sendMessage(self, p: dict[str, Any]) -> dict[str, Any]:
        chat_id = _chat_id(p)
        text = _render(p)
        markup = _inline_markup(p.get("reply_markup"))
        message: dict[str, Any] = {
            "message_id": self._message_id(),
            "date": int(time.time()),
            "chat": _chat(chat_id),
            "from": BOT_USER,
            "text": text,
        }
        if markup is not None:
            message["reply_markup"] = markup
        self.messages[(chat_id, message["message_id"])] = message
        if self.record:
            self.bot_messages.append(message)
        return message

    async def _m_editMessageText(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._find_message(p, "message to edit not found")
        text = _render(p)
        markup = _inline_markup(p.get("reply_markup"))
        if text == message.get("text") and markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        message["text"] = text
        _set_markup(message, markup)
        message["edit_date"] = int(time.time())
        return message

    async def _m_editMessageReplyMarkup(self, p: dict[str, Any]) -> dict[str, Any]:
        message = self._find_message(p, "message to edit not found")
        markup = _inline_markup(p.get("reply_markup"))
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        _set_markup(message, markup)
        message["edit_date"] = int(time.time())
        return message

    async def _m_deleteMessage(self, p: dict[str, Any]) -> bool:
        message = self._find_message(p, "message to delete not found")
        del self.messages[(message["chat"]["id"], message["message_id"])]
        return True

    async def _m_sendChatAction(self, p: dict[str, Any]) -> bool:
        _chat_id(p)
        if p.get("action") not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    async def _m_getFile(self, p: dict[str, Any]) -> dict[str, Any]:
        file_id = str(p.get("file_id", ""))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_size": len(self.files[file_id]),
            "file_path": f"{file_id.partition('-')[0]}/{file_id}.{self.file_types[file_id]}",
        }

    async def _m_answerCallbackQuery(self, p: dict[str, Any]) -> bool:
        query_id = str(p.get("callback_query_id", ""))
        if query_id not in self._callback_ids:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._callback_ids.discard(query_id)  # Telegram accepts one answer per query
        return True

    async def _m_setMyCommands(self, p: dict[str, Any]) -> bool:
        commands = p.get("commands")
        if not isinstance(commands, list) or not all(
            isinstance(c, dict) and c.get("command") and c.get("description") for c in commands
        ):
            raise ApiError(400, "Bad Request: can't parse BotCommand")
        self.commands[_commands_key(p)] = commands
        return True

    async def _m_getMyCommands(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        return self.commands.get(_commands_key(p), [])

    def _find_message(self, p: dict[str, Any], not_found: str) -> dict[str, Any]:
        if "inline_message_id" in p:
            raise ApiError(400, "Bad Request: inline messages are not supported by the fake")
        chat_id = _chat_id(p)
        message_id = _opt_int(p, "message_id")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        message = self.messages.get((chat_id, message_id))
        if message is None:
            raise ApiError(400, f"Bad Request: {not_found}")
        return message

    def _pending(self, allowed: Any) -> list[dict[str, Any]]:
        with self._lock:
            updates = list(self.updates)
        if isinstance(allowed, list):
            updates = [u for u in updates if any(k in u for k in allowed)]
        return updates

    def _message_id(self) -> int:
        with self._lock:
            self._next_message_id += 1
            return self._next_message_id

    def _wake_all(self) -> None:
        with self._lock:
            waiters = list(self._waiters)
        for waiter in waiters:
            with contextlib.suppress(RuntimeError):  # its loop is already closed
                waiter.get_loop().call_soon_threadsafe(_resolve, waiter)

    def _require_url(self) -> str:
        if self.base_url is None:
            raise RuntimeError("the fake Telegram API is not serving yet")
        return self.base_url

    # -- HTTP: control API ----------------------------------------------------------------------

    async def _c_message(self, request: Request) -> Response:
        body = await _json_body(request)
        chat_id = _control_int(body.get("chat_id", 42))
        if not isinstance(body.get("text"), str) or chat_id is None:
            return _bad("text (string) is required; chat_id must be an integer")
        return JSONResponse(self.user_message(body["text"], chat_id))

    async def _c_button(self, request: Request) -> Response:
        body = await _json_body(request)
        chat_id = _control_int(body.get("chat_id", 42))
        message = body.get("message", body.get("message_id"))
        if (
            not isinstance(body.get("data"), str)
            or not isinstance(message, dict | int)
            or chat_id is None
        ):
            return _bad("data (string) and message_id or message are required")
        try:
            return JSONResponse(self.press_button(message, body["data"], chat_id))
        except KeyError as exc:
            return _bad(str(exc.args[0]), status=404)

    async def _c_fail(self, request: Request) -> Response:
        body = await _json_body(request)
        try:
            self.fail_next(
                str(body["method"]),
                str(body["kind"]),
                int(body.get("count", 1)),
                int(body.get("retry_after", 1)),
            )
        except (KeyError, ValueError) as exc:
            return _bad(f"method and kind are required: {exc}")
        return JSONResponse({"ok": True})

    async def _c_hold(self, request: Request) -> Response:
        body = await _json_body(request)
        after = _control_int(body.get("after", 0))
        if not isinstance(body.get("method"), str) or after is None or after < 0:
            return _bad("method (string) is required; after must be an integer >= 0")
        self.hold(body["method"], after)
        return JSONResponse({"ok": True})

    async def _c_release(self, request: Request) -> Response:
        self.release()
        return JSONResponse({"ok": True})

    async def _c_calls(self, request: Request) -> Response:
        method = request.query_params.get("method")
        only_ok = _flag(request.query_params.get("ok"))
        return JSONResponse(
            [
                c.as_json()
                for c in self.calls
                if (method is None or c.method == method) and (not only_ok or c.status == 200)
            ]
        )

    async def _c_reset(self, request: Request) -> Response:
        self.reset()
        return JSONResponse({"ok": True})

    async def _c_config(self, request: Request) -> Response:
        body = await _json_body(request)
        if "latency_ms" in body:
            self.latency_ms = float(body["latency_ms"])
        if "record" in body:
            self.record = bool(body["record"])
        return JSONResponse({"latency_ms": self.latency_ms, "record": self.record})

    async def _c_stats(self, request: Request) -> Response:
        return JSONResponse(self.stats())

    async def _c_deliver(self, request: Request) -> Response:
        if not self.webhook_url:
            return _bad("no webhook is set (the bot has not called setWebhook)", status=409)
        return JSONResponse({"statuses": await self.deliver_webhook()})

    async def _c_health(self, request: Request) -> Response:
        return PlainTextResponse("ok")


def create_app() -> Starlette:
    """Factory for ``uvicorn --factory bench.fake_telegram:create_app``."""
    latency = float(os.environ.get("FAKE_TELEGRAM_LATENCY_MS") or 0)
    return FakeTelegramAPI(latency_ms=latency).app


@contextlib.asynccontextmanager
async def serve_fake(**kwargs: Any) -> AsyncIterator[FakeTelegramAPI]:
    """``async with serve_fake() as api`` for fixtures that prefer a function."""
    async with FakeTelegramAPI(**kwargs) as api:
        yield api


# --- helpers ---------------------------------------------------------------------------------


async def _read_params(request: Request) -> dict[str, Any]:
    params: dict[str, Any] = dict(request.query_params)
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("application/json"):
        body = await request.body()
        if body:
            data = json.loads(body)
            if isinstance(data, dict):
                params.update(data)
    elif ctype.startswith("application/x-www-form-urlencoded"):
        body = await request.body()
        params.update(parse_qsl(body.decode(), keep_blank_values=True))
    elif ctype.startswith("multipart/form-data"):
        async with request.form() as form:
            for k, v in form.multi_items():
                params[k] = v if isinstance(v, str) else f"<file {v.filename}>"
    for name in JSON_PARAMS & params.keys():
        value = params[name]
        if isinstance(value, str):
            with contextlib.suppress(ValueError):
                params[name] = json.loads(value)
    return params


async def _json_body(request: Request) -> dict[str, Any]:
    body = await request.body()
    if not body:
        return {}
    data = json.loads(body)
    return data if isinstance(data, dict) else {}


def _control_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _bad(message: str, status: int = 422) -> JSONResponse:
    return JSONResponse({"ok": False, "error": message}, status_code=status)


def _fault_error(fault: _Fault) -> ApiError:
    if fault.kind == "429":
        return ApiError(
            429,
            f"Too Many Requests: retry after {fault.retry_after}",
            {"retry_after": fault.retry_after},
        )
    if fault.kind == "403":
        return ApiError(403, "Forbidden: bot was blocked by the user")
    return ApiError(400, "Bad Request: chat not found")


def _resolve(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


def _flag(value: Any) -> bool:
    return value is True or (isinstance(value, str) and value.lower() in ("1", "true", "yes"))


def _opt_int(p: dict[str, Any], name: str) -> int | None:
    value = p.get(name)
    if value is None or value == "":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, f"Bad Request: invalid {name} specified") from None


def _chat_id(p: dict[str, Any]) -> int:
    try:
        return int(p["chat_id"])
    except KeyError:
        raise ApiError(400, "Bad Request: chat_id is empty") from None
    except (TypeError, ValueError):
        raise ApiError(400, "Bad Request: chat not found") from None


def _chat(chat_id: int) -> dict[str, Any]:
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
    kind = "supergroup" if str(chat_id).startswith("-100") else "group"
    return {"id": chat_id, "type": kind, "title": "Fake group"}


def _user(user_id: int) -> dict[str, Any]:
    return {"id": abs(user_id), "is_bot": False, "first_name": f"User{abs(user_id)}"}


def _render(p: dict[str, Any]) -> str:
    text = p.get("text")
    if not isinstance(text, str) or not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if str(p.get("parse_mode", "")).upper() == "HTML":
        text = html_to_text(text)
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
    if _utf16_len(text) > MAX_TEXT:
        raise ApiError(400, "Bad Request: message is too long")
    return text


def _inline_markup(markup: Any) -> dict[str, Any] | None:
    if not isinstance(markup, dict) or "inline_keyboard" not in markup:
        return None  # reply keyboards and "remove" markups are not attached to the message
    rows = markup["inline_keyboard"]
    if not isinstance(rows, list):
        raise ApiError(400, "Bad Request: can't parse inline keyboard button")
    for row in rows:
        for button in row if isinstance(row, list) else [None]:
            if not isinstance(button, dict) or not button.get("text"):
                raise ApiError(400, "Bad Request: can't parse inline keyboard button")
            data = button.get("callback_data")
            if data is not None and (
                not isinstance(data, str) or not 1 <= len(data.encode()) <= MAX_CALLBACK_DATA
            ):
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return {"inline_keyboard": rows} if rows else None


def _set_markup(message: dict[str, Any], markup: dict[str, Any] | None) -> None:
    if markup is None:
        message.pop("reply_markup", None)  # like Telegram: an edit without markup drops it
    else:
        message["reply_markup"] = markup


def _commands_key(p: dict[str, Any]) -> str:
    scope = p.get("scope") or {"type": "default"}
    return json.dumps([scope, p.get("language_code") or ""], sort_keys=True)
