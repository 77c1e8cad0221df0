"""``errands todo`` and the to-do jobs as a user runs them: CLI subprocesses, a fake Bot API
process, and a real PTB Application (the bot) handling the button presses."""

from __future__ import annotations

import asyncio
import json
import subprocess
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from sqlalchemy import select

from agents.context import AppConfig, AppContext
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.todos import TodoFeature
from store import owners
from store.db import Database
from store.models import OutboxMessage, Todo
from tests.conftest import ERRANDS
from tests.errands.test_run import fake_api
from tests.fakes.openai_server import FakeOpenAI

pytestmark = [pytest.mark.subprocess]

ROOT = Path(__file__).resolve().parents[2]
NOW = "2026-03-02T09:00:00+00:00"


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*ERRANDS, *args], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )


@pytest.mark.slow
def test_parse_prints_exactly_the_six_keys(cli_env: dict[str, str]) -> None:
    with FakeOpenAI() as llm:  # --no-llm must not call it even for words the rules leave over
        env = {**cli_env, "ERRANDS_LLM_BASE_URL": llm.base_url}
        done = run_cli(
            env, "todo", "parse", "明天下午三点给妈妈打电话", "--now", NOW, "--tz", "Asia/Shanghai",
            "--no-llm", "--json",
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert json.loads(done.stdout) == {
            "title": "给妈妈打电话",
            "due": "2026-03-03T15:00:00+08:00",
            "rrule": None,
            "priority": 4,
            "needs_clarification": False,
            "question": None,
        }
        asked = run_cli(
            env, "todo", "parse", "in a fortnight: standup at 7", "--now", NOW, "--tz",
            "America/New_York", "--no-llm", "--json",
        )  # fmt: skip
        assert asked.returncode == 0, asked.stderr
        assert json.loads(asked.stdout)["needs_clarification"] is True
        assert llm.requests == []


def test_unknown_zone_exits_1_with_a_clear_message(cli_env: dict[str, str]) -> None:
    # the other bad inputs (empty, 5,000 characters, "every 0 days", "Feb 30") are covered
    # in-process by tests/agents/todos and tests/bots/test_todos_bot.py; the exit path is one
    args = ["todo", "parse", "call mom", "--tz", "Mars/Olympus", "--no-llm", "--json"]
    done = run_cli(cli_env, *args)
    assert done.returncode == 1 and done.stdout == ""
    assert "Unknown time zone 'Mars/Olympus'" in done.stderr and "Traceback" not in done.stderr


@pytest.mark.slow
def test_add_list_and_bench(cli_env: dict[str, str], db: Database) -> None:
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=datetime.now(UTC), chat_id=42
        )
    added = run_cli(
        cli_env, "todo", "add", "pay rent every 1st at 9am p2", "--now", NOW, "--no-llm"
    )
    assert added.returncode == 0 and "added #1: Pay rent" in added.stdout
    refused = run_cli(cli_env, "todo", "add", "call bob at 7", "--now", NOW, "--no-llm")
    assert refused.returncode == 1 and "morning or evening" in refused.stderr
    for text in ("asdfgh", "what's on tomorrow?"):
        gibberish = run_cli(cli_env, "todo", "add", text, "--now", NOW, "--no-llm")
        assert gibberish.returncode == 1 and "Save this as a to-do?" in gibberish.stderr
    forced = run_cli(cli_env, "todo", "add", "asdfgh", "--now", NOW, "--no-llm", "--force")
    assert forced.returncode == 0 and "added #2: Asdfgh" in forced.stdout
    listed = json.loads(run_cli(cli_env, "todo", "list", "--json").stdout)
    assert [(r["title"], r["due"], r["priority"]) for r in listed] == [
        ("Pay rent", "2026-04-01T09:00:00+02:00", 2),
        ("Asdfgh", None, 4),
    ]
    bench = run_cli(cli_env, "todo", "bench", "--json", "--tasks", "300", "--rounds", "1")
    assert bench.returncode == 0, bench.stderr
    report = json.loads(bench.stdout)
    assert report["labelled_phrases"] >= 150 and 0 < report["accuracy"] <= 1
    for key in ("dev_accuracy", "labelled_accuracy"):
        assert 0 < report[key] <= 1
    assert set(report["dev_files"]) == {"dev.jsonl", "heldout.jsonl", "heldout2.jsonl"}
    assert sum(f["phrases"] for f in report["dev_files"].values()) == report["dev_phrases"]
    assert 0 <= report["silent_wrong_dev"] <= 1
    assert report["silent_wrong"] == report["silent_wrong_heldout"]
    present = [n for n, f in report["heldout_by_file"].items() if "missing" not in f]
    assert set(report["heldout_missing"]) | set(present) == {"heldout3.jsonl", "heldout4.jsonl"}
    if not present:  # the blind sets are written separately: absent is not 0
        assert report["heldout_accuracy"] is None and report["silent_wrong"] is None
    else:
        assert 0 < report["heldout_accuracy"] <= 1 and 0 <= report["silent_wrong"] <= 1
    assert report["phrases_per_s"] > 0 and report["dev_phrases"] > 0
    assert report["reminders_all_due_queued"] == 300 and report["reminders_rerun_queued"] == 0


