"""The whole booking story in a real browser: Chromium (Playwright) -> page -> Telegram -> mail.

Everything is real except the far ends: uvicorn serves ``create_app``, a real PTB application
polls the fake Bot API, mail goes over SMTP to aiosmtpd, and the reminders run as the CLI
(``errands jobs run reminders --now ...``) against the same data dir.
"""

from __future__ import annotations

import asyncio
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from icalendar import Calendar
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

from agents.meetings.config import Policy
from agents.meetings.meeting_types import MeetingType, save_types, set_about
from bots.email.notifier import EmailNotifier
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.meetings import MeetingsFeature
from bots.telegram.notifier import TelegramNotifier
from bots.web.app import create_app
from jobs import outbox
from store import owners
from store.db import Database
from tests.agents.meetings.helpers import SECRET, add_owner, make_ctx, serve
from tests.conftest import ERRANDS
from tests.fakes.smtp import FakeSMTP
from tests.fakes.telegram_api import FakeTelegramAPI

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NOW = datetime(2026, 3, 2, 8, tzinfo=UTC)  # Monday 09:00 in Berlin
ROOT = Path(__file__).resolve().parents[2]
ABOUT = (
    "I design analytical engines and write about what they could do.\n"
    "Happy to talk maths, machines or music."
)
TYPES = [
    MeetingType(
        "chat",
        "Conversation",
        (30, 60),
        "https://meet.example.org/{slug}-{booking_id}",
        "A video call about your project. I confirm every request myself.",
    ),
    MeetingType("intro", "Quick intro", (15,), "", "Fifteen minutes to say hello.", approval=False),
]

# Without chromium these tests skip with a visible reason, or fail under
# ERRANDS_REQUIRE_BROWSER=1 as in CI: tests/e2e/conftest.py.


