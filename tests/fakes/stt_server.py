"""A fake OpenAI-compatible transcription server: ``/v1/audio/transcriptions`` and ``/v1/models``.

``FakeSTT`` serves on a free 127.0.0.1 port in a background thread (uvicorn), like vLLM does
for a Whisper model: a multipart form with ``file``, ``model``, ``language`` and
``response_format``; it answers ``{"text": ...}``. Knobs are plain attributes::

    with FakeSTT() as fake:
        fake.text = "buy milk tomorrow"   # what it "hears"
        fake.fail_times = 1               # the next request gets HTTP 503
        ...
        assert fake.received[0].fields["language"] == "zh"
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Self

import uvicorn
from starlette.applications import Starlette
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from tests.fakes.processes import Served

__all__ = ["FakeSTT", "Transcription"]


@dataclass(frozen=True)
class Transcription:
    """One transcription request as the fake saw it."""

    fields: dict[str, str]
    filename: str
    audio: bytes
    headers: dict[str, str] = field(default_factory=dict)


class FakeSTT(Served):
    def __init__(self, *, model: str = "whisper-test", text: str = "buy milk tomorrow") -> None:
        self.model = model
        self.text = text
        self.fail_times = 0
        self.delay = 0.0  # seconds before answering (a timeout test)
        self.received: list[Transcription] = []
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.app = Starlette(
            routes=[
                Route("/v1/models", self._models, methods=["GET"]),
                Route("/v1/audio/transcriptions", self._transcribe, methods=["POST"]),
            ]
        )

    @property
    def base_url(self) -> str:
        if not self.port:
            raise RuntimeError("FakeSTT is not started")
        return f"http://127.0.0.1:{self.port}/v1"

    async def _models(self, request: Request) -> JSONResponse:
        return JSONResponse({"object": "list", "data": [{"id": self.model, "object": "model"}]})

    async def _transcribe(self, request: Request) -> JSONResponse:
        form = await request.form()
        upload = form.get("file")
        audio = await upload.read() if isinstance(upload, UploadFile) else b""
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        name = (upload.filename or "") if isinstance(upload, UploadFile) else ""
        self.received.append(Transcription(fields, name, audio, dict(request.headers)))
        if self.delay:
            time.sleep(self.delay)  # blocks this server's thread only
        if self.fail_times > 0:
            self.fail_times -= 1
            return JSONResponse({"error": {"message": "model is loading"}}, status_code=503)
        if not audio:
            return JSONResponse({"error": {"message": "no file"}}, status_code=400)
        if fields.get("model", self.model) != self.model:
            return JSONResponse({"error": {"message": "no such model"}}, status_code=404)
        return JSONResponse({"text": f" {self.text}"})

    def start(self) -> Self:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        server = uvicorn.Server(uvicorn.Config(self.app, log_level="warning", lifespan="off"))
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name="fake-stt", daemon=True
        )
        thread.start()
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                sock.close()
                raise RuntimeError("FakeSTT did not start")
            time.sleep(0.005)
        self._server, self._thread, self._socket = server, thread, sock
        self.port = sock.getsockname()[1]
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None
