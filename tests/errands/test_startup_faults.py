"""Every failed start ends in one line and its own exit code: the fault table of
``bench.startup_faults``, each fault a real ``errands`` child process with its own data dir.

Exit codes: 2 configuration (a setting, ``.env``, the database URL), 3 the data dir or
database cannot be written (read-only, permission denied, disk full), 4 the web port.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from bench.startup_faults import (
    FAULTS,
    Fault,
    base_env,
    drop_file_override,
    errands,
    populate,
    run_fault,
    run_startup_faults,
)

pytestmark = [pytest.mark.slow, pytest.mark.subprocess]


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_a_failed_start_is_one_line_and_a_distinct_exit_code(fault: Fault, tmp_path: Path) -> None:
    outcome = run_fault(fault, tmp_path)
    if not outcome.tried:
        pytest.skip(outcome.reason)
    assert outcome.code == fault.code, outcome.line
    assert not outcome.traceback, outcome.line
    assert outcome.lines == 1, outcome.line
    assert outcome.line.startswith("errands: ")
    for word in fault.words:
        assert word.lower() in outcome.line.lower()
    assert outcome.leaked == []


def test_every_exit_code_and_the_named_problems_are_covered() -> None:
    codes = {f.code for f in FAULTS}
    assert codes == {2, 3, 4}
    named = " ".join(w for f in FAULTS for w in f.words).lower()
    for problem in ("port in use", "read-only", "read-only file system", "disk full", "json"):
        assert problem in named


def _doctor(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        errands("doctor", "--json"),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=drop_file_override,
    )


def test_doctor_finds_a_read_only_database_not_writable(tmp_path: Path) -> None:
    data = tmp_path / "data"
    populate(data)
    env = base_env(data)
    assert json.loads(_doctor(env).stdout)["database"]["ok"] is True

    (data / "errands.db").chmod(0o400)
    out = _doctor(env)
    assert out.returncode == 1, out.stderr
    database = json.loads(out.stdout)["database"]
    assert database["ok"] is False
    assert "read-only" in database["detail"]
    assert "writable by this user" in database["detail"]


def test_the_bench_report_counts_tried_one_line_and_passed(tmp_path: Path) -> None:
    report = run_startup_faults(tmp_path, ["port-in-use", "schedules-not-json"])
    assert {k: report[k] for k in ("faults", "tried", "one_line", "passed")} == {
        "faults": 2,
        "tried": 2,
        "one_line": 2,
        "passed": 2,
    }
    assert report["one_line_rate"] == 1.0
    assert [r["fault"] for r in report["results"]] == ["port-in-use", "schedules-not-json"]
