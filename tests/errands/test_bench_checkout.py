"""Benchmark commands without the checkout's ``bench`` package (a wheel): one line, exit 2."""

from __future__ import annotations

import subprocess
import sys

import pytest

from errands.commands.bench import CHECKOUT_ONLY

pytestmark = [pytest.mark.subprocess]

# The console script with ``bench`` unimportable, as in a wheel (which ships no bench package).
WITHOUT_BENCH = (
    "import sys; sys.modules['bench'] = None; "
    "from errands.cli import main; sys.argv = ['errands', *sys.argv[1:]]; main()"
)


@pytest.mark.parametrize(
    "args",
    [
        ["bench", "outbox", "--rows", "10"],
        ["todo", "bench", "--tasks", "1"],
        ["arxiv", "ceiling", "--citeulike", "."],
        ["arxiv", "scale", "--stream", "papers.jsonl.gz"],
    ],
    ids=lambda args: " ".join(args[:2]),
)
def test_without_bench_package_one_line_and_exit_2(
    cli_env: dict[str, str], args: list[str]
) -> None:
    out = subprocess.run(
        [sys.executable, "-c", WITHOUT_BENCH, *args],
        env=cli_env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 2, out.stderr
    assert out.stderr == f"errands: {CHECKOUT_ONLY}\n"
    assert CHECKOUT_ONLY.startswith("benchmarks run from a checkout of errands: ")
    assert out.stdout == ""
