"""``Transcriber``: the configured endpoint first, then the embedded CPU engine, and the limits."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from agents.http import ClosingClient
from agents.stt.errors import TranscriptionFailed
from agents.stt.limits import VoiceLimits
from agents.stt.values import Engine, EngineState, Language, Transcript

log = logging.getLogger(__name__)


class Transcriber(ClosingClient):
    """Engines in order (``errands.wiring.build_stt`` decides which); the first that answers
    wins. When all fail, ``TranscriptionFailed`` carries each engine's reason."""

    def __init__(self, engines: Sequence[Engine], *, limits: VoiceLimits | None = None) -> None:
        if not engines:
            raise ValueError("a Transcriber needs at least one engine")
        self.engines = tuple(engines)
        self.limits = limits or VoiceLimits()

    def describe(self) -> str:
        """ "endpoint URL (model), then embedded faster-whisper (dir)"."""
        return ", then ".join(engine.describe() for engine in self.engines)

    async def transcribe(
        self, audio: bytes, *, filename: str = "voice.ogg", language: Language | None = None
    ) -> Transcript:
        failures: list[tuple[str, str]] = []
        for engine in self.engines:
            try:
                return await engine.transcribe(audio, filename=filename, language=language)
            except TranscriptionFailed as exc:
                log.warning("speech-to-text %s failed: %s", engine.name, exc.reason)
                failures.extend(exc.failures or [(engine.name, exc.user_message)])
        raise TranscriptionFailed(failures=failures)

    async def check(self, timeout: float = 3.0) -> list[EngineState]:
        return list(await asyncio.gather(*(e.check(timeout) for e in self.engines)))

    async def aclose(self) -> None:
        for engine in self.engines:
            await engine.aclose()
