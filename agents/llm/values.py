"""What goes into ``LLMClient`` (backends, messages) and what comes out (replies, call records)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, Literal, TypedDict, TypeVar

from pydantic import BaseModel

T = TypeVar("T", bound=BaseModel)

SchemaMode = Literal["json_schema", "json_object"]

# One chat message or tool in OpenAI's wire format ({"role": ..., "content": ...}); the SDK
# types them as TypedDict unions, which plain dict literals in agents need not spell out.
Message = Mapping[str, object]
Tool = Mapping[str, object]


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
    arguments: dict[str, object]


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
