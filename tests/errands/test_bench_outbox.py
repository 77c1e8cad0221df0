"""``errands bench outbox`` end to end, small: a fake Bot API process, a SIGKILL, a restart."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.conftest import ERRANDS

pytestmark = [pytest.mark.subprocess]


@pytest.mark.slow
def test_bench_outbox_reports_rates_and_loses_nothing(cli_env: dict[str, str]) -> None:
    out = subprocess.run(
        [
            *ERRANDS,
            "bench",
            "outbox",
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
        timeout=240,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert (report["rows"], report["chats"], report["concurrency"]) == (300, 10, 8)
    for key in ("errands_msgs_per_s", "fake_raw_msgs_per_s", "ratio"):
        assert report[key] > 0
    ratio = report["errands_msgs_per_s"] / report["fake_raw_msgs_per_s"]
    assert abs(report["ratio"] - ratio) < 0.01
    assert 0 <= report["lateness_ms_p50"] <= report["lateness_ms_p99"]
    assert (report["duplicates"], report["lost"], report["unsent_in_db"]) == (0, 0, 0)
    assert report["out_of_order"] == 0

    kill = report["kill"]
    assert kill["runs"] == 1
    assert 100 <= kill["killed_after_accepted"][0] < 300  # mid-batch: 100 of the first 200
    assert kill["lost"] == [0]
    assert kill["unsent_in_db"] == [0]
    # at-least-once: only sends Telegram accepted but errands had not recorded can repeat,
    # at most one per chat in flight (concurrency 8)
    window = kill["killed_after_accepted"][0] - kill["marked_sent_at_kill"][0]
    assert kill["duplicates"][0] == window
    assert 0 <= window <= 8
    assert "raw:" in out.stderr and "kill 1/1" in out.stderr
