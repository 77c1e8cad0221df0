"""``errands todo bench``: rule-parser throughput and accuracy, reminders-job time at scale.

Parser figures use the rules only (no LLM, no network) on the old labelled phrase set
(``bench.todos_labelled``: ``labelled_accuracy``) and on the blind corpus of issue 14
(``bench.todo_corpus``): ``dev_accuracy`` on the files the rules were tuned on (``dev.jsonl``
and the demoted blind sets ``heldout.jsonl``, ``heldout2.jsonl``; per file in ``dev_files``),
``heldout_accuracy`` on the blind ``heldout3.jsonl`` and ``heldout4.jsonl`` nobody tuning them
looks at (an absent file is named in ``heldout_missing``; null over no phrases), and
``silent_wrong``: the share of held-out phrases answered wrong without a question
(``silent_wrong_dev`` for dev). Throughput
(``phrases_per_s``) runs every phrase of every set present. The reminders figure runs the real
``reminders`` job (every source) against a throw-away SQLite store holding ``tasks`` open timed
to-dos.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agents.context import AppConfig, AppContext
from agents.todos.parser import parse
from bench import todo_corpus
from bench.todos_labelled import CASES, ERROR
from store.db import Database
from store.errors import InvalidInput
from store.migrate import upgrade
from store.models import Owner, Todo

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _answer(text: str, now: str, timezone: str) -> dict[str, Any] | str:
    """The rules' answer as compared with labels: the parse JSON without the question, or ERROR."""
    try:
        got: dict[str, Any] = parse(
            text, now=datetime.fromisoformat(now), timezone=timezone
        ).result.as_json()
    except InvalidInput:
        return ERROR
    got.pop("question")
    return got


def judge(got: dict[str, Any] | str, expected: dict[str, Any] | str) -> tuple[bool, bool]:
    """(right, silently wrong). A question is right when one was expected (same title); an
    answer given without a question that is not the label is silently wrong."""
    answered = isinstance(got, dict) and not got["needs_clarification"]
    if isinstance(expected, str) or isinstance(got, str):
        right = got == expected
    elif expected["needs_clarification"]:
        right = bool(got["needs_clarification"]) and got["title"] == expected["title"]
    else:
        right = got == expected
    return right, answered and not right


def accuracy() -> dict[str, Any]:
    """Exact-match accuracy of ``parse --no-llm`` over every labelled case."""
    right = hard_right = hard = 0
    for case in CASES:
        expected = ERROR if case.title == ERROR else case.expected()
        ok, _ = judge(_answer(case.text, case.now, case.timezone), expected)
        right += ok
        hard += case.hard
        hard_right += ok and case.hard
    return {
        "labelled_phrases": len(CASES),
        "correct": right,
        "accuracy": round(right / len(CASES), 4),
        "labelled_accuracy": round(right / len(CASES), 4),
        "beyond_rules_phrases": hard,
        "beyond_rules_correct": hard_right,
    }


def corpus_expected(row: dict[str, Any]) -> dict[str, Any] | str:
    if row["error"]:
        return ERROR
    ask = bool(row["ask"])
    return {
        "title": row["title"],
        "due": None if ask else row["due"],
        "rrule": None if ask else row["rrule"],
        "priority": row["priority"],
        "needs_clarification": ask,
    }


