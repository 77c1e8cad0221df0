"""A small OpenAI-compatible server for tests: canned replies, embeddings, failures on demand.

``FakeOpenAI`` runs uvicorn in a background thread on a free 127.0.0.1 port, so sync tests
(subprocesses) and async tests can both point a client at ``base_url``. Its knobs are plain
attributes; set them before the requests they should affect::

    with FakeOpenAI() as fake:
        fake.replies = ["not json", '{"ok": true}']   # scripted, then ``reply`` forever
        fake.fail_times = 2                            # the next 2 requests get HTTP 500
        ...
        assert len(fake.bodies("/chat/completions")) == 3

Like vLLM, it answers 404 for a model it does not list (``check_model=False`` turns that off).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self

import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from tests.fakes.processes import Served, free_port

if TYPE_CHECKING:
    from agents.llm import LLMClient

__all__ = ["FakeOpenAI", "Received", "fake_llm_client", "unused_base_url"]


@dataclass(frozen=True)
class Received:
    """One request as the fake saw it (path without the ``/v1`` prefix)."""

    path: str
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def unused_base_url() -> str:
    """A base URL where nothing listens, for connection-refused cases."""
    return f"http://127.0.0.1:{free_port()}/v1"


class FakeOpenAI(Served):
    """OpenAI-compatible ``/v1/models``, ``/v1/chat/completions`` and ``/v1/embeddings``."""

    def __init__(
        self, *, models: list[str] | None = None, reply: str = "Hello from the fake server."
    ) -> None:
        self._initial_models = list(models) if models is not None else ["fake-model"]
        self._initial_reply = reply
        self.reset()
        self.app = self._build_app()
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._stopping = threading.Event()

    def reset(self) -> None:
        """Back to the constructor's knobs, with nothing recorded (for a shared instance)."""
        self.models: list[str] = list(self._initial_models)
        self.reply = self._initial_reply
        self.replies: list[str] = []  # consumed first, one per chat request
        self.tool_calls: list[dict[str, Any]] = []  # [{"name", "arguments": dict | raw str}]
        self.fail_times = 0  # the next N requests (any endpoint) fail ...
        self.fail_status = 500  # ... with this status
        self.retry_after_ms: int | None = 1  # sent on failures: keeps the SDK's backoff short
        self.delay = 0.0  # seconds to wait before answering (timeouts, concurrency)
        self.delay_paths: tuple[str, ...] | None = None  # e.g. ("/chat/completions",); None: all
        self.check_model = True
        self.embedding_dim = 8
        self.requests: list[Received] = []
        self.in_flight: int = getattr(self, "in_flight", 0)  # live count: survives a reset
        self.max_in_flight = self.in_flight

    # ---- lifecycle

    @property
    def base_url(self) -> str:
        if not self.port:
            raise RuntimeError("FakeOpenAI is not started")
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> Self:
        """Serve on a free port; returns once the server accepts connections."""
        self._stopping.clear()
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        config = uvicorn.Config(
            self.app, log_level="warning", lifespan="off", timeout_graceful_shutdown=1
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="fake-openai", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError("FakeOpenAI did not start")
            time.sleep(0.005)
        self._server, self._thread, self._socket = server, thread, sock
        self.port = sock.getsockname()[1]
        return self

    def stop(self) -> None:
        """Shut the server down (cutting any ``delay`` short) and wait for its thread."""
        self._stopping.set()
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None

    # ---- inspection

    def bodies(self, path: str = "/chat/completions") -> list[dict[str, Any]]:
        """The JSON bodies received on ``path``, oldest first."""
        return [r.body for r in self.requests if r.path == path]

    @staticmethod
    def vector(text: str, dim: int = 8) -> list[float]:
        """The deterministic embedding the fake returns for ``text`` (values in [-1, 1])."""
        raw = b""
        counter = 0
        while len(raw) < dim:
            raw += hashlib.sha256(f"{counter}:{text}".encode()).digest()
            counter += 1
        return [round(b / 127.5 - 1.0, 6) for b in raw[:dim]]

    # ---- the app

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/v1/models")
        async def models(request: Request) -> JSONResponse:
            return await self._serve(request, self._models)

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> JSONResponse:
            return await self._serve(request, self._chat)

        @app.post("/v1/embeddings")
        async def embeddings(request: Request) -> JSONResponse:
            return await self._serve(request, self._embeddings)

        return app

    async def _serve(self, request: Request, answer: Any) -> JSONResponse:
        body: dict[str, Any] = await request.json() if request.method == "POST" else {}
        path = request.url.path.removeprefix("/v1")
        self.requests.append(Received(path, body, dict(request.headers)))
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            delayed = self.delay_paths is None or path in self.delay_paths
            deadline = time.monotonic() + (self.delay if delayed else 0.0)
            while time.monotonic() < deadline and not self._stopping.is_set():
                if await request.is_disconnected():  # the client gave up (timeout)
                    return _error(499, "client closed the request")
                await asyncio.sleep(min(0.01, deadline - time.monotonic()))
            if self.fail_times > 0:
                self.fail_times -= 1
                headers = {}
                if self.retry_after_ms is not None:
                    headers["retry-after-ms"] = str(self.retry_after_ms)
                return _error(self.fail_status, "fake failure", headers)
            if self.check_model and path != "/models" and body.get("model") not in self.models:
                return _error(404, f"The model `{body.get('model')}` does not exist.")
            return JSONResponse(answer(body))
        finally:
            self.in_flight -= 1

    def _models(self, body: dict[str, Any]) -> dict[str, Any]:
        data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.models]
        return {"object": "list", "data": data}

    def _chat(self, body: dict[str, Any]) -> dict[str, Any]:
        text = self.replies.pop(0) if self.replies else self.reply
        message: dict[str, Any] = {"role": "assistant", "content": text}
        finish = "stop"
        if self.tool_calls:
            message["content"] = None
            message["tool_calls"] = [
                {
                    "id": f"call_{i}",
                    "type": "function",
                    "function": {
                        "name": call["name"],
                        "arguments": call["arguments"]
                        if isinstance(call["arguments"], str)
                        else json.dumps(call["arguments"]),
                    },
                }
                for i, call in enumerate(self.tool_calls)
            ]
            finish = "tool_calls"
        contents = [m.get("content") for m in body.get("messages", [])]
        prompt = sum(len(c.split()) for c in contents if isinstance(c, str))
        completion = len((message["content"] or "").split())
        return {
            "id": f"chatcmpl-fake-{len(self.requests)}",
            "object": "chat.completion",
            "created": 0,
            "model": body.get("model"),
            "choices": [{"index": 0, "message": message, "finish_reason": finish}],
            "usage": {
                "prompt_tokens": prompt,
                "completion_tokens": completion,
                "total_tokens": prompt + completion,
            },
        }

    def _embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        texts = body.get("input", [])
        texts = [texts] if isinstance(texts, str) else texts
        data = []
        for i, text in enumerate(texts):
            vector = self.vector(str(text), self.embedding_dim)
            embedding: list[float] | str = vector
            if body.get("encoding_format") == "base64":
                embedding = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
            data.append({"object": "embedding", "index": i, "embedding": embedding})
        tokens = sum(len(str(t).split()) for t in texts)
        return {
            "object": "list",
            "model": body.get("model"),
            "data": data,
            "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
        }


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    body = {"object": "error", "message": message, "type": "fake_error", "code": status}
    return JSONResponse({"error": body}, status_code=status, headers=headers)


def fake_llm_client(url: str, *, model: str = "fake-model", name: str = "local") -> LLMClient:
    """A one-backend ``LLMClient`` for a fake server: no retries, a fixed clock."""
    from datetime import UTC, datetime

    from agents.llm import Backend, LLMClient

    backend = Backend(name=name, base_url=url, model=model, api_key="", schema_mode="json_schema")
    now = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    return LLMClient([backend], timeout=5, max_retries=0, concurrency=4, clock=lambda: now)
