"""A blind labelled corpus of to-do phrases (issue #14): dev.jsonl to tune on, heldout.jsonl never.

Written without looking at the parser; labels follow CONVENTIONS.md. ``make_corpus.py`` holds the
phrases and regenerates both files with zoneinfo-computed offsets.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SPLITS = ("dev", "heldout")


def load(split: str) -> list[dict[str, Any]]:
    """The phrases of one split, in id order: id, category, text, timezone, now, title, due,
    rrule, priority, ask, error."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    path = HERE / f"{split}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]
