"""Which voice notes are transcribed at all: decided from Telegram's metadata, before download."""

from __future__ import annotations

from dataclasses import dataclass

from agents.stt.errors import VoiceRejected

BOT_API_DOWNLOAD_LIMIT = 20 * 1024 * 1024
"""The Bot API's ``getFile`` serves files up to 20 MB: a larger one cannot be fetched at all."""


@dataclass(frozen=True)
class VoiceLimits:
    """``max_seconds``: ERRANDS_STT_MAX_SECONDS (2 min by default); bytes: the Bot API's cap."""

    max_seconds: int = 120
    max_bytes: int = BOT_API_DOWNLOAD_LIMIT


def check_voice(limits: VoiceLimits, *, duration: int | None, size: int | None) -> None:
    """``VoiceRejected`` with a clear reason when the note is too long or too large.

    An unknown duration or size (an audio file Telegram sent without it) is let through: the
    download itself still stops at the Bot API's limit.
    """
    if duration is not None and duration > limits.max_seconds:
        raise VoiceRejected(
            f"That voice message is {_clock(duration)} long; I transcribe up to "
            f"{_clock(limits.max_seconds)}. Please send a shorter one (or split it)."
        )
    if size is not None and size > limits.max_bytes:
        raise VoiceRejected(
            f"That audio is {size / 1_048_576:.1f} MB; I can fetch up to "
            f"{limits.max_bytes / 1_048_576:.0f} MB. Please send a shorter one."
        )


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"
