"""``errands todo bench``: rule-parser throughput and accuracy, reminders-job time at scale.

Parser figures use the labelled phrase set (``bench.todos_labelled``) with the rules only
(no LLM, no network). The reminders figure runs the real ``reminders`` job (every source)
against a throw-away SQLite store holding ``tasks`` open timed to-dos.
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
from bench.todos_labelled import CASES, ERROR
from store.db import Database
from store.errors import InvalidInput
from store.migrate import upgrade
from store.models import Owner, Todo

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def accuracy() -> dict[str, Any]:
    """Exact-match accuracy of ``parse --no-llm`` over every labelled case."""
    right = hard_right = hard = 0
    for case in CASES:
        try:
            got: Any = parse(
                case.text, now=datetime.fromisoformat(case.now), timezone=case.timezone
            ).result.as_json()
            got.pop("question")
        except InvalidInput:
            got = ERROR
        expected = ERROR if case.title == ERROR else case.expected()
        ok = got == expected
        right += ok
        hard += case.hard
        hard_right += ok and case.hard
    return {
        "labelled_phrases": len(CASES),
        "correct": right,
        "accuracy": round(right / len(CASES), 4),
        "beyond_rules_phrases": hard,
        "beyond_rules_correct": hard_right,
    }


def throughput(rounds: int) -> float:
    """Phrases per second through the rule parser (bad input included: it must be fast too)."""
    texts = [(c.text, datetime.fromisoformat(c.now), c.timezone) for c in CASES]
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
    return {
        "parser_phrases_per_s": throughput(rounds),
        **accuracy(),
        **reminders_timing(tasks),
    }
