"""Shared fixtures: every test gets its own data dir and database."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from store.db import Database
from store.migrate import upgrade

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
TESTS = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Whole folders share their markers: tests/e2e is browser + slow, tests/real_llm slow."""
    for item in items:
        parts = item.path.relative_to(TESTS).parts
        if parts[0] == "e2e":
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.slow)
        elif parts[0] == "real_llm":
            item.add_marker(pytest.mark.slow)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def db(data_dir: Path) -> Iterator[Database]:
    database = Database.from_url(f"sqlite:///{data_dir / 'errands.db'}")
    upgrade(database.engine)
    yield database
    database.dispose()


@pytest.fixture
def cli_env(data_dir: Path) -> dict[str, str]:
    """A clean environment for running ``errands`` as a subprocess (no ERRANDS_* leaks in)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERRANDS_")}
    env["ERRANDS_DATA_DIR"] = str(data_dir)
    env["ERRANDS_LLM_BASE_URL"] = "http://127.0.0.1:9/v1"  # nothing listens on the discard port
    env["ERRANDS_LLM_EMBEDDED"] = "false"  # tests/real_llm covers the embedded engine
    env["PYTHONUNBUFFERED"] = "1"
    return env


ERRANDS = [sys.executable, "-m", "errands.cli"]