async def test_book_approve_invite_and_remind_in_a_browser(
    db: Database, data_dir: Path, tmp_path: Path, cli_env: dict[str, str]
) -> None:
    from playwright.async_api import async_playwright

    # ERRANDS_SCREENSHOTS_DIR=docs/screenshots keeps the pictures (docs/screenshots/*.png)
    saved = os.environ.get("ERRANDS_SCREENSHOTS_DIR") or os.environ.get("ERRANDS_SCREENSHOT_DIR")
    shots = Path(saved or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    add_owner(db, now=NOW, policy=Policy(lengths=(30, 60)))
    with db.write() as session:
        owner = owners.get_by_slug(session, slug="ada")
        assert owner is not None
        set_about(owner, ABOUT)
        save_types(owner, TYPES)
    api, smtp = FakeTelegramAPI(), FakeSMTP().start()
    await api.start()
    async with AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db")) as saver:
        ctx = make_ctx(db, lambda: NOW, checkpointer=saver, organizer_email="bot@example.org")
        ctx.notifiers["email"] = EmailNotifier(
            host=smtp.host,
            port=smtp.port,
            username=None,
            password=None,
            from_addr="bot@example.org",
            starttls=False,
        )
        app, surface = build_application(
            ctx, token="123:abc", base_url=api.bot_base_url, features=[MeetingsFeature()]
        )
        await start_bot(app, surface, poll_timeout=1)
        ctx.notifiers["telegram"] = TelegramNotifier(app.bot)
        try:
            async with serve(create_app(ctx)) as base, async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                guest = await browser.new_context(
                    timezone_id="America/New_York",
                    locale="en-US",
                    viewport={"width": 1280, "height": 900},
                )
                page = await guest.new_page()
                await page.goto(f"{base}/book/ada")
                # the script switched the page to the browser's zone
                await page.wait_for_url("**tz=America%2FNew_York**")
                assert await page.input_value("#tz") == "America/New_York"
                assert ABOUT.splitlines()[0] in await page.inner_text("#about")
                assert await page.locator("a.type").count() == 2
                assert await page.locator("#month td.free a").count() >= 10
                # an en-US browser reads 12-hour times; the zone list is searchable
                assert (await page.locator("a.slot").first.inner_text()).endswith(" AM")
                await page.fill("#tz-search", "kolk")
                options = await page.locator("#tz option").all_inner_texts()
                assert any(o.startswith("Asia/Kolkata") for o in options) and len(options) <= 3
                assert not any("Calcutta" in o for o in options)
                await page.fill("#tz-search", "")
                await page.screenshot(path=str(shots / "booking-desktop.png"), full_page=True)
                first = page.locator("a.slot").first
                start = await first.get_attribute("data-start")
                assert start is not None and start.endswith("-05:00")
                await first.click()
                await page.fill("#name", "Grace <script>alert(1)</script>")
                await page.fill("#email", "grace@example.org")
                await page.fill("#topic", "Compilers & <b>coffee</b>")
                await page.click("#submit")
                await page.wait_for_selector("#requested")
                assert "when it is confirmed" in await page.inner_text("#requested")

                # the owner's card arrives through the outbox, approve it on the "phone"
                await outbox.run(ctx, now=NOW)
                sent = await api.wait_for("sendMessage")
                card = sent[0]
                assert "&lt;script&gt;" in card["text"] and "<script>" not in card["text"]
                message = api.bot_messages[-1]
                api.press_button(message, "mtg:1:approve")
                api.press_button(message, "mtg:1:approve")
                answers = await api.wait_for("answerCallbackQuery", 2)
                assert answers[0]["text"].startswith("Approved")
                assert answers[1]["text"] == "Already handled."
                await outbox.run(ctx, now=NOW)
                received = smtp.wait_for(1)[0]  # at once, before the owner decided
                assert received["Subject"] == "Request received: meeting with Ada Lovelace"
                mail = smtp.wait_for(2)[1]
                assert mail["To"] == "grace@example.org"
                invite = next(
                    p for p in mail.iter_attachments() if p.get_filename() == "invite.ics"
                )
                cal = Calendar.from_ical(invite.get_content())
                assert str(cal["method"]) == "REQUEST"
                event = cal.walk("VEVENT")[0]
                assert event.decoded("dtstart") == datetime.fromisoformat(start)
                assert int(event["sequence"]) == 0
                assert str(event["location"]) == "https://meet.example.org/ada-1"
                assert event.walk("VALARM")[0].decoded("trigger") == timedelta(minutes=-15)
                edits = await api.wait_for("editMessageText")
                assert "Approved" in edits[0]["text"]

                # the slot is gone from the page; phone-width screenshot of the same page
                await page.goto(f"{base}/book/ada?tz=America/New_York")
                assert await page.locator(f'a.slot[data-start="{start}"]').count() == 0
                phone = await browser.new_context(
                    timezone_id="America/New_York",
                    viewport={"width": 390, "height": 844},
                    device_scale_factor=2,
                    is_mobile=True,
                )
                mobile = await phone.new_page()
                await mobile.goto(f"{base}/book/ada")
                await mobile.wait_for_url("**tz=America%2FNew_York**")
                await mobile.screenshot(path=str(shots / "booking-phone.png"), full_page=True)

                # without JavaScript: the plain zone list, the month's links, 24 h for en-GB
                plain_ctx = await browser.new_context(java_script_enabled=False, locale="en-GB")
                plain = await plain_ctx.new_page()
                await plain.goto(f"{base}/book/ada")
                assert await plain.locator("#tz-search").count() == 0
                await plain.select_option("#tz", "Asia/Kolkata")
                await plain.click("#apply")
                await plain.wait_for_url("**tz=Asia%2FKolkata**")
                label = await plain.locator("a.slot").first.inner_text()
                assert len(label) == 5 and label[2] == ":", label  # "13:30", no AM/PM
                await plain.click("#next-month")
                await plain.wait_for_url("**from=2026-04-01**")
                await plain.locator("#month td.free a").nth(1).click()
                await plain.wait_for_url("**from=2026-04-0*")
                assert "April 2026" in await plain.inner_text("#month-title")

                # cancelling from the manage link asks first; "keep it" leaves it be
                manage = mail.get_body(("plain",)).get_content().split("/book/manage/")[1]
                await page.goto(f"{base}/book/manage/{manage.split()[0]}")
                await page.click("#cancel")
                await page.wait_for_selector("#confirm")
                await page.screenshot(path=str(shots / "booking-cancel-confirm.png"))
                await page.click("#confirm-no")
                await page.wait_for_selector("#cancel")
                await browser.close()

            # reminders, as an operator replays them: one hour before the meeting
            env = {
                **cli_env,
                "ERRANDS_TELEGRAM_TOKEN": "123:abc",
                "ERRANDS_TELEGRAM_BASE_URL": api.bot_base_url,
                "ERRANDS_SMTP_HOST": smtp.host,
                "ERRANDS_SMTP_PORT": str(smtp.port),
                "ERRANDS_SMTP_FROM": "bot@example.org",
                "ERRANDS_SMTP_STARTTLS": "false",
                "ERRANDS_SECRET_KEY": SECRET,
            }
            at = (datetime.fromisoformat(start) - timedelta(minutes=59)).isoformat()
            proc = await asyncio.create_subprocess_exec(
                *ERRANDS,
                "jobs",
                "run",
                "reminders",
                "--now",
                at,
                env=env,
                cwd=ROOT,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
            )
            out, err = await asyncio.wait_for(proc.communicate(), 60)
            assert proc.returncode == 0, err.decode()
            assert '"meetings": 2' in out.decode()
            reminder = smtp.wait_for(3)[2]
            assert (
                reminder["Subject"].startswith("Reminder") and reminder["To"] == "grace@example.org"
            )
            owner_msgs = [m["text"] for m in api.sent("sendMessage")]
            assert any("Meeting soon" in t for t in owner_msgs)
        finally:
            await stop_bot(app)
            await api.stop()
            smtp.stop()
    assert sys.executable  # the CLI ran with this interpreter
