"""The router model's shipped examples are exactly the development sets, never held-out text."""

from __future__ import annotations

from agents.assistant import route_model
from bench.assistant import examples
from bench.assistant.score import SETS, load_set


def test_shipped_examples_equal_a_fresh_export() -> None:
    shipped = examples.TARGET.read_text(encoding="utf-8").splitlines()
    assert shipped == examples.export_lines(), "run: python -m bench.assistant.examples"


def test_no_held_out_file_is_exported() -> None:
    held_out = set(SETS["heldout"])
    assert held_out and not held_out & set(examples.sources())
    dev_rows = sum(len(load_set(path) or []) for path in examples.sources())
    assert len(route_model.examples()) == dev_rows
