"""The arXiv client against a local server replaying real arXiv answers."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from agents.arxiv.client import ArxivClient
from agents.arxiv.fetch import fetch_listing
from agents.arxiv.parse import ArxivError, parse_atom, parse_rss
from agents.context import AppConfig, AppContext
from store.db import Database
from store.errors import InvalidInput
from store.models import Paper
from tests.agents.arxiv.arxiv_server import HERE, SHARED_FIXTURES, ArxivReplay, serve
from tests.conftest import NOW

needs_fixtures = pytest.mark.skipif(
    not (SHARED_FIXTURES / "index.json").is_file(),
    reason=f"recorded arXiv answers missing: {SHARED_FIXTURES}",
)


class FakeTime:
    """An injected monotonic clock whose sleep advances it (and records the waits)."""

    def __init__(self) -> None:
        self.now = 100.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def replay() -> ArxivReplay:
    return ArxivReplay()


@pytest.fixture
def base(replay: ArxivReplay) -> Iterator[str]:
    with serve(replay) as url:
        yield url


def client(base: str, timer: FakeTime, **kwargs: object) -> ArxivClient:
    return ArxivClient(
        api_url=f"{base}/api/query",
        rss_url=f"{base}/rss",
        clock=timer.clock,
        sleep=timer.sleep,
        **kwargs,  # type: ignore[arg-type]
    )


@needs_fixtures
async def test_search_pages_and_spaces_requests_three_seconds(
    base: str, replay: ArxivReplay
) -> None:
    timer = FakeTime()
    async with client(base, timer) as arxiv:
        found = await arxiv.search("testing", limit=60, page_size=10)
    assert len(found) == 60
    assert len({p.id for p in found}) >= 55  # arXiv's relevance paging may repeat a few
    starts = [r.split("start=")[1].split("&")[0] for r in replay.requests]
    assert starts == ["0", "10", "20", "30", "40", "50"]
    assert timer.sleeps == [3.0] * 5  # one request per 3 s, measured on the injected clock
    first = found[0]
    assert first.id == "2202.12139" and first.version == 1
    assert first.title.startswith("Testing Deep Learning Models")
    assert first.authors and first.categories and first.published_at is not None


@needs_fixtures
async def test_id_lookups_old_style_ids_versions_and_empty_result(base: str) -> None:
    timer = FakeTime()
    async with client(base, timer) as arxiv:
        two = await arxiv.by_ids(["0808.05394", "1707.08567"])
        old = await arxiv.by_ids(["astro-ph/0601001"])
        none = await arxiv.by_ids(["0000.0000"])
        one = await arxiv.by_ids(["1605.08386"])
    assert [p.id for p in two] == ["1707.08567"]  # 0808.05394 does not exist: just absent
    assert old[0].id == "astro-ph/0601001"
    assert none == []
    assert one[0].title == "Heat-bath random walks with Markov bases"
    assert one[0].authors == ("Caprice Stanley", "Tobias Windisch")
    assert one[0].categories == ("math.CO", "math.ST") and one[0].primary_category == "math.CO"
    assert one[0].comment == "20 pages, 3 figures"


@needs_fixtures
async def test_invalid_id_is_a_clear_input_error(base: str) -> None:
    async with client(base, FakeTime()) as arxiv:
        with pytest.raises(InvalidInput, match="incorrect id format for abc"):
            await arxiv.by_ids(["abc"])


@needs_fixtures
def test_legacy_feed_header_parses() -> None:
    page = parse_atom((SHARED_FIXTURES / "legacy_id_list_1111.2011v2.xml").read_text())
    assert page.total == 1
    assert page.records[0].id == "1111.2011" and page.records[0].version == 2
    assert "  " not in page.records[0].title


@needs_fixtures
async def test_503_is_retried_with_backoff(base: str, replay: ArxivReplay) -> None:
    timer = FakeTime()
    replay.fail_next(2, 503)
    async with client(base, timer, retries=3, backoff=5.0) as arxiv:
        found = await arxiv.by_ids(["1605.08386"])
    assert [p.id for p in found] == ["1605.08386"]
    assert len(replay.requests) == 3
    assert timer.sleeps[:1] == [5.0] and 10.0 in timer.sleeps  # exponential backoff


async def test_503_forever_gives_up_with_a_clear_error(base: str, replay: ArxivReplay) -> None:
    replay.fail_next(10, 503)
    async with client(base, FakeTime(), retries=2) as arxiv:
        with pytest.raises(ArxivError, match=r"after 3 tries \(HTTP 503\)"):
            await arxiv.listing(["cs.LG"])
    assert len(replay.requests) == 3


async def test_malformed_xml_stores_nothing(base: str, replay: ArxivReplay, db: Database) -> None:
    ctx = AppContext(db=db, config=AppConfig(), clock=lambda: NOW)
    replay.malformed_next()
    async with client(base, FakeTime()) as arxiv:
        with pytest.raises(ArxivError, match="malformed XML"):
            await fetch_listing(ctx, arxiv, categories=["cs.LG"], day=date(2026, 3, 2), now=NOW)
        with db.read() as session:
            assert session.query(Paper).count() == 0
        result = await fetch_listing(
            ctx, arxiv, categories=["cs.LG", "cs.AI"], day=date(2026, 3, 2), now=NOW
        )
    assert result.listed == 14 and result.added == 14
    assert replay.requests[-1].endswith("/rss/cs.LG+cs.AI")


def test_rss_sample_keeps_new_and_cross_and_reads_the_day() -> None:
    listing = parse_rss((HERE / "rss_2026-03-02.xml").read_text())
    assert listing.announced_on == date(2026, 3, 2)
    kinds = {r.announce_type for r in listing.records}
    assert kinds == {"new", "cross"}
    assert not any(r.id in ("2501.00001", "2402.00002") for r in listing.records)
    calib = next(r for r in listing.records if r.id == "2603.10014")
    assert calib.title == "Calibration of Neural Network Classifiers & <Temperature> Scaling"
    assert calib.authors == ("Author13 One", "Writer13 Two", "Shared Coauthor")
    assert calib.abstract.startswith("Temperature scaling")


def test_weekend_listing_is_empty_not_an_error() -> None:
    listing = parse_rss((HERE / "rss_empty_weekend.xml").read_text())
    assert listing.records == [] and listing.announced_on == date(2026, 3, 7)


def test_not_rss_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ArxivError, match="not an RSS"):
        parse_rss("<html><body>maintenance</body></html>")
