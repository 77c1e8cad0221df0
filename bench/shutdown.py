"""``errands bench shutdown``: how long ``errands run`` takes to stop on SIGTERM.

Each round starts ``errands run`` as a child process on a fresh data dir (the Telegram bot
polling the local fake Bot API, no LLM), waits until it is ready (``/healthz`` answers and the
banner is printed), sends SIGTERM and measures the time until the process has exited. A stop is
clean when it exits 0 and printed "errands: stopped". This used to be a timed assertion in
tests/errands/test_run.py; on a loaded machine it is a figure, not a pass/fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

from bench.measure import free_port, percentile
from bench.outbox import TOKEN, fake_bot_api

READY_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0


def _env(data_dir: Path, port: int, telegram_base: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERRANDS_")}
    env.update(
        ERRANDS_DATA_DIR=str(data_dir),
        ERRANDS_WEB_PORT=str(port),
        ERRANDS_LLM_BASE_URL="http://127.0.0.1:9/v1",  # nothing listens: "llm down", no wait
        ERRANDS_LLM_EMBEDDED="false",
        ERRANDS_TELEGRAM_TOKEN=TOKEN if telegram_base else "",
        PYTHONUNBUFFERED="1",
    )
    if telegram_base:
        env["ERRANDS_TELEGRAM_BASE_URL"] = f"{telegram_base}/bot"
        env["ERRANDS_OWNER_CHAT_IDS"] = "42"
    return env


def _ready(port: int, log: Path) -> bool:
    if "llm:" not in log.read_text(errors="replace"):
        return False
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def one_round(workdir: Path, telegram_base: str | None) -> dict[str, Any]:
    """Start, wait until ready, SIGTERM, time the exit."""
    data_dir = workdir / "data"
    log = workdir / "run.log"
    port = free_port()
    started = time.monotonic()
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "errands.cli", "run"],
            env=_env(data_dir, port, telegram_base),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        while not _ready(port, log):
            if proc.poll() is not None or time.monotonic() - started > READY_TIMEOUT:
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-15:])
                raise RuntimeError(f"errands run did not become ready:\n{tail}")
            time.sleep(0.05)
        ready = time.monotonic() - started
        sent = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        code = proc.wait(STOP_TIMEOUT)
        stop = time.monotonic() - sent
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    output = log.read_text(errors="replace")
    return {
        "ready_s": round(ready, 3),
        "stop_s": round(stop, 3),
        "exit_code": code,
        "clean": code == 0 and "errands: stopped" in output and "Traceback" not in output,
    }


def run_shutdown_bench(rounds: int = 5, *, telegram: bool = True) -> dict[str, Any]:
    """``rounds`` start/SIGTERM cycles: stop time p50/max, start-to-ready p50, clean stops."""
    with tempfile.TemporaryDirectory(prefix="errands-bench-shutdown-") as tmp, ExitStack() as stack:
        root = Path(tmp)
        base = stack.enter_context(fake_bot_api(root / "fake.log")) if telegram else None
        results = []
        for index in range(rounds):
            workdir = root / f"round-{index}"
            workdir.mkdir()
            results.append(one_round(workdir, base))
    stops = [r["stop_s"] for r in results]
    readies = [r["ready_s"] for r in results]
    return {
        "rounds": rounds,
        "telegram": telegram,
        "stop_s_p50": percentile(stops, 50),
        "stop_s_max": max(stops),
        "ready_s_p50": percentile(readies, 50),
        "clean_stops": sum(r["clean"] for r in results),
        "exit_codes": sorted({r["exit_code"] for r in results}),
        "stop_s": stops,
    }
