"""``errands bench assistant``: the rules' route accuracy plus the pipeline on each backend.

The report (documented in docs/benchmarks.md, "Assistant"):

- ``rules``: ``score.score_rules`` (route accuracy, rules only, per set: ``dev`` is
  ``cases.jsonl`` + ``heldout2.jsonl`` … ``heldout7.jsonl``, ``heldout`` is ``heldout8.jsonl`` +
  ``heldout9.jsonl`` (the files present; ``missing`` names the absent ones); ``files`` per file).
- ``backends``: per backend either ``{"skipped": why}`` or ``{"what", "limit", "dev",
  "heldout"}``, each set as ``pipeline.summarize`` returns it.
- ``state_changes_without_tap``: the sum over every backend and set (must be 0).

``python -m bench.assistant.run --only dev --backends scripted`` prints the same report for
the development sets alone (it never reads the held-out files).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Mapping, Sequence
from contextlib import AsyncExitStack
from typing import Any

from bench.assistant import backends, score
from bench.assistant.pipeline import run_backend
from bench.assistant.score import Case, SetFiles, load_set, score_rules


async def _open(name: str, stack: AsyncExitStack, limit: int | None) -> backends.BackendRun | str:
    if name == "scripted":
        return backends.scripted()
    if name == "embedded":
        return await backends.embedded(stack, limit)
    if name == "configured":
        return await backends.configured(limit)
    raise ValueError(f"unknown backend {name!r}; known: {', '.join(backends.NAMES)}")


async def run_all(
    names: Sequence[str], *, limit: int | None = None, sets: Mapping[str, SetFiles] | None = None
) -> dict[str, Any]:
    """The whole report for ``names`` (in order); a backend that cannot run says why."""
    sets = score.SETS if sets is None else sets
    loaded: dict[str, Sequence[Case]] = {}
    for key, files in sets.items():
        cases = load_set(files)
        if cases is not None:
            loaded[key] = cases
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


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m bench.assistant.run``: the report as JSON, for all sets or only some."""
    parser = argparse.ArgumentParser(prog="python -m bench.assistant.run")
    parser.add_argument("--backends", default="scripted", help="comma-separated backends")
    parser.add_argument("--only", choices=sorted(score.SETS), help="score only this set")
    parser.add_argument("--limit", type=int, default=None)
    args = parser.parse_args(argv)
    sets = {args.only: score.SETS[args.only]} if args.only else None
    names = [n.strip() for n in args.backends.split(",") if n.strip()]
    report = asyncio.run(run_all(names, limit=args.limit, sets=sets))
    sys.stdout.write(json.dumps(report, ensure_ascii=False) + "\n")
    return 1 if report["state_changes_without_tap"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
