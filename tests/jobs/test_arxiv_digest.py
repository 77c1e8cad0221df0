"""The arxiv-digest job end to end in-process: local arXiv, fake Bot API, fake LLM, real store.

Also the crash story: a run killed mid-graph resumes from its checkpoint and sends no paper
twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver
from telegram import Bot

from agents.arxiv import recommender
from agents.arxiv.config import ArxivConfig
from agents.context import AppConfig, AppContext
from bots.telegram.notifier import TelegramNotifier
from jobs import arxiv as arxiv_job
from jobs import outbox as outbox_job
from store import owners
from store import papers as repo
from store.db import Database
from store.models import OutboxMessage, Paper, PaperEmbedding
from tests.agents.arxiv.arxiv_server import ArxivReplay, serve
from tests.conftest import NOW
from tests.fakes.openai_server import FakeOpenAI, fake_llm_client, unused_base_url
from tests.fakes.telegram_api import FakeTelegramAPI

TLDR = '{"tldr": "A faster sampler for diffusion models."}'


@pytest.fixture
def replay() -> ArxivReplay:
    return ArxivReplay()


@pytest.fixture
def arxiv_url(replay: ArxivReplay) -> Iterator[str]:
    with serve(replay) as url:
        yield url


@pytest.fixture
def llm_server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI(reply=TLDR) as fake:
        yield fake


@pytest.fixture
async def api() -> AsyncIterator[FakeTelegramAPI]:
    fake = FakeTelegramAPI()
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
async def make_ctx(
    db: Database, data_dir: Path, arxiv_url: str, api: FakeTelegramAPI
) -> AsyncIterator[Any]:
    bot = Bot("123:abc", base_url=api.bot_base_url)
    await bot.initialize()
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )
    opened: list[Any] = []

    async def make(llm_url: str) -> AppContext:
        saver_cm = AsyncSqliteSaver.from_conn_string(str(data_dir / "graphs.db"))
        saver = await saver_cm.__aenter__()
        llm = fake_llm_client(llm_url)
        opened.append((saver_cm, llm))
        return AppContext(
            db=db,
            config=AppConfig(
                owner_chat_ids=(42,),
                arxiv=ArxivConfig(
                    api_url=f"{arxiv_url}/api/query",
                    rss_url=f"{arxiv_url}/rss",
                    categories=("cs.LG", "cs.AI"),
                    min_interval=0.0,
                ),
            ),
            clock=lambda: NOW,
            llm=llm,
            checkpointer=saver,
            notifiers={"telegram": TelegramNotifier(bot)},
        )

    yield make
    for saver_cm, llm in opened:
        await llm.aclose()
        await saver_cm.__aexit__(None, None, None)
    await bot.shutdown()


async def test_digest_sends_ten_papers_with_tldr_and_buttons_once(
    make_ctx: Any, llm_server: FakeOpenAI, api: FakeTelegramAPI, replay: ArxivReplay
) -> None:
    ctx = await make_ctx(llm_server.base_url)
    report = await arxiv_job.run(ctx, now=NOW)
    assert report["ada"]["queued"] == 10 and report["ada"]["tldrs"] == 10
    await outbox_job.run(ctx, now=NOW)
    sent = api.sent("sendMessage")
    assert len(sent) == 10
    first = sent[0]
    assert first["parse_mode"] == "HTML"
    assert '<a href="https://arxiv.org/abs/' in first["text"]
    assert "TL;DR:</i> A faster sampler" in first["text"]
    assert "Why this:" in first["text"]
    keyboard = first["reply_markup"]["inline_keyboard"][0]
    assert [b["text"] for b in keyboard] == ["👍", "👎", "📖"]
    assert keyboard[0]["callback_data"].startswith("arxiv:")
    texts = " ".join(m["text"] for m in sent)
    assert "&amp; &lt;Temperature&gt;" in texts or "Temperature" not in texts
    assert len(llm_server.bodies("/chat/completions")) == 10

    again = await arxiv_job.run(ctx, now=NOW)
    await outbox_job.run(ctx, now=NOW)
    assert again["ada"]["queued"] == 0
    assert len(api.sent("sendMessage")) == 10
    assert len(replay.requests) == 1  # the finished run was not redone


async def test_without_an_llm_the_tldr_is_left_out(
    make_ctx: Any, api: FakeTelegramAPI, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    ctx = await make_ctx(unused_base_url())
    with caplog.at_level(logging.WARNING, logger="agents.arxiv.embeddings"):
        await arxiv_job.run(ctx, now=NOW)
    await outbox_job.run(ctx, now=NOW)
    sent = api.sent("sendMessage")
    assert len(sent) == 10
    assert not any("TL;DR" in m["text"] for m in sent)
    assert all("Why this:" in m["text"] for m in sent)
    assert len(caplog.records) == 1 and "TF-IDF only" in caplog.text  # one clear warning
    assert not active_model(db).uses_embeddings


def active_model(db: Database) -> recommender.OwnerModel:
    with db.read() as session:
        owner = owners.get_by_slug(session, slug="ada")
        assert owner is not None
        model = recommender.load(session, owner_id=owner.id)
    assert model is not None
    return model


async def test_digest_embeds_each_paper_once_and_ranks_with_the_vectors(
    make_ctx: Any, llm_server: FakeOpenAI, api: FakeTelegramAPI, db: Database
) -> None:
    ctx = await make_ctx(llm_server.base_url)
    report = await arxiv_job.run(ctx, now=NOW)
    assert report["ada"]["queued"] == 10
    calls = llm_server.bodies("/embeddings")
    inputs = [text for body in calls for text in body["input"]]
    with db.read() as session:
        stored = session.query(PaperEmbedding).all()
        n_papers = session.query(Paper).count()
    assert len(inputs) == len(set(inputs)) == len(stored) == n_papers  # pool + background
    assert {(row.model, row.dim) for row in stored} == {("fake-model", 8)}
    model = active_model(db)
    assert (model.dense_model, model.dense_dim, model.dense_weight) == ("fake-model", 8, 0.5)
    assert model.dense_missing == 0

    tomorrow = NOW + timedelta(days=1)  # same listing: the rest of its papers, all cached
    later = await make_ctx(llm_server.base_url)
    report = await arxiv_job.run(later, now=tomorrow)
    assert report["ada"]["queued"] >= 1
    assert len(llm_server.bodies("/embeddings")) == len(calls)  # no embeddings call
    assert active_model(db).version == model.version  # nothing to refit


class RaggedEmbeddings(FakeOpenAI):
    """A server whose embeddings come back with differing lengths."""

    def _embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = super()._embeddings(body)
        for i, item in enumerate(answer["data"]):
            item["embedding"] = item["embedding"][: 8 - i % 2]
        return answer


async def test_embeddings_of_the_wrong_dimension_are_ignored(
    make_ctx: Any, api: FakeTelegramAPI, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    with RaggedEmbeddings(reply=TLDR) as server:
        ctx = await make_ctx(server.base_url)
        with caplog.at_level(logging.WARNING, logger="agents.arxiv.embeddings"):
            report = await arxiv_job.run(ctx, now=NOW)
    assert report["ada"]["queued"] == 10 and report["ada"]["tldrs"] == 10
    assert len(caplog.records) == 1 and "embeddings ignored" in caplog.text
    assert not active_model(db).uses_embeddings
    with db.read() as session:
        assert session.query(PaperEmbedding).count() == 0


async def test_killed_digest_resumes_and_sends_no_duplicates(
    make_ctx: Any, llm_server: FakeOpenAI, api: FakeTelegramAPI, replay: ArxivReplay, db: Database
) -> None:
    llm_server.delay = 30.0  # the TL;DR step hangs: we kill the run there
    llm_server.delay_paths = ("/chat/completions",)  # (embeddings, in the rank step, do not)
    ctx = await make_ctx(llm_server.base_url)
    task = asyncio.create_task(arxiv_job.run(ctx, now=NOW))
    for _ in range(500):
        await asyncio.sleep(0.02)
        if llm_server.bodies("/chat/completions"):
            break
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with db.read() as session:
        owner = owners.get_by_slug(session, slug="ada")
        assert owner is not None
        shown = repo.shown(session, owner_id=owner.id)
        assert len(shown) == 10
        assert session.query(OutboxMessage).count() == 0
    fetches = len(replay.requests)

    llm_server.delay = 0.0
    resumed = await make_ctx(llm_server.base_url)  # a new process: new saver, same files
    report = await arxiv_job.run(resumed, now=NOW)
    await outbox_job.run(resumed, now=NOW)
    assert len(replay.requests) == fetches  # resumed after fetch and rank
    assert report["ada"]["queued"] == 10
    sent = api.sent("sendMessage")
    assert len(sent) == 10
    assert len({m["text"] for m in sent}) == 10
    with db.read() as session:
        assert [e.id for e in repo.shown(session, owner_id=owner.id)] == [e.id for e in shown]

    await arxiv_job.run(resumed, now=NOW)
    await outbox_job.run(resumed, now=NOW)
    assert len(api.sent("sendMessage")) == 10
