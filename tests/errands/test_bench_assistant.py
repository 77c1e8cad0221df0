"""`errands bench assistant`: the scorer's matching rules and the report's shape."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from agents.assistant.route import ToolCall
from bench.assistant.score import SETS, calls_match, load_cases, score_rules
from errands.cli import app


def test_calls_match_enums_exactly_free_text_by_containment_any_order() -> None:
    want = [
        {"name": "complete_todo", "args": {"ref": "dentist"}},
        {"name": "agenda", "args": {"range": "today"}},
    ]
    got = (
        ToolCall("agenda", {"range": "today"}),
        ToolCall("complete_todo", {"ref": "The Dentist"}),
    )
    assert calls_match(want, got)
    assert not calls_match(want, got[:1])  # one missing
    assert not calls_match(want, (*got, ToolCall("agenda", {"range": "today"})))  # one extra
    assert not calls_match([{"name": "agenda", "args": {"range": "today"}}], (
        ToolCall("agenda", {"range": "tomorrow"}),
    ))  # an enum must match exactly
    assert not calls_match([{"name": "agenda", "args": {"range": "today"}}], (
        ToolCall("agenda", {"range": "today", "extra": "x"}),
    ))
    assert calls_match([], ())


def test_score_counts_routes_per_set(tmp_path: Path) -> None:
    rows = [
        {"id": "x1", "lang": "en", "text": "buy milk", "route": "capture", "tools": []},
        {"id": "x2", "lang": "en", "text": "what's on tomorrow?", "route": "assistant",
         "tools": [{"name": "agenda", "args": {"range": "tomorrow"}}]},
        {"id": "x3", "lang": "zh", "text": "你好", "route": "unclear", "tools": []},
    ]  # fmt: skip
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    report = score_rules({"dev": path, "heldout": tmp_path / "absent.jsonl"})
    assert report["dev"]["route"] == {"correct": 2, "total": 3, "accuracy": 0.6667}
    assert report["dev"]["misroutes"] == {"unclear->chitchat": 1}
    assert report["dev"]["rules_tool_calls"]["correct"] == 1
    assert report["heldout"] == {"missing": "absent.jsonl"}


def test_the_shipped_sets_parse_and_the_cli_prints_json() -> None:
    dev = load_cases(SETS["dev"])
    assert len(dev) >= 150
    assert {c.route for c in dev} == {"capture", "assistant", "chitchat", "unclear"}
    result = CliRunner().invoke(app, ["bench", "assistant", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["rules"]["dev"]["route"]["total"] == len(dev)
    assert report["rules"]["dev"]["rules_state_changing_calls"] == 0
