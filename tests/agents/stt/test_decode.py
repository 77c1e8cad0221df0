"""Telegram's OGG/Opus decoded in-process: real speech made at test time (espeak-ng), encoded
with PyAV, decoded by faster-whisper's PyAV path (no ffmpeg binary is involved)."""

from __future__ import annotations

import io

import pytest

from bench import stt_audio

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def _needs_espeak_and_pyav() -> None:
    absent = stt_audio.missing()
    if absent:
        pytest.skip(f"needs {', '.join(absent)}: `bash .ci/install-stt` and .ci/run install them")
    pytest.importorskip("faster_whisper", reason="needs faster-whisper (errands[stt])")


@pytest.mark.parametrize(("text", "lang"), [("buy milk tomorrow", "en"), ("明天买牛奶", "zh")])
def test_a_synthesized_voice_note_is_ogg_opus_and_decodes_to_16k_mono(text: str, lang: str) -> None:
    import av
    import numpy as np
    from faster_whisper.audio import decode_audio

    note, seconds = stt_audio.voice_note(text, lang)
    with av.open(io.BytesIO(note)) as container:
        stream = container.streams.audio[0]
        assert (container.format.name, stream.codec_context.name) == ("ogg", "opus")
        assert (stream.rate, stream.channels) == (48_000, 1)
    samples = decode_audio(io.BytesIO(note))  # what EmbeddedEngine hands to Whisper
    assert samples.dtype == np.float32 and samples.ndim == 1
    assert abs(len(samples) / 16_000 - seconds) < 0.1  # Opus pre-skip is trimmed, no padding
    assert 0.5 < seconds < 5 and float(np.abs(samples).max()) > 0.1  # speech, not silence
