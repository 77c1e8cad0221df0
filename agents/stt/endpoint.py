"""The OpenAI-compatible ``/v1/audio/transcriptions`` API: vLLM serving Whisper, or a hosted one.

One multipart POST per voice note (``file``, ``model``, ``response_format=json`` and
``language`` only when the owner forced one), no retries: a failure is said to the owner at
once with a 🔁 Try again button, which is a better retry than a silent wait. The API key is
sent as a bearer token and never appears in a reason or a log line.
"""

from __future__ import annotations

import time

import httpx

from agents.http import ClosingClient
from agents.llm.failures import public_url
from agents.stt.errors import TranscriptionFailed
from agents.stt.values import EngineState, Language, Transcript

NAME = "endpoint"


class EndpointEngine(ClosingClient):
    """``base_url`` ends in ``/v1`` (like the LLM settings); ``transport`` is the test seam."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str = "",
        api_key: str = "",
        timeout: float = 60.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.model = model
        self._timeout = timeout
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.AsyncClient(headers=headers, timeout=timeout, transport=transport)

    @property
    def name(self) -> str:
        return NAME

    def describe(self) -> str:
        return f"endpoint {public_url(self.base_url)} ({self.model or 'the server default model'})"

    async def transcribe(
        self, audio: bytes, *, filename: str, language: Language | None
    ) -> Transcript:
        fields = {"response_format": "json"}
        if self.model:
            fields["model"] = self.model
        if language is not None:
            fields["language"] = language
        started = time.perf_counter()
        try:
            response = await self._http.post(
                f"{self.base_url}/audio/transcriptions",
                data=fields,
                files={"file": (filename, audio, "application/octet-stream")},
            )
        except httpx.TimeoutException:
            raise self._failed(f"timed out after {self._timeout:g}s") from None
        except httpx.HTTPError as exc:
            raise self._failed(f"cannot reach {public_url(self.base_url)} ({_kind(exc)})") from None
        if response.status_code != 200:
            raise self._failed(f"HTTP {response.status_code}{_detail(response)}")
        try:
            body = response.json()
        except ValueError:
            raise self._failed("answered with something that is not JSON") from None
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str):
            raise self._failed("answered without a transcript")
        heard = body.get("language") if isinstance(body.get("language"), str) else None
        return Transcript(
            text=text.strip(),
            language=language or heard,
            engine=NAME,
            elapsed=time.perf_counter() - started,
        )

    async def check(self, timeout: float) -> EngineState:
        """``GET /models``: does the server answer and list the configured model."""
        try:
            response = await self._http.get(f"{self.base_url}/models", timeout=timeout)
        except httpx.TimeoutException:
            return EngineState(NAME, False, f"timed out after {timeout:g}s")
        except httpx.HTTPError as exc:
            return EngineState(NAME, False, f"cannot connect ({_kind(exc)})")
        if response.status_code != 200:
            return EngineState(NAME, False, f"HTTP {response.status_code} on /models")
        try:
            models = [str(m.get("id")) for m in response.json().get("data", [])]
        except (ValueError, AttributeError):
            return EngineState(NAME, False, "/models is not an OpenAI-style model list")
        if self.model and models and self.model not in models:
            return EngineState(NAME, False, f"does not serve {self.model!r}")
        return EngineState(NAME, True, f"using {self.model or (models or ['its default'])[0]}")

    async def aclose(self) -> None:
        await self._http.aclose()

    def _failed(self, reason: str) -> TranscriptionFailed:
        return TranscriptionFailed(failures=[(NAME, reason)])


def _kind(exc: httpx.HTTPError) -> str:
    """A connection failure's kind, without the URL (which may carry credentials)."""
    cause = exc.__cause__ or exc.__context__
    return type(cause).__name__ if isinstance(cause, OSError) else type(exc).__name__


def _detail(response: httpx.Response) -> str:
    """The server's own error message, short (vLLM and OpenAI put it in ``error.message``)."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return ""
    message = error.get("message") if isinstance(error, dict) else error
    return f": {str(message)[:160]}" if message else ""
