"""Every registered job resolves to a coroutine, and listing jobs stays cheap to import."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from jobs.registry import JOBS, get_job
from jobs.scheduler import make_trigger


def test_every_job_target_is_a_coroutine_function() -> None:
    for spec in JOBS.values():
        func = spec.load()
        assert inspect.iscoroutinefunction(func), spec.target
        assert "now" in inspect.signature(func).parameters
        make_trigger(spec.trigger, "Europe/Berlin")  # the default trigger is valid


def test_unknown_job_is_a_clear_error() -> None:
    import pytest

    from store.errors import InvalidInput

    with pytest.raises(InvalidInput, match="Known jobs"):
        get_job("nope")


@pytest.mark.slow
@pytest.mark.subprocess
def test_the_cli_does_not_import_the_recommender_stack() -> None:
    code = "import sys, errands.cli; print('sklearn' in sys.modules, 'langgraph' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split()[0] == "False"
