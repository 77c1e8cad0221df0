"""/follow, /mute, /recap and /papers settings through a real PTB application and the fake
Bot API; then the digest shows the followed paper first, marked 📌, and no muted one."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from agents.arxiv.config import ArxivConfig
from agents.context import AppConfig, AppContext
from bots.telegram.app import build_application, start_bot, stop_bot
from bots.telegram.arxiv import ArxivFeature
from bots.telegram.notifier import TelegramNotifier
from jobs import arxiv as arxiv_job
from jobs import outbox as outbox_job
from store import owners
from store.db import Database
from tests.agents.arxiv.arxiv_server import ArxivReplay, serve
from tests.conftest import NOW
from tests.fakes.telegram_api import FakeTelegramAPI

ROBOTS = "2603.10008"  # "Offline Reinforcement Learning for Robot Manipulation", Author7 One
VIDEO = "2603.10003"  # "Video Diffusion Transformers at Scale", Writer2 Two
DIFFUSION = {"2603.10001", "2603.10002", VIDEO, "2603.10004"}  # "diffusion" in title/abstract


@pytest.fixture
def arxiv_url() -> Iterator[str]:
    with serve(ArxivReplay()) as url:
        yield url


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    fake = FakeTelegramAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def bot(api: FakeTelegramAPI, db: Database, arxiv_url: str) -> AsyncIterator[AppContext]:
    """The bot up, no digest sent yet."""
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
    ctx = AppContext(
        db=db,
        config=AppConfig(
            owner_chat_ids=(42,),
            arxiv=ArxivConfig(
                api_url=f"{arxiv_url}/api/query",
                rss_url=f"{arxiv_url}/rss",
                categories=("cs.LG", "cs.AI"),
                min_interval=0.0,
                digest_size=5,
                tldr=False,
                embeddings=False,
            ),
        ),
        clock=lambda: NOW,
    )
    app, surface = build_application(
        ctx, token="123:abc", base_url=api.bot_base_url, features=[ArxivFeature()]
    )
    await start_bot(app, surface, poll_timeout=1)
    ctx.notifiers["telegram"] = TelegramNotifier(app.bot)
    yield ctx
    await stop_bot(app)


async def say(api: FakeTelegramAPI, text: str) -> str:
    """Send ``text`` as the owner; the bot's reply."""
    before = len(api.sent("sendMessage"))
    api.user_message(text, chat_id=42)
    return str((await api.wait_for("sendMessage", before + 1))[before]["text"])


async def digest(api: FakeTelegramAPI, ctx: AppContext) -> list[str]:
    before = len(api.sent("sendMessage"))
    await arxiv_job.run(ctx, now=NOW)
    await outbox_job.run(ctx, now=NOW)
    return [m["text"] for m in (await api.wait_for("sendMessage", before + 5))[before:]]


def paper_of(text: str) -> str:
    return text.split("https://arxiv.org/abs/", 1)[1].split('"', 1)[0]


async def test_follow_and_mute_shape_the_next_digest(api: FakeTelegramAPI, bot: AppContext) -> None:
    assert await say(api, "/follow author One, Author7") == (
        "Now following author <b>One, Author7</b>.\nSee them all: /papers settings"
    )
    assert (await say(api, "/follow author  author7   ONE")).startswith("Already following author")
    assert (await say(api, "/mute keyword Diffusion")).startswith(
        "Now muting keyword <b>Diffusion</b>."
    )
    texts = await digest(api, bot)
    assert len(texts) == 5
    assert texts[0].startswith("📌 1. <b>") and paper_of(texts[0]) == ROBOTS
    assert "you follow One, Author7" in texts[0]
    assert not any(t.startswith("📌") for t in texts[1:])
    assert not {paper_of(t) for t in texts} & DIFFUSION


async def test_a_followed_author_wins_over_a_mute(api: FakeTelegramAPI, bot: AppContext) -> None:
    await say(api, "/mute keyword diffusion")
    await say(api, "/follow author Writer2 Two")
    texts = await digest(api, bot)
    assert paper_of(texts[0]) == VIDEO and texts[0].startswith("📌 ")
    assert {paper_of(t) for t in texts} & DIFFUSION == {VIDEO}


async def test_papers_settings_lists_everything_and_how_to_change_it(
    api: FakeTelegramAPI, bot: AppContext
) -> None:
    before = await say(api, "/papers settings")
    assert "<b>📌 Followed authors</b>: none" in before
    assert "<b>Weekly recap</b> (Sundays): off" in before
    await say(api, "/follow author Jane Doe")
    await say(api, "/follow keyword graph neural networks")
    await say(api, "/mute keyword <medical> & imaging")
    assert (await say(api, "/recap on")).startswith("Weekly recap on")
    assert (await say(api, "/recap on")).startswith("The weekly recap is already on")
    text = await say(api, "/papers settings")
    assert text.startswith("<b>arXiv settings</b>\n<b>Categories</b>: cs.LG, cs.AI")
    assert (
        "<b>📌 Followed authors</b>: Jane Doe\n  /follow author NAME · /unfollow author NAME"
        in text
    )
    assert "<b>📌 Followed keywords</b>: graph neural networks\n" in text
    assert "<b>🔇 Muted keywords</b>: &lt;medical&gt; &amp; imaging\n" in text
    assert "a follow wins over a mute" in text
    assert "<b>Weekly recap</b> (Sundays): on  /recap on · /recap off" in text
    assert (await say(api, "/unfollow author DOE, jane")).startswith("Stopped following author")
    assert (await say(api, "/unfollow author Jane Doe")).startswith("You were not following")
    assert (await say(api, "/unmute keyword <MEDICAL> & imaging")).startswith("Stopped muting")
    text = await say(api, "/papers settings")
    assert "Followed authors</b>: none" in text and "Muted keywords</b>: none" in text


@pytest.mark.parametrize(
    ("message", "reply"),
    [
        ("/follow", "Usage: /follow author NAME or /follow keyword WORDS"),
        ("/follow author", "Usage: /follow author NAME or /follow keyword WORDS"),
        ("/follow people Jane", "Usage: /follow author NAME or /follow keyword WORDS"),
        ("/mute author Jane Doe", "Only keywords can be muted. Usage: /mute keyword WORDS"),
        ("/unmute", "Usage: /unmute keyword WORDS"),
        ("/follow keyword " + "x" * 201, "That is too long: at most 200 characters."),
        ("/follow author Jane\x07Doe", "That contains control characters"),
        ("/follow author 1984", "Give an author's name"),
        ("/recap maybe", "Usage: /recap on or /recap off"),
        ("/papers nonsense", "Usage: /papers (today's digest again) or /papers settings"),
    ],
)
async def test_bad_input_gets_a_clear_reply(
    api: FakeTelegramAPI, bot: AppContext, message: str, reply: str
) -> None:
    assert (await say(api, message)).startswith(reply)