# ---------------------------------------------------------------- the whole loop, black-box


__all__ = ["fake_api"]  # the fixture, re-used from test_run


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
async def bot(
    fake_api: str, db: Database, data_dir: Path
) -> AsyncIterator[tuple[httpx.AsyncClient, Clock]]:
    clock = Clock(datetime.fromisoformat(NOW))
    async with AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as saver:
        ctx = AppContext(
            db=db,
            config=AppConfig(owner_chat_ids=(42,), default_timezone="Europe/Berlin"),
            clock=clock,
            checkpointer=saver,
        )
        app, surface = build_application(
            ctx, token="123:abc", base_url=f"{fake_api}/bot", features=[TodoFeature()]
        )
        await start_bot(app, surface, poll_timeout=1)
        async with httpx.AsyncClient(base_url=fake_api, timeout=10) as control:
            try:
                yield control, clock
            finally:
                await stop_bot(app)


async def _sent(control: httpx.AsyncClient, method: str) -> list[dict[str, Any]]:
    response = await control.get("/_control/calls", params={"method": method, "ok": 1})
    return [c["params"] for c in response.json()]


async def _wait(control: httpx.AsyncClient, method: str, n: int) -> list[dict[str, Any]]:
    deadline = time.monotonic() + 20
    while len(found := await _sent(control, method)) < n:
        assert time.monotonic() < deadline, f"{method}: {len(found)} of {n}"
        await asyncio.sleep(0.05)
    return found


async def _say(control: httpx.AsyncClient, text: str) -> tuple[int, dict[str, Any]]:
    """Send ``text`` as the owner; returns (id of the bot's reply, its sendMessage params).

    The fake numbers all messages from one counter and only this bot talks here, so the reply
    is the message right after the user's.
    """
    before = len(await _sent(control, "sendMessage"))
    update = (await control.post("/_control/message", json={"text": text, "chat_id": 42})).json()
    reply = (await _wait(control, "sendMessage", before + 1))[-1]
    return update["message"]["message_id"] + 1, reply


async def _press(control: httpx.AsyncClient, message_id: int, data: str) -> str | None:
    before = len(await _sent(control, "answerCallbackQuery"))
    await control.post("/_control/button", json={"message_id": message_id, "data": data})
    return (await _wait(control, "answerCallbackQuery", before + 1))[-1].get("text")


