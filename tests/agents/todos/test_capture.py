"""The capture graph with the real SQLite checkpointer, and the LLM fallback behind it."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from agents.context import AppConfig, AppContext
from agents.llm import Backend, LLMClient
from agents.todos import capture
from agents.todos.model import Draft
from agents.todos.understand import understand
from store import owners
from store.db import Database
from store.models import Todo
from tests.fakes.openai_server import FakeOpenAI, unused_base_url

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _llm(base_url: str) -> LLMClient:
    backend = Backend("local", base_url, "fake-model", "", "json_schema")
    return LLMClient([backend], timeout=5, max_retries=0, concurrency=1, clock=lambda: NOW)


@pytest.fixture
async def saver(data_dir: Path) -> AsyncIterator[AsyncSqliteSaver]:
    async with AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as cp:
        yield cp


@pytest.fixture
def owner_id(db: Database) -> int:
    with db.write() as session:
        return owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42
        ).id


def _ctx(db: Database, saver: AsyncSqliteSaver, llm: LLMClient | None = None) -> AppContext:
    return AppContext(db=db, config=AppConfig(), clock=lambda: NOW, checkpointer=saver, llm=llm)


def _titles(db: Database) -> list[str]:
    with db.read() as session:
        return [t.title for t in session.query(Todo).all()]


async def _start(ctx: AppContext, owner_id: int, text: str, capture_id: int = 1) -> capture.Prompt:
    return await capture.start(
        ctx, owner_id=owner_id, timezone="Europe/Berlin", text=text, capture_id=capture_id, now=NOW
    )


async def test_confirm_then_save_writes_once(
    db: Database, saver: AsyncSqliteSaver, owner_id: int
) -> None:
    ctx = _ctx(db, saver)
    prompt = await _start(ctx, owner_id, "call mom tomorrow at 6pm")
    assert (
        prompt.kind == "confirm" and "Call mom" in prompt.text and "Tue 03 Mar 18:00" in prompt.text
    )
    assert _titles(db) == []  # nothing before Save
    saved = await capture.resume(ctx, owner_id=owner_id, capture_id=1, answer="save")
    assert saved.kind == "saved" and saved.todo_id is not None
    again = await capture.resume(ctx, owner_id=owner_id, capture_id=1, answer="save")
    assert again.kind == "stale"
    assert _titles(db) == ["Call mom"]
    with db.read() as session:
        todo = session.get(Todo, saved.todo_id)
        assert todo is not None and todo.due_at == datetime(2026, 3, 3, 17, tzinfo=UTC)


async def test_cancel_and_edit_save_nothing(
    db: Database, saver: AsyncSqliteSaver, owner_id: int
) -> None:
    ctx = _ctx(db, saver)
    await _start(ctx, owner_id, "buy milk", capture_id=1)
    cancelled = await capture.resume(ctx, owner_id=owner_id, capture_id=1, answer="cancel")
    assert cancelled.kind == "cancelled"
    await _start(ctx, owner_id, "buy bread", capture_id=2)
    edit = await capture.resume(ctx, owner_id=owner_id, capture_id=2, answer="edit")
    assert edit.kind == "edit" and "buy bread" in edit.text
    assert _titles(db) == []


async def test_unknown_answer_keeps_waiting(
    db: Database, saver: AsyncSqliteSaver, owner_id: int
) -> None:
    ctx = _ctx(db, saver)
    await _start(ctx, owner_id, "buy milk")
    odd = await capture.resume(ctx, owner_id=owner_id, capture_id=1, answer="opt_z")
    assert odd.kind == "confirm"
    assert (
        await capture.resume(ctx, owner_id=owner_id, capture_id=1, answer="save")
    ).kind == "saved"


async def test_question_survives_a_restart_and_the_choice_saves(
    db: Database, data_dir: Path, owner_id: int
) -> None:
    async with AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as first:
        prompt = await _start(_ctx(db, first), owner_id, "call bob at 7", capture_id=7)
        assert prompt.kind == "clarify" and len(prompt.buttons) == 3  # 2 options + cancel
    assert _titles(db) == []
    # a new process: new database handle, new checkpointer connection, same data dir
    db2 = Database.from_url(db.engine.url.render_as_string(hide_password=False))
    try:
        async with AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as second:
            ctx = _ctx(db2, second)
            labels = [row[0]["callback_data"] for row in prompt.buttons]
            assert labels == ["tcap:7:opt_a", "tcap:7:opt_b", "tcap:7:cancel"]
            chosen = await capture.resume(ctx, owner_id=owner_id, capture_id=7, answer="opt_b")
            assert chosen.kind == "saved"
            other_owner = await capture.resume(
                ctx, owner_id=owner_id + 1, capture_id=7, answer="opt_a"
            )
            assert other_owner.kind == "stale"
        with db2.read() as session:
            todos = session.query(Todo).all()
        assert [(t.title, t.due_at) for t in todos] == [
            ("Call bob", datetime(2026, 3, 3, 6, tzinfo=UTC))  # option b: Tue 07:00 Berlin
        ]
    finally:
        db2.dispose()


async def test_bad_input_is_answered_and_saves_nothing(
    db: Database, saver: AsyncSqliteSaver, owner_id: int
) -> None:
    ctx = _ctx(db, saver)
    for i, text in enumerate(["every 0 days water plants", "Feb 30 dentist", "x" * 5000, " "]):
        prompt = await _start(ctx, owner_id, text, capture_id=100 + i)
        assert prompt.kind == "invalid" and prompt.text.startswith("⚠️")
    assert _titles(db) == []


@pytest.fixture
def fake_llm() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(models=["fake-model"]) as fake:
        yield fake


async def test_llm_is_asked_only_for_leftovers_and_rechecked(fake_llm: FakeOpenAI) -> None:
    llm = _llm(fake_llm.base_url)
    try:
        plain = await understand("buy milk tomorrow", now=NOW, timezone="Europe/Berlin", llm=llm)
        assert plain.source == "rules" and fake_llm.bodies() == []
        fake_llm.reply = json.dumps(
            {"title": "Hike", "date": "2026-03-16", "time": None, "rrule": None, "priority": 4}
        )
        got = await understand("hike in a few days", now=NOW, timezone="Europe/Berlin", llm=llm)
        assert got.source == "llm" and isinstance(got.result, Draft)
        assert got.result.as_json()["due"] == "2026-03-16T00:00:00+01:00"
        assert got.result.title == "Hike"
        assert "a few days" in fake_llm.bodies()[0]["messages"][-1]["content"]
        schema = fake_llm.bodies()[0]["response_format"]["json_schema"]["schema"]
        assert schema["properties"]["priority"]["enum"] == [1, 2, 3, 4]
        for bad in (
            {"title": "Hike", "date": "1999-01-01", "time": None, "rrule": None, "priority": 4},
            {
                "title": "Hike",
                "date": None,
                "time": None,
                "rrule": "FREQ=DAILY;INTERVAL=0",
                "priority": 4,
            },
            {"title": "Hike", "date": "2026-02-30", "time": None, "rrule": None, "priority": 4},
        ):
            fake_llm.reply = json.dumps(bad)
            kept = await understand(
                "hike in a few days", now=NOW, timezone="Europe/Berlin", llm=llm
            )
            assert kept.source == "rules" and kept.result.as_json()["needs_clarification"]
    finally:
        await llm.aclose()


async def test_llm_down_means_rules_answer() -> None:
    llm = _llm(unused_base_url())
    try:
        got = await understand("hike in a few days", now=NOW, timezone="Europe/Berlin", llm=llm)
    finally:
        await llm.aclose()
    assert got.source == "rules" and got.leftovers == ("in a few days",)
    assert got.result.as_json()["needs_clarification"]  # no model: a question, not a guess


async def test_text_that_is_not_a_task_asks_first_and_saves_only_on_yes(
    db: Database, saver: AsyncSqliteSaver, owner_id: int
) -> None:
    ctx = _ctx(db, saver)
    for capture_id, text in ((31, "asdfgh"), (32, "what's on tomorrow?")):
        prompt = await capture.start(
            ctx, owner_id=owner_id, timezone="Europe/Berlin", text=text,
            capture_id=capture_id, now=NOW, check_task=True,
        )  # fmt: skip
        assert prompt.kind == "is_task" and "Save this as a to-do?" in prompt.text
        assert [b["callback_data"] for b in prompt.buttons[0]] == [
            f"tcap:{capture_id}:save",
            f"tcap:{capture_id}:cancel",
        ]
    assert _titles(db) == []
    no = await capture.resume(ctx, owner_id=owner_id, capture_id=32, answer="cancel")
    assert no.kind == "cancelled" and _titles(db) == []
    yes = await capture.resume(ctx, owner_id=owner_id, capture_id=31, answer="save")
    assert yes.kind == "saved" and _titles(db) == ["Asdfgh"]
    task = await capture.start(
        ctx, owner_id=owner_id, timezone="Europe/Berlin", text="buy milk",
        capture_id=33, now=NOW, check_task=True,
    )  # fmt: skip
    assert task.kind == "confirm"  # a task goes straight to its card
