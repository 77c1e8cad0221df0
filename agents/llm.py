"""The only module that knows LLM providers: OpenAI-compatible servers in a fallback chain.

Agents ask ``LLMClient`` for a chat reply, a pydantic-validated value or embeddings, and get
typed results or one of our errors:

- ``LLMError``: the base.
  - ``LLMUnavailable``: no backend answered. Callers take their rule-based path.
  - ``LLMBadOutput``: backends answered, but never in the requested shape.

Backends are tried in order (local vLLM first, then a hosted one). The openai SDK does the
timeouts and the bounded retries with backoff (5xx, 429, connection errors) for each backend.
Every attempt, good or bad, is reported to ``call_log`` so latency and failures can be seen
later. Messages never contain API keys.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import socket
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import Any, Generic, Literal, TypedDict, TypeVar, cast

import httpx
import openai
from openai import AsyncOpenAI
from openai.types import CreateEmbeddingResponse
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionMessage,
    ChatCompletionMessageFunctionToolCall,
    ChatCompletionMessageParam,
    ChatCompletionToolUnionParam,
    completion_create_params,
)
from pydantic import BaseModel, ValidationError

from store.errors import ErrandsError

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
S = TypeVar("S", ChatCompletion, CreateEmbeddingResponse)

SchemaMode = Literal["json_schema", "json_object"]
ATTEMPTS_PER_BACKEND = 2  # a reply that fails validation gets one retry on the same backend
_FAILURES = (openai.OpenAIError, httpx.HTTPError, json.JSONDecodeError)
_FENCE = re.compile(r"^```[a-zA-Z]*\s*(.*?)\s*```$", re.DOTALL)


# ---------------------------------------------------------------- errors


class LLMError(ErrandsError):
    """Something went wrong talking to a language model."""

    user_message = "The language model failed."


class LLMUnavailable(LLMError):
    """No backend answered; ``failures`` holds ``(backend, reason)`` for each one tried."""

    user_message = "No language model answered."

    def __init__(
        self, user_message: str | None = None, *, failures: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(user_message)
        self.failures = tuple(failures)


class LLMBadOutput(LLMError):
    """Every backend that answered failed validation, even after one retry each."""

    user_message = "The language model's answer did not have the expected form."


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Backend:
    """One OpenAI-compatible server; ``model=""`` means the first one it lists."""

    name: str
    base_url: str
    model: str
    api_key: str
    schema_mode: SchemaMode


@dataclass(frozen=True)
class CallRecord:
    """One backend attempt (SDK retries included), as the call log stores it."""

    at: datetime
    backend: str
    model: str
    purpose: str
    latency_ms: float
    ok: bool
    prompt_tokens: int | None
    completion_tokens: int | None
    error: str | None


class ToolCall(TypedDict):
    """A function call the model asked for; ``id`` is needed to send its result back."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class ChatReply:
    text: str
    tool_calls: list[ToolCall]
    backend: str
    model: str
    prompt_tokens: int | None
    completion_tokens: int | None


@dataclass(frozen=True)
class Structured(Generic[T]):
    value: T
    backend: str
    model: str


@dataclass(frozen=True)
class Embeddings:
    vectors: list[list[float]]
    backend: str
    model: str


@dataclass(frozen=True)
class BackendStatus:
    name: str
    base_url: str
    ok: bool
    detail: str
    models: list[str]


# ---------------------------------------------------------------- internals


