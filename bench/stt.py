"""``errands bench stt``: speech-to-text speed and accuracy on speech synthesized here.

A small fixed set of EN and 中文 phrases (the kind of thing said to errands) is spoken by
espeak-ng and encoded as Telegram voice notes (OGG/Opus, ``bench.stt_audio``). Each engine
transcribes every phrase twice: with the language auto-detected and with it forced (what
``/voice en|zh`` does). Reported per engine and mode:

- real-time factor (RTF): transcription wall time / audio length, summed over the set, the
  model already loaded (its load time is reported on its own);
- word error rate (WER) for English, character error rate (CER) for 中文 (Chinese has no
  spaces: its words are characters here), after lower-casing, dropping punctuation and
  spelling small numbers as digits;
- how often auto-detection named the right language;
- this process's CPU seconds per audio second (for the CPU engine: independent of how busy
  the machine is, unlike the wall-clock RTF; the load average is reported beside it).

Engines: ``cpu`` (faster-whisper on ERRANDS_STT_MODEL_DIR or the ``stt`` extra's bundled
Whisper base) and ``endpoint`` (ERRANDS_STT_BASE_URL). An engine that is not there is
reported as skipped with the reason, never silently left out. Synthetic speech is cleaner and
more regular than a person's, and espeak-ng's Mandarin is robotic: the figures compare engines
and settings on this machine, they are not a claim about real voices.
"""

from __future__ import annotations

import os
import re
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from agents.stt import Engine, Language, Transcript, TranscriptionFailed
from bench import stt_audio

PHRASES: tuple[tuple[Language, str], ...] = (
    ("en", "Remind me to call the bank tomorrow morning"),
    ("en", "Buy milk and bread on the way home"),
    ("en", "Book a meeting with Anna next Tuesday afternoon"),
    ("en", "What is on my agenda for tomorrow"),
    ("en", "Pay the electricity bill by Friday"),
    ("en", "Send the report to my manager tonight"),
    ("zh", "明天上午提醒我给银行打电话"),
    ("zh", "下班回家的路上买牛奶"),
    ("zh", "下周二下午和安娜开会"),
    ("zh", "明天有什么安排"),
    ("zh", "星期五之前交电费"),
    ("zh", "今天晚上把报告发给经理"),
)
NUMBERS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
}  # fmt: skip
MODES: tuple[str, ...] = ("auto", "forced")


@dataclass(frozen=True)
class Clip:
    lang: Language
    text: str
    audio: bytes
    seconds: float


def synthesize(phrases: Sequence[tuple[Language, str]] = PHRASES) -> list[Clip]:
    """Every phrase as a Telegram-style voice note (espeak-ng + PyAV, in this process)."""
    clips = []
    for lang, text in phrases:
        audio, seconds = stt_audio.voice_note(text, lang)
        clips.append(Clip(lang, text, audio, seconds))
    return clips


def tokens(text: str, lang: str) -> list[str]:
    """What the error rate counts: words (EN) or characters (中文), normalized."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = "".join(" " if unicodedata.category(c)[0] in "PS" else c for c in text)
    if lang == "zh":
        return [c for c in text if not c.isspace()]
    return [NUMBERS.get(word, word) for word in re.findall(r"[\w']+", text)]


def edit_distance(reference: Sequence[str], hypothesis: Sequence[str]) -> int:
    """Levenshtein distance over tokens (substitutions, deletions, insertions)."""
    previous = list(range(len(hypothesis) + 1))
    for i, ref in enumerate(reference, 1):
        current = [i]
        for j, hyp in enumerate(hypothesis, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref != hyp)))
        previous = current
    return previous[-1]


def error_rate(pairs: Sequence[tuple[str, str]], lang: str) -> float:
    """Total token edits / total reference tokens over (reference, heard) pairs."""
    edits = total = 0
    for reference, heard in pairs:
        ref = tokens(reference, lang)
        edits += edit_distance(ref, tokens(heard, lang))
        total += len(ref)
    return round(edits / total, 3) if total else 0.0


async def measure(engine: Engine, clips: Sequence[Clip]) -> dict[str, Any]:
    """One engine on every clip in both modes: RTF, WER/CER, language detection, samples."""
    started = time.perf_counter()
    try:
        await engine.transcribe(clips[0].audio, filename="warmup.ogg", language=clips[0].lang)
    except TranscriptionFailed as exc:
        return {"engine": engine.describe(), "skipped": exc.reason}
    report: dict[str, Any] = {
        "engine": engine.describe(),
        "first_call_s": round(time.perf_counter() - started, 2),  # includes any model load
        "audio_s": round(sum(c.seconds for c in clips), 1),
    }
    for mode in MODES:
        report[mode] = await _mode(engine, clips, mode)
    return report


async def _mode(engine: Engine, clips: Sequence[Clip], mode: str) -> dict[str, Any]:
    rows: list[tuple[Clip, Transcript | None]] = []
    cpu_started = time.process_time()
    for clip in clips:
        language = clip.lang if mode == "forced" else None
        try:
            result = await engine.transcribe(clip.audio, filename="voice.ogg", language=language)
        except TranscriptionFailed:
            result = None
        rows.append((clip, result))
    cpu_seconds = time.process_time() - cpu_started
    done = [(clip, result) for clip, result in rows if result is not None]
    elapsed = [result.elapsed for _, result in done]
    out: dict[str, Any] = {
        "rtf": round(sum(elapsed) / sum(c.seconds for c, _ in done), 3) if done else None,
        "p50_s": round(median(elapsed), 2) if elapsed else None,
        # CPU seconds this process spent per second of audio, all threads: for the CPU
        # engine, what the RTF would be on one free core; it does not grow with others' load.
        "cpu_s_per_audio_s": round(cpu_seconds / sum(c.seconds for c in clips), 3),
        "failures": len(rows) - len(done),
    }
    for lang, key in (("en", "wer_en"), ("zh", "cer_zh")):
        pairs = [(c.text, r.text if r else "") for c, r in rows if c.lang == lang]
        out[key] = error_rate(pairs, lang)
    if mode == "auto":
        right = sum(1 for c, r in rows if r is not None and r.language == c.lang)
        out["language_detected"] = f"{right}/{len(rows)}"
    out["heard"] = [{"said": c.text, "heard": r.text if r else None} for c, r in rows]
    return out


async def run_benchmark(engines: dict[str, Engine | str]) -> dict[str, Any]:
    """Each engine (or the reason it is skipped) on the synthesized set; closes the engines."""
    try:
        absent = stt_audio.missing()
        if absent:
            reason = f"cannot synthesize speech: missing {', '.join(absent)}"
            return {
                "phrases": 0,
                "skipped": reason,
                **{name: {"skipped": reason} for name in engines},
            }
        clips = synthesize()
        report: dict[str, Any] = {
            "phrases": {lang: sum(1 for c in clips if c.lang == lang) for lang in ("en", "zh")},
            "audio_s": round(sum(c.seconds for c in clips), 1),
            "cores": os.cpu_count(),
            "load_1min_before": round(os.getloadavg()[0], 2),  # wall-clock RTF grows with it
        }
        for name, engine in engines.items():
            report[name] = (
                {"skipped": engine} if isinstance(engine, str) else await measure(engine, clips)
            )
        report["load_1min_after"] = round(os.getloadavg()[0], 2)
        return report
    finally:
        for engine in engines.values():
            if not isinstance(engine, str):
                await engine.aclose()
