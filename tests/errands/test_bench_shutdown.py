"""``errands bench shutdown``: the stop-time figure that replaced a timed assertion."""

from __future__ import annotations

import pytest

from bench.shutdown import run_shutdown_bench

pytestmark = [pytest.mark.slow, pytest.mark.subprocess]


def test_one_round_without_telegram_reports_a_clean_stop() -> None:
    report = run_shutdown_bench(1, telegram=False)
    assert report["rounds"] == 1 and report["telegram"] is False
    assert report["clean_stops"] == 1
    assert report["exit_codes"] == [0]
    assert report["stop_s_max"] == report["stop_s_p50"] == report["stop_s"][0] > 0
    assert report["ready_s_p50"] > 0
