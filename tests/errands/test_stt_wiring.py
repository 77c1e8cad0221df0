"""ERRANDS_STT_* settings -> the voice-note transcriber and its one-line state (banner, doctor)."""

from __future__ import annotations

from pathlib import Path

import pytest

from agents.stt import EmbeddedEngine, EndpointEngine, bundled
from errands.settings import Settings, load_settings
from errands.wiring import build_stt, embedded_stt, stt_state
from store.errors import ConfigError


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import os

    for key in list(os.environ):
        if key.startswith("ERRANDS_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)  # no stray .env


def _settings(tmp_path: Path, **values: object) -> Settings:
    return load_settings(data_dir=tmp_path / "data", **values)


async def test_endpoint_first_then_the_cpu_engine(tmp_path: Path) -> None:
    model_dir = tmp_path / "whisper"
    model_dir.mkdir()
    (model_dir / "model.bin").write_bytes(b"ct2")
    settings = _settings(
        tmp_path,
        stt_base_url="http://gpu.example:8000/v1/",
        stt_model="openai/whisper-large-v3-turbo",
        stt_model_dir=str(model_dir),
        stt_max_seconds=60,
    )
    stt = build_stt(settings)
    assert stt is not None
    try:
        endpoint, embedded = stt.engines
        assert isinstance(endpoint, EndpointEngine) and isinstance(embedded, EmbeddedEngine)
        assert endpoint.base_url == "http://gpu.example:8000/v1"
        assert stt.limits.max_seconds == 60
        assert stt_state(settings, stt) == (
            "endpoint http://gpu.example:8000/v1 (openai/whisper-large-v3-turbo), "
            f"then embedded faster-whisper ({model_dir})"
        )
    finally:
        await stt.aclose()


def test_off_says_why(tmp_path: Path) -> None:
    settings = _settings(tmp_path, stt_embedded=False)
    assert build_stt(settings) is None
    assert stt_state(settings, None) == (
        "off (no ERRANDS_STT_BASE_URL; embedded engine: ERRANDS_STT_EMBEDDED=false)"
    )
    empty = _settings(tmp_path, stt_model_dir=str(tmp_path / "nothing-here"))
    assert build_stt(empty) is None
    assert "no CTranslate2 Whisper model (model.bin) in" in stt_state(empty, None)


async def test_the_bundled_model_is_the_default_when_the_extra_is_installed(
    tmp_path: Path,
) -> None:
    settings = _settings(tmp_path)
    engine, why_not = embedded_stt(settings)
    if bundled.is_available():
        assert engine is not None and engine.bundled and why_not == ""
        assert engine.model_dir == tmp_path / "data" / "stt-model"
        assert "whisper-base (CTranslate2, bundled)" in stt_state(settings, build_stt(settings))
    else:
        assert engine is None and "errands[stt]" in why_not


def test_a_base_url_must_be_http(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="ERRANDS_STT_BASE_URL: expected an http"):
        _settings(tmp_path, stt_base_url="gpu.example:8000")
    with pytest.raises(ConfigError, match="ERRANDS_STT_MAX_SECONDS"):
        _settings(tmp_path, stt_max_seconds=0)
