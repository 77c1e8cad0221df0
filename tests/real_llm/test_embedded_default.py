"""``errands run`` with no LLM configured starts the embedded engine; other commands use it."""

from __future__ import annotations

import json
import signal
import subprocess
from pathlib import Path

import pytest

from errands import local_llm
from errands.embedded_llm import read_state
from tests.conftest import ERRANDS
from tests.fakes.processes import ROOT, free_port, wait_until

pytestmark = pytest.mark.real_llm


def test_run_starts_the_embedded_engine_and_cli_commands_use_it(
    cli_env: dict[str, str], data_dir: Path, tmp_path: Path
) -> None:
    missing = local_llm.missing_packages()
    if missing:
        pytest.skip(f"needs the errands[local] extra (missing: {', '.join(missing)})")
    llm_port = free_port()
    env = {
        **cli_env,
        "ERRANDS_LLM_EMBEDDED": "true",
        "ERRANDS_LLM_BASE_URL": f"http://127.0.0.1:{llm_port}/v1",  # nothing listens yet
        "ERRANDS_WEB_PORT": str(free_port()),
    }
    log = tmp_path / "run.log"
    proc = subprocess.Popen(
        [*ERRANDS, "run"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT, cwd=ROOT
    )
    try:
        banner = wait_until(lambda: "llm:" in log.read_text() and log.read_text(), timeout=120)
        assert "started the embedded llama.cpp engine" in banner
        state = read_state(data_dir)
        assert state is not None
        assert state.base_url == f"http://127.0.0.1:{llm_port}/v1"  # where the settings point

        ask = subprocess.run(
            [*ERRANDS, "llm", "ask", "What is the capital of France?"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert ask.returncode == 0, ask.stderr
        assert "paris" in ask.stdout.lower()
        assert "backend: embedded" in ask.stderr

        doctor = subprocess.run(
            [*ERRANDS, "doctor", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        report = json.loads(doctor.stdout)
        assert report["llm"]["ok"] is True
        assert "embedded" in report["llm"]["detail"]

        proc.send_signal(signal.SIGTERM)
        assert proc.wait(20) == 0
        assert read_state(data_dir) is None
        # the engine was errands' child: its port is released, not merely unanswered
        wait_until(lambda: local_llm.port_free("127.0.0.1", llm_port), what="engine port released")
        refused = subprocess.run(
            [*ERRANDS, "llm", "ask", "hi"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert refused.returncode == 3  # the engine went away with errands
    finally:
        if proc.poll() is None:
            proc.kill()
