"""To-do jobs on a real SQLite store: reminders (once, nags, roll-over, late), agenda, review."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select
from telegram import Bot

from agents.context import AppConfig, AppContext
from agents.todos.actions import complete
from agents.todos.config import TodoConfig
from bots.telegram.notifier import TelegramNotifier
from jobs import outbox as outbox_job
from jobs import reminders
from jobs import todos as todo_jobs
from store import owners, todos
from store.db import Database
from store.models import OutboxMessage, Todo
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday, 10:00 in Berlin


def _ctx(db: Database, now: datetime = NOW, **config: object) -> AppContext:
    return AppContext(
        db=db,
        config=AppConfig(todos=TodoConfig(**config)),  # type: ignore[arg-type]
        clock=lambda: now,
    )


def _owner(db: Database, chat_id: int = 42, zone: str = "Europe/Berlin") -> int:
    with db.write() as session:
        return owners.create_owner(
            session, name=f"o{chat_id}", timezone=zone, now=NOW, chat_id=chat_id, slug=f"o{chat_id}"
        ).id


def _todo(db: Database, owner_id: int, title: str, due: datetime | None, **kw: object) -> int:
    with db.write() as session:
        return todos.create_todo(
            session,
            owner_id=owner_id,
            title=title,
            timezone=str(kw.pop("timezone", "Europe/Berlin")),
            now=NOW - timedelta(days=7),
            due_at=due,
            **kw,  # type: ignore[arg-type]
        ).id


def _rows(db: Database) -> list[OutboxMessage]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


async def test_due_task_is_reminded_once_with_done_and_snooze(db: Database) -> None:
    owner = _owner(db)
    todo_id = _todo(db, owner, "Call mom", NOW + timedelta(hours=1))
    _todo(db, owner, "Later", NOW + timedelta(hours=5))
    _todo(db, owner, "Someday", None)
    assert (await reminders.run(_ctx(db), now=NOW))["todos"] == 0
    at = NOW + timedelta(hours=1, minutes=1)
    assert (await reminders.run(_ctx(db, at), now=at))["todos"] == 1
    assert (await reminders.run(_ctx(db, at), now=at + timedelta(minutes=5)))["todos"] == 0
    [row] = _rows(db)
    assert row.recipient == "42" and row.due_at == NOW + timedelta(hours=1)
    assert row.idempotency_key == f"todo:{todo_id}@{(NOW + timedelta(hours=1)).isoformat()}"
    assert "Call mom" in row.payload["text"]
    datas = [b["callback_data"] for b in row.payload["buttons"][0]]
    assert datas == [f"rem:{todo_id}:done", f"rem:{todo_id}:snooze"]


async def test_all_day_tasks_wait_for_the_agenda_unless_snoozed(db: Database) -> None:
    owner = _owner(db)
    todo_id = _todo(db, owner, "Taxes", NOW.replace(hour=0) - timedelta(hours=1), all_day=True)
    assert (await reminders.run(_ctx(db), now=NOW))["todos"] == 0
    with db.write() as session:
        session.get(Todo, todo_id).snoozed_until = NOW + timedelta(hours=2)  # type: ignore[union-attr]
    later = NOW + timedelta(hours=2, minutes=1)
    assert (await reminders.run(_ctx(db, later), now=later))["todos"] == 1


async def test_urgent_tasks_nag_until_done_but_not_in_quiet_hours(db: Database) -> None:
    owner = _owner(db)
    due = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)  # 21:00 Berlin; quiet hours start 22:00
    todo_id = _todo(db, owner, "Pay fine", due, priority=1, nag=True)
    config = {"nag_interval": timedelta(minutes=30), "quiet_start": time(22), "quiet_end": time(7)}
    queued = []
    for minutes in (1, 10, 31, 45, 62, 95):
        at = due + timedelta(minutes=minutes)
        queued.append((await reminders.run(_ctx(db, at, **config), now=at))["todos"])
    # 21:01 first reminder, 21:31 nag, 22:02 and later: quiet
    assert queued == [1, 0, 1, 0, 0, 0]
    morning = datetime(2026, 3, 3, 6, 5, tzinfo=UTC)  # 07:05 Berlin
    assert (await reminders.run(_ctx(db, morning, **config), now=morning))["todos"] == 1
    keys = [r.idempotency_key for r in _rows(db)]
    assert keys[0].endswith(due.isoformat()) and keys[1].endswith("#1") and "#" in keys[2]
    with db.write() as session:
        complete(session.get(Todo, todo_id), now=morning)  # type: ignore[arg-type]
    later = morning + timedelta(hours=1)
    assert (await reminders.run(_ctx(db, later, **config), now=later))["todos"] == 0


async def test_repeating_task_rolls_to_its_current_occurrence(db: Database) -> None:
    owner = _owner(db)
    first = datetime(2026, 2, 27, 8, tzinfo=UTC)  # 09:00 Berlin, three days ago
    todo_id = _todo(db, owner, "Pills", first, rrule="FREQ=DAILY;BYHOUR=9;BYMINUTE=0")
    await reminders.run(_ctx(db), now=NOW)
    with db.read() as session:
        todo = session.get(Todo, todo_id)
        assert todo is not None and todo.due_at == datetime(2026, 3, 2, 8, tzinfo=UTC)
    [row] = _rows(db)
    assert row.idempotency_key == f"todo:{todo_id}@2026-03-02T08:00:00+00:00"


async def test_reminder_missed_while_down_goes_out_marked_late(db: Database) -> None:
    owner = _owner(db)
    _todo(db, owner, "Water plants", NOW - timedelta(hours=3))
    with db.write() as session:  # created before it fell due, never reminded (errands was down)
        session.execute(Todo.__table__.update().values(last_reminded_at=None))
    async with FakeTelegramAPI() as api, Bot("123:abc", base_url=api.bot_base_url) as bot:
        ctx = _ctx(db)
        ctx.notifiers["telegram"] = TelegramNotifier(bot)
        await reminders.run(ctx, now=NOW)
        report = await outbox_job.run(ctx, now=NOW)
        assert report.sent == 1 and report.late == 1
        [sent] = api.sent("sendMessage")
        assert "(late)" in sent["text"] and "Water plants" in sent["text"]


async def test_morning_agenda_lists_overdue_then_today_once_per_local_day(db: Database) -> None:
    berlin = _owner(db)
    _todo(db, berlin, "Today timed", datetime(2026, 3, 2, 15, tzinfo=UTC))
    _todo(db, berlin, "Overdue", datetime(2026, 2, 27, 12, tzinfo=UTC))
    _todo(db, berlin, "Tomorrow", datetime(2026, 3, 3, 12, tzinfo=UTC))
    _todo(db, berlin, "Today all day", datetime(2026, 3, 1, 23, tzinfo=UTC), all_day=True)
    auckland = _owner(db, chat_id=7, zone="Pacific/Auckland")
    _todo(db, auckland, "Kiwi", datetime(2026, 3, 2, 20, tzinfo=UTC), timezone="Pacific/Auckland")
    morning = datetime(2026, 3, 2, 12, tzinfo=UTC)  # Mon 13:00 Berlin, Tue 01:00 Auckland
    result = await todo_jobs.morning_agenda(_ctx(db, morning), now=morning)
    assert result == {"queued": 2}
    again = await todo_jobs.morning_agenda(_ctx(db, morning), now=morning + timedelta(hours=1))
    assert again == {"queued": 0}
    rows = {r.recipient: r for r in _rows(db)}
    text = rows["42"].payload["text"]
    assert text.index("Overdue") < text.index("Today all day") < text.index("Today timed")
    assert "Tomorrow" not in text
    assert rows["42"].idempotency_key == f"todo-agenda:{berlin}:2026-03-02"
    # Auckland's "today" is its own date, Tue 3 Mar, when "Kiwi" is due (09:00 there)
    assert rows["7"].idempotency_key == f"todo-agenda:{auckland}:2026-03-03"
    assert "Kiwi" in rows["7"].payload["text"] and "Tue 03 Mar" in rows["7"].payload["text"]


async def test_evening_review_shows_done_and_slipped_with_tomorrow_buttons(db: Database) -> None:
    owner = _owner(db)
    done_id = _todo(db, owner, "Done thing", datetime(2026, 3, 2, 10, tzinfo=UTC))
    slipped = _todo(db, owner, "Slipped thing", datetime(2026, 3, 2, 11, tzinfo=UTC))
    _todo(db, owner, "Tomorrow thing", datetime(2026, 3, 3, 11, tzinfo=UTC))
    evening = datetime(2026, 3, 2, 20, tzinfo=UTC)  # 21:00 Berlin
    with db.write() as session:
        complete(session.get(Todo, done_id), now=evening - timedelta(hours=2))  # type: ignore[arg-type]
    assert await todo_jobs.evening_review(_ctx(db, evening), now=evening) == {"queued": 1}
    assert await todo_jobs.evening_review(_ctx(db, evening), now=evening) == {"queued": 0}
    [row] = _rows(db)
    text = row.payload["text"]
    assert "Done thing" in text and "Slipped thing" in text and "Tomorrow thing" not in text
    assert row.payload["buttons"] == [
        [{"text": "➡️ Tomorrow: Slipped thing", "callback_data": f"todo:{slipped}:tomorrow"}]
    ]


async def test_nothing_to_say_sends_nothing(db: Database) -> None:
    _owner(db)
    assert await todo_jobs.morning_agenda(_ctx(db), now=NOW) == {"queued": 0}
    assert await todo_jobs.evening_review(_ctx(db), now=NOW) == {"queued": 0}
