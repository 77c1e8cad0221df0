"""The LLM backends the assistant benchmark runs on: a scripted fake, the embedded engine, the
configured endpoint. Each gives a way to make an ``LLMClient`` for one seeded store.

- ``scripted``: an in-process fake OpenAI-compatible endpoint (``httpx.MockTransport`` through
  ``LLMClient``'s ``http_client=``) that answers each case's message with that case's expected
  calls (a text answer when none are expected). It is not a model: it measures the plumbing
  (validation, the confirmation guard, parsing). A request without tools (the phrasing step)
  gets a fixed sentence. It reports no token usage.
- ``embedded``: SmolLM2-135M under llama.cpp started in-process (``errands.local_llm``), only with
  the ``local`` extra; slow on a CPU, so few cases by default.
- ``configured``: the endpoint in the settings (``load_settings`` + ``build_llm``), when it
  answers a health check within 3 s. Its calls land in the bench store's LLM call log.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx

from agents.llm import Backend, LLMClient
from bench.assistant.score import Case
from store.db import Database

NAMES = ("scripted", "embedded", "configured")
EMBEDDED_LIMIT = 40
HEALTH_TIMEOUT = 3.0
SCRIPTED_WHAT = (
    "in-process fake endpoint scripted with each case's expected calls: measures the plumbing "
    "(validation, the confirmation guard, parsing), not a model"
)
_OWNER_SAYS = "Owner's message: "
_FALLBACK_TEXT = "Sorry, I can't do that here."
PHRASED_TEXT = "Here is what your store holds for that."


def _utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class BackendRun:
    """How to make a client for one seeded store, and what the backend is."""

    name: str
    what: str
    limit: int | None  # scored cases per set (None: all), and only those messages are run
    make: Callable[[Database, Sequence[Case]], LLMClient]
    reports_usage: bool


def owner_text(body: dict[str, Any]) -> str:
    """The owner's own message in a planner request (after the ``<data>`` block, if any)."""
    messages = body.get("messages") or []
    content = messages[-1].get("content", "") if messages else ""
    text = str(content)
    if _OWNER_SAYS in text:
        text = text.rsplit(_OWNER_SAYS, 1)[1]
    return text.strip()


def scripted_answer(calls: list[dict[str, Any]] | None, model: str) -> dict[str, Any]:
    """A chat completion naming ``calls``, or a short text when there are none."""
    message: dict[str, Any] = {"role": "assistant", "content": _FALLBACK_TEXT}
    finish = "stop"
    if calls:
        message["content"] = None
        message["tool_calls"] = [
            {
                "id": f"call_{i}",
                "type": "function",
                "function": {"name": c["name"], "arguments": json.dumps(c["args"])},
            }
            for i, c in enumerate(calls)
        ]
        finish = "tool_calls"
    return {
        "id": "chatcmpl-scripted",
        "object": "chat.completion",
        "created": 0,
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish}],
    }


def scripted_text(text: str, model: str) -> dict[str, Any]:
    answer = scripted_answer(None, model)
    answer["choices"][0]["message"]["content"] = text
    return answer


def scripted_transport(cases: Sequence[Case]) -> httpx.MockTransport:
    """A fake ``/v1`` that answers each case's text with the case's expected calls."""
    script = {" ".join(c.text.split()): c.tools for c in cases}

    def handle(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/models"):
            data = [{"id": "scripted", "object": "model", "created": 0, "owned_by": "bench"}]
            return httpx.Response(200, json={"object": "list", "data": data})
        if not request.url.path.endswith("/chat/completions"):
            return httpx.Response(404, json={"error": {"message": "not here"}})
        body = json.loads(request.content)
        if not body.get("tools"):  # the phrasing step: words only
            return httpx.Response(200, json=scripted_text(PHRASED_TEXT, str(body.get("model"))))
        calls = script.get(" ".join(owner_text(body).split()))
        return httpx.Response(200, json=scripted_answer(calls, str(body.get("model"))))

    return httpx.MockTransport(handle)


def scripted() -> BackendRun:
    def make(db: Database, cases: Sequence[Case]) -> LLMClient:
        backend = Backend(
            name="scripted", base_url="http://scripted.invalid/v1", model="scripted",
            api_key="", schema_mode="json_schema",
        )  # fmt: skip
        return LLMClient(
            [backend], timeout=10, max_retries=0, concurrency=1, clock=_utc_now,
            http_client=httpx.AsyncClient(transport=scripted_transport(cases)),
        )  # fmt: skip

    return BackendRun("scripted", SCRIPTED_WHAT, None, make, reports_usage=False)


async def embedded(stack: AsyncExitStack, limit: int | None) -> BackendRun | str:
    """The embedded engine, started for this run (stopped with ``stack``), or why not."""
    import asyncio

    from errands import local_llm

    missing = local_llm.missing_packages()
    if missing:
        return f"needs the errands[local] extra (missing: {', '.join(missing)})"
    try:
        server = await asyncio.to_thread(local_llm.start_server, None, startup_timeout=90)
    except Exception as exc:  # a start failure is reported, not raised
        return f"the embedded engine did not start: {exc}"
    stack.callback(server.stop)

    def make(db: Database, cases: Sequence[Case]) -> LLMClient:
        backend = Backend(
            name="embedded", base_url=server.base_url, model=server.model, api_key="",
            schema_mode="json_object",
        )  # fmt: skip
        return _logged_client([backend], db, timeout=120.0)

    what = f"SmolLM2-135M ({local_llm.MODEL_FILE}) on llama.cpp, CPU, in-process"
    chosen = EMBEDDED_LIMIT if limit is None else limit
    return BackendRun("embedded", what, chosen, make, reports_usage=True)


async def configured(limit: int | None) -> BackendRun | str:
    """The endpoint in the settings if one answers ``/models`` within 3 s, or why not."""
    from errands.settings import load_settings
    from errands.wiring import build_llm

    try:
        settings = load_settings()
    except Exception as exc:  # bad settings: reported, not raised
        return f"settings could not be loaded: {exc}"
    probe = build_llm(settings, None)
    try:
        statuses = await probe.check(timeout=HEALTH_TIMEOUT)
    finally:
        await probe.aclose()
    up = [s for s in statuses if s.ok]
    if not up:
        why = "; ".join(f"{s.name} {s.base_url}: {s.detail}" for s in statuses)
        return f"no configured endpoint answered within {HEALTH_TIMEOUT:.0f} s ({why})"

    def make(db: Database, cases: Sequence[Case]) -> LLMClient:
        return build_llm(settings, db)  # its calls land in this store's LLM call log

    what = "; ".join(f"{s.name} {s.base_url} {','.join(s.models[:1])}" for s in up)
    return BackendRun("configured", what, limit, make, reports_usage=True)


def _logged_client(backends: list[Backend], db: Database, *, timeout: float) -> LLMClient:
    """A client whose calls land in ``db``'s LLM call log, like ``build_llm``'s."""
    from errands.settings import Settings
    from errands.wiring import build_llm

    settings = Settings(data_dir=Path(db.engine.url.database or ".").parent, llm_timeout=timeout,
                        llm_max_retries=0, llm_concurrency=1)  # fmt: skip
    return build_llm(settings, db, backends=backends)
