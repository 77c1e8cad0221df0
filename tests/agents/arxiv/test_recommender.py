"""The per-owner model through the store: seeds, taps, versions, rollback, dedupe."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agents.arxiv import feedback, recommender
from agents.arxiv.fetch import store_records
from agents.arxiv.parse import PaperRecord, parse_rss
from agents.context import AppConfig, AppContext
from store import owners
from store import papers as repo
from store.db import Database
from store.errors import Conflict, InvalidInput, NotFound
from store.models import Owner
from tests.agents.arxiv.arxiv_server import HERE
from tests.conftest import NOW

DAY = date(2026, 3, 2)
DIFFUSION = {"2603.10001", "2603.10002", "2603.10003", "2603.10004"}


@pytest.fixture
def ctx(db: Database) -> AppContext:
    listing = parse_rss((HERE / "rss_2026-03-02.xml").read_text())
    context = AppContext(db=db, config=AppConfig(), clock=lambda: NOW)
    store_records(context, listing.records, announced_on=DAY, now=NOW)
    return context


@pytest.fixture
def owner(ctx: AppContext) -> Owner:
    with ctx.db.write() as session:
        return owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="ada"
        )


def ranking(ctx: AppContext, owner: Owner) -> list[str]:
    with ctx.db.read() as session:
        model = recommender.load(session, owner_id=owner.id)
        papers = repo.announced_on(session, day=DAY)
    assert model is not None
    assert len(papers) >= 10  # comparing two rankings of nothing would always pass
    ranked = [r.paper.id for r in recommender.rank_papers(model, papers, top=len(papers))]
    assert sorted(ranked) == sorted(p.id for p in papers)
    return ranked


def show_all(ctx: AppContext, owner: Owner) -> dict[str, int]:
    with ctx.db.write() as session:
        return {
            p.id: repo.add_event(
                session, owner_id=owner.id, paper_id=p.id, kind="shown", now=NOW, digest_date=DAY
            ).id
            for p in repo.announced_on(session, day=DAY)
        }


def test_keywords_seed_a_cold_model(ctx: AppContext, owner: Owner) -> None:
    feedback.add_keywords(ctx, owner=owner, keywords=["graph neural networks"], now=NOW)
    top = ranking(ctx, owner)[:3]
    assert set(top) <= {"2603.10005", "2603.10006", "2603.10007"}


def test_a_like_changes_the_very_next_ranking_and_taps_are_idempotent(
    ctx: AppContext, owner: Owner
) -> None:
    feedback.add_keywords(ctx, owner=owner, keywords=["language models"], now=NOW)
    before = ranking(ctx, owner)
    events = show_all(ctx, owner)
    tap = feedback.apply_tap(
        ctx, owner_id=owner.id, event_id=events["2603.10002"], action="like", now=NOW
    )
    assert tap.choice == "liked"
    after = ranking(ctx, owner)
    assert after != before
    moved_up = [p for p in DIFFUSION if after.index(p) < before.index(p)]
    assert len(moved_up) >= 3
    assert set(after[:4]) >= {"2603.10002"} and len(set(after[:5]) & DIFFUSION) >= 3

    with pytest.raises(Conflict):
        feedback.apply_tap(
            ctx, owner_id=owner.id, event_id=events["2603.10002"], action="like", now=NOW
        )
    with ctx.db.read() as session:
        assert repo.labels(session, owner_id=owner.id).liked == ["2603.10002"]
        versions = [m.version for m in repo.model_versions(session, owner_id=owner.id)]
    assert versions == [1, 2]  # the repeat did not retrain

    flipped = feedback.apply_tap(
        ctx, owner_id=owner.id, event_id=events["2603.10002"], action="dislike", now=NOW
    )
    assert flipped.choice == "disliked"
    with ctx.db.read() as session:
        labels = repo.labels(session, owner_id=owner.id)
    assert labels.liked == [] and labels.disliked == ["2603.10002"]
    assert ranking(ctx, owner).index("2603.10002") > after.index("2603.10002")


def test_someone_elses_paper_is_not_found(ctx: AppContext, owner: Owner) -> None:
    events = show_all(ctx, owner)
    with ctx.db.write() as session:
        other = owners.create_owner(session, name="Bob", timezone="UTC", now=NOW, slug="bob")
    with pytest.raises(NotFound):
        feedback.apply_tap(
            ctx, owner_id=other.id, event_id=events["2603.10001"], action="like", now=NOW
        )
    with pytest.raises(InvalidInput):
        feedback.apply_tap(
            ctx, owner_id=owner.id, event_id=events["2603.10001"], action="love", now=NOW
        )


def test_rollback_restores_the_previous_model(ctx: AppContext, owner: Owner) -> None:
    with ctx.db.write() as session, pytest.raises(NotFound, match="no arXiv model yet"):
        repo.rollback_model(session, owner_id=owner.id)
    feedback.add_keywords(ctx, owner=owner, keywords=["reinforcement learning"], now=NOW)
    first = ranking(ctx, owner)
    events = show_all(ctx, owner)
    for pid in ("2603.10010", "2603.10011", "2603.10012"):
        feedback.apply_tap(ctx, owner_id=owner.id, event_id=events[pid], action="like", now=NOW)
    assert ranking(ctx, owner) != first
    with ctx.db.write() as session:
        assert repo.rollback_model(session, owner_id=owner.id, version=1) == 1
    assert ranking(ctx, owner) == first
    with ctx.db.write() as session:
        with pytest.raises(NotFound, match="No model version older than 1"):
            repo.rollback_model(session, owner_id=owner.id)
        assert repo.rollback_model(session, owner_id=owner.id, version=4) == 4
        with pytest.raises(NotFound, match="No model version 9"):
            repo.rollback_model(session, owner_id=owner.id, version=9)


def test_papers_are_deduped_across_versions(ctx: AppContext) -> None:
    v2 = PaperRecord(id="2603.10001", version=2, title="Revised title", abstract="new text")
    added, updated = store_records(ctx, [v2, v2], announced_on=DAY + timedelta(days=3), now=NOW)
    assert (added, updated) == (0, 1)
    old = PaperRecord(id="2603.10001", version=1, title="Old", abstract="old")
    assert store_records(ctx, [old], announced_on=None, now=NOW) == (0, 0)
    with ctx.db.read() as session:
        paper = repo.get_papers(session, ids=["2603.10001"])["2603.10001"]
    assert paper.version == 2 and paper.title == "Revised title"
    assert paper.announced_on == DAY  # first announcement kept


def test_why_this_names_a_liked_paper_or_terms(ctx: AppContext, owner: Owner) -> None:
    events = show_all(ctx, owner)
    feedback.apply_tap(
        ctx, owner_id=owner.id, event_id=events["2603.10005"], action="like", now=NOW
    )
    with ctx.db.read() as session:
        model = recommender.load(session, owner_id=owner.id)
        papers = repo.announced_on(session, day=DAY)
    assert model is not None
    ranked = recommender.rank_papers(model, papers, top=3)
    whys = {r.paper.id: r.why for r in ranked}
    assert "Message Passing Graph Neural Networks" in whys["2603.10006"]


def test_bibtex_gives_ids_and_titles() -> None:
    ids, titles = feedback.parse_bibtex(
        """@article{a, title={Attention Is All You Need}, eprint={1706.03762},
        archivePrefix={arXiv}}
        @inproceedings{b, title = {A {GNN} Survey}, year = 2020}"""
    )
    assert ids == ["1706.03762"]
    assert titles == ["A GNN Survey"]
    with pytest.raises(InvalidInput):
        feedback.parse_bibtex("not bibtex at all")
