"""`errands bench assistant`: the scorer's matching rules, the scripted pipeline, the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from typer.testing import CliRunner

from agents.assistant import graph
from agents.assistant.route import ToolCall
from bench.assistant import score
from bench.assistant.backends import owner_text, scripted, scripted_answer
from bench.assistant.pipeline import make_ctx, run_messages
from bench.assistant.run import run_all
from bench.assistant.score import DEV_ONLY, SETS, calls_match, load_cases, load_set, score_rules
from bench.assistant.seed import NOW, seed_store, snapshot
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
    assert not calls_match(
        [{"name": "agenda", "args": {"range": "today"}}],
        (ToolCall("agenda", {"range": "tomorrow"}),),
    )  # an enum must match exactly
    assert not calls_match(
        [{"name": "agenda", "args": {"range": "today"}}],
        (ToolCall("agenda", {"range": "today", "extra": "x"}),),
    )
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
    other = tmp_path / "other.jsonl"
    other.write_text(json.dumps(rows[0]), encoding="utf-8")
    report = score_rules({"dev": (path, other), "heldout": tmp_path / "absent.jsonl"})
    assert report["dev"]["route"] == {"correct": 3, "total": 4, "accuracy": 0.75}
    assert report["dev"]["misroutes"] == {"unclear->chitchat": 1}
    assert report["dev"]["rules_tool_calls"]["correct"] == 1
    files = report["dev"]["files"]
    assert files["set.jsonl"]["route"] == {"correct": 2, "total": 3, "accuracy": 0.6667}
    assert files["other.jsonl"]["route"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert report["heldout"] == {"missing": "absent.jsonl"}
    assert "missing" not in report["dev"]
    partly = score_rules({"heldout": (path, tmp_path / "later.jsonl")})["heldout"]
    assert partly["route"]["total"] == 3  # scored over the file present
    assert partly["missing"] == "later.jsonl"


def test_the_sets_are_dev_files_and_the_blind_heldout_file() -> None:
    assert [p.name for p in SETS["dev"]] == [
        "cases.jsonl", "heldout2.jsonl", "heldout3.jsonl", "heldout4.jsonl", "heldout5.jsonl",
        "heldout6.jsonl", "heldout7.jsonl",
    ]  # fmt: skip
    assert [p.name for p in SETS["heldout"]] == ["heldout8.jsonl", "heldout9.jsonl"]
    assert {"dev": SETS["dev"]} == DEV_ONLY


def test_the_shipped_sets_parse_and_the_cli_prints_json(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    dev = load_set(SETS["dev"]) or []
    assert len(dev) >= 150 + 150
    assert {c.route for c in dev} == {"capture", "assistant", "chitchat", "unclear"}
    assert {c.source for c in dev} == {p.name for p in SETS["dev"]}
    monkeypatch.setattr(score, "SETS", DEV_ONLY)  # the blind set is scored by the lead only
    monkeypatch.setenv("ERRANDS_LLM_BASE_URL", "http://127.0.0.1:9/v1")  # nothing listens
    monkeypatch.setenv("ERRANDS_LLM_FALLBACK_BASE_URL", "")
    monkeypatch.setenv("ERRANDS_DATA_DIR", str(tmp_path))  # no embedded engine's state file
    result = CliRunner().invoke(app, ["bench", "assistant", "--json", "--backends", "configured"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert "answered" in report["backends"]["configured"]["skipped"]
    assert report["state_changes_without_tap"] == 0
    assert report["rules"]["dev"]["route"]["total"] == len(dev)
    assert report["rules"]["dev"]["rules_state_changing_calls"] == 0
    assert set(report["rules"]) == {"dev"}


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    return path


TINY: list[dict[str, object]] = [
    {"id": "t1", "lang": "en", "text": "what's on tomorrow?", "route": "assistant",
     "tools": [{"name": "agenda", "args": {"range": "tomorrow"}}]},
    {"id": "t2", "lang": "en", "text": "mark the dentist one done", "route": "assistant",
     "tools": [{"name": "complete_todo", "args": {"ref": "dentist"}}]},
    {"id": "t3", "lang": "en", "text": "why did you recommend the diffusion paper?",
     "route": "assistant", "tools": [{"name": "why_recommended", "args": {"ref": "diffusion"}}]},
    {"id": "t4", "lang": "en", "text": "buy milk", "route": "capture", "tools": []},
    {"id": "t5", "lang": "en", "text": "send an email to bob", "route": "assistant",
     "tools": None},
]  # fmt: skip


async def test_the_scripted_pipeline_scores_a_tiny_set_and_changes_nothing_untapped(
    tmp_path: Path,
) -> None:
    sets = {"dev": _write(tmp_path / "tiny.jsonl", TINY)}
    report = await run_all(["scripted"], sets=sets)
    dev = report["backends"]["scripted"]["dev"]
    assert dev["messages"] == 5
    assert dev["pipeline_tool_calls"] == {"correct": 3, "total": 3, "accuracy": 1.0}
    assert dev["planner_tool_calls"] == {"correct": 3, "total": 3, "accuracy": 1.0}
    assert dev["rejected_calls"] == 0 and dev["refused_changes"] == 0
    assert dev["cards"] == 1 and dev["replies"]["card"] == 1  # complete_todo: a card, no change
    assert dev["replies"]["capture"] == 1
    assert dev["state_changes_without_tap"] == 0 and report["state_changes_without_tap"] == 0
    assert dev["answer_ms"]["count"] == 3 and dev["answer_ms"]["p50"] > 0
    assert dev["tokens_per_llm_message"] is None  # the fake is not a model: no usage


async def test_a_state_changing_call_from_the_scripted_backend_is_a_card_and_changes_nothing(
    tmp_path: Path,
) -> None:
    ctx_cases = load_cases(_write(tmp_path / "one.jsonl", [TINY[1]]))
    store = seed_store(tmp_path / "data")
    llm = scripted().make(store.db, ctx_cases)
    async with AsyncSqliteSaver.from_conn_string(str(tmp_path / "graphs.db")) as saver:
        ctx = make_ctx(store, llm, saver)
        before = snapshot(store.db)
        [outcome] = await run_messages(ctx, store, ctx_cases, usage=False)
        assert outcome.kind == "card" and not outcome.changed
        assert outcome.calls == (ToolCall("complete_todo", {"ref": "dentist"}),)
        assert snapshot(store.db) == before
        done = await graph.decide(ctx, owner=store.owner, message_id=1, answer="yes", now=NOW)
        assert done.kind == "done" and snapshot(store.db) != before  # the tap is what changes it
    await llm.aclose()
    store.db.dispose()


def test_the_scripted_fake_answers_each_text_with_its_expected_calls(tmp_path: Path) -> None:
    [case] = load_cases(_write(tmp_path / "one.jsonl", [TINY[1]]))
    body = {"messages": [{"role": "user", "content": "<data>\nx\n</data>\n\nOwner's message: "
                          "mark the dentist one done"}]}  # fmt: skip
    assert owner_text(body) == case.text
    answer = scripted_answer(case.tools, "scripted")
    [call] = answer["choices"][0]["message"]["tool_calls"]
    assert call["function"]["name"] == "complete_todo"
    assert json.loads(call["function"]["arguments"]) == {"ref": "dentist"}
    assert "usage" not in answer
    assert scripted_answer(None, "m")["choices"][0]["message"]["content"]


def test_the_cli_rejects_an_unknown_backend_and_reports_skips() -> None:
    result = CliRunner().invoke(app, ["bench", "assistant", "--backends", "gpt9"])
    assert result.exit_code == 2 and "gpt9" in result.output
