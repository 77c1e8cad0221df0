"""LLMClient against a fake OpenAI-compatible server: wire format, fallback, errors, call log."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from pydantic import BaseModel

from agents.llm import (
    Backend,
    CallRecord,
    LLMBadOutput,
    LLMClient,
    LLMUnavailable,
    SchemaMode,
)
from tests.conftest import NOW
from tests.fakes.openai_server import FakeOpenAI, unused_base_url

ASK = [{"role": "user", "content": "Say hello"}]
TOOL = {
    "type": "function",
    "function": {
        "name": "add_todo",
        "description": "Add a to-do",
        "parameters": {"type": "object", "properties": {"title": {"type": "string"}}},
    },
}


class Todo(BaseModel):
    title: str
    priority: int


@pytest.fixture
def make_fake() -> Iterator[Callable[[], FakeOpenAI]]:
    started: list[FakeOpenAI] = []

    def make() -> FakeOpenAI:
        fake = FakeOpenAI().start()
        started.append(fake)
        return fake

    yield make
    for fake in started:
        fake.stop()


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


@pytest.fixture
def fake(shared_fake: FakeOpenAI) -> FakeOpenAI:
    shared_fake.reset()
    return shared_fake


def backend(
    url: str,
    name: str = "local",
    *,
    model: str = "fake-model",
    api_key: str = "",
    schema_mode: SchemaMode = "json_schema",
) -> Backend:
    return Backend(name=name, base_url=url, model=model, api_key=api_key, schema_mode=schema_mode)


def client(
    *backends: Backend,
    records: list[CallRecord] | None = None,
    timeout: float = 2.0,
    max_retries: int = 0,
    concurrency: int = 4,
    call_log: Callable[[CallRecord], None] | None = None,
    http_client: httpx.AsyncClient | None = None,
) -> LLMClient:
    log = call_log if call_log is not None else (records.append if records is not None else None)
    return LLMClient(
        backends,
        timeout=timeout,
        max_retries=max_retries,
        concurrency=concurrency,
        call_log=log,
        clock=lambda: NOW,
        http_client=http_client,
    )


# ---------------------------------------------------------------- chat


async def test_chat_returns_text_tokens_and_logs_one_ok_row(fake: FakeOpenAI) -> None:
    records: list[CallRecord] = []
    async with client(backend(fake.base_url), records=records) as llm:
        reply = await llm.chat(ASK, purpose="greet", max_tokens=64, temperature=0.5)

    assert reply.text == "Hello from the fake server."
    assert (reply.backend, reply.model) == ("local", "fake-model")
    assert (reply.prompt_tokens, reply.completion_tokens) == (2, 5)
    assert reply.tool_calls == []
    [body] = fake.bodies()
    assert body["model"] == "fake-model"
    assert body["messages"] == ASK
    assert (body["max_tokens"], body["temperature"]) == (64, 0.5)
    assert "tools" not in body and "response_format" not in body
    assert fake.requests[0].headers["authorization"] == "Bearer EMPTY"  # no key configured
    [row] = records
    assert (row.at, row.backend, row.model, row.purpose, row.ok) == (
        NOW,
        "local",
        "fake-model",
        "greet",
        True,
    )
    assert (row.prompt_tokens, row.completion_tokens, row.error) == (2, 5, None)
    assert row.latency_ms > 0


async def test_empty_model_uses_the_first_listed_and_looks_it_up_once(fake: FakeOpenAI) -> None:
    fake.models = ["served-first", "served-second"]
    async with client(backend(fake.base_url, model="")) as llm:
        first = await llm.chat(ASK, purpose="t")
        await llm.chat(ASK, purpose="t")

    assert first.model == "served-first"
    assert [r.path for r in fake.requests] == ["/models", "/chat/completions", "/chat/completions"]
    assert {b["model"] for b in fake.bodies()} == {"served-first"}


async def test_tool_calls_are_passed_through_and_parsed(fake: FakeOpenAI) -> None:
    tools = [TOOL]
    fake.tool_calls = [{"name": "add_todo", "arguments": {"title": "buy milk", "due": None}}]
    async with client(backend(fake.base_url)) as llm:
        reply = await llm.chat(ASK, purpose="tools", tools=tools)

    assert fake.bodies()[0]["tools"] == tools
    assert reply.text == ""
    assert reply.tool_calls == [
        {"id": "call_0", "name": "add_todo", "arguments": {"title": "buy milk", "due": None}}
    ]


async def test_tool_call_arguments_that_are_not_json_are_bad_output(fake: FakeOpenAI) -> None:
    fake.tool_calls = [{"name": "add_todo", "arguments": "{title: oops"}]
    async with client(backend(fake.base_url)) as llm:
        with pytest.raises(LLMBadOutput, match="add_todo"):
            await llm.chat(ASK, purpose="tools", tools=[TOOL])
    assert len(fake.bodies()) == 2


# ---------------------------------------------------------------- structured output


async def test_structured_json_schema_mode_sends_strict_schema(fake: FakeOpenAI) -> None:
    fake.reply = '  ```json\n{"title": "Buy milk", "priority": 2}\n```\n'
    async with client(backend(fake.base_url)) as llm:
        result = await llm.structured(ASK, Todo, purpose="extract")

    assert result.value == Todo(title="Buy milk", priority=2)
    assert (result.backend, result.model) == ("local", "fake-model")
    assert fake.bodies()[0]["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "Todo", "schema": Todo.model_json_schema(), "strict": True},
    }


async def test_structured_json_object_mode_sends_the_schema_key(fake: FakeOpenAI) -> None:
    fake.reply = '{"title": "x", "priority": 1}'
    async with client(backend(fake.base_url, schema_mode="json_object")) as llm:
        await llm.structured(ASK, Todo, purpose="extract")

    assert fake.bodies()[0]["response_format"] == {
        "type": "json_object",
        "schema": Todo.model_json_schema(),
    }


async def test_structured_tolerates_raw_control_characters(fake: FakeOpenAI) -> None:
    fake.reply = '{"title": "line one\nline\ttwo", "priority": 3}'  # as llama-cpp-python emits
    async with client(backend(fake.base_url, schema_mode="json_object")) as llm:
        result = await llm.structured(ASK, Todo, purpose="extract")
    assert result.value.title == "line one\nline\ttwo"


async def test_invalid_output_is_retried_once_then_bad_output(fake: FakeOpenAI) -> None:
    records: list[CallRecord] = []
    fake.reply = '{"title": "no priority"}'
    async with client(backend(fake.base_url), records=records) as llm:
        with pytest.raises(LLMBadOutput) as caught:
            await llm.structured(ASK, Todo, purpose="extract")

    assert len(fake.requests) == 2
    retry = fake.bodies()[1]["messages"]
    assert retry[: len(ASK)] == ASK
    assert retry[len(ASK)] == {"role": "assistant", "content": '{"title": "no priority"}'}
    assert "priority" in retry[-1]["content"]
    assert "priority" in caught.value.user_message
    assert [(r.ok, r.purpose) for r in records] == [(False, "extract"), (False, "extract")]
    assert all(r.error and r.error.startswith("invalid output") for r in records)
    assert records[0].completion_tokens is not None  # the answer's tokens still count


async def test_invalid_then_valid_output_succeeds_on_the_retry(fake: FakeOpenAI) -> None:
    fake.replies = ["Sure! Here it is.", '{"title": "x", "priority": 4}']
    async with client(backend(fake.base_url)) as llm:
        result = await llm.structured(ASK, Todo, purpose="extract")
    assert result.value.priority == 4
    assert len(fake.bodies()) == 2


async def test_invalid_output_moves_on_to_the_next_backend(
    make_fake: Callable[[], FakeOpenAI],
) -> None:
    first, second = make_fake(), make_fake()
    first.reply = "not json at all"
    second.reply = '{"title": "from fallback", "priority": 1}'
    async with client(backend(first.base_url), backend(second.base_url, "fallback")) as llm:
        result = await llm.structured(ASK, Todo, purpose="extract")
    assert (result.backend, result.value.title) == ("fallback", "from fallback")
    assert (len(first.bodies()), len(second.bodies())) == (2, 1)


# ---------------------------------------------------------------- failures and fallback


async def test_timeout_makes_the_backend_unavailable(fake: FakeOpenAI) -> None:
    records: list[CallRecord] = []
    fake.delay = 0.5
    async with client(backend(fake.base_url), records=records, timeout=0.1) as llm:
        started = time.perf_counter()
        with pytest.raises(LLMUnavailable, match="timed out") as caught:
            await llm.chat(ASK, purpose="slow")
    assert time.perf_counter() - started < 0.45
    assert caught.value.failures == (("local", "timed out after 0.1s"),)
    assert [(r.ok, r.error) for r in records] == [(False, "timed out after 0.1s")]


async def test_http_500_is_retried_by_the_sdk_then_unavailable(fake: FakeOpenAI) -> None:
    fake.fail_times = 100
    async with client(backend(fake.base_url), max_retries=1) as llm:
        with pytest.raises(LLMUnavailable, match="HTTP 500"):
            await llm.chat(ASK, purpose="t")
    assert len(fake.bodies()) == 2  # the first try and one retry


async def test_http_500_once_recovers_within_retries_and_logs_one_row(fake: FakeOpenAI) -> None:
    records: list[CallRecord] = []
    fake.fail_times = 1
    async with client(backend(fake.base_url), records=records, max_retries=1) as llm:
        reply = await llm.chat(ASK, purpose="t")
    assert reply.text
    assert len(fake.bodies()) == 2
    assert [r.ok for r in records] == [True]


async def test_connection_refused_is_fast_and_named() -> None:
    records: list[CallRecord] = []
    async with client(backend(unused_base_url()), records=records) as llm:
        with pytest.raises(LLMUnavailable) as caught:
            await llm.chat(ASK, purpose="t")
    message = caught.value.user_message
    assert message.startswith("No language model answered (local http://127.0.0.1:")
    assert "connection refused" in message
    assert [(r.backend, r.model, r.ok, r.error) for r in records] == [
        ("local", "fake-model", False, "connection refused")
    ]


async def test_falls_back_to_the_second_backend(fake: FakeOpenAI) -> None:
    records: list[CallRecord] = []
    backends = (backend(unused_base_url()), backend(fake.base_url, "fallback"))
    async with client(*backends, records=records) as llm:
        reply = await llm.chat(ASK, purpose="t")
    assert (reply.backend, reply.model) == ("fallback", "fake-model")
    assert [(r.backend, r.ok) for r in records] == [("local", False), ("fallback", True)]


async def test_a_4xx_moves_on_to_the_next_backend(make_fake: Callable[[], FakeOpenAI]) -> None:
    first, second = make_fake(), make_fake()
    backends = (backend(first.base_url, model="absent"), backend(second.base_url, "fb"))
    async with client(*backends) as llm:
        reply = await llm.chat(ASK, purpose="t")
    assert reply.backend == "fb"
    assert len(first.bodies()) == 1  # a 404 is not retried


async def test_all_backends_down_names_each_one(fake: FakeOpenAI) -> None:
    fake.fail_times, fake.fail_status = 100, 503
    async with client(backend(unused_base_url()), backend(fake.base_url, "fallback")) as llm:
        with pytest.raises(LLMUnavailable) as caught:
            await llm.chat(ASK, purpose="t")
    assert caught.value.failures == (
        ("local", "connection refused"),
        ("fallback", "HTTP 503: fake failure"),
    )


async def test_errors_never_contain_the_api_key(fake: FakeOpenAI) -> None:
    records: list[CallRecord] = []
    key = "sk-very-secret-key"
    for status in (401, 500):
        fake.fail_times, fake.fail_status = 1, status
        async with client(backend(fake.base_url, api_key=key), records=records) as llm:
            with pytest.raises(LLMUnavailable) as caught:
                await llm.chat(ASK, purpose="t")
        assert key not in str(caught.value)
    assert fake.requests[0].headers["authorization"] == f"Bearer {key}"
    assert all(key not in (r.error or "") for r in records)
    assert "API key" in (records[0].error or "")


# ---------------------------------------------------------------- embeddings


async def test_embeddings_are_returned_in_order(fake: FakeOpenAI) -> None:
    texts = ["graph neural networks", "a", "sparse attention"]
    async with client(backend(fake.base_url)) as llm:
        result = await llm.embed(texts, purpose="embed")
        empty = await llm.embed([], purpose="embed")
    assert result.vectors == [FakeOpenAI.vector(t) for t in texts]
    assert (result.backend, result.model) == ("local", "fake-model")
    [body] = fake.bodies("/embeddings")
    assert (body["input"], body["encoding_format"]) == (texts, "float")
    assert empty.vectors == []
    assert len(fake.requests) == 1


# ---------------------------------------------------------------- limits, check, log


async def test_concurrency_limit_is_respected(fake: FakeOpenAI) -> None:
    fake.delay = 0.05
    async with client(backend(fake.base_url), concurrency=2) as llm:
        replies = await asyncio.gather(*(llm.chat(ASK, purpose="t") for _ in range(6)))
    assert len(replies) == 6
    assert fake.max_in_flight == 2


async def test_check_reports_each_backend_quickly(make_fake: Callable[[], FakeOpenAI]) -> None:
    up, misnamed, stuck = make_fake(), make_fake(), make_fake()
    stuck.delay = 2.0
    backends = [
        backend(up.base_url, "up", model=""),
        backend(unused_base_url(), "refused"),
        backend(misnamed.base_url, "misnamed", model="other-model"),
        backend(stuck.base_url, "stuck"),
    ]
    async with client(*backends, max_retries=5) as llm:
        started = time.perf_counter()
        states = await llm.check(timeout=0.3)
    assert time.perf_counter() - started < 1.5
    by_name = {s.name: s for s in states}
    assert [s.name for s in states] == ["up", "refused", "misnamed", "stuck"]
    assert by_name["up"].ok and by_name["up"].models == ["fake-model"]
    assert by_name["up"].detail == "using fake-model"
    assert by_name["up"].base_url == up.base_url
    assert not by_name["refused"].ok and by_name["refused"].detail == "connection refused"
    assert not by_name["misnamed"].ok and "other-model" in by_name["misnamed"].detail
    assert not by_name["stuck"].ok and "timed out" in by_name["stuck"].detail
    assert len(stuck.requests) == 1  # no retries


async def test_a_failing_call_log_does_not_break_the_call(
    fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(record: CallRecord) -> None:
        raise RuntimeError("disk full")

    with caplog.at_level(logging.WARNING, logger="agents.llm"):
        async with client(backend(fake.base_url), call_log=broken) as llm:
            reply = await llm.chat(ASK, purpose="t")
    assert reply.text
    assert "call log failed" in caplog.text


async def test_an_injected_http_client_is_used_and_left_open(fake: FakeOpenAI) -> None:
    seen: list[str] = []

    async def remember(request: httpx.Request) -> None:
        seen.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [remember]}) as http:
        llm = client(backend(fake.base_url), http_client=http)
        await llm.chat(ASK, purpose="t")
        await llm.aclose()
        assert not http.is_closed
    assert seen == ["/v1/chat/completions"]


async def test_fake_notices_a_client_that_gave_up(fake: FakeOpenAI) -> None:
    fake.delay = 5.0
    async with client(backend(fake.base_url), timeout=0.1) as llm:
        with pytest.raises(LLMUnavailable):
            await llm.chat(ASK, purpose="t")
    for _ in range(100):
        if fake.in_flight == 0:
            break
        await asyncio.sleep(0.01)
    assert fake.in_flight == 0


async def test_urls_in_messages_lose_credentials_and_query() -> None:
    closed = unused_base_url().replace("http://", "http://user:hunter2@") + "?api-key=zzz-secret"
    async with client(backend(closed)) as llm:
        with pytest.raises(LLMUnavailable) as caught:
            await llm.chat(ASK, purpose="t")
        [state] = await llm.check(timeout=1)
    for text in (caught.value.user_message, state.base_url, state.detail):
        assert "hunter2" not in text and "zzz-secret" not in text
    assert "connection refused" in caught.value.user_message
