"""The dispatcher with the real channels: PTB against the fake Bot API, SMTP into aiosmtpd."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar, Event
from sqlalchemy import select
from telegram import Bot

from agents.context import AppConfig, AppContext
from bots.email.notifier import EmailNotifier
from bots.telegram.notifier import TelegramNotifier
from jobs import outbox as dispatcher
from store import outbox
from store.db import Database
from store.models import OutboxMessage
from tests.fakes.smtp import FakeSMTP
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def smtp() -> Iterator[FakeSMTP]:
    with FakeSMTP() as server:
        yield server


@pytest.fixture
async def bot() -> AsyncIterator[tuple[FakeTelegramAPI, Bot]]:
    async with FakeTelegramAPI() as api:
        telegram_bot = Bot("123:abc", base_url=api.bot_base_url, base_file_url=api.file_base_url)
        await telegram_bot.initialize()
        yield api, telegram_bot
        await telegram_bot.shutdown()


def enqueue(db: Database, key: str, channel: str, recipient: str, payload: dict) -> None:  # type: ignore[type-arg]
    with db.write() as session:
        outbox.enqueue(
            session,
            channel=channel,
            recipient=recipient,
            payload=payload,
            due_at=NOW,
            idempotency_key=key,
            now=NOW,
        )


async def test_email_with_ics_arrives_and_parses(db: Database, smtp: FakeSMTP) -> None:
    start = datetime(2026, 3, 3, 14, tzinfo=UTC)
    cal = Calendar()
    cal.add("prodid", "-//errands//test//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = Event()
    event.add("uid", "booking-1@errands.test")
    event.add("dtstamp", NOW)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=30))
    event.add("summary", "Meeting")
    event.add("sequence", 0)
    cal.add_component(event)
    enqueue(
        db,
        "booking:1:confirm",
        "email",
        "guest@example.test",
        {
            "subject": "Confirmed",
            "text": "See you",
            "ics": cal.to_ical().decode(),
            "ics_method": "REQUEST",
        },
    )
    notifier = EmailNotifier(
        host=smtp.host,
        port=smtp.port,
        username=None,
        password=None,
        from_addr="bot@errands.test",
        starttls=False,
    )
    ctx = AppContext(db=db, config=AppConfig(), clock=lambda: NOW, notifiers={"email": notifier})
    report = await dispatcher.run(ctx, now=NOW)
    assert report.sent == 1
    mail = smtp.wait_for(1)[0]
    assert mail["Subject"] == "Confirmed"
    attachment = next(p for p in mail.iter_attachments() if p.get_filename() == "invite.ics")
    parsed = Calendar.from_ical(attachment.get_content())
    assert str(parsed["method"]) == "REQUEST"
    vevent = parsed.walk("VEVENT")[0]
    assert str(vevent["uid"]) == "booking-1@errands.test"
    assert vevent.decoded("dtstart") == start
    again = await dispatcher.run(ctx, now=NOW + timedelta(hours=1))
    assert again.claimed == 0
    assert len(smtp.received) == 1


async def test_telegram_permanent_failure_is_recorded(
    db: Database, bot: tuple[FakeTelegramAPI, Bot]
) -> None:
    api, telegram_bot = bot
    enqueue(db, "ok", "telegram", "42", {"text": "hello <b>you</b>"})
    enqueue(db, "blocked", "telegram", "43", {"text": "hi"})
    api.fail_next("sendMessage", "403")  # first send in claim order goes to chat 42 or 43
    ctx = AppContext(
        db=db,
        config=AppConfig(),
        clock=lambda: NOW,
        notifiers={"telegram": TelegramNotifier(telegram_bot)},
    )
    report = await dispatcher.run(ctx, now=NOW)
    assert (report.sent, report.failed) == (1, 1)
    with db.read() as session:
        failed = session.scalars(
            select(OutboxMessage).where(OutboxMessage.status == "failed")
        ).one()
        state = outbox.outbox_state(session, now=NOW)
    assert "blocked" in (failed.last_error or "").lower()
    assert state.recent_failures[0][0] == failed.id


async def test_telegram_429_is_retried_after_retry_after(
    db: Database, bot: tuple[FakeTelegramAPI, Bot]
) -> None:
    api, telegram_bot = bot
    enqueue(db, "k", "telegram", "42", {"text": "hello"})
    api.fail_next("sendMessage", "429", retry_after=40)
    ctx = AppContext(
        db=db,
        config=AppConfig(),
        clock=lambda: NOW,
        notifiers={"telegram": TelegramNotifier(telegram_bot)},
    )
    first = await dispatcher.run(ctx, now=NOW)
    assert first.retried == 1
    assert (await dispatcher.run(ctx, now=NOW + timedelta(seconds=30))).claimed == 0
    later = await dispatcher.run(ctx, now=NOW + timedelta(seconds=41))
    assert later.sent == 1
    assert [m["text"] for m in api.sent("sendMessage")] == ["hello"]
