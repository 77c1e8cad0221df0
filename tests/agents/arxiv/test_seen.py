"""One paper once: across days, a paper shown in any version is not shown again, whether it
comes back as a new version, a cross-list, a replacement or the same RSS item re-announced;
a new version of a liked paper is shown once per version, headed "vN of a paper you liked".

The digest job runs for real against a local arXiv serving RSS files written per day.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from agents.arxiv import choices, feedback, ranking
from agents.arxiv.config import ArxivConfig
from agents.arxiv.fetch import store_records
from agents.arxiv.parse import PaperRecord, parse_rss
from agents.context import AppConfig, AppContext
from jobs import arxiv as arxiv_job
from store import owners
from store import papers as repo
from store.db import Database
from store.models import OutboxMessage, Owner, Paper
from tests.agents.arxiv.arxiv_server import DEFAULT_RSS, ArxivReplay, serve

MON = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAYS = {name: MON.replace(day=MON.day + i) for i, name in enumerate(["mon", "tue", "wed", "thu"])}
A, B, C, D, OTHER = "2603.00001", "2603.00002", "2603.00003", "2603.00004", "2501.09999"
TOPIC = {
    A: "Diffusion samplers",
    B: "Graph networks",
    C: "Robot learning",
    D: "Language models",
    OTHER: "Old work",
}


def item(pid: str, version: int, kind: str) -> str:
    title = TOPIC[pid]
    return f"""<item>
      <title>{title}</title>
      <link>https://arxiv.org/abs/{pid}</link>
      <description>arXiv:{pid}v{version} Announce Type: {kind}
Abstract: A study of {title.lower()} (version {version}).</description>
      <guid isPermaLink="false">oai:arXiv.org:{pid}v{version}</guid>
      <category>cs.LG</category>
      <arxiv:announce_type>{kind}</arxiv:announce_type>
      <dc:creator>Ann Author, Ben Writer</dc:creator>
    </item>"""


def rss(day: datetime, items: list[tuple[str, int, str]]) -> str:
    stamp = day.strftime("%a, %d %b %Y 00:00:00 -0500")
    body = "\n".join(item(*i) for i in items)
    return f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/"
 version="2.0"><channel><title>cs.LG</title><pubDate>{stamp}</pubDate>
{body}
</channel></rss>"""


@pytest.fixture
def replay() -> ArxivReplay:
    return ArxivReplay()


@pytest.fixture
def ctx(db: Database, replay: ArxivReplay) -> Iterator[AppContext]:
    with db.write() as session:
        owners.create_owner(
            session, name="Ada", timezone="Europe/Berlin", now=MON, chat_id=42, slug="ada"
        )
    with serve(replay) as url:
        yield AppContext(
            db=db,
            config=AppConfig(
                owner_chat_ids=(42,),
                arxiv=ArxivConfig(
                    api_url=f"{url}/api/query",
                    rss_url=f"{url}/rss",
                    categories=("cs.LG",),
                    min_interval=0.0,
                    retries=0,
                    digest_size=3,
                    tldr=False,
                    embeddings=False,
                ),
            ),
            clock=lambda: MON,
        )


async def digest_day(
    ctx: AppContext,
    replay: ArxivReplay,
    tmp_path: Path,
    day: str,
    items: list[tuple[str, int, str]],
) -> dict[str, str]:
    """Serve ``items`` as that day's listing, run the digest job; {paper id: message text}."""
    now = DAYS[day]
    path = tmp_path / f"{day}.xml"
    path.write_text(rss(now, items))
    replay.rss_default = path
    await arxiv_job.run(ctx, now=now)
    prefix = f"arxiv:1:{now.date().isoformat()}:"
    with ctx.db.read() as session:
        rows = session.query(OutboxMessage).all()
        return {
            r.idempotency_key.removeprefix(prefix): r.payload["text"]
            for r in rows
            if r.idempotency_key.startswith(prefix)
        }


