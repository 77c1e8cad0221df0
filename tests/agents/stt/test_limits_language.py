"""Limits decided from Telegram's metadata, and the owner's /voice language."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agents.stt import VoiceLimits, VoiceRejected, check_voice, set_voice_language, voice_language
from store import owners
from store.db import Database
from store.errors import InvalidInput


@pytest.mark.parametrize(
    ("duration", "size", "said"),
    [
        (121, 1000, "That voice message is 2:01 long; I transcribe up to 2:00."),
        (30, 21 * 1024 * 1024, "That audio is 21.0 MB; I can fetch up to 20 MB."),
    ],
)
def test_over_a_limit_is_a_clear_reply(duration: int, size: int, said: str) -> None:
    with pytest.raises(VoiceRejected) as rejected:
        check_voice(VoiceLimits(), duration=duration, size=size)
    assert rejected.value.user_message.startswith(said)
    assert isinstance(rejected.value, InvalidInput)  # the bot shows it as is


def test_at_the_limits_and_unknown_metadata_pass() -> None:
    check_voice(VoiceLimits(), duration=120, size=20 * 1024 * 1024)
    check_voice(VoiceLimits(max_seconds=5), duration=None, size=None)
    with pytest.raises(VoiceRejected, match="0:06 long; I transcribe up to 0:05"):
        check_voice(VoiceLimits(max_seconds=5), duration=6, size=None)


def test_voice_language_is_kept_in_preferences(db: Database) -> None:
    now = datetime(2026, 3, 2, tzinfo=UTC)
    with db.write() as session:
        owner = owners.create_owner(session, name="Ada", timezone="UTC", chat_id=42, now=now)
        owner.preferences = {"keep": 1}
        assert voice_language(owner) is None
        assert set_voice_language(owner, " ZH ") == "zh"
    with db.write() as session:
        owner = owners.get_owner(session, owner_id=owner.id)
        assert voice_language(owner) == "zh" and owner.preferences["keep"] == 1
        assert set_voice_language(owner, "auto") is None
        assert owner.preferences == {"keep": 1}
        with pytest.raises(InvalidInput, match="/voice auto, /voice zh or /voice en"):
            set_voice_language(owner, "fr")


def test_auto_detection_picks_the_likeliest_language_errands_speaks() -> None:
    from agents.stt.embedded import _likeliest

    heard_as = [("th", 0.81), ("zh", 0.12), ("ja", 0.04), ("en", 0.02)]
    assert _likeliest(heard_as, ("zh", "en")) == "zh"  # flat Mandarin that Whisper calls Thai
    assert _likeliest([("de", 0.9)], ("zh", "en")) == "zh"  # neither scored: the first
    assert _likeliest([("de", 0.6), ("en", 0.3), ("zh", 0.1)], ("zh", "en")) == "en"
