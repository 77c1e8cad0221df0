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
from tests.postgres import REQUIRE, Cluster, PostgresMissing, cluster

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


# Suites whose guarantees (atomic check-then-write, one claim per message, no overlapping
# bookings, idempotent capture) must hold on both engines: their ``db`` runs on each.
# ERRANDS_TEST_ENGINES=both runs every test that takes ``db`` on both (a slower, wider sweep).
BOTH_ENGINES = (
    "tests/store/",
    "tests/jobs/test_outbox.py",
    "tests/jobs/test_outbox_channels.py",
    "tests/agents/meetings/test_flow.py",
    "tests/bots/test_booking_web.py",
    "tests/agents/todos/test_capture.py",
    "tests/postgres_only/",
)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "db" not in metafunc.fixturenames:
        return
    where = metafunc.definition.path.relative_to(TESTS.parent).as_posix()
    if metafunc.definition.get_closest_marker("sqlite_only"):
        return
    if where.startswith("tests/postgres_only/"):
        metafunc.parametrize("db", ["postgresql"], indirect=True)
    elif where.startswith(BOTH_ENGINES) or os.environ.get("ERRANDS_TEST_ENGINES") == "both":
        metafunc.parametrize("db", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A real PostgreSQL server for the session (see tests/postgres.py)."""
    try:
        with cluster() as found:
            yield found
    except PostgresMissing as exc:
        if os.environ.get(REQUIRE) == "1":
            pytest.fail(f"{REQUIRE}=1 but {exc}")
        pytest.skip(str(exc))


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> Iterator[str]:
    """The URL of a fresh PostgreSQL database at the migrations' head, dropped afterwards."""
    url = pg_cluster.fresh_database()
    yield url
    pg_cluster.drop(url)


@pytest.fixture
def db(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[Database]:
    """The test's store: a fresh SQLite file, or (engine parameter) a fresh PostgreSQL database."""
    if getattr(request, "param", "sqlite") == "postgresql":
        url = request.getfixturevalue("pg_url")
        database = Database.from_url(url)
    else:
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
