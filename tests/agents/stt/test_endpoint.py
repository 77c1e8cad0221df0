"""The /v1/audio/transcriptions client against a real HTTP server on 127.0.0.1 (FakeSTT)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from agents.stt import EndpointEngine, Transcriber, TranscriptionFailed
from tests.fakes.openai_server import unused_base_url
from tests.fakes.stt_server import FakeSTT

OGG = b"OggS" + b"\0" * 60  # the bytes are passed through, not decoded, on this path


@pytest.fixture(scope="module")
def server() -> Iterator[FakeSTT]:
    with FakeSTT() as fake:
        yield fake


@pytest.fixture
def fake(server: FakeSTT) -> FakeSTT:
    server.received.clear()
    server.fail_times, server.text, server.delay = 0, "buy milk tomorrow", 0.0
    return server


async def test_sends_the_audio_model_and_forced_language(fake: FakeSTT) -> None:
    async with EndpointEngine(fake.base_url, model="whisper-test", api_key="sk-secret") as engine:
        heard = await engine.transcribe(OGG, filename="voice.ogg", language="zh")
    assert heard.text == "buy milk tomorrow"  # the server's leading space is stripped
    assert (heard.language, heard.engine) == ("zh", "endpoint")
    sent = fake.received[0]
    assert sent.audio == OGG and sent.filename == "voice.ogg"
    assert sent.fields == {"model": "whisper-test", "language": "zh", "response_format": "json"}
    assert sent.headers["authorization"] == "Bearer sk-secret"


async def test_auto_language_sends_none_and_no_key_sends_no_header(fake: FakeSTT) -> None:
    async with EndpointEngine(fake.base_url) as engine:
        heard = await engine.transcribe(OGG, filename="a.ogg", language=None)
    assert heard.language is None
    assert "language" not in fake.received[0].fields and "model" not in fake.received[0].fields
    assert "authorization" not in fake.received[0].headers


async def test_a_server_error_is_a_short_reason_without_the_key(fake: FakeSTT) -> None:
    fake.fail_times = 1
    async with EndpointEngine(fake.base_url, model="whisper-test", api_key="sk-secret") as engine:
        with pytest.raises(TranscriptionFailed) as failed:
            await engine.transcribe(OGG, filename="a.ogg", language=None)
    assert failed.value.reason == "endpoint: HTTP 503: model is loading"
    assert "sk-secret" not in failed.value.reason


async def test_nothing_listening_and_a_timeout_are_said_plainly() -> None:
    async with EndpointEngine(unused_base_url()) as engine:
        with pytest.raises(TranscriptionFailed) as down:
            await engine.transcribe(OGG, filename="a.ogg", language=None)
    assert "cannot reach http://127.0.0.1:" in down.value.reason

    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    transport = httpx.MockTransport(slow)
    async with EndpointEngine("http://stt.test/v1", timeout=7, transport=transport) as engine:
        with pytest.raises(TranscriptionFailed) as late:
            await engine.transcribe(OGG, filename="a.ogg", language=None)
    assert late.value.reason == "endpoint: timed out after 7s"


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (200, b"<html>", "answered with something that is not JSON"),
        (200, b'{"segments": []}', "answered without a transcript"),
        (401, b'{"error": {"message": "bad key"}}', "HTTP 401: bad key"),
    ],
)
async def test_odd_answers_fail_with_a_reason(status: int, body: bytes, reason: str) -> None:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    async with EndpointEngine("http://stt.test/v1", transport=transport) as engine:
        with pytest.raises(TranscriptionFailed) as failed:
            await engine.transcribe(OGG, filename="a.ogg", language="en")
    assert failed.value.reason == f"endpoint: {reason}"


async def test_check_lists_the_model_or_says_why_not(fake: FakeSTT) -> None:
    async with EndpointEngine(fake.base_url, model="whisper-test") as good:
        assert (await good.check(2.0)).ok
    async with EndpointEngine(fake.base_url, model="whisper-large") as wrong:
        state = await wrong.check(2.0)
    assert not state.ok and "does not serve 'whisper-large'" in state.detail
    async with EndpointEngine(unused_base_url()) as down:
        assert not (await down.check(2.0)).ok


async def test_transcriber_falls_back_in_order_and_reports_every_engine(fake: FakeSTT) -> None:
    dead = EndpointEngine(unused_base_url())
    live = EndpointEngine(fake.base_url)
    async with Transcriber([dead, live]) as stt:
        assert (await stt.transcribe(OGG)).text == "buy milk tomorrow"
        assert "then endpoint" in stt.describe()
    fake.fail_times = 2
    async with Transcriber([EndpointEngine(fake.base_url), EndpointEngine(fake.base_url)]) as stt:
        with pytest.raises(TranscriptionFailed) as failed:
            await stt.transcribe(OGG)
    assert failed.value.reason.count("HTTP 503") == 2
