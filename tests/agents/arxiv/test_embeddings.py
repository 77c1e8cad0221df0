"""Dense embeddings as an extra feature: the cache, the fetch from the LLM, the model block.

The LLM is ``FakeOpenAI`` (deterministic vectors per text); subclasses of it play a server
that answers with vectors of the wrong shape.
"""

from __future__ import annotations

import logging
import pickle
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import date
from typing import Any

import numpy as np
import pytest

from agents.arxiv import embeddings, feedback, ranking, recommender
from agents.arxiv.config import ArxivConfig
from agents.arxiv.embeddings import PaperVectors
from agents.arxiv.fetch import store_records
from agents.arxiv.parse import PaperRecord, parse_rss
from agents.context import AppConfig, AppContext
from agents.llm import LLMClient
from store import embeddings as cache
from store import owners
from store import papers as repo
from store.db import Database
from store.models import Owner, Paper
from tests.agents.arxiv.arxiv_server import HERE
from tests.conftest import NOW
from tests.fakes.openai_server import FakeOpenAI, fake_llm_client, unused_base_url

DAY = date(2026, 3, 2)


class RaggedFake(FakeOpenAI):
    """A server whose vectors do not all have the same length."""

    def _embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = super()._embeddings(body)
        for i, item in enumerate(answer["data"]):
            item["embedding"] = item["embedding"][: 8 - i % 2]
        return answer


class PerTokenFake(FakeOpenAI):
    """llama.cpp's server without pooling: one vector per token instead of one per text."""

    def _embeddings(self, body: dict[str, Any]) -> dict[str, Any]:
        answer = super()._embeddings(body)
        for item in answer["data"]:
            item["embedding"] = [item["embedding"], item["embedding"]]
        return answer


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as server:
        yield server


@pytest.fixture
async def make_ctx(db: Database) -> AsyncIterator[Any]:
    """``make_ctx(url or None, **ArxivConfig fields)``: a context over the day's listing."""
    listing = parse_rss((HERE / "rss_2026-03-02.xml").read_text())
    clients: list[LLMClient] = []

    def make(url: str | None, **arxiv: Any) -> AppContext:
        llm = fake_llm_client(url) if url else None
        if llm is not None:
            clients.append(llm)
        context = AppContext(
            db=db, config=AppConfig(arxiv=ArxivConfig(**arxiv)), clock=lambda: NOW, llm=llm
        )
        store_records(context, listing.records, announced_on=DAY, now=NOW)
        return context

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
def owner(db: Database) -> Owner:
    with db.write() as session:
        return owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )


def day_papers(ctx: AppContext) -> list[Paper]:
    with ctx.db.read() as session:
        return repo.announced_on(session, day=DAY)


def shown_event(ctx: AppContext, owner: Owner, paper_id: str) -> int:
    """Today's 'shown' event for ``paper_id``: what a tap refers to."""
    with ctx.db.write() as session:
        event = repo.add_event(
            session, owner_id=owner.id, paper_id=paper_id, kind="shown", now=NOW, digest_date=DAY
        )
        return event.id


def embed_calls(server: FakeOpenAI) -> list[dict[str, Any]]:
    return server.bodies("/embeddings")


# ---------------------------------------------------------------- the cache


def test_the_cache_keeps_the_first_vector_per_paper_and_model(db: Database) -> None:
    with db.write() as session:
        repo.upsert_papers(
            session, papers=[repo.PaperData(id="2603.00001", version=1, title="T")],
            announced_on=DAY, now=NOW,
        )  # fmt: skip
        one = np.arange(4, dtype="<f4").tobytes()
        assert cache.put_many(session, model="m", vectors=[("2603.00001", 4, one)], now=NOW) == 1
        other = np.ones(4, dtype="<f4").tobytes()
        rows = [("2603.00001", 4, other)]
        assert cache.put_many(session, model="m", vectors=rows, now=NOW) == 0
        assert cache.put_many(session, model="m2", vectors=rows, now=NOW) == 1
        with pytest.raises(ValueError, match="float32"):
            cache.put_many(session, model="m3", vectors=[("2603.00001", 5, one)], now=NOW)
    with db.read() as session:
        stored = cache.get_many(session, ids=["2603.00001", "2603.99999"], model="m")
        assert [(r.paper_id, r.dim, r.data) for r in stored] == [("2603.00001", 4, one)]
        assert {r.model for r in cache.get_many(session, ids=["2603.00001"])} == {"m", "m2"}


# ---------------------------------------------------------------- fetching vectors


