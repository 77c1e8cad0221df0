"""The browser tests need Debian's chromium (and Playwright); without them they never pass silently.

Locally a missing browser skips them with a reason that says what is missing, repeated in its
own section at the end of the run. With ``ERRANDS_REQUIRE_BROWSER=1`` (``.ci/run`` sets it) a
missing browser fails them instead, so CI cannot go green without the browser test.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
_NOT_RUN: list[str] = []


def missing_browser() -> str | None:
    """What the browser tests lack, or None."""
    if not CHROMIUM.exists():
        return f"Debian's chromium is not at {CHROMIUM} (apt-get install chromium)"
    if importlib.util.find_spec("playwright") is None:
        return "the playwright package is not installed (uv sync)"
    return None


@pytest.fixture(autouse=True)
def _require_browser(request: pytest.FixtureRequest) -> None:
    missing = missing_browser()
    if missing is None:
        return
    if os.environ.get("ERRANDS_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ERRANDS_REQUIRE_BROWSER=1 and {missing}", pytrace=False)
    _NOT_RUN.append(request.node.nodeid)
    pytest.skip(f"browser test NOT RUN: {missing}; CI (.ci/run) fails instead of skipping")


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _NOT_RUN:
        return
    terminalreporter.write_sep("=", "browser tests not run", yellow=True, bold=True)
    reason = missing_browser() or "the browser went missing during the run"
    for nodeid in _NOT_RUN:
        terminalreporter.write_line(f"SKIPPED {nodeid}: {reason}")
    terminalreporter.write_line("Set ERRANDS_REQUIRE_BROWSER=1 to make this a failure.")