async def test_a_paper_is_shown_once_in_any_version_but_a_liked_one_per_new_version(
    ctx: AppContext, replay: ArxivReplay, tmp_path: Path
) -> None:
    mon = await digest_day(
        ctx, replay, tmp_path, "mon", [(A, 1, "new"), (B, 1, "new"), (C, 1, "new")]
    )
    assert set(mon) == {A, B, C}
    with ctx.db.read() as session:
        event_a = next(e for e in repo.shown(session, owner_id=1) if e.paper_id == A)
    feedback.apply_tap(ctx, owner_id=1, event_id=event_a.id, action="like", now=DAYS["mon"])

    # a replacement of the liked paper, a cross-list of a new version, the same RSS item
    # re-announced as a cross-list, a new paper, and a replacement of a paper never stored
    tuesday = [
        (A, 2, "replace"),
        (B, 2, "cross"),
        (C, 1, "cross"),
        (D, 1, "new"),
        (OTHER, 2, "replace"),
    ]
    tue = await digest_day(ctx, replay, tmp_path, "tue", tuesday)
    assert set(tue) == {D, A}
    assert tue[A].startswith("<b>v2 of a paper you liked</b>\n")
    assert "v2 of a paper you liked" not in tue[D]
    with ctx.db.read() as session:
        stored = {p.id: p.version for p in session.query(Paper).all()}
    assert stored == {A: 2, B: 2, C: 1, D: 1}  # a replacement alone adds no paper
    owner = _owner(ctx)
    more = await ranking.more_papers(ctx, owner, now=DAYS["tue"])
    assert more.note == "That was everything from today's listing." and not more.messages

    # the same listing again the next day: nothing is new, v2 was already shown
    assert await digest_day(ctx, replay, tmp_path, "wed", tuesday) == {}

    # v3 of the liked paper comes once; B (shown, not liked) stays gone in every version
    thu = await digest_day(ctx, replay, tmp_path, "thu", [(A, 3, "replace"), (B, 3, "replace")])
    assert set(thu) == {A}
    assert thu[A].startswith("<b>v3 of a paper you liked</b>\n")


async def test_a_disliked_paper_new_version_stays_gone(
    ctx: AppContext, replay: ArxivReplay, tmp_path: Path
) -> None:
    await digest_day(ctx, replay, tmp_path, "mon", [(A, 1, "new")])
    with ctx.db.read() as session:
        (event,) = repo.shown(session, owner_id=1)
    feedback.apply_tap(ctx, owner_id=1, event_id=event.id, action="like", now=DAYS["mon"])
    feedback.apply_tap(ctx, owner_id=1, event_id=event.id, action="dislike", now=DAYS["mon"])
    assert await digest_day(ctx, replay, tmp_path, "tue", [(A, 2, "replace")]) == {}


async def test_a_seeded_paper_announced_later_is_not_shown_as_new(
    ctx: AppContext, replay: ArxivReplay, tmp_path: Path
) -> None:
    store_records(
        ctx, [PaperRecord(id=C, version=1, title="Robot learning")], announced_on=None, now=MON
    )
    with ctx.db.write() as session:
        repo.add_event(session, owner_id=1, paper_id=C, kind="seeded", now=MON)
    mon = await digest_day(ctx, replay, tmp_path, "mon", [(B, 1, "new"), (C, 1, "cross")])
    assert set(mon) == {B}


async def test_a_rerun_after_the_ranking_keeps_the_pins_and_version_lines(
    ctx: AppContext, replay: ArxivReplay, tmp_path: Path
) -> None:
    """The digest ranked and recorded, then died before sending: the rerun (no checkpoint
    here) rebuilds the day from its 'shown' events, 📌 and "v2 of a paper you liked" kept."""
    await digest_day(ctx, replay, tmp_path, "mon", [(A, 1, "new"), (B, 1, "new")])
    with ctx.db.read() as session:
        event_a = next(e for e in repo.shown(session, owner_id=1) if e.paper_id == A)
    feedback.apply_tap(ctx, owner_id=1, event_id=event_a.id, action="like", now=DAYS["mon"])
    choices.change(
        ctx.db, owner_id=1, kind="keyword", mode="follow", text="language models", add=True,
        now=DAYS["mon"],
    )  # fmt: skip
    tuesday = [(A, 2, "replace"), (C, 1, "new"), (D, 1, "new"), (OTHER, 1, "new")]
    first = await digest_day(ctx, replay, tmp_path, "tue", tuesday)
    assert first[D].startswith("📌 1. ") and first[A].startswith("<b>v2 of a paper you liked")
    with ctx.db.write() as session:
        session.query(OutboxMessage).filter(
            OutboxMessage.idempotency_key.contains("2026-03-03")
        ).delete(synchronize_session=False)
    again = await digest_day(ctx, replay, tmp_path, "tue", tuesday)
    without_why = {k: t.split("\n<i>Why this:</i>")[0] for k, t in first.items()}
    assert again == without_why  # "why this" is not rebuilt; the rest is, word for word


def _owner(ctx: AppContext) -> Owner:
    with ctx.db.read() as session:
        owner = owners.get_by_slug(session, slug="ada")
    assert owner is not None
    return owner


def test_the_rss_listing_keeps_replacements_apart_from_new_papers() -> None:
    listing = parse_rss(DEFAULT_RSS.read_text())
    assert [(r.id, r.version) for r in listing.replaced] == [("2501.00001", 3), ("2402.00002", 3)]
    assert {r.announce_type for r in listing.records} == {"new", "cross"}
    assert len(listing.records) == 14
