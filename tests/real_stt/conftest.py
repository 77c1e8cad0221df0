"""Fixtures for the real speech-to-text tests: faster-whisper on the Whisper base model that the
``stt`` extra ships (joined and SHA-256-checked once per session), on speech made by espeak-ng."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from agents.stt import EmbeddedEngine, bundled
from bench import stt_audio


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.real_stt)
            item.add_marker(pytest.mark.slow)


def _require() -> None:
    missing = bundled.missing_packages() + stt_audio.missing()
    if missing:
        pytest.skip(
            f"needs the errands[stt] extra and espeak-ng (missing: {', '.join(missing)}); "
            "install them with `bash .ci/install-stt` and `apt-get install espeak-ng`"
        )


@pytest.fixture(scope="session")
def model_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    _require()
    yield tmp_path_factory.mktemp("stt-model")


@pytest.fixture
async def engine(model_dir: Path) -> AsyncIterator[EmbeddedEngine]:
    """The bundled model (joined into the session's dir once; loaded per test, ~1 s)."""
    engine = EmbeddedEngine(model_dir, bundled=True, threads=2)
    try:
        yield engine
    finally:
        await engine.aclose()
