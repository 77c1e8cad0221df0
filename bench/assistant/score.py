"""Score the rules router: route accuracy on the development sets (``dev``: ``cases.jsonl``,
``heldout2.jsonl`` … ``heldout7.jsonl``, the rules were tuned on all seven) and on the held-out
set (``heldout``: ``heldout8.jsonl`` + ``heldout9.jsonl``, never opened while tuning; scored over
the files present, the absent ones named under ``missing``).

All were written blind to the code (bench/assistant/README.md). ``cases.jsonl`` was first
split in two by a hash of the id; its held-out half scored 81.0 % (94/116) before it, too, was
used for tuning; ``heldout2.jsonl`` scored 86.3 % (164/190), ``heldout3.jsonl`` 92.7 % (204/220),
``heldout4.jsonl`` 92.7 % (204/220), ``heldout5.jsonl`` 96.3 % (154/160), ``heldout6.jsonl``
95.5 % (191/200) and ``heldout7.jsonl`` 94.5 % (189/200, both with the model) once, blind, and then
each became development data, which is why fresh blind sets exist. Each set is a group of files:
the totals are over the group, ``files`` gives each file's own figures. Tool calls are scored
with the sets' conventions: enum arguments exactly, free-text arguments case-insensitively by
containment.

``route`` is the product's router: the rules plus ``route_model``'s learned second opinion
between capture and assistant; ``route_rules_alone`` is the rules without it, and
``model_overrides`` counts the messages the model turned right (``fixed``) or wrong
(``broke``). The model is fitted on the dev sets, so its dev figures are training figures.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agents.assistant import route_model
from agents.assistant.route import ToolCall, classify, normalize, rules_route

HERE = Path(__file__).parent
SetFiles = Path | Sequence[Path]
SETS: dict[str, tuple[Path, ...]] = {
    "dev": tuple(HERE / f"{n}.jsonl" for n in ("cases", *(f"heldout{i}" for i in range(2, 8)))),
    "heldout": (HERE / "heldout8.jsonl", HERE / "heldout9.jsonl"),
}
DEV_ONLY: dict[str, tuple[Path, ...]] = {"dev": SETS["dev"]}
FREE_TEXT = {"ref", "query", "until", "when", "title", "text", "guest"}
STATE_CHANGING = {
    "add_todo", "complete_todo", "snooze_todo", "reschedule_todo", "offer_times", "block_time",
    "rate_paper",
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    id: str
    lang: str
    text: str
    route: str
    tools: list[dict[str, Any]] | None
    source: str = ""  # the file it came from


def files_of(part: SetFiles) -> tuple[Path, ...]:
    return (part,) if isinstance(part, Path) else tuple(part)


def load_cases(path: Path) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            cases.append(
                Case(row["id"], row["lang"], row["text"], row["route"], row["tools"], path.name)
            )
    return cases


def load_set(part: SetFiles) -> list[Case] | None:
    """Every case of a set's files that exist (None when none does)."""
    present = [p for p in files_of(part) if p.exists()]
    return [c for p in present for c in load_cases(p)] if present else None


def missing(part: SetFiles) -> dict[str, str]:
    """The set's files that do not exist, named (empty when all do)."""
    absent = [p.name for p in files_of(part) if not p.exists()]
    return {"missing": ", ".join(absent)} if absent else {}


def _same_arg(name: str, want: Any, got: Any) -> bool:
    if name in FREE_TEXT and isinstance(want, str) and isinstance(got, str):
        a, b = " ".join(want.lower().split()), " ".join(got.lower().split())
        return bool(a and b) and (a in b or b in a)
    return bool(want == got)


def calls_match(expected: Sequence[dict[str, Any]], predicted: Sequence[ToolCall]) -> bool:
    """Same calls in any order, each with exactly the expected argument names."""
    left = list(predicted)
    for want in expected:
        for i, got in enumerate(left):
            if (
                got.name == want["name"]
                and set(got.args) == set(want["args"])
                and all(_same_arg(k, v, got.args[k]) for k, v in want["args"].items())
            ):
                del left[i]
                break
        else:
            return False
    return not left


def _ratio(hit: int, total: int) -> dict[str, Any]:
    return {"correct": hit, "total": total, "accuracy": round(hit / total, 4) if total else None}


def score_rules(sets: Mapping[str, SetFiles] | None = None) -> dict[str, Any]:
    """Route accuracy per set and language, and the rules' own tool calls where they answer a
    message alone (not ``partial``); ``files`` splits the route and tool-call figures by file."""
    report: dict[str, Any] = {}
    for half, files in (SETS if sets is None else sets).items():
        part = load_set(files)
        if part is None:
            report[half] = missing(files)
            continue
        route_model.warm()  # the model's one-off fit is not a per-message cost
        started = time.perf_counter()
        routes = [classify(c.text) for c in part]
        elapsed = time.perf_counter() - started
        hits = [r.kind == c.route for r, c in zip(routes, part, strict=True)]
        alone = [rules_route(c.text).kind == c.route for c in part]
        known = {text for text, _ in route_model.examples()}
        new = [i for i, c in enumerate(part) if normalize(c.text) not in known]
        by_lang: dict[str, Any] = {}
        for lang in sorted({c.lang for c in part}):
            idx = [i for i, c in enumerate(part) if c.lang == lang]
            by_lang[lang] = _ratio(sum(hits[i] for i in idx), len(idx))
        confusion = Counter(
            f"{c.route}->{r.kind}" for r, c, ok in zip(routes, part, hits, strict=True) if not ok
        )
        named = [
            (r, c)
            for r, c in zip(routes, part, strict=True)
            if r.calls and not r.partial and c.route == "assistant" and c.tools is not None
        ]
        unsafe = sum(1 for r in routes for call in r.calls if call.name in STATE_CHANGING)
        by_file: dict[str, Any] = {}
        for name in dict.fromkeys(c.source for c in part):
            idx = [i for i, c in enumerate(part) if c.source == name]
            mine = [(r, c) for r, c in named if c.source == name]
            by_file[name] = {
                "route": _ratio(sum(hits[i] for i in idx), len(idx)),
                "route_rules_alone": _ratio(sum(alone[i] for i in idx), len(idx)),
                "rules_tool_calls": _ratio(
                    sum(calls_match(c.tools or [], r.calls) for r, c in mine), len(mine)
                ),
            }
        report[half] = {
            "route": _ratio(sum(hits), len(part)),
            "route_rules_alone": _ratio(sum(alone), len(part)),
            # Messages whose text is not word for word in the model's examples ("hi" often is).
            "route_new_text": _ratio(sum(hits[i] for i in new), len(new)),
            "model_overrides": {  # route_model's second opinion, against the labels
                "fixed": sum(h and not a for h, a in zip(hits, alone, strict=True)),
                "broke": sum(a and not h for h, a in zip(hits, alone, strict=True)),
            },
            "route_by_lang": by_lang,
            "misroutes": dict(confusion.most_common()),
            "rules_tool_calls": _ratio(
                sum(calls_match(c.tools or [], r.calls) for r, c in named), len(named)
            ),
            "rules_state_changing_calls": unsafe,
            "ms_per_message": round(1000 * elapsed / max(1, len(part)), 4),
            "files": by_file,
            **missing(files),  # a held-out file not written yet: scored without it, and said so
        }
    return report
