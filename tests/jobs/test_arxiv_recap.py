"""The weekly recap job: opt-in, Sunday evening in the owner's zone (across the DST switch),
the themes of the week's likes against what else was shown, the best five, once per week."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from agents.arxiv import choices
from agents.arxiv.recap import themes
from agents.context import AppConfig, AppContext
from jobs import arxiv as arxiv_job
from jobs.scheduler import plan
from store import owners
from store import papers as repo
from store.db import Database
from store.models import OutboxMessage

# Berlin moves to summer time at 02:00 on Sunday 29 March 2026: 18:00 is 16:00 UTC that day,
# 17:00 UTC the Sunday before.
SUNDAY = datetime(2026, 3, 29, 16, 0, tzinfo=UTC)
LIKED = {
    "2603.20001": ("Diffusion models for protein design", "Score-based diffusion models."),
    "2603.20002": ("Protein diffusion at scale", "We scale diffusion models to proteins."),
    "2603.20003": ("Guided diffusion for molecules", "Diffusion models guide molecule design."),
}
OTHERS = {
    "2603.20004": ("Federated learning under drift", "Clients drift in federated learning."),
    "2603.20005": ("Robot manipulation policies", "Offline reinforcement learning for robots."),
    "2603.20006": ("Tokenizer-free language models", "Byte-level language models."),
    "2603.20007": ("Calibrating neural classifiers", "Temperature scaling for classifiers."),
    "2603.20008": ("Sparse reward shaping", "Reward shaping speeds reinforcement learning."),
}
DAYS = [date(2026, 3, 23) + (date(2026, 3, 24) - date(2026, 3, 23)) * i for i in range(7)]


def ctx_for(db: Database) -> AppContext:
    return AppContext(db=db, config=AppConfig(owner_chat_ids=(42, 43)), clock=lambda: SUNDAY)


@pytest.fixture
def ctx(db: Database) -> AppContext:
    """Ada (Berlin) liked three diffusion papers of the eight shown that week."""
    with db.write() as session:
        ada = owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=SUNDAY, chat_id=42, slug="ada"
        )
        owners.create_owner(
            session, name="Bob", timezone="Europe/Berlin", now=SUNDAY, chat_id=43, slug="bob"
        )
        papers = {**LIKED, **OTHERS, "2603.19999": ("Last week", ""), "2603.29999": ("Next", "")}
        repo.upsert_papers(
            session,
            papers=[repo.PaperData(pid, 1, t, a) for pid, (t, a) in papers.items()],
            announced_on=None,
            now=SUNDAY,
        )
        for i, pid in enumerate([*OTHERS, *LIKED]):  # the liked ones ranked low, late in the week
            day = DAYS[i % 5]
            repo.add_event(
                session, owner_id=ada.id, paper_id=pid, kind="shown", now=SUNDAY,
                digest_date=day, rank=i + 1,
            )  # fmt: skip
            if pid in LIKED:
                repo.add_event(session, owner_id=ada.id, paper_id=pid, kind="liked", now=SUNDAY)
        for pid, day in (("2603.19999", date(2026, 3, 22)), ("2603.29999", date(2026, 3, 30))):
            repo.add_event(
                session, owner_id=ada.id, paper_id=pid, kind="shown", now=SUNDAY,
                digest_date=day, rank=1,
            )  # fmt: skip
            repo.add_event(session, owner_id=ada.id, paper_id=pid, kind="liked", now=SUNDAY)
        repo.add_event(  # a like later taken back counts as no like
            session, owner_id=ada.id, paper_id="2603.20004", kind="liked", now=SUNDAY
        )
        repo.add_event(session, owner_id=ada.id, paper_id="2603.20004", kind="disliked", now=SUNDAY)
    return ctx_for(db)


def recaps(ctx: AppContext) -> dict[str, str]:
    with ctx.db.read() as session:
        rows = session.query(OutboxMessage).all()
    return {r.idempotency_key: r.payload["text"] for r in rows}


def test_the_recap_fires_sunday_18_00_local_on_both_sides_of_the_dst_switch() -> None:
    runs = {
        p.id: p.next_run
        for p in plan(
            owners=[(1, "Europe/Berlin")],
            default_timezone="UTC",
            overrides={},
            now=datetime(2026, 3, 21, 12, 0, tzinfo=UTC),
        )
    }
    assert runs["arxiv-recap:1"] == datetime(2026, 3, 22, 17, 0, tzinfo=UTC)
    after = plan(
        owners=[(1, "Europe/Berlin")],
        default_timezone="UTC",
        overrides={},
        now=datetime(2026, 3, 22, 17, 1, tzinfo=UTC),
    )
    assert next(p.next_run for p in after if p.id == "arxiv-recap:1") == SUNDAY


async def test_an_opted_in_owner_gets_themes_and_the_best_five_once_a_week(ctx: AppContext) -> None:
    assert await arxiv_job.recap(ctx, now=SUNDAY) == {}  # nobody opted in: nothing
    choices.set_recap(ctx.db, owner_id=1, on=True)
    report = await arxiv_job.recap(ctx, now=SUNDAY, owner_id=1)
    assert report == {"ada": {"week": "2026-W13", "shown": 8, "liked": 3, "queued": 1}}
    text = recaps(ctx)["arxiv-recap:1:2026-W13"]
    lines = text.split("\n")
    assert lines[0] == "📚 <b>Your arXiv week</b> (23 Mar – 29 Mar)"
    assert lines[1] == "You liked 3 of the 8 papers shown."
    found = lines[2].removeprefix("<b>Themes</b>: ").split(", ")
    assert found[0] == "diffusion models"  # the phrase, not "diffusion" and "models" apart
    assert 3 <= len(found) <= 8 and "protein" in found
    assert not {"models", "diffusion", "proteins"} & set(found)
    assert not {"federated", "robot", "reinforcement"} & set(" ".join(found).split())
    best = lines[lines.index("<b>Best of the week</b>") + 1 :]
    assert len(best) == 5
    assert [b.endswith(" 👍") for b in best] == [True, True, True, False, False]
    assert "Federated learning under drift" in best[3]  # rank 1 of the rest fills in
    assert "Last week" not in text and "Next" not in text

    # the same week again (a rerun, a restart, late Sunday evening): nothing more
    late_sunday = datetime(2026, 3, 29, 21, 30, tzinfo=UTC)  # 23:30 in Berlin
    assert (await arxiv_job.recap(ctx, now=late_sunday))["ada"]["queued"] == 0
    # past midnight in Berlin it is Monday, a new ISO week, though UTC still says Sunday
    monday = await arxiv_job.recap(ctx, now=datetime(2026, 3, 29, 22, 30, tzinfo=UTC))
    assert monday["ada"] == {"week": "2026-W14", "shown": 1, "liked": 1, "queued": 1}


async def test_a_week_without_likes_says_so_plainly(ctx: AppContext) -> None:
    with ctx.db.write() as session:
        for i, pid in enumerate(OTHERS):
            repo.add_event(
                session, owner_id=2, paper_id=pid, kind="shown", now=SUNDAY,
                digest_date=DAYS[i], rank=1 + i % 2,
            )  # fmt: skip
    choices.set_recap(ctx.db, owner_id=2, on=True)
    await arxiv_job.recap(ctx, now=SUNDAY, owner_id=2)
    text = recaps(ctx)["arxiv-recap:2:2026-W13"]
    assert "No 👍 this week (5 papers shown), so no themes to tell." in text
    assert "Themes" not in text and text.count("\n") == 6  # header, the line, five papers

    choices.set_recap(ctx.db, owner_id=2, on=False)
    with ctx.db.write() as session:
        session.query(OutboxMessage).delete()
    assert await arxiv_job.recap(ctx, now=SUNDAY, owner_id=2) == {}


async def test_an_empty_week_is_said_not_skipped(db: Database) -> None:
    with db.write() as session:
        owners.create_owner(
            session, name="Cy", timezone="America/New_York", now=SUNDAY, chat_id=44, slug="cy"
        )
    ctx = ctx_for(db)
    choices.set_recap(db, owner_id=1, on=True)
    await arxiv_job.recap(ctx, now=SUNDAY)
    (text,) = recaps(ctx).values()
    assert "No digest papers were shown this week" in text


def test_themes_contrast_likes_with_the_rest() -> None:
    liked = ["graph neural networks for molecules", "message passing graph neural networks"]
    rest = ["neural networks for vision", "language models and neural networks"]
    found = themes(liked, rest)
    assert found[0] in ("graph", "graph neural", "graph neural networks")
    assert "neural networks" not in found  # as common in the rest as in the likes
    assert themes([], rest) == [] and themes(["the of and"], []) == []
