"""The errors callers of the speech-to-text engines see (no httpx or PyAV types leak out)."""

from __future__ import annotations

from collections.abc import Sequence

from store.errors import ErrandsError, InvalidInput


class TranscriptionFailed(ErrandsError):
    """No engine turned the audio into text; ``failures`` holds ``(engine, reason)`` for each
    one tried. Reasons are key-free and short, so the bot may show them."""

    user_message = "I could not transcribe that voice message."

    def __init__(
        self, user_message: str | None = None, *, failures: Sequence[tuple[str, str]] = ()
    ) -> None:
        super().__init__(user_message)
        self.failures = tuple(failures)

    @property
    def reason(self) -> str:
        """Each engine's reason, for the owner and the log ("endpoint: timed out after 60s")."""
        return "; ".join(f"{name}: {why}" for name, why in self.failures) or self.user_message


class VoiceRejected(InvalidInput):
    """The voice note is over a limit (length, size), known from Telegram's metadata before
    anything is downloaded; the message says which and what to do."""
