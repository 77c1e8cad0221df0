"""Reading a backend's reply: the message, tool calls, token counts and structured output.

Structured output is asked for in the form the backend speaks (``response_format``), read back
tolerantly (code fences, raw control characters) and validated with pydantic. A reply that
does not fit raises ``InvalidReply``; ``feedback`` turns it into the messages of a retry.
"""

from __future__ import annotations

import json
import re
from typing import TypeVar

from openai.types import CreateEmbeddingResponse
from openai.types.chat import (
    ChatCompletion,
    ChatCompletionMessage,
    ChatCompletionMessageFunctionToolCall,
)
from pydantic import BaseModel, ValidationError

from agents.llm.values import Message, SchemaMode, ToolCall

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"^```[a-zA-Z]*\s*(.*?)\s*```$", re.DOTALL)


class InvalidReply(Exception):
    """The backend answered, but not in the requested shape; ``text`` is what it said."""

    def __init__(self, reason: str, text: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.text = text


def usage(response: ChatCompletion | CreateEmbeddingResponse) -> tuple[int | None, int | None]:
    """Token counts if the server reported them (embeddings have no completion tokens)."""
    used = getattr(response, "usage", None)
    prompt = getattr(used, "prompt_tokens", None)
    completion = getattr(used, "completion_tokens", None)
    return (
        prompt if isinstance(prompt, int) else None,
        completion if isinstance(completion, int) else None,
    )


def first_message(response: ChatCompletion) -> ChatCompletionMessage:
    choices = getattr(response, "choices", None) or []
    message: ChatCompletionMessage | None = (
        getattr(choices[0], "message", None) if choices else None
    )
    if message is None:
        raise InvalidReply("the reply has no message")
    return message


def tool_calls(message: ChatCompletionMessage) -> list[ToolCall]:
    calls: list[ToolCall] = []
    for call in message.tool_calls or []:
        if not isinstance(call, ChatCompletionMessageFunctionToolCall):
            continue  # custom (free-text) tools are never offered, so never expected
        raw = call.function.arguments or "{}"
        try:
            arguments = json.loads(raw, strict=False)
        except ValueError:
            raise InvalidReply(f"arguments of {call.function.name} are not JSON", raw) from None
        if not isinstance(arguments, dict):
            raise InvalidReply(f"arguments of {call.function.name} are not an object", raw)
        calls.append(ToolCall(id=call.id, name=call.function.name, arguments=arguments))
    return calls


def response_format(mode: SchemaMode, schema: type[BaseModel]) -> dict[str, object]:
    """OpenAI's ``json_schema`` form (vLLM, hosted APIs) or llama-cpp-python's ``json_object``."""
    if mode == "json_object":
        return {"type": "json_object", "schema": schema.model_json_schema()}
    name = re.sub(r"[^a-zA-Z0-9_-]", "_", schema.__name__)[:64]
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "schema": schema.model_json_schema(), "strict": True},
    }


def validate(schema: type[T], text: str) -> T:
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
            raise InvalidReply(_short(first), text) from None
        try:
            return schema.model_validate(loaded)
        except ValidationError as second:
            raise InvalidReply(_short(second), text) from None


def _short(exc: ValidationError) -> str:
    """The first validation problem, without echoing the (possibly long) input."""
    first = exc.errors()[0]
    where = ".".join(str(part) for part in first["loc"]) or "reply"
    more = f" (+{exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return f"{where}: {first['msg']}{more}"[:200]


def feedback(invalid: InvalidReply) -> list[Message]:
    """Messages that show the model its rejected reply, so the retry is not the same request."""
    return [
        {"role": "assistant", "content": invalid.text},
        {
            "role": "user",
            "content": f"That reply was rejected ({invalid.reason}). "
            "Answer again with only a JSON object that matches the schema.",
        },
    ]
