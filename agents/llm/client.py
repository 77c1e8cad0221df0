"""``LLMClient``: chat, structured output and embeddings over a fallback chain of backends."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar, cast

import httpx
import openai
from openai import AsyncOpenAI
from openai.types import CreateEmbeddingResponse
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionMessageParam,
    ChatCompletionToolUnionParam,
    completion_create_params,
)
from pydantic import BaseModel

from agents.http import ClosingClient
from agents.llm.errors import LLMBadOutput, LLMUnavailable
from agents.llm.failures import FAILURES, BackendDown, failure_reason, public_url
from agents.llm.health import check_backend
from agents.llm.replies import (
    InvalidReply,
    feedback,
    first_message,
    response_format,
    tool_calls,
    usage,
    validate,
)
from agents.llm.values import (
    Backend,
    BackendStatus,
    CallRecord,
    ChatReply,
    Embeddings,
    Message,
    Structured,
    Tool,
    ToolCall,
)

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)
R = TypeVar("R")
S = TypeVar("S", ChatCompletion, CreateEmbeddingResponse)

ATTEMPTS_PER_BACKEND = 2  # a reply that fails validation gets one retry on the same backend


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
_Send = Callable[[_Slot, str, InvalidReply | None], Awaitable[S]]


class LLMClient(ClosingClient):
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

    async def aclose(self) -> None:
        """Close the SDK clients; an injected ``http_client`` belongs to the caller."""
        if self._owns_http:
            for slot in self._slots:
                await slot.client.close()

    # ---- public calls

    async def chat(
        self,
        messages: Sequence[Message],
        *,
        purpose: str,
        tools: Sequence[Tool] | None = None,
        max_tokens: int = 512,
        temperature: float = 0.2,
    ) -> ChatReply:
        """A free-text reply, or the tool calls the model chose (OpenAI function-tool format)."""

        async def send(slot: _Slot, model: str, retry_of: InvalidReply | None) -> ChatCompletion:
            return await slot.client.chat.completions.create(
                model=model,
                messages=cast("list[ChatCompletionMessageParam]", list(messages)),
                tools=cast("list[ChatCompletionToolUnionParam]", list(tools))
                if tools
                else openai.omit,
                max_tokens=max_tokens,
                temperature=temperature,
            )

        def parse(response: ChatCompletion) -> tuple[str, list[ToolCall]]:
            message = first_message(response)
            return message.content or "", tool_calls(message)

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
        messages: Sequence[Message],
        schema: type[T],
        *,
        purpose: str,
        max_tokens: int = 512,
    ) -> Structured[T]:
        """A ``schema`` instance, produced under the server's JSON-schema constraint.

        Hosted APIs in strict mode also want every field required and extra keys forbidden
        (``model_config = ConfigDict(extra="forbid")``); vLLM and llama.cpp do not care.
        """

        async def send(slot: _Slot, model: str, retry_of: InvalidReply | None) -> ChatCompletion:
            asked = [*messages] if retry_of is None else [*messages, *feedback(retry_of)]
            wanted = response_format(slot.backend.schema_mode, schema)
            return await slot.client.chat.completions.create(
                model=model,
                messages=cast("list[ChatCompletionMessageParam]", asked),
                response_format=cast("completion_create_params.ResponseFormat", wanted),
                max_tokens=max_tokens,
                temperature=0.0,
            )

        def parse(response: ChatCompletion) -> T:
            return validate(schema, first_message(response).content or "")

        answer = await self._run(purpose, send, parse)
        return Structured(value=answer.value, backend=answer.backend, model=answer.model)

    async def embed(self, texts: list[str], *, purpose: str) -> Embeddings:
        """One vector per text, in order. No texts, no call."""
        if not texts:
            return Embeddings(vectors=[], backend="", model="")

        async def send(
            slot: _Slot, model: str, retry_of: InvalidReply | None
        ) -> CreateEmbeddingResponse:
            # "float" explicitly: the SDK would ask for base64, which not every server speaks.
            return await slot.client.embeddings.create(
                model=model, input=texts, encoding_format="float"
            )

        def parse(response: CreateEmbeddingResponse) -> list[list[float]]:
            data = sorted(getattr(response, "data", None) or [], key=lambda d: d.index)
            if len(data) != len(texts):
                raise InvalidReply(f"{len(data)} vectors for {len(texts)} texts")
            return [list(d.embedding) for d in data]

        answer = await self._run(purpose, send, parse)
        return Embeddings(vectors=answer.value, backend=answer.backend, model=answer.model)

    async def check(self, *, timeout: float = 3.0) -> list[BackendStatus]:
        """Ask every backend for its model list at once, without retries, within ``timeout``."""
        return list(
            await asyncio.gather(
                *(check_backend(slot.backend, slot.client, timeout) for slot in self._slots)
            )
        )

    # ---- the fallback chain

    async def _run(self, purpose: str, send: _Send[S], parse: Callable[[S], R]) -> _Answer[R]:
        down: list[tuple[_Slot, str]] = []
        bad: list[tuple[_Slot, str]] = []
        for slot in self._slots:
            retry_of: InvalidReply | None = None
            for _ in range(ATTEMPTS_PER_BACKEND):
                try:
                    return await self._attempt(slot, purpose, send, parse, retry_of)
                except BackendDown as exc:
                    down.append((slot, exc.reason))
                    break
                except InvalidReply as exc:
                    retry_of = exc
            if retry_of is not None:
                bad.append((slot, retry_of.reason))
        if bad:
            why = "; ".join(f"{s.backend.name}: {reason}" for s, reason in bad + down)
            raise LLMBadOutput(f"The language model's answers had the wrong form ({why}).")
        tried = "; ".join(
            f"{s.backend.name} {public_url(s.backend.base_url)}: {reason}" for s, reason in down
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
        retry_of: InvalidReply | None,
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
            tokens = usage(response)
            value = parse(response)
            error = None
            return _Answer(value, slot.backend.name, model, *tokens)
        except InvalidReply as exc:
            error = f"invalid output: {exc.reason}"
            raise
        except BackendDown as exc:
            error = exc.reason
            raise
        except FAILURES as exc:
            error = failure_reason(exc, timeout=self._timeout, api_key=slot.backend.api_key)
            raise BackendDown(error) from None
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
                raise BackendDown("the server lists no models")
            slot.model = listed[0]
        return slot.model

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
