"""Voice notes in the composed bot: real PTB polling the fake Bot API (getFile + download), a
real transcription server on 127.0.0.1 (FakeSTT), the real store."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from sqlalchemy import select

from agents.context import AppConfig, AppContext
from agents.stt import EndpointEngine, Transcriber
from bots.telegram.app import build_application, start_bot, stop_bot
from store.db import Database
from store.models import PendingVoice, Todo
from tests.fakes.stt_server import FakeSTT
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 10:00 Berlin
AUDIO = b"OggS" + bytes(range(256)) * 8  # passed through to the server as is
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server() -> Iterator[FakeSTT]:
    with FakeSTT() as fake:
        yield fake


@pytest.fixture
def stt_server(server: FakeSTT) -> FakeSTT:
    server.received.clear()
    server.fail_times, server.text = 0, "call mom tomorrow at 6pm"
    return server


async def _bot(
    db: Database, data_dir: Path, stt: Transcriber | None
) -> AsyncIterator[FakeTelegramAPI]:
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
        api.user_message("/start")
        await api.wait_for("sendMessage")
        try:
            yield api
        finally:
            await stop_bot(app)


@pytest.fixture
async def bot(db: Database, data_dir: Path, stt_server: FakeSTT) -> AsyncIterator[FakeTelegramAPI]:
    async with Transcriber([EndpointEngine(stt_server.base_url, model="whisper-test")]) as stt:
        async for api in _bot(db, data_dir, stt):
            yield api


async def _send(api: FakeTelegramAPI, replies: int, **voice: Any) -> list[dict[str, Any]]:
    before = len(api.sent("sendMessage"))
    if "text" in voice:
        api.user_message(voice["text"])
    else:
        api.voice_message(voice.pop("audio", AUDIO), voice.pop("duration", 3), **voice)
    await api.wait_for("sendMessage", before + replies)
    return api.bot_messages[before:]


async def _press(api: FakeTelegramAPI, message: dict[str, Any], data: str) -> str | None:
    before = len(api.sent("answerCallbackQuery"))
    api.press_button(message, data)
    return (await api.wait_for("answerCallbackQuery", before + 1))[-1].get("text")


def _buttons(message: dict[str, Any]) -> list[str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return [b["callback_data"] for row in rows for b in row]


def _kept(db: Database) -> list[PendingVoice]:
    with db.read() as session:
        return list(session.scalars(select(PendingVoice)))


async def test_a_voice_note_is_shown_then_handled_exactly_as_typed(
    bot: FakeTelegramAPI, stt_server: FakeSTT, db: Database
) -> None:
    [typed_card] = await _send(bot, 1, text="call mom tomorrow at 6pm")
    heard, card = await _send(bot, 2)
    assert heard["text"] == "🎙 I heard: call mom tomorrow at 6pm"
    assert card["text"] == typed_card["text"]  # the same confirmation card as typing it
    assert [b.split(":")[2] for b in _buttons(card)] == [
        b.split(":")[2] for b in _buttons(typed_card)
    ]
    assert [c["file_id"] for c in bot.sent("getFile")] == ["voice-1"]
    assert stt_server.received[-1].audio == AUDIO  # the bytes Telegram served
    assert stt_server.received[-1].filename == "voice-1.oga"  # Telegram's name: its format
    assert await _press(bot, card, _buttons(card)[0]) == "Saved."
    with db.read() as session:
        assert session.scalars(select(Todo.title)).all() == ["Call mom"]


async def test_an_audio_file_and_a_question_take_the_same_road(
    bot: FakeTelegramAPI, stt_server: FakeSTT
) -> None:
    stt_server.text = "what's on tomorrow?"
    [typed] = await _send(bot, 1, text="what's on tomorrow?")
    heard, answer = await _send(bot, 2, kind="audio", mime_type="audio/mpeg")
    assert heard["text"] == "🎙 I heard: what's on tomorrow?"
    assert answer["text"] == typed["text"]
    assert stt_server.received[-1].filename.endswith(".mp3")


@pytest.mark.parametrize(
    ("metadata", "said"),
    [
        ({"duration": 121}, "That voice message is 2:01 long; I transcribe up to 2:00."),
        ({"file_size": 21 * 1024 * 1024}, "That audio is 21.0 MB; I can fetch up to 20 MB."),
    ],
)
async def test_over_a_limit_is_refused_before_anything_is_downloaded(
    bot: FakeTelegramAPI, stt_server: FakeSTT, metadata: dict[str, int], said: str
) -> None:
    [refusal] = await _send(bot, 1, **metadata)
    assert refusal["text"].startswith(said)
    assert bot.sent("getFile") == [] and stt_server.received == []


async def test_a_failed_transcription_keeps_the_note_and_try_again_works(
    bot: FakeTelegramAPI, stt_server: FakeSTT, db: Database
) -> None:
    stt_server.fail_times = 2  # the server is "loading": this note and the first retry fail
    [failed] = await _send(bot, 1)
    assert failed["text"].startswith("⚠️ Transcription failed: endpoint: HTTP 503: model is loading")
    [kept] = _kept(db)
    retry = f"voice:{kept.id}:retry"
    assert kept.file_id == "voice-1" and _buttons(failed) == [retry]

    assert await _press(bot, failed, retry) == "🔁 Trying again…"  # answered before the work
    [edited] = await bot.wait_for("editMessageText")
    assert edited["text"].startswith("⚠️ Transcription failed again: endpoint: HTTP 503")
    assert _buttons(bot.messages[(42, failed["message_id"])]) == [retry]  # still there
    assert [v.attempts for v in _kept(db)] == [2]

    before = len(bot.sent("sendMessage"))
    assert await _press(bot, failed, retry) == "🔁 Trying again…"
    await bot.wait_for("editMessageReplyMarkup")  # the button goes once the note is heard
    heard, card = bot.bot_messages[before:]
    assert heard["text"] == "🎙 I heard: call mom tomorrow at 6pm" and "Call mom" in card["text"]
    assert _kept(db) == [] and _buttons(bot.messages[(42, failed["message_id"])]) == []
    assert await _press(bot, failed, retry) == "Already handled."
    assert len(stt_server.received) == 3  # each try fetched and sent the same audio
    assert {r.audio for r in stt_server.received} == {AUDIO}


async def test_a_failed_download_is_a_failure_with_try_again(
    bot: FakeTelegramAPI, stt_server: FakeSTT, db: Database
) -> None:
    bot.fail_next("file", "400")
    [failed] = await _send(bot, 1)
    assert "could not download the audio from Telegram" in failed["text"]
    assert stt_server.received == [] and len(_kept(db)) == 1


async def test_voice_language_is_the_owners_setting(
    bot: FakeTelegramAPI, stt_server: FakeSTT
) -> None:
    [shown] = await _send(bot, 1, text="/voice")
    assert shown["text"].startswith("🎙 Voice notes: auto-detect")
    await _send(bot, 2)
    assert "language" not in stt_server.received[-1].fields
    [set_zh] = await _send(bot, 1, text="/voice zh")
    assert set_zh["text"] == "🎙 Voice notes: 中文 (zh) from now on."
    await _send(bot, 2)
    assert stt_server.received[-1].fields["language"] == "zh"
    [usage] = await _send(bot, 1, text="/voice fr")
    assert usage["text"].startswith("Usage: /voice auto, /voice zh or /voice en")


async def test_without_speech_to_text_a_voice_note_says_how_to_turn_it_on(
    db: Database, data_dir: Path
) -> None:
    async for api in _bot(db, data_dir, None):
        [off] = await _send(api, 1)
        assert off["text"].startswith("Voice notes are off")
        assert "ERRANDS_STT_BASE_URL" in off["text"] and api.sent("getFile") == []


async def test_silence_is_said_and_not_handed_on(
    bot: FakeTelegramAPI, stt_server: FakeSTT, db: Database
) -> None:
    stt_server.text = ""
    [said] = await _send(bot, 1)
    assert said["text"].startswith("🎙 I heard no words in that.")
    assert _kept(db) == [] and _buttons(said) == []  # nothing failed: nothing to try again
