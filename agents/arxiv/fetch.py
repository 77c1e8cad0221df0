"""Fetching into the store: the daily listing, and id lookups for seeding.

Network first, then one write transaction: a failed or malformed response stores nothing
(but its outcome is recorded, so people can be told arXiv is unreachable). A listing without
items (weekends, holidays) is a normal, empty day.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from agents.arxiv.client import ArxivClient
from agents.arxiv.config import ArxivConfig
from agents.arxiv.parse import ArxivError, PaperRecord
from agents.arxiv.status import record_fetch
from agents.context import AppContext
from store import papers as repo


def make_client(
    config: ArxivConfig, *, timeout: float | None = None, retries: int | None = None
) -> ArxivClient:
    """A client for ``config``'s arXiv; a person waiting gets a short ``timeout``, no retries."""
    return ArxivClient(
        api_url=config.api_url,
        rss_url=config.rss_url,
        min_interval=config.min_interval,
        timeout=config.timeout if timeout is None else timeout,
        retries=config.retries if retries is None else retries,
        backoff=config.backoff,
    )


def arxiv_config(ctx: AppContext) -> ArxivConfig:
    return ctx.config.arxiv


def _data(record: PaperRecord) -> repo.PaperData:
    return repo.PaperData(
        id=record.id,
        version=record.version,
        title=record.title,
        abstract=record.abstract,
        authors=record.authors,
        categories=record.categories,
        primary_category=record.primary_category,
        published_at=record.published_at,
        updated_at=record.updated_at,
        announce_type=record.announce_type,
    )


@dataclass(frozen=True)
class FetchResult:
    announced_on: date | None
    listed: int
    added: int
    updated: int


def store_records(
    ctx: AppContext,
    records: Sequence[PaperRecord],
    *,
    announced_on: date | None,
    now: datetime,
    replaced: Sequence[PaperRecord] = (),
) -> tuple[int, int]:
    """Store a listing's papers; ``replaced`` (new versions) only refresh papers stored before,
    keeping the day they were first announced, so a replacement is never a new paper."""
    with ctx.db.write() as session:
        added, updated = repo.upsert_papers(
            session, papers=[_data(r) for r in records], announced_on=announced_on, now=now
        )
        if replaced:
            _, refreshed = repo.upsert_papers(
                session,
                papers=[_data(r) for r in replaced],
                announced_on=None,
                now=now,
                known_only=True,
            )
            updated += refreshed
        return added, updated


async def fetch_listing(
    ctx: AppContext,
    client: ArxivClient,
    *,
    categories: Sequence[str],
    day: date,
    now: datetime,
) -> FetchResult:
    """Store today's new and cross-listed papers; ``day`` is used when the feed has no date.

    The outcome is recorded (``agents.arxiv.status``) either way; an ``ArxivError`` is raised
    on after that.
    """
    try:
        listing = await client.listing(categories)
    except ArxivError as exc:
        record_fetch(ctx, started_at=now, finished_at=max(now, ctx.clock()), error=exc.reason)
        raise
    announced = listing.announced_on or day
    added, updated = store_records(
        ctx, listing.records, announced_on=announced, now=now, replaced=listing.replaced
    )
    record_fetch(ctx, started_at=now, finished_at=max(now, ctx.clock()), error=None)
    return FetchResult(announced, len(listing.records), added, updated)


async def fetch_ids(
    ctx: AppContext, client: ArxivClient, *, ids: Sequence[str], now: datetime
) -> list[str]:
    """Look papers up by id and store them (not as announcements); returns the ids found."""
    records = await client.by_ids(ids)
    store_records(ctx, records, announced_on=None, now=now)
    return [r.id for r in records]