class _Down(Exception):
    """The backend did not answer usefully (refused, timed out, HTTP error)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Invalid(Exception):
    """The backend answered, but not in the requested shape; ``text`` is what it said."""

    def __init__(self, reason: str, text: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text


@dataclass
class _Slot:
    """A backend with its SDK client and, once looked up, the model it serves."""

    backend: Backend
    client: AsyncOpenAI
    model: str


@dataclass(frozen=True)
class _Answer(Generic[R]):
    value: R
    backend: str
    model: str
    prompt_tokens: int | None
    completion_tokens: int | None


# What a request function gets: the slot, the model to name, and the invalid reply it is
# retrying (None on a first try), so structured calls can say what was wrong.
_Send = Callable[[_Slot, str, _Invalid | None], Awaitable[S]]


class LLMClient:
    """Chat, structured output and embeddings over a fallback chain of backends.

    One semaphore bounds the requests in flight across all backends, so a burst of agent work
    cannot swamp a single local GPU server. ``check()`` bypasses it on purpose: a health check
    must not queue behind long generations. Use one client from one event loop.
    """

    def __init__(
        self,
        backends: Sequence[Backend],
        *,
        timeout: float,
        max_retries: int,
        concurrency: int,
        call_log: Callable[[CallRecord], None] | None = None,
        clock: Callable[[], datetime],
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        if not backends:
            raise ValueError("LLMClient needs at least one backend")
        self._slots = [
            _Slot(
                backend=b,
                client=AsyncOpenAI(
                    base_url=b.base_url,
                    api_key=b.api_key or "EMPTY",
                    timeout=timeout,
                    max_retries=max_retries,
                    http_client=http_client,
                ),
                model=b.model,
            )
            for b in backends
        ]
        self._timeout = timeout
        self._limit = asyncio.Semaphore(concurrency)
        self._call_log = call_log
        self._clock = clock
        self._owns_http = http_client is None

    @property
    def backends(self) -> list[Backend]:
        """The chain in the order it is tried."""
        return [slot.backend for slot in self._slots]

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the SDK clients; an injected ``http_client`` belongs to the caller."""
        if self._owns_http:
            for slot in self._slots:
                await slot.client.close()

    # ---- public calls

    async def chat(
        self,
        messages: list[dict[str, Any]],
        *,
        purpose: str,
        tools: list[dict[str, Any]] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> ChatReply:
        """A free-text reply, or the tool calls the model chose (OpenAI function-tool format)."""

        async def send(slot: _Slot, model: str, retry_of: _Invalid | None) -> ChatCompletion:
            return await slot.client.chat.completions.create(
                model=model,
                messages=cast("list[ChatCompletionMessageParam]", messages),
                tools=cast("list[ChatCompletionToolUnionParam]", tools) if tools else openai.omit,
                max_tokens=max_tokens,
                temperature=temperature,
            )

        def parse(response: ChatCompletion) -> tuple[str, list[ToolCall]]:
            message = _first_message(response)
            return message.content or "", _tool_calls(message)

        answer = await self._run(purpose, send, parse)
        text, calls = answer.value
        return ChatReply(
            text=text,
            tool_calls=calls,
            backend=answer.backend,
            model=answer.model,
            prompt_tokens=answer.prompt_tokens,
            completion_tokens=answer.completion_tokens,
        )

    async def structured(
        self,
        messages: list[dict[str, Any]],
        schema: type[T],
        *,
        purpose: str,
        max_tokens: int = 512,
    ) -> Structured[T]:
        """A ``schema`` instance, produced under the server's JSON-schema constraint.

        Hosted APIs in strict mode also want every field required and extra keys forbidden
        (``model_config = ConfigDict(extra="forbid")``); vLLM and llama.cpp do not care.
        """

        async def send(slot: _Slot, model: str, retry_of: _Invalid | None) -> ChatCompletion:
            asked = messages if retry_of is None else [*messages, *_feedback(retry_of)]
            response_format = _response_format(slot.backend.schema_mode, schema)
            return await slot.client.chat.completions.create(
                model=model,
                messages=cast("list[ChatCompletionMessageParam]", asked),
                response_format=cast("completion_create_params.ResponseFormat", response_format),
                max_tokens=max_tokens,
                temperature=0.0,
            )

        def parse(response: ChatCompletion) -> T:
            return _validate(schema, _first_message(response).content or "")

        answer = await self._run(purpose, send, parse)
        return Structured(value=answer.value, backend=answer.backend, model=answer.model)

    async def embed(self, texts: list[str], *, purpose: str) -> Embeddings:
        """One vector per text, in order. No texts, no call."""
        if not texts:
            return Embeddings(vectors=[], backend="", model="")

        async def send(
            slot: _Slot, model: str, retry_of: _Invalid | None
        ) -> CreateEmbeddingResponse:
            # "float" explicitly: the SDK would ask for base64, which not every server speaks.
            return await slot.client.embeddings.create(
                model=model, input=texts, encoding_format="float"
            )

        def parse(response: CreateEmbeddingResponse) -> list[list[float]]:
            data = sorted(getattr(response, "data", None) or [], key=lambda d: d.index)
            if len(data) != len(texts):
                raise _Invalid(f"{len(data)} vectors for {len(texts)} texts")
            return [list(d.embedding) for d in data]

        answer = await self._run(purpose, send, parse)
        return Embeddings(vectors=answer.value, backend=answer.backend, model=answer.model)

    async def check(self, *, timeout: float = 3.0) -> list[BackendStatus]:
        """Ask every backend for its model list at once, without retries, within ``timeout``."""
        return list(await asyncio.gather(*(self._check(slot, timeout) for slot in self._slots)))

    # ---- the fallback chain

    async def _run(self, purpose: str, send: _Send[S], parse: Callable[[S], R]) -> _Answer[R]:
        down: list[tuple[_Slot, str]] = []
        bad: list[tuple[_Slot, str]] = []
        for slot in self._slots:
            retry_of: _Invalid | None = None
            for _ in range(ATTEMPTS_PER_BACKEND):
                try:
                    return await self._attempt(slot, purpose, send, parse, retry_of)
                except _Down as exc:
                    down.append((slot, exc.reason))
                    break
                except _Invalid as exc:
                    retry_of = exc
            if retry_of is not None:
                bad.append((slot, retry_of.reason))
        if bad:
            why = "; ".join(f"{s.backend.name}: {reason}" for s, reason in bad + down)
            raise LLMBadOutput(f"The language model's answers had the wrong form ({why}).")
        tried = "; ".join(
            f"{s.backend.name} {_public_url(s.backend.base_url)}: {reason}" for s, reason in down
        )
        raise LLMUnavailable(
            f"No language model answered ({tried}).",
            failures=[(s.backend.name, reason) for s, reason in down],
        )

    async def _attempt(
        self,
        slot: _Slot,
        purpose: str,
        send: _Send[S],
        parse: Callable[[S], R],
        retry_of: _Invalid | None,
    ) -> _Answer[R]:
        """One request to one backend (the SDK's retries included), logged whatever happens."""
        at = self._clock()
        started = time.perf_counter()
        model = slot.model
        tokens: tuple[int | None, int | None] = (None, None)
        error: str | None = "interrupted"  # what is logged if cancelled or a bug escapes
        try:
            async with self._limit:
                model = await self._model(slot)
                response = await send(slot, model, retry_of)
            tokens = _usage(response)
            value = parse(response)
            error = None
            return _Answer(value, slot.backend.name, model, *tokens)
        except _Invalid as exc:
            error = f"invalid output: {exc.reason}"
            raise
        except _Down as exc:
            error = exc.reason
            raise
        except _FAILURES as exc:
            error = self._reason(slot, exc)
            raise _Down(error) from None
        finally:
            self._log(
                CallRecord(
                    at=at,
                    backend=slot.backend.name,
                    model=model,
                    purpose=purpose,
                    latency_ms=(time.perf_counter() - started) * 1000,
                    ok=error is None,
                    prompt_tokens=tokens[0],
                    completion_tokens=tokens[1],
                    error=error,
                )
            )

    async def _model(self, slot: _Slot) -> str:
        """The configured model, or the first the server lists (looked up once)."""
        if not slot.model:
            page = await slot.client.models.list()
            listed = [m.id for m in page.data]
            if not listed:
                raise _Down("the server lists no models")
            slot.model = listed[0]
        return slot.model

    async def _check(self, slot: _Slot, timeout: float) -> BackendStatus:
        backend = slot.backend
        url = _public_url(backend.base_url)
        try:
            async with asyncio.timeout(timeout):
                quick = slot.client.with_options(timeout=timeout, max_retries=0)
                page = await quick.models.list()
        except TimeoutError:
            return BackendStatus(backend.name, url, False, f"timed out after {timeout:g}s", [])
        except _FAILURES as exc:
            return BackendStatus(backend.name, url, False, self._reason(slot, exc, timeout), [])
        models = [m.id for m in page.data]
        if not models:
            return BackendStatus(backend.name, url, False, "answers but lists no models", [])
        if backend.model and backend.model not in models:
            shown = ", ".join(models[:5]) + (", ..." if len(models) > 5 else "")
            detail = f"does not serve {backend.model!r} (serves {shown})"
            return BackendStatus(backend.name, url, False, detail, models)
        return BackendStatus(backend.name, url, True, f"using {backend.model or models[0]}", models)

    # ---- reporting

    def _log(self, record: CallRecord) -> None:
        """Hand the record to the call log; a broken log must not break the call."""
        if self._call_log is None:
            return
        try:
            self._call_log(record)
        except Exception:
            log.warning(
                "LLM call log failed for %s/%s", record.backend, record.purpose, exc_info=True
            )

    def _reason(self, slot: _Slot, exc: BaseException, timeout: float | None = None) -> str:
        """A short, key-free reason for a failed request."""
        if isinstance(exc, openai.APITimeoutError):
            reason = f"timed out after {timeout or self._timeout:g}s"
        elif isinstance(exc, openai.APIConnectionError):
            reason = _connect_reason(exc)
        elif isinstance(exc, openai.APIStatusError):
            if exc.status_code in (401, 403):
                reason = f"HTTP {exc.status_code} (is the API key right?)"
            else:
                detail = _body_message(exc.body)
                reason = f"HTTP {exc.status_code}" + (f": {detail}" if detail else "")
        else:
            reason = f"{type(exc).__name__}: {exc}"
        key = slot.backend.api_key
        if key:
            reason = reason.replace(key, "***")
        return reason[:200]


# ---------------------------------------------------------------- helpers


def _public_url(url: str) -> str:
    """The URL without credentials or query (where some providers put keys)."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        return "<invalid url>"
    return str(parsed.copy_with(username=None, password=None, query=None, fragment=None))


def _connect_reason(exc: BaseException) -> str:
    """Name the socket-level cause the SDK and httpx wrap (several layers deep)."""
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and len(chain) < 10:
        chain.append(current)
        current = current.__cause__ or current.__context__
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return "connection refused"
    if any(isinstance(e, socket.gaierror) for e in chain):
        return "cannot resolve the host name"
    return f"cannot connect ({chain[-1]})"


def _body_message(body: object) -> str:
    """The error text in an OpenAI-, vLLM- or FastAPI-style error body, shortened."""
    text = ""
    if isinstance(body, str):
        text = body
    elif isinstance(body, dict):
        for key in ("message", "detail", "error"):
            value = body.get(key)
            if isinstance(value, dict):
                value = value.get("message")
            if isinstance(value, str):
                text = value
                break
    return " ".join(text.split())[:120]


def _usage(response: ChatCompletion | CreateEmbeddingResponse) -> tuple[int | None, int | None]:
    """Token counts if the server reported them (embeddings have no completion tokens)."""
    usage = getattr(response, "usage", None)
    prompt = getattr(usage, "prompt_tokens", None)
    completion = getattr(usage, "completion_tokens", None)
    return (
        prompt if isinstance(prompt, int) else None,
        completion if isinstance(completion, int) else None,
    )


def _first_message(response: ChatCompletion) -> ChatCompletionMessage:
    choices = getattr(response, "choices", None) or []
    message: ChatCompletionMessage | None = (
        getattr(choices[0], "message", None) if choices else None
    )
    if message is None:
        raise _Invalid("the reply has no message")
    return message


def _tool_calls(message: ChatCompletionMessage) -> list[ToolCall]:
    calls: list[ToolCall] = []
    for call in message.tool_calls or []:
        if not isinstance(call, ChatCompletionMessageFunctionToolCall):
            continue  # custom (free-text) tools are never offered, so never expected
        raw = call.function.arguments or "{}"
        try:
            arguments = json.loads(raw, strict=False)
        except ValueError:
            raise _Invalid(f"arguments of {call.function.name} are not JSON", raw) from None
        if not isinstance(arguments, dict):
            raise _Invalid(f"arguments of {call.function.name} are not an object", raw)
        calls.append(ToolCall(id=call.id, name=call.function.name, arguments=arguments))
    return calls


def _response_format(mode: SchemaMode, schema: type[BaseModel]) -> dict[str, Any]:
    """OpenAI's ``json_schema`` form (vLLM, hosted APIs) or llama-cpp-python's ``json_object``."""
    if mode == "json_object":
        return {"type": "json_object", "schema": schema.model_json_schema()}
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", schema.__name__)[:64]
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "schema": schema.model_json_schema(), "strict": True},
    }


def _validate(schema: type[T], text: str) -> T:
    """Parse a reply into ``schema``, tolerating code fences and raw control characters."""
    body = text.strip()
    fenced = _FENCE.match(body)
    if fenced:
        body = fenced.group(1)
    try:
        return schema.model_validate_json(body)
    except ValidationError as first:
        try:
            # llama-cpp-python's grammar lets raw control characters into strings.
            loaded = json.loads(body, strict=False)
        except ValueError:
            raise _Invalid(_short(first), text) from None
        try:
            return schema.model_validate(loaded)
        except ValidationError as second:
            raise _Invalid(_short(second), text) from None


def _short(exc: ValidationError) -> str:
    """The first validation problem, without echoing the (possibly long) input."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "reply"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"[:200]


def _feedback(invalid: _Invalid) -> list[dict[str, Any]]:
    """Messages that show the model its rejected reply, so the retry is not the same request."""
    return [
        {"role": "assistant", "content": invalid.text},
        {
            "role": "user",
            "content": f"That reply was rejected ({invalid.reason}). "
            "Answer again with only a JSON object that matches the schema.",
        },
    ]