async def _cli(env: dict[str, str], *args: str) -> dict[str, Any]:
    proc = await asyncio.create_subprocess_exec(
        *ERRANDS, *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    return dict(json.loads(out.decode()))


def _todos(db: Database) -> dict[str, Todo]:
    with db.read() as session:
        return {t.title: t for t in session.scalars(select(Todo))}


@pytest.mark.slow
async def test_capture_remind_done_agenda_review_through_the_fake_bot_api(
    bot: tuple[httpx.AsyncClient, Clock], fake_api: str, cli_env: dict[str, str], db: Database
) -> None:
    control, clock = bot
    env = {
        **cli_env,
        "ERRANDS_TELEGRAM_BASE_URL": f"{fake_api}/bot",
        "ERRANDS_TELEGRAM_TOKEN": "123:abc",
        "ERRANDS_OWNER_CHAT_IDS": "42",
        "ERRANDS_TIMEZONE": "Europe/Berlin",
    }
    await _say(control, "/start")
    ids = {}
    for text, title in (
        ("water plants every day at 9am", "Water plants"),
        ("call mom tomorrow at 8am", "Call mom"),
    ):
        card_id, card = await _say(control, text)
        assert title in card["text"] and "✅ Save" in json.dumps(
            card["reply_markup"], ensure_ascii=False
        )
        save = card["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        assert await _press(control, card_id, save) == "Saved."
        ids[title] = _todos(db)[title].id
    assert _todos(db)["Water plants"].due_at == datetime(2026, 3, 3, 8, tzinfo=UTC)

    # 09:01 Berlin on Tuesday: both reminders go out, each with Done / Snooze
    result = await _cli(env, "jobs", "run", "reminders", "--now", "2026-03-03T08:01:00+00:00")
    assert result["result"]["todos"] == 2 and result["outbox"]["sent"] == 2
    sent = await _sent(control, "sendMessage")
    reminders = [m for m in sent if "⏰" in m["text"]]
    assert len(reminders) == 2
    for m in reminders:
        datas = [b["callback_data"] for row in m["reply_markup"]["inline_keyboard"] for b in row]
        assert datas[0].endswith(":done") and datas[1].endswith(":snooze")
    with db.read() as session:  # the outbox keeps the Telegram message id of each reminder
        sent_ids = {
            row.idempotency_key.split("@")[0]: row.result["message_id"]
            for row in session.scalars(select(OutboxMessage))
        }
    water_msg = sent_ids[f"todo:{ids['Water plants']}"]
    mom_msg = sent_ids[f"todo:{ids['Call mom']}"]

    clock.now = datetime(2026, 3, 3, 8, 2, tzinfo=UTC)
    answer = await _press(control, water_msg, f"rem:{ids['Water plants']}:done")
    assert answer == "Done. Next: Wed 04 Mar 09:00."
    assert await _press(control, water_msg, f"rem:{ids['Water plants']}:done") == "Already done."
    assert await _press(control, mom_msg, f"rem:{ids['Call mom']}:done") == "Done."
    assert await _press(control, mom_msg, f"rem:{ids['Call mom']}:done") == "Already done."
    after = _todos(db)
    assert after["Water plants"].status == "open"
    assert after["Water plants"].due_at == datetime(2026, 3, 4, 8, tzinfo=UTC)
    assert after["Call mom"].status == "done"

    # Wednesday: the agenda at 08:00, the review at 21:00 (the plants slipped)
    morning = await _cli(env, "jobs", "run", "morning-agenda", "--now", "2026-03-04T07:00:00+00:00")
    assert morning["result"] == {"queued": 1} and morning["outbox"]["sent"] == 1
    agenda = (await _sent(control, "sendMessage"))[-1]
    assert "Today, Wed 04 Mar" in agenda["text"] and "Water plants" in agenda["text"]
    evening = await _cli(env, "jobs", "run", "evening-review", "--now", "2026-03-04T20:00:00+00:00")
    assert evening["result"] == {"queued": 1} and evening["outbox"]["sent"] == 1
    review = (await _sent(control, "sendMessage"))[-1]
    assert "Slipped (1)" in review["text"] and "Water plants" in review["text"]
    tomorrow = review["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert tomorrow == f"todo:{ids['Water plants']}:tomorrow"


def test_todo_settings_become_triggers_and_bad_values_are_refused(data_dir: Path) -> None:
    from errands.settings import load_settings
    from errands.wiring import todo_config
    from store.errors import ConfigError

    settings = load_settings(data_dir=data_dir, todo_morning_agenda="7:30", todo_quiet_hours="")
    assert settings.schedules["morning-agenda"] == "30 7 * * *"
    assert settings.schedules["evening-review"] == "0 21 * * *"
    assert todo_config(settings).quiet_start == todo_config(settings).quiet_end  # no quiet hours
    explicit = load_settings(data_dir=data_dir, schedules={"morning-agenda": "15 6 * * 1-5"})
    assert explicit.schedules["morning-agenda"] == "15 6 * * 1-5"
    with pytest.raises(ConfigError, match="ERRANDS_TODO_EVENING_REVIEW"):
        load_settings(data_dir=data_dir, todo_evening_review="25:00")
    with pytest.raises(ConfigError, match="ERRANDS_TODO_QUIET_HOURS"):
        load_settings(data_dir=data_dir, todo_quiet_hours="late")
