"""``errands meetings`` as a user runs it (subprocesses on a temp data dir)."""

from __future__ import annotations

import json
import subprocess

import pytest

from store import owners
from store.db import Database
from tests.conftest import ERRANDS, NOW

pytestmark = [pytest.mark.subprocess]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*ERRANDS, *args], env=env, capture_output=True, text=True, timeout=90)


@pytest.mark.slow
def test_set_availability_then_list_slots_as_json(cli_env: dict[str, str], db: Database) -> None:
    with db.write() as session:  # the same data dir the CLI uses
        owners.create_owner(session, name="Ada", timezone="America/New_York", now=NOW, slug="ada")
    done = run(
        cli_env,
        "meetings", "availability", "set", "--owner", "ada", "Mon-Fri 09:00-11:00",
        "--override", "2026-03-09 off",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Mon 09:00-11:00" in done.stdout and "1 override(s) added" in done.stdout
    out = run(
        cli_env,
        "meetings", "slots", "--owner", "ada", "--from", "2026-03-06", "--days", "4",
        "--tz", "Europe/Berlin", "--now", "2026-03-01T00:00:00+00:00", "--json",
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    starts = [s["start"] for s in json.loads(out.stdout)["slots"]]
    # Fri 6 Mar 09:00 in New York = 15:00 in Berlin; Mon 9 Mar is off; Tue 10 Mar is back
    assert starts[0] == "2026-03-06T15:00:00+01:00"
    assert starts[4:] == [] and starts[2] == "2026-03-06T16:00:00+01:00"
    assert not any(s.startswith("2026-03-09") for s in starts)


def test_bad_input_is_one_clear_line(cli_env: dict[str, str]) -> None:
    bad = run(cli_env, "meetings", "availability", "set", "--owner", "ada", "Mon 17:00-09:00")
    assert bad.returncode == 1
    assert bad.stderr.strip() == "errands: In '17:00-09:00' the end must be after the start."
