"""First run and profile commands (/start, /tz, /rename) on a real PTB app and the fake Bot API."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from agents.context import AppConfig, AppContext
from agents.meetings.availability import WeeklyWindow
from agents.meetings.policy import save_weekly
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.onboarding import TYPE_ZONE, ZONES, resolve_zone, zone_choices
from bots.telegram.todos import TodoFeature
from jobs import scheduler as job_scheduler
from store import owners
from store.db import Database
from store.models import Owner
from tests.fakes.telegram_api import FakeTelegramAPI

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)  # Monday; 10:00 in Berlin, 04:00 in New York
PAGE = "https://errands.example/book/"


@pytest.fixture
async def api(db: Database) -> AsyncIterator[FakeTelegramAPI]:
    ctx = AppContext(
        db=db,
        config=AppConfig(
            owner_chat_ids=(42, 43), default_timezone="UTC", public_url="https://errands.example"
        ),
        clock=lambda: NOW,
    )
    async with FakeTelegramAPI() as fake:
        app, surface = build_application(
            ctx, token="123:abc", base_url=fake.bot_base_url, features=[TodoFeature()]
        )
        await start_bot(app, surface, poll_timeout=1)
        try:
            yield fake
        finally:
            await stop_bot(app)


async def _say(api: FakeTelegramAPI, text: str, **kwargs: Any) -> dict[str, Any]:
    before = len(api.sent("sendMessage"))
    api.user_message(text, **kwargs)
    await api.wait_for("sendMessage", before + 1)
    return api.bot_messages[-1]


async def _press(api: FakeTelegramAPI, message: dict[str, Any], data: str) -> tuple[str, str]:
    """Press; return the button's answer and the reply that followed it."""
    sent, answered = len(api.sent("sendMessage")), len(api.sent("answerCallbackQuery"))
    api.press_button(message, data)
    answer = (await api.wait_for("answerCallbackQuery", answered + 1))[-1].get("text") or ""
    await api.wait_for("sendMessage", sent + 1)
    return answer, api.bot_messages[-1]["text"]


def _owner(db: Database, chat_id: int = 42) -> Owner:
    with db.read() as session:
        owner = owners.get_by_chat_id(session, chat_id=chat_id)
    assert owner is not None
    return owner


def _buttons(message: dict[str, Any]) -> dict[str, str]:
    rows = message.get("reply_markup", {}).get("inline_keyboard", [])
    return {b["text"]: b["callback_data"] for row in rows for b in row}


async def test_first_start_guides_setup_and_a_zone_button_sets_the_zone(
    api: FakeTelegramAPI, db: Database
) -> None:
    welcome = await _say(api, "/start", language_code="de")
    text = welcome["text"]
    assert text.startswith("Welcome, User42!")
    assert "Time zone: now UTC" in text
    assert f"Booking page: {PAGE}user42" in text
    assert "nobody can book" in text and "/availability Mon-Fri 09:00-17:00" in text
    assert "/rename slug NEW-SLUG" in text and "/seed keywords" in text
    assert "/help lists everything" in text
    assert "/delete" not in text and "/snooze" not in text  # not the whole command list
    buttons = _buttons(welcome)
    assert list(buttons) == [
        "Europe/Berlin",
        "Europe/Vienna",
        "Europe/Zurich",
        "UTC",
        "⌨️ Type a zone name",
    ]
    answer, said = await _press(api, welcome, buttons["Europe/Berlin"])
    assert answer == "Saved."
    assert said.startswith("🕑 Time zone: Europe/Berlin (it is 10:00 there now)")
    assert _owner(db).timezone == "Europe/Berlin"
    assert owners.telegram_user_id(_owner(db)) == 42


async def test_a_typed_zone_name_or_tz_sets_the_zone_and_other_text_stays_a_todo(
    api: FakeTelegramAPI, db: Database
) -> None:
    welcome = await _say(api, "/start")  # no language: zones from several continents
    answer, said = await _press(api, welcome, _buttons(welcome)["⌨️ Type a zone name"])
    assert (answer, said) == ("", TYPE_ZONE)
    said = (await _say(api, "america/new_york"))["text"]
    assert said.startswith("🕑 Time zone: America/New_York (it is 04:00 there now)")
    assert _owner(db).timezone == "America/New_York"

    bad = (await _say(api, "/tz Mars/Olympus_Mons"))["text"]
    assert "Unknown time zone 'Mars/Olympus_Mons'. Send /tz ZONE" in bad
    assert _owner(db).timezone == "America/New_York"
    assert "Asia/Tokyo" in (await _say(api, "/tz asia/tokyo"))["text"]
    assert _owner(db).timezone == "Asia/Tokyo"
    assert "Europe/Paris" in (await _say(api, "Europe/Paris"))["text"]  # a zone name alone
    assert _owner(db).timezone == "Europe/Paris"
    shown = await _say(api, "/tz")
    assert "Your time zone is Europe/Paris" in shown["text"]
    assert "⌨️ Type a zone name" in _buttons(shown)

    await _press(api, welcome, _buttons(welcome)["⌨️ Type a zone name"])
    refused = (await _say(api, "somewhere nice"))["text"]
    assert "I know no time zone called 'somewhere nice'" in refused
    assert _owner(db).timezone == "Europe/Paris"
    card = await _say(api, "buy milk tomorrow")  # the wait ended: plain text is a to-do again
    assert "Buy milk" in card["text"] and "✅ Save" in _buttons(card)


