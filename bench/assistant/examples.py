"""Export the router model's training examples: ``python -m bench.assistant.examples``.

``agents/assistant/route_examples.jsonl`` (shipped in the package) is the development sets
(``score.SETS["dev"]``) as normalized (text, route) pairs, in file order, plus the self-written
probe batches in ``probes.jsonl`` when present. The held-out sets are never exported
(tests/bench/test_assistant_examples.py checks the shipped file equals this export).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from agents.assistant import route_model
from agents.assistant.route import normalize
from bench.assistant.score import HERE, SETS, load_cases

PROBES = HERE / "probes.jsonl"
TARGET = Path(route_model.__file__).with_name(route_model.EXAMPLES)


def sources() -> tuple[Path, ...]:
    return (*SETS["dev"], *((PROBES,) if PROBES.exists() else ()))


def export_lines() -> list[str]:
    """One JSON line per development message: its normalized text and labelled route."""
    rows = [case for path in sources() for case in load_cases(path)]
    return [
        json.dumps({"text": normalize(c.text), "route": c.route}, ensure_ascii=False) for c in rows
    ]


def main() -> None:
    lines = export_lines()
    TARGET.write_text("\n".join(lines) + "\n", encoding="utf-8")
    sys.stdout.write(f"wrote {len(lines)} examples to {TARGET}\n")


if __name__ == "__main__":
    main()
