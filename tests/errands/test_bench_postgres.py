"""``errands bench outbox|booking --database-url``: the same reports on PostgreSQL, on databases
the bench makes for itself (never the one the URL names), dropped unless ``--keep``."""

from __future__ import annotations

import json
import subprocess

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from bench.booking import run_benchmark
from bench.database import PREFIX, server_url
from errands.cli import app
from tests.conftest import ERRANDS


def _count(url: str, sql: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(text(sql)).scalar_one())
    finally:
        engine.dispose()


def _existing(url: str, names: list[str]) -> list[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            found = conn.execute(text("SELECT datname FROM pg_database")).scalars().all()
    finally:
        engine.dispose()
    return [name for name in names if name in found]


@pytest.mark.parametrize("command", ["outbox", "booking"])
@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("not a url", "not a database URL"),
        ("sqlite:////tmp/mine.db", "'sqlite' is not a PostgreSQL URL"),
        ("mysql://me:hunter2@db.example/app", "'mysql' is not a PostgreSQL URL"),
        ("postgresql+asyncpg://me:hunter2@db.example/app", "use the psycopg driver"),
    ],
)
def test_a_bad_database_url_is_one_clear_error(command: str, url: str, said: str) -> None:
    result = CliRunner().invoke(app, ["bench", command, "--database-url", url, "--json"])
    assert result.exit_code == 2, result.output
    assert said in " ".join(result.output.split())  # rich wraps the box
    assert "--database-url" in result.output
    assert "hunter2" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.mark.slow
@pytest.mark.postgres
@pytest.mark.subprocess
def test_bench_outbox_on_postgresql(pg_url: str, cli_env: dict[str, str]) -> None:
    out = subprocess.run(
        [
            *ERRANDS,
            "bench",
            "outbox",
            "--database-url",
            pg_url,
            "--rows",
            "300",
            "--chats",
            "10",
            "--kill-runs",
            "1",
            "--raw-requests",
            "300",
            "--json",
        ],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["engine"] == "postgresql"
    assert report["engine_version"].startswith("PostgreSQL ")
    assert report["server"] == server_url(pg_url)._replace(database=None).render_as_string()
    databases = report["databases"]
    assert len(databases) == 2 and all(name.startswith(PREFIX) for name in databases)
    assert not report["kept"] and _existing(pg_url, databases) == []
    # the database the URL names only served to create the bench's own
    assert _count(pg_url, "SELECT count(*) FROM outbox") == 0

    assert (report["duplicates"], report["lost"], report["unsent_in_db"]) == (0, 0, 0)
    assert report["out_of_order"] == 0
    ratio = report["errands_msgs_per_s"] / report["fake_raw_msgs_per_s"]
    assert report["ratio"] > 0 and abs(report["ratio"] - ratio) < 0.01
    kill = report["kill"]
    assert (kill["runs"], kill["lost"], kill["unsent_in_db"]) == (1, [0], [0])
    window = kill["killed_after_accepted"][0] - kill["marked_sent_at_kill"][0]
    assert kill["duplicates"][0] == window and 0 <= window <= 8  # at most one per chat in flight
    assert "store: postgresql" in out.stderr and "dropped" in out.stderr


@pytest.mark.slow
@pytest.mark.postgres
def test_bench_booking_on_postgresql_keeps_its_database_when_asked(pg_url: str) -> None:
    report = run_benchmark(
        requests=50, bookings=12, clients=6, days=3, reps=2, server=server_url(pg_url), keep=True
    )
    assert report["engine"] == "postgresql" and report["kept"]
    [name] = report["databases"]
    kept = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
    try:
        assert _existing(pg_url, [name]) == [name]
        assert report["booking"]["statuses"] == {"201": 12}
        assert report["all_bookings_created"] is True
        assert _count(kept, "SELECT count(*) FROM bookings") == 12
        assert _count(kept, "SELECT count(*) FROM checkpoints") > 0  # graphs paused in PG
        for key in ("slots_page_p95_ratio_to_healthz", "booking_throughput_ratio_to_healthz"):
            assert report[key] > 0
        assert report["healthz"]["statuses"] == report["slots_page"]["statuses"] == {"200": 50}
        assert _count(pg_url, "SELECT count(*) FROM bookings") == 0
    finally:
        engine = create_engine(pg_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()