async def test_a_later_start_shows_the_current_settings(api: FakeTelegramAPI, db: Database) -> None:
    await _say(api, "/start")
    with db.write() as session:
        owner = owners.get_by_chat_id(session, chat_id=42)
        assert owner is not None
        save_weekly(session, owner.id, [WeeklyWindow(0, time(9), time(12))])
        owner.preferences = {**owner.preferences, "arxiv": {"keywords": ["protein folding"]}}
    again = await _say(api, "/start")
    text = again["text"]
    assert text.startswith("Welcome back, User42! Your settings:")
    assert "Time zone: UTC (/tz)" in text
    assert f"Booking page: {PAGE}user42 (/rename slug NEW-SLUG)" in text
    assert "Bookable hours: Mon 09:00-12:00 (/availability)" in text
    assert "Paper interests: protein folding" in text
    assert "/help lists everything" in text
    assert "reply_markup" not in again


async def test_rename_changes_the_name_and_the_slug_with_clear_errors(
    api: FakeTelegramAPI, db: Database
) -> None:
    await _say(api, "/start", chat_id=43)
    await _say(api, "/start")
    assert "I'll call you Ada Lovelace now" in (await _say(api, "/rename  Ada   Lovelace"))["text"]
    assert _owner(db).name == "Ada Lovelace"
    for text, expected in [
        ("/rename", "Usage: /rename NAME"),
        ("/rename slug", "Usage: /rename slug NEW-SLUG"),
        ("/rename slug Ada", "cannot be a link name: use 3 to 60 lower-case"),
        ("/rename slug ab", "cannot be a link name"),
        ("/rename slug -ada", "cannot be a link name"),
        ("/rename slug " + "a" * 61, "cannot be a link name"),
        ("/rename slug ada_l", "cannot be a link name"),
        ("/rename slug user43", "The link name 'user43' is taken"),
        ("/rename slug manage", "The link name 'manage' is taken"),  # /book/manage/<token>
        ("/rename Ada\u202eevil", "invisible formatting characters"),
        ("/rename " + "x" * 201, "at most 200 characters"),
    ]:
        assert expected in (await _say(api, text))["text"], text
    owner = _owner(db)
    assert (owner.name, owner.slug) == ("Ada Lovelace", "user42")

    said = (await _say(api, "/rename slug ada-lovelace"))["text"]
    assert f"Your booking link is now {PAGE}ada-lovelace" in said
    assert f"The old link {PAGE}user42 no longer works" in said
    assert _owner(db).slug == "ada-lovelace"
    with db.read() as session:
        assert owners.get_by_slug(session, slug="user42") is None
    assert "already is" in (await _say(api, "/rename slug ada-lovelace"))["text"]


async def test_an_owner_added_by_start_gets_their_jobs_without_a_restart(db: Database) -> None:
    ctx = AppContext(db=db, config=AppConfig(owner_chat_ids=(42,)), clock=lambda: NOW)
    overrides = {"morning-agenda": "30 7 * * *"}
    planned = job_scheduler.plan(owners=[], default_timezone="UTC", overrides=overrides, now=NOW)
    sched = job_scheduler.start(ctx, planned, overrides=overrides)
    sched.pause()  # the jobs are what this test looks at, not their runs
    try:
        assert [j.id for j in sched.get_jobs() if ":" in j.id] == []
        async with FakeTelegramAPI() as fake:
            app, surface = build_application(
                ctx, token="123:abc", base_url=fake.bot_base_url, features=[]
            )
            await start_bot(app, surface, poll_timeout=1)
            try:
                await _say(fake, "/start")
                owner_id = _owner(db).id
                per_owner = {j.id for j in sched.get_jobs() if ":" in j.id}
                assert per_owner == {
                    f"arxiv-digest:{owner_id}",
                    f"arxiv-recap:{owner_id}",
                    f"morning-agenda:{owner_id}",
                    f"evening-review:{owner_id}",
                }
                await _say(fake, "/tz Asia/Tokyo")
                agenda = sched.get_job(f"morning-agenda:{owner_id}")
                assert agenda is not None and agenda.next_run_time is not None
                local = agenda.next_run_time.astimezone(ZoneInfo("Asia/Tokyo"))
                assert local.strftime("%H:%M") == "07:30"  # ERRANDS_SCHEDULES, in the new zone
                assert str(agenda.trigger.timezone) == "Asia/Tokyo"
            finally:
                await stop_bot(app)
    finally:
        sched.shutdown(wait=False)


def test_zone_buttons_are_valid_zones_and_follow_the_language() -> None:
    assert len(set(ZONES)) == len(ZONES)
    assert all(resolve_zone(z) == z for z in ZONES)
    assert zone_choices("zh-hans")[0] == "Asia/Shanghai"
    assert zone_choices("en-GB")[:2] == ["Europe/London", "America/New_York"]
    assert zone_choices("xx")[-1] == "UTC" and len(zone_choices(None)) == 6
    assert resolve_zone("EUROPE/berlin") == "Europe/Berlin"
    assert resolve_zone("Berlin") is None
