"""faster-whisper on the CPU with the bundled Whisper base: real speech in, words out."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from agents.context import AppConfig, AppContext
from agents.stt import EmbeddedEngine, EndpointEngine, Transcriber, TranscriptionFailed
from bench import stt_audio
from bots.telegram.app import build_application, start_bot, stop_bot
from store.db import Database
from tests.fakes.openai_server import unused_base_url
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def bank_note() -> Iterator[bytes]:
    note, _ = stt_audio.voice_note("Remind me to call the bank tomorrow", "en")
    yield note


async def test_english_is_detected_and_heard(engine: EmbeddedEngine, bank_note: bytes) -> None:
    heard = await engine.transcribe(bank_note, filename="voice.ogg", language=None)
    assert heard.language == "en" and heard.engine == "embedded"
    words = heard.text.lower()
    assert all(word in words for word in ("remind", "call", "bank", "tomorrow")), heard.text
    assert (engine.model_dir / "model.bin").stat().st_size == 145_217_532  # both parts joined


async def test_mandarin_forced_with_voice_zh(engine: EmbeddedEngine) -> None:
    note, _ = stt_audio.voice_note("明天下午三点提醒我给妈妈打电话", "zh")
    heard = await engine.transcribe(note, filename="voice.ogg", language="zh")
    assert heard.language == "zh"
    assert "明天" in heard.text and "妈妈" in heard.text, heard.text


async def test_bytes_that_are_not_audio_fail_with_a_reason(engine: EmbeddedEngine) -> None:
    with pytest.raises(TranscriptionFailed) as failed:
        await engine.transcribe(b"this is not audio", filename="voice.ogg", language=None)
    assert failed.value.failures == (("embedded", "could not decode the audio"),)


async def test_the_endpoint_down_falls_back_to_the_cpu_in_the_bot(
    engine: EmbeddedEngine, bank_note: bytes, db: Database, data_dir: Path
) -> None:
    """A real voice note through PTB, getFile, the dead endpoint and then faster-whisper."""
    stt = Transcriber([EndpointEngine(unused_base_url()), engine])
    async with (
        FakeTelegramAPI() as api,
        AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as saver,
    ):
        ctx = AppContext(
            db=db,
            config=AppConfig(owner_chat_ids=(42,), default_timezone="Europe/Berlin"),
            clock=lambda: NOW,
            checkpointer=saver,
            stt=stt,
        )
        app, surface = build_application(ctx, token="123:abc", base_url=api.bot_base_url)
        await start_bot(app, surface, poll_timeout=1)
        try:
            api.user_message("/start")
            await api.wait_for("sendMessage")
            api.voice_message(bank_note, duration=3)
            await api.wait_for("sendMessage", 3, timeout=60)
        finally:
            await stop_bot(app)
            await stt.aclose()
    heard, card = api.bot_messages[-2:]
    assert heard["text"].startswith("🎙 I heard: ") and "bank" in heard["text"].lower()
    assert "bank" in card["text"].lower()  # the to-do capture card for what was said
