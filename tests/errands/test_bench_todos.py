"""The to-do corpus figures of ``errands todo bench`` on small corpora of our own: which files
make dev and held-out, per-file dev figures, and a missing blind set reported as missing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench import todo_corpus
from bench.todos import corpus_report

NOW = "2026-03-02T09:00:00+00:00"  # a Monday


def _row(text: str, title: str, due: str | None, *, ask: bool = False) -> dict[str, Any]:
    return {
        "id": "t",
        "category": "test",
        "text": text,
        "timezone": "Europe/Berlin",
        "now": NOW,
        "title": title,
        "due": due,
        "rrule": None,
        "priority": 4,
        "ask": ask,
        "error": False,
    }


def _write(path: Path, rows: list[dict[str, Any]]) -> None:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


RIGHT = _row("water the plants tomorrow", "Water the plants", "2026-03-03T00:00:00+01:00")
WRONG = _row("water the plants tomorrow", "Water the plants", "2026-03-09T00:00:00+01:00")
ASKED = _row("call the plumber at 7", "Call the plumber", None, ask=True)


def test_dev_is_both_old_files_and_heldout_is_the_new_blind_file() -> None:
    assert [p.name for p in todo_corpus.paths("dev")] == [
        "dev.jsonl",
        "heldout.jsonl",
        "heldout2.jsonl",
    ]
    assert [p.name for p in todo_corpus.paths("heldout")] == ["heldout3.jsonl", "heldout4.jsonl"]


def test_missing_blind_set_is_reported_as_missing_not_as_zero(tmp_path: Path) -> None:
    _write(tmp_path / "dev.jsonl", [RIGHT, ASKED])
    _write(tmp_path / "heldout.jsonl", [WRONG])
    report = corpus_report(tmp_path)
    assert report["heldout_missing"] == ["heldout3.jsonl", "heldout4.jsonl"]
    assert report["heldout_accuracy"] is None and report["heldout_phrases"] == 0
    assert report["silent_wrong"] is None and report["silent_wrong_heldout"] is None
    assert report["dev_phrases"] == 3 and report["dev_accuracy"] == round(2 / 3, 4)
    assert report["silent_wrong_dev"] == round(1 / 3, 4)
    assert report["dev_files"] == {
        "dev.jsonl": {"phrases": 2, "accuracy": 1.0, "silent_wrong": 0.0},
        "heldout.jsonl": {"phrases": 1, "accuracy": 0.0, "silent_wrong": 1.0},
        "heldout2.jsonl": {"missing": True},
    }


def test_present_blind_set_is_scored_in_aggregate(tmp_path: Path) -> None:
    _write(tmp_path / "dev.jsonl", [RIGHT])
    _write(tmp_path / "heldout.jsonl", [RIGHT])
    _write(tmp_path / "heldout2.jsonl", [ASKED])
    _write(tmp_path / "heldout3.jsonl", [RIGHT, WRONG, ASKED, RIGHT])
    report = corpus_report(tmp_path)
    assert report["heldout_missing"] == ["heldout4.jsonl"]  # scored over the files present
    assert report["heldout_phrases"] == 4 and report["heldout_accuracy"] == 0.75
    assert report["silent_wrong"] == report["silent_wrong_heldout"] == 0.25
    _write(tmp_path / "heldout4.jsonl", [ASKED, WRONG, WRONG, RIGHT])
    report = corpus_report(tmp_path)
    assert report["heldout_missing"] == []
    assert report["heldout_phrases"] == 8 and report["heldout_accuracy"] == 0.625
    assert report["silent_wrong"] == 0.375
    assert report["heldout_by_file"]["heldout4.jsonl"] == {
        "phrases": 4,
        "accuracy": 0.5,
        "silent_wrong": 0.5,
    }
    assert report["dev_accuracy"] == 1.0 and report["silent_wrong_dev"] == 0.0