def score_rows(rows: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(phrases, right, silently wrong) over labelled corpus rows (aggregates only: the
    held-out set is never looked at case by case)."""
    right = silent = 0
    for row in rows:
        ok, quiet = judge(_answer(row["text"], row["now"], row["timezone"]), corpus_expected(row))
        right += ok
        silent += quiet
    return len(rows), right, silent


def _figures(n: int, right: int, silent: int) -> dict[str, Any]:
    return {
        "phrases": n,
        "accuracy": round(right / n, 4) if n else None,
        "silent_wrong": round(silent / n, 4) if n else None,
    }


def _score_split(split: str, root: Path) -> tuple[dict[str, Any], tuple[int, int, int]]:
    """Per-file figures of one split ({"missing": True} for an absent file) and its totals."""
    files: dict[str, Any] = {}
    total = (0, 0, 0)
    for path in todo_corpus.paths(split, root):
        if not path.exists():
            files[path.name] = {"missing": True}
            continue
        n, right, silent = score_rows(todo_corpus.load_file(path))
        files[path.name] = _figures(n, right, silent)
        total = (total[0] + n, total[1] + right, total[2] + silent)
    return files, total


def corpus_report(root: Path = todo_corpus.HERE) -> dict[str, Any]:
    """Dev figures (over all its files, and per file in ``dev_files``) and held-out figures
    (over the blind files present, per file in ``heldout_by_file``); an absent file is named
    in ``heldout_missing`` and figures over no phrases are null, never 0."""
    dev_files, dev_total = _score_split("dev", root)
    held_files, held = _score_split("heldout", root)
    dev, heldout = _figures(*dev_total), _figures(*held)
    return {
        "dev_phrases": dev_total[0],
        "dev_accuracy": dev["accuracy"],
        "dev_files": dev_files,
        "heldout_phrases": held[0],
        "heldout_accuracy": heldout["accuracy"],
        "heldout_files": [p.name for p in todo_corpus.paths("heldout", root)],
        "heldout_by_file": held_files,
        "heldout_missing": todo_corpus.missing("heldout", root),
        "silent_wrong_dev": dev["silent_wrong"],
        "silent_wrong_heldout": heldout["silent_wrong"],
        "silent_wrong": heldout["silent_wrong"],
    }


def _all_texts() -> list[tuple[str, datetime, str]]:
    texts = [(c.text, datetime.fromisoformat(c.now), c.timezone) for c in CASES]
    for split in todo_corpus.SPLITS:
        texts += [
            (r["text"], datetime.fromisoformat(r["now"]), r["timezone"])
            for r in todo_corpus.load(split)
        ]
    return texts


def throughput(rounds: int) -> float:
    """Phrases per second through the rule parser (bad input included: it must be fast too)."""
    texts = _all_texts()
    for text, now, tz in texts:  # warm up: lazy imports (dateutil's parser for UNTIL) once
        with contextlib.suppress(InvalidInput):
            parse(text, now=now, timezone=tz)
    start = time.perf_counter()
    for _ in range(rounds):
        for text, now, tz in texts:
            with contextlib.suppress(InvalidInput):
                parse(text, now=now, timezone=tz)
    return round(rounds * len(texts) / (time.perf_counter() - start), 1)


def _store(path: Path, tasks: int, *, spread: timedelta) -> Database:
    db = Database.from_url(f"sqlite:///{path}")
    upgrade(db.engine)
    with db.write() as session:
        owner = Owner(
            chat_id=42, name="Bench", timezone="Europe/Berlin", slug="bench", created_at=NOW
        )
        session.add(owner)
        session.flush()
        step = spread / tasks
        session.add_all(
            Todo(
                owner_id=owner.id,
                title=f"task {i}",
                due_at=NOW - timedelta(minutes=1) + step * i,
                timezone="Europe/Berlin",
                rrule="FREQ=DAILY" if i % 3 == 0 else None,
                priority=1 if i % 10 == 0 else 4,
                nag=i % 10 == 0,
                status="open",
                created_at=NOW - timedelta(days=1),
                updated_at=NOW - timedelta(days=1),
            )
            for i in range(tasks)
        )
    return db


async def _timed_run(db: Database, now: datetime) -> tuple[float, int]:
    from jobs import reminders

    ctx = AppContext(db=db, config=AppConfig(), clock=lambda: now)
    start = time.perf_counter()
    queued = await reminders.run(ctx, now=now)
    return round(time.perf_counter() - start, 3), int(queued.get("todos", 0))


def reminders_timing(tasks: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db = _store(Path(tmp) / "all.db", tasks, spread=timedelta(0))
        first, queued = asyncio.run(_timed_run(db, NOW))
        again, requeued = asyncio.run(_timed_run(db, NOW))
        db.dispose()
        steady_db = _store(Path(tmp) / "steady.db", tasks, spread=timedelta(days=30))
        steady, steady_queued = asyncio.run(_timed_run(steady_db, NOW + timedelta(hours=7)))
        steady_db.dispose()
    return {
        "active_tasks": tasks,
        "reminders_all_due_s": first,
        "reminders_all_due_queued": queued,
        "reminders_rerun_s": again,
        "reminders_rerun_queued": requeued,
        "reminders_steady_s": steady,
        "reminders_steady_queued": steady_queued,
    }


def run_bench(*, tasks: int, rounds: int) -> dict[str, Any]:
    speed = throughput(rounds)
    return {
        "parser_phrases_per_s": speed,
        "phrases_per_s": speed,
        **accuracy(),
        **corpus_report(),
        **reminders_timing(tasks),
    }
