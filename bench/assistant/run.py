"""``errands bench assistant``: the rules' route accuracy plus the pipeline on each backend.

The report (documented in docs/benchmarks.md, "Assistant"):

- ``rules``: ``score.score_rules`` (route accuracy, rules only, per set).
- ``backends``: per backend either ``{"skipped": why}`` or ``{"what", "limit", "dev",
  "heldout"}``, each set as ``pipeline.summarize`` returns it.
- ``state_changes_without_tap``: the sum over every backend and set (must be 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

from bench.assistant import backends
from bench.assistant.pipeline import run_backend
from bench.assistant.score import SETS, Case, load_cases, score_rules


async def _open(name: str, stack: AsyncExitStack, limit: int | None) -> backends.BackendRun | str:
    if name == "scripted":
        return backends.scripted()
    if name == "embedded":
        return await backends.embedded(stack, limit)
    if name == "configured":
        return await backends.configured(limit)
    raise ValueError(f"unknown backend {name!r}; known: {', '.join(backends.NAMES)}")


async def run_all(
    names: Sequence[str], *, limit: int | None = None, sets: dict[str, Path] = SETS
) -> dict[str, Any]:
    """The whole report for ``names`` (in order); a backend that cannot run says why."""
    loaded: dict[str, Sequence[Case]] = {k: load_cases(p) for k, p in sets.items() if p.exists()}
    report: dict[str, Any] = {"rules": score_rules(sets), "backends": {}}
    for name in names:
        async with AsyncExitStack() as stack:  # the embedded engine stops after its own run
            opened = await _open(name, stack, limit)
            if isinstance(opened, str):
                report["backends"][name] = {"skipped": opened}
                continue
            report["backends"][name] = await run_backend(opened, loaded)
    report["state_changes_without_tap"] = state_changes(report)
    return report


def state_changes(report: dict[str, Any]) -> int:
    """State changes without a tap, summed over every backend and set that ran."""
    total = 0
    for part in report["backends"].values():
        for value in part.values():
            if isinstance(value, dict):
                total += int(value.get("state_changes_without_tap", 0))
    return total
