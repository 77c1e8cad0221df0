"""Paper embeddings from the real engine: off by default, served by the chat server when asked."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import numpy as np
import pytest

from agents.arxiv import embeddings
from agents.arxiv.fetch import store_records
from agents.arxiv.parse import PaperRecord
from agents.context import AppConfig, AppContext
from agents.llm import CallRecord
from errands import local_llm
from errands.local_llm import LocalServer
from store import embeddings as cache
from store import papers as repo
from store.db import Database
from store.models import Paper

from .conftest import _require_extra
from .test_engine import client_for

pytestmark = pytest.mark.real_llm

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
ABSTRACTS = [
    PaperRecord(
        id="2006.11239",
        version=1,
        title="Denoising Diffusion Probabilistic Models",
        abstract="We present high quality image synthesis results using diffusion probabilistic "
        "models, a class of latent variable models inspired by considerations from "
        "nonequilibrium thermodynamics.",
    ),
    PaperRecord(
        id="1609.02907",
        version=1,
        title="Semi-Supervised Classification with Graph Convolutional Networks",
        abstract="We present a scalable approach for semi-supervised learning on "
        "graph-structured data that is based on an efficient variant of convolutional neural "
        "networks which operate directly on graphs.",
    ),
]


@pytest.fixture(scope="module")
def embedding_engine() -> Iterator[LocalServer]:
    """An engine started with ``embeddings=True`` (``errands llm serve-local --embeddings``)."""
    _require_extra()
    with local_llm.start_server(None, startup_timeout=90, embeddings=True) as server:
        yield server


def papers_in(ctx: AppContext) -> list[Paper]:
    store_records(ctx, ABSTRACTS, announced_on=None, now=NOW)
    with ctx.db.read() as session:
        return list(repo.get_papers(session, ids=[r.id for r in ABSTRACTS]).values())


async def test_the_default_engine_does_not_embed_so_ranking_uses_tfidf(
    engine: LocalServer, db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    async with client_for(("local", engine), log=[]) as llm:
        ctx = AppContext(db=db, config=AppConfig(), clock=lambda: NOW, llm=llm)
        assert await embeddings.paper_vectors(ctx, papers_in(ctx), now=NOW) is None
    assert "ranking uses TF-IDF only" in caplog.text
    with db.read() as session:
        assert cache.get_many(session, ids=[r.id for r in ABSTRACTS]) == []


async def test_two_abstracts_embed_to_unit_vectors_once(
    embedding_engine: LocalServer, db: Database
) -> None:
    engine = embedding_engine
    log: list[CallRecord] = []
    async with client_for(("local", engine), log=log) as llm:
        ctx = AppContext(db=db, config=AppConfig(), clock=lambda: NOW, llm=llm)
        store_records(ctx, ABSTRACTS, announced_on=None, now=NOW)
        with db.read() as session:
            papers = list(repo.get_papers(session, ids=[r.id for r in ABSTRACTS]).values())
        vectors = await embeddings.paper_vectors(ctx, papers, now=NOW)
        assert vectors is not None, "the engine did not answer /v1/embeddings"
        assert vectors.model == engine.model and vectors.dim == 576  # SmolLM2-135M's width
        block = vectors.block([r.id for r in ABSTRACTS])
        assert block.shape == (2, 576) and np.isfinite(block).all()
        assert np.allclose(np.linalg.norm(block, axis=1), 1.0, atol=1e-5)
        assert float(block[0] @ block[1]) < 0.999  # two different papers, two directions
        calls = [r for r in log if r.purpose == embeddings.PURPOSE]
        assert len(calls) == 1 and calls[0].ok

        again = await embeddings.paper_vectors(ctx, papers, now=NOW)
        assert again is not None and len([r for r in log if r.purpose == "arxiv-embed"]) == 1
    with db.read() as session:
        stored = cache.get_many(session, ids=[r.id for r in ABSTRACTS], model=engine.model)
    assert {(s.paper_id, s.dim) for s in stored} == {(r.id, 576) for r in ABSTRACTS}
