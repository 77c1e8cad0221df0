"""Real speech made on this machine: espeak-ng speaks a phrase, PyAV encodes it as Telegram does.

Telegram voice notes are OGG/Opus (48 kHz, mono). ``voice_note(text, lang)`` returns such a
file's bytes and its length in seconds, made at test/benchmark time: nothing is recorded or
downloaded. Needs Debian's ``espeak-ng`` (``.ci/run`` installs it) and PyAV (from the ``stt``
extra, via faster-whisper); ``missing()`` names what is absent so callers skip with a reason.

Voices: ``en-us`` for English; ``cmn-latn-pinyin`` for Mandarin (espeak-ng's plain ``cmn``
voice reads tone numbers aloud in English for many characters).
"""

from __future__ import annotations

import importlib.util
import io
import shutil
import subprocess
import wave

VOICES = {"en": "en-us", "zh": "cmn-latn-pinyin"}
OPUS_RATE = 48_000


def missing() -> list[str]:
    """What is needed and not installed ("espeak-ng", "av"), empty when all is there."""
    absent = [] if shutil.which("espeak-ng") else ["espeak-ng (apt-get install espeak-ng)"]
    if importlib.util.find_spec("av") is None:
        absent.append("av (PyAV, from errands[stt])")
    return absent


def speak_wav(text: str, lang: str, *, speed: int = 150) -> bytes:
    """espeak-ng's WAV (16-bit mono, 22.05 kHz) of ``text`` in ``lang`` ("en" or "zh")."""
    result = subprocess.run(
        ["espeak-ng", "-v", VOICES[lang], "-s", str(speed), "--stdout", text],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return result.stdout


def to_ogg_opus(wav_bytes: bytes) -> tuple[bytes, float]:
    """The WAV re-encoded as OGG/Opus in-process (no ffmpeg binary); bytes and seconds."""
    import av
    import numpy as np

    with wave.open(io.BytesIO(wav_bytes)) as source:
        rate = source.getframerate()
        pcm = np.frombuffer(source.readframes(source.getnframes()), dtype=np.int16)
    out = io.BytesIO()
    with av.open(out, "w", format="ogg") as container:
        stream = container.add_stream("libopus", rate=OPUS_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(pcm.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        resampler = av.AudioResampler(format="s16", layout="mono", rate=OPUS_RATE)
        for chunk in [*resampler.resample(frame), *resampler.resample(None)]:
            for packet in stream.encode(chunk):
                container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return out.getvalue(), len(pcm) / rate


def voice_note(text: str, lang: str) -> tuple[bytes, float]:
    """``text`` spoken in ``lang`` as a Telegram-style OGG/Opus voice note; bytes, seconds."""
    return to_ogg_opus(speak_wav(text, lang))
