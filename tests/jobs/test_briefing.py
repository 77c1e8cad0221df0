"""The morning-agenda job with ERRANDS_BRIEFING on and off, and the review's first meeting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from agents.context import AppConfig, AppContext
from jobs import todos as todo_jobs
from jobs.registry import JOBS, run_job
from store import bookings, owners, todos
from store.db import Database
from store.models import OutboxMessage

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
CREATED = datetime(2026, 2, 20, tzinfo=UTC)


def _ctx(db: Database, *, briefing: bool = True) -> AppContext:
    return AppContext(db=db, config=AppConfig(briefing=briefing), clock=lambda: NOW)


def _owner(db: Database, chat_id: int = 42, zone: str = "Europe/Berlin") -> int:
    with db.write() as session:
        return owners.create_owner(
            session, name=f"o{chat_id}", timezone=zone, now=CREATED, chat_id=chat_id,
            slug=f"o{chat_id}",
        ).id  # fmt: skip


def _todo(db: Database, owner_id: int, title: str, due: datetime) -> int:
    with db.write() as session:
        return todos.create_todo(
            session, owner_id=owner_id, title=title, timezone="UTC", now=CREATED, due_at=due
        ).id


def _meeting(db: Database, owner_id: int, start: datetime, guest: str, topic: str = "") -> int:
    with db.write() as session:
        booking = bookings.create_pending(
            session,
            owner_id=owner_id,
            start_at=start,
            end_at=start + timedelta(minutes=45),
            guest_name=guest,
            guest_email=f"{len(guest)}-{start:%H%M}@example.org",
            guest_timezone="UTC",
            topic=topic,
            client_ip="127.0.0.1",
            expires_at=start,
            now=CREATED,
            gap=timedelta(0),
        )
        assert bookings.accept_if_pending(
            session, booking_id=booking.id, owner_id=owner_id, now=CREATED, gap=timedelta(0)
        )
        return booking.id


def _rows(db: Database) -> list[OutboxMessage]:
    with db.read() as session:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_morning_agenda_job_is_the_briefing_under_the_same_name() -> None:
    spec = JOBS["morning-agenda"]
    assert spec.target == "jobs.briefing:run" and spec.per_owner


async def test_briefing_replaces_the_agenda_once_per_local_day(db: Database) -> None:
    berlin = _owner(db)
    auckland = _owner(db, chat_id=7, zone="Pacific/Auckland")
    _todo(db, berlin, "Pay rent", datetime(2026, 3, 2, 12, tzinfo=UTC))
    _meeting(db, berlin, datetime(2026, 3, 2, 9, tzinfo=UTC), "Alice", "Roadmap")
    assert await run_job("morning-agenda", _ctx(db), now=NOW) == {"queued": 2}
    later = NOW + timedelta(hours=3)
    assert await run_job("morning-agenda", _ctx(db), now=later) == {"queued": 0}
    rows = {r.recipient: r for r in _rows(db)}
    assert len(rows) == 2 and len(_rows(db)) == 2  # one message each: the agenda is not sent
    assert rows["42"].idempotency_key == f"briefing:{berlin}:2026-03-02"
    text = rows["42"].payload["text"]
    assert "<b>Meetings</b>" in text and "10:00-10:45 Alice · Roadmap" in text
    assert "Pay rent" in text
    assert rows["42"].payload["disable_preview"] is True
    # Auckland (+13 h) is at Mon 20:00: its own local day, with nothing on it
    assert rows["7"].idempotency_key == f"briefing:{auckland}:2026-03-02"
    assert rows["7"].payload["text"].startswith("☀️ <b>Today, Mon 02 Mar</b>: nothing on")


async def test_briefing_off_sends_the_to_do_agenda_as_before(db: Database) -> None:
    owner = _owner(db)
    _todo(db, owner, "Pay rent", datetime(2026, 3, 2, 12, tzinfo=UTC))
    _meeting(db, owner, datetime(2026, 3, 2, 9, tzinfo=UTC), "Alice", "Roadmap")
    assert await run_job("morning-agenda", _ctx(db, briefing=False), now=NOW) == {"queued": 1}
    [row] = _rows(db)
    assert row.idempotency_key == f"todo-agenda:{owner}:2026-03-02"
    assert "Pay rent" in row.payload["text"] and "Alice" not in row.payload["text"]


async def test_evening_review_names_tomorrow_s_first_meeting(db: Database) -> None:
    owner = _owner(db)
    _todo(db, owner, "Slipped thing", datetime(2026, 3, 2, 11, tzinfo=UTC))
    _meeting(db, owner, datetime(2026, 3, 3, 13, tzinfo=UTC), "Second", "Later")
    _meeting(db, owner, datetime(2026, 3, 3, 8, 30, tzinfo=UTC), "Bob <b>", "Plan & <i>scope</i>")
    _meeting(db, owner, datetime(2026, 3, 2, 21, tzinfo=UTC), "Tonight")  # 22:00 today
    evening = datetime(2026, 3, 2, 20, tzinfo=UTC)  # 21:00 Berlin
    assert await todo_jobs.evening_review(_ctx(db), now=evening) == {"queued": 1}
    [row] = _rows(db)
    text = row.payload["text"]
    assert "Slipped thing" in text
    line = "📅 <b>Tomorrow's first meeting</b>: 09:30 Bob &lt;b&gt; · Plan &amp; &lt;i&gt;scope"
    assert line in text
    assert "Second" not in text and "Tonight" not in text
    assert text.index("Slipped") < text.index("Tomorrow's first meeting")


async def test_review_with_only_a_meeting_tomorrow_still_says_so(db: Database) -> None:
    owner = _owner(db)
    _meeting(db, owner, datetime(2026, 3, 3, 8, tzinfo=UTC), "Carol")
    evening = datetime(2026, 3, 2, 20, tzinfo=UTC)
    assert await todo_jobs.evening_review(_ctx(db), now=evening) == {"queued": 1}
    [row] = _rows(db)
    assert row.payload["text"] == (
        "🌙 <b>Review, Mon 02 Mar</b>\n\n📅 <b>Tomorrow's first meeting</b>: 09:00 Carol"
    )
    assert row.payload["buttons"] == []


async def test_review_on_the_eve_of_spring_forward_uses_summer_time(db: Database) -> None:
    """Sat 28 Mar 2026 21:00 CET; Sunday's 07:00 UTC meeting is 09:00 CEST, not 08:00."""
    owner = _owner(db)
    _meeting(db, owner, datetime(2026, 3, 29, 7, 0, tzinfo=UTC), "Dana", "DST")
    _meeting(db, owner, datetime(2026, 3, 29, 22, 30, tzinfo=UTC), "Monday")  # 00:30 Mon CEST
    evening = datetime(2026, 3, 28, 20, tzinfo=UTC)
    assert await todo_jobs.evening_review(_ctx(db), now=evening) == {"queued": 1}
    assert "first meeting</b>: 09:00 Dana · DST" in _rows(db)[0].payload["text"]


async def test_briefing_on_spring_forward_day_is_keyed_by_the_local_date(db: Database) -> None:
    owner = _owner(db)
    _meeting(db, owner, datetime(2026, 3, 29, 21, 0, tzinfo=UTC), "Late")  # 23:00 CEST Sunday
    early = datetime(2026, 3, 28, 23, 30, tzinfo=UTC)  # Sun 00:30 CET, before the jump
    assert await run_job("morning-agenda", _ctx(db), now=early) == {"queued": 1}
    again = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # Sun 08:00 CEST: same local day
    assert await run_job("morning-agenda", _ctx(db), now=again) == {"queued": 0}
    [row] = _rows(db)
    assert row.idempotency_key == f"briefing:{owner}:2026-03-29"
    assert "23:00-23:45 Late" in row.payload["text"]


def test_the_setting_reaches_the_app_config(data_dir: Path) -> None:
    from errands.settings import load_settings
    from errands.wiring import app_config

    assert app_config(load_settings(data_dir=data_dir)).briefing is True
    assert app_config(load_settings(data_dir=data_dir, briefing="false")).briefing is False
