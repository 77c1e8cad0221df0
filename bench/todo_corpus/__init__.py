"""A labelled corpus of to-do phrases (issue #14), written without looking at the parser.

``dev`` is what the rules are tuned on: ``dev.jsonl``, ``heldout.jsonl`` and ``heldout2.jsonl``
(the first two blind sets, each scored once and then demoted to development data). ``heldout``
is ``heldout3.jsonl`` and ``heldout4.jsonl``, blind sets nobody tuning the rules opens (heldout4
was written after the last tuning, as a second check); an absent file is reported as missing.
Labels follow CONVENTIONS.md; ``make_corpus.py`` regenerates ``dev.jsonl`` / ``heldout.jsonl``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FILES: dict[str, tuple[str, ...]] = {
    "dev": ("dev.jsonl", "heldout.jsonl", "heldout2.jsonl"),
    "heldout": ("heldout3.jsonl", "heldout4.jsonl"),
}
SPLITS = tuple(FILES)


def paths(split: str, root: Path = HERE) -> tuple[Path, ...]:
    """The files of one split, in order."""
    if split not in FILES:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return tuple(root / name for name in FILES[split])


def missing(split: str, root: Path = HERE) -> list[str]:
    """The names of the split's files that are not there (the blind set may not exist yet)."""
    return [p.name for p in paths(split, root) if not p.exists()]


def load_file(path: Path) -> list[dict[str, Any]]:
    """The phrases of one file: id, category, text, timezone, now, title, due, rrule, priority,
    ask, error."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def load(split: str, root: Path = HERE) -> list[dict[str, Any]]:
    """Every phrase of one split (its present files, in order; see ``missing``)."""
    rows: list[dict[str, Any]] = []
    for path in paths(split, root):
        if path.exists():
            rows += load_file(path)
    return rows
