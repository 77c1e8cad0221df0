"""The arXiv digest's TL;DR on the real engine (SmolLM2-135M via llama.cpp)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from agents.arxiv.digest import tldr_for
from agents.context import AppConfig, AppContext
from agents.llm import CallRecord
from errands.local_llm import LocalServer
from store.db import Database
from store.models import Paper

from .test_engine import client_for

pytestmark = pytest.mark.real_llm

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
PAPER = Paper(
    id="1706.03762",
    title="Attention Is All You Need",
    abstract=(
        "The dominant sequence transduction models are based on complex recurrent or "
        "convolutional neural networks that include an encoder and a decoder. We propose a new "
        "simple network architecture, the Transformer, based solely on attention mechanisms, "
        "dispensing with recurrence and convolutions entirely. Experiments on two machine "
        "translation tasks show these models to be superior in quality while being more "
        "parallelizable and requiring significantly less time to train."
    ),
    authors=["Ashish Vaswani"],
    categories=["cs.CL"],
    fetched_at=NOW,
)


async def test_tldr_is_one_short_line_from_the_engine(engine: LocalServer, db: Database) -> None:
    log: list[CallRecord] = []
    async with client_for(("local", engine), log=log) as client:
        ctx = AppContext(db=db, config=AppConfig(), clock=lambda: NOW, llm=client)
        tldr = await tldr_for(ctx, PAPER)
    assert tldr is not None
    assert 5 <= len(tldr) <= 200
    assert "\n" not in tldr
    assert [(r.purpose, r.backend) for r in log][:1] == [("arxiv-tldr", "local")]


async def test_tldr_is_left_out_when_the_engine_is_gone(
    start_engine: Callable[[], LocalServer], db: Database
) -> None:
    server = start_engine()
    log: list[CallRecord] = []
    async with client_for(("local", server), log=log) as client:
        server.stop()
        ctx = AppContext(db=db, config=AppConfig(), clock=lambda: NOW, llm=client)
        assert await tldr_for(ctx, PAPER) is None
    assert log
    assert not log[-1].ok