async def test_vectors_are_fetched_once_normalised_and_cached(
    make_ctx: Any, fake: FakeOpenAI
) -> None:
    ctx = make_ctx(fake.base_url)
    papers = day_papers(ctx)
    first = await embeddings.paper_vectors(ctx, papers, now=NOW)
    assert first is not None and first.model == "fake-model" and first.dim == 8
    assert set(first.vectors) == {p.id for p in papers}
    norms = np.linalg.norm(first.block([p.id for p in papers]), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-5)
    calls = embed_calls(fake)
    assert sum(len(c["input"]) for c in calls) == len(papers)  # each paper once
    assert len(calls) == -(-len(papers) // embeddings.BATCH)
    expected = np.array(FakeOpenAI.vector(embeddings.embedding_text(papers[0])))
    assert np.allclose(first.vectors[papers[0].id], expected / np.linalg.norm(expected))

    again = await embeddings.paper_vectors(ctx, papers, now=NOW)
    assert len(embed_calls(fake)) == len(calls)  # all cached: no call at all
    assert again is not None and again.model == "fake-model"
    for pid, vector in first.vectors.items():
        assert np.allclose(again.vectors[pid], vector)


async def test_only_new_papers_reach_the_server(make_ctx: Any, fake: FakeOpenAI) -> None:
    ctx = make_ctx(fake.base_url)
    papers = day_papers(ctx)
    await embeddings.paper_vectors(ctx, papers[:5], now=NOW)
    before = len(embed_calls(fake))
    found = await embeddings.paper_vectors(ctx, papers, now=NOW)
    assert found is not None and len(found.vectors) == len(papers)
    new_inputs = [t for c in embed_calls(fake)[before:] for t in c["input"]]
    assert len(new_inputs) == len(papers) - 5


async def test_a_dedicated_embeddings_endpoint_is_asked_instead_of_the_chat_llm(
    make_ctx: Any, fake: FakeOpenAI
) -> None:
    """ERRANDS_EMBEDDINGS_BASE_URL: a chat server that cannot embed is never asked to."""
    ctx = make_ctx(fake.base_url)
    papers = day_papers(ctx)
    with FakeOpenAI(models=["bge-small"]) as embedder_server:
        ctx.embedder = fake_llm_client(
            embedder_server.base_url, model="bge-small", name="embeddings"
        )
        try:
            found = await embeddings.paper_vectors(ctx, papers, now=NOW)
        finally:
            await ctx.embedder.aclose()
        assert found is not None and found.model == "bge-small"
        assert set(found.vectors) == {p.id for p in papers}
        assert sum(len(c["input"]) for c in embed_calls(embedder_server)) == len(papers)
    assert embed_calls(fake) == []


def test_the_text_is_title_and_abstract_cut_at_a_word() -> None:
    paper = Paper(id="x", title="A  title", abstract="word " * 1000)
    text = embeddings.embedding_text(paper)
    assert text.startswith("A title. word word")
    assert len(text) <= embeddings.MAX_CHARS and text.endswith("word")


async def test_llm_down_gives_none_and_one_warning(
    make_ctx: Any, caplog: pytest.LogCaptureFixture
) -> None:
    ctx = make_ctx(unused_base_url())
    with caplog.at_level(logging.WARNING, logger="agents.arxiv.embeddings"):
        assert await embeddings.paper_vectors(ctx, day_papers(ctx), now=NOW) is None
    warnings = [r.getMessage() for r in caplog.records]
    assert len(warnings) == 1 and "TF-IDF only" in warnings[0]


async def test_switched_off_or_no_llm_makes_no_call(
    make_ctx: Any, fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    off = make_ctx(fake.base_url, embeddings=False)
    assert await embeddings.paper_vectors(off, day_papers(off), now=NOW) is None
    weightless = make_ctx(fake.base_url, embedding_weight=0.0)
    assert await embeddings.paper_vectors(weightless, day_papers(off), now=NOW) is None
    assert embed_calls(fake) == []
    none = make_ctx(None)
    with caplog.at_level(logging.WARNING, logger="agents.arxiv.embeddings"):
        assert await embeddings.paper_vectors(none, day_papers(none), now=NOW) is None
    assert "no LLM is configured" in caplog.text


@pytest.mark.parametrize("server_class", [RaggedFake, PerTokenFake])
async def test_vectors_of_the_wrong_shape_are_ignored(
    make_ctx: Any, server_class: type[FakeOpenAI], caplog: pytest.LogCaptureFixture
) -> None:
    with server_class() as server:
        ctx = make_ctx(server.base_url)
        with caplog.at_level(logging.WARNING, logger="agents.arxiv.embeddings"):
            assert await embeddings.paper_vectors(ctx, day_papers(ctx), now=NOW) is None
    assert len(caplog.records) == 1 and "ignored" in caplog.text
    with ctx.db.read() as session:
        assert cache.get_many(session, ids=[p.id for p in day_papers(ctx)]) == []


async def test_a_new_dimension_under_the_same_model_name_is_ignored(
    make_ctx: Any, fake: FakeOpenAI, caplog: pytest.LogCaptureFixture
) -> None:
    ctx = make_ctx(fake.base_url)
    papers = day_papers(ctx)
    assert await embeddings.paper_vectors(ctx, papers[:4], now=NOW) is not None
    fake.embedding_dim = 16  # the server now serves another model under the same name
    with caplog.at_level(logging.WARNING, logger="agents.arxiv.embeddings"):
        assert await embeddings.paper_vectors(ctx, papers, now=NOW) is None
    assert "dimensions [8, 16]" in caplog.text
    cached = await embeddings.paper_vectors(ctx, papers[:4], now=NOW)  # the cache is intact
    assert cached is not None and cached.dim == 8


# ---------------------------------------------------------------- the model


def test_the_embedding_decides_between_papers_with_the_same_words(
    make_ctx: Any, owner: Owner
) -> None:
    ctx = make_ctx(None)
    text = "A study of sparse methods for estimation"
    store_records(
        ctx,
        [
            PaperRecord(id="2603.20001", version=1, title="Protein folding", abstract="Folds."),
            PaperRecord(id="2603.20002", version=1, title=text, abstract=text),
            PaperRecord(id="2603.20003", version=1, title=text, abstract=text),
        ],
        announced_on=None,
        now=NOW,
    )
    with ctx.db.write() as session:
        repo.add_event(session, owner_id=owner.id, paper_id="2603.20001", kind="seeded", now=NOW)
        everyone = repo.background_ids(session, limit=99)
    dim = 8
    like, other = np.eye(dim, dtype=np.float32)[0], np.eye(dim, dtype=np.float32)[1]
    vectors = {
        pid: np.roll(np.eye(dim, dtype=np.float32)[2], i % 6) for i, pid in enumerate(everyone)
    }
    vectors |= {"2603.20001": like, "2603.20002": other, "2603.20003": like}
    dense = PaperVectors("m", dim, vectors)
    with ctx.db.write() as session:
        plain = recommender.train(session, owner=owner, now=NOW)
        model = recommender.train(session, owner=owner, now=NOW, vectors=dense, dense_weight=0.5)
        pair = list(repo.get_papers(session, ids=["2603.20002", "2603.20003"]).values())
    assert model.uses_embeddings and not plain.uses_embeddings

    def order(m: recommender.OwnerModel, v: PaperVectors | None) -> list[str]:
        return [r.paper.id for r in recommender.rank_papers(m, pair, top=2, vectors=v)]

    assert order(plain, None) == ["2603.20002", "2603.20003"]  # a tie: listing order
    assert order(model, dense) == ["2603.20003", "2603.20002"]  # close to the liked paper
    assert order(model, None) == ["2603.20002", "2603.20003"]  # LLM down: TF-IDF part
    assert order(model, PaperVectors("another", dim, vectors)) == order(model, None)


def test_rows_stay_unit_norm_and_explain_uses_words(make_ctx: Any, owner: Owner) -> None:
    ctx = make_ctx(None)
    papers = day_papers(ctx)
    rng = np.random.default_rng(0)
    with ctx.db.read() as session:
        ids = [p.id for p in recommender.training_set(session, owner_id=owner.id).papers]
    raw = rng.normal(size=(len(ids), 16)).astype(np.float32)
    dense = PaperVectors(
        "m", 16, {pid: r / np.linalg.norm(r) for pid, r in zip(ids, raw, strict=True)}
    )
    event_id = shown_event(ctx, owner, "2603.10005")
    feedback.apply_tap(ctx, owner_id=owner.id, event_id=event_id, action="like", now=NOW)
    with ctx.db.write() as session:
        model = recommender.train(session, owner=owner, now=NOW, vectors=dense, dense_weight=0.3)
    x = model.weigh(recommender.counts_for(papers), dense.block([p.id for p in papers]))
    assert x.shape[1] == 2**18 + 16 and x.dense_dim == 16
    assert np.allclose(x.row_norms(), 1.0, atol=1e-5)
    ranked = recommender.rank_papers(model, papers, top=len(papers), vectors=dense)
    whys = {r.paper.id: r.why for r in ranked}
    assert "Message Passing Graph Neural Networks" in whys["2603.10006"]
    assert all(w.startswith(("close to", "matches", "new in")) for w in whys.values())


def test_the_blob_records_embeddings_and_old_blobs_still_load(make_ctx: Any, owner: Owner) -> None:
    ctx = make_ctx(None)
    papers = day_papers(ctx)
    dense = PaperVectors(
        "m", 4, {p.id: np.eye(4, dtype=np.float32)[i % 4] for i, p in enumerate(papers)}
    )
    feedback.add_keywords(ctx, owner=owner, keywords=["graph neural networks"], now=NOW)
    with ctx.db.write() as session:
        trained = recommender.train(session, owner=owner, now=NOW, vectors=dense, dense_weight=0.4)
        row = repo.active_model(session, owner_id=owner.id)
        assert row is not None
        assert row.metrics["embeddings"] == "m" and row.metrics["embedding_dim"] == 4
        loaded = recommender.load(session, owner_id=owner.id)
    assert loaded is not None
    assert (loaded.dense_model, loaded.dense_dim, loaded.dense_weight) == ("m", 4, 0.4)
    assert loaded.dense_missing == trained.dense_missing == 0
    assert loaded.fitted.n_features == 2**18 + 4

    # a format-1 blob (before embeddings): no dense keys, loads as a TF-IDF-only model
    with ctx.db.write() as session:
        plain = recommender.train(session, owner=owner, now=NOW)
    state = pickle.loads(zlib.decompress(recommender.dump(plain)))
    for key in ("dense_model", "dense_dim", "dense_weight", "dense_missing"):
        del state[key]
    state["format"] = 1
    old = recommender.load_blob(zlib.compress(pickle.dumps(state)))
    assert not old.uses_embeddings
    expected = [r.paper.id for r in recommender.rank_papers(plain, papers, top=5)]
    got = [r.paper.id for r in recommender.rank_papers(old, papers, top=5, vectors=dense)]
    assert got == expected


async def test_a_tap_keeps_embeddings_from_the_cache_without_calling_the_llm(
    make_ctx: Any, fake: FakeOpenAI, owner: Owner
) -> None:

    ctx = make_ctx(fake.base_url)
    papers = day_papers(ctx)
    vectors = await ranking.pool_vectors(ctx, owner, papers, now=NOW)
    assert vectors is not None
    model = ranking.ensure_model(ctx, owner, NOW, vectors)
    assert model.uses_embeddings and model.dense_missing == 0
    calls = len(fake.requests)
    event_id = shown_event(ctx, owner, "2603.10005")
    tap = feedback.apply_tap(ctx, owner_id=owner.id, event_id=event_id, action="like", now=NOW)
    assert len(fake.requests) == calls
    with ctx.db.read() as session:
        after = recommender.load(session, owner_id=owner.id)
    assert after is not None and after.version == tap.model_version
    assert after.dense_model == "fake-model" and after.dense_missing == 0
    assert not ranking.needs_refit(ctx, after, vectors)

    off = make_ctx(fake.base_url, embeddings=False)  # switched off: the next refit drops them
    assert ranking.needs_refit(off, after, None)
    assert not ranking.ensure_model(off, owner, NOW).uses_embeddings


@pytest.mark.parametrize("n", [0, 1, 7])
def test_the_dense_block_is_hstack_scaled(n: int) -> None:
    import scipy.sparse as sp

    from agents.arxiv import features

    tfidf = sp.random(n, 50, density=0.1, format="csr", dtype=np.float32, random_state=n)
    block = np.random.default_rng(n).normal(size=(n, 5)).astype(np.float32)
    expected = sp.hstack([tfidf * np.sqrt(0.7), sp.csr_matrix(block * np.sqrt(0.3))])
    got = features.with_dense(tfidf, block, weight=0.3, dim=5)
    got.sparse.check_format(full_check=True)
    assert got.shape == (n, 55) and got.dense is not None and got.dense.dtype == np.float32
    assert np.allclose(got.sparse.toarray(), tfidf.toarray() * np.sqrt(0.7), atol=1e-6)
    assert np.allclose(got.dense, block * np.sqrt(0.3), atol=1e-6)
    assert np.allclose(got.toarray(), expected.toarray(), atol=1e-6)
    zero = features.with_dense(tfidf, None, weight=0.3, dim=5)
    assert zero.shape == (n, 55) and zero.sparse.nnz == tfidf.nnz
    assert zero.dense is not None and zero.dense.shape == (n, 5) and not zero.dense.any()
    with pytest.raises(ValueError, match="dense block"):
        features.with_dense(tfidf, block[:, :4], weight=0.3, dim=5)
