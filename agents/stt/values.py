"""What goes into and comes out of a speech-to-text engine."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

Language = Literal["zh", "en"]
"""A language the owner may force (``/voice zh|en``); ``None`` means Whisper detects it."""
LANGUAGES: tuple[Language, ...] = ("zh", "en")


@dataclass(frozen=True)
class Transcript:
    """The text heard, the language it was heard in (detected or forced) and which engine
    heard it, with its wall time in seconds (for the benchmark's real-time factor)."""

    text: str
    language: str | None
    engine: str
    elapsed: float


@dataclass(frozen=True)
class EngineState:
    """One engine's health for doctor and the banner."""

    name: str
    ok: bool
    detail: str


class Engine(Protocol):
    """A way to turn audio bytes (any container PyAV or the server reads) into text."""

    @property
    def name(self) -> str:
        """Short name in failures and logs ("endpoint", "embedded")."""

    def describe(self) -> str:
        """What it is, for the banner and doctor: "endpoint URL (model)"."""

    async def transcribe(
        self, audio: bytes, *, filename: str, language: Language | None
    ) -> Transcript:
        """The text of ``audio``; ``TranscriptionFailed`` with a short reason otherwise."""

    async def check(self, timeout: float) -> EngineState:
        """Is it usable right now (cheap: no audio is sent)."""

    async def aclose(self) -> None:
        """Release connections or the loaded model."""
