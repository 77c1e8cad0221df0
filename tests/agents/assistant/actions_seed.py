"""Seed data for the assistant's tool tests: two owners in Berlin, to-dos, bookings, papers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from agents.arxiv import render
from agents.arxiv.config import ArxivConfig
from agents.arxiv.fetch import store_records
from agents.arxiv.parse import parse_rss
from agents.context import AppConfig, AppContext
from agents.meetings.rules_text import parse_weekly
from agents.messaging import tell_owner
from store import availability, bookings, owners, todos
from store import papers as repo
from store.db import Database
from store.models import Owner
from tests.agents.arxiv.arxiv_server import HERE

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # Monday 2 March, 10:00 in Berlin
TZ = "Europe/Berlin"
BERLIN = ZoneInfo(TZ)
DAY = date(2026, 3, 2)


def local(y: int, m: int, d: int, hh: int = 0, mm: int = 0) -> datetime:
    """A Berlin wall-clock time as an aware datetime."""
    return datetime(y, m, d, hh, mm, tzinfo=BERLIN)


def make_ctx(db: Database, now: datetime = NOW) -> AppContext:
    config = AppConfig(
        secret_key="test-secret",
        public_url="https://errands.test",
        arxiv=ArxivConfig(embeddings=False, tldr=False),
    )
    return AppContext(db=db, config=config, clock=lambda: now)


def add_owner(db: Database, slug: str, chat_id: int, name: str = "Ada Lovelace") -> Owner:
    with db.write() as session:
        owner = owners.create_owner(
            session, name=name, timezone=TZ, now=NOW, chat_id=chat_id, slug=slug
        )
        windows = parse_weekly("Mon-Fri 09:00-17:00")
        availability.replace_rules(
            session, owner_id=owner.id, windows=[(w.weekday, w.start, w.end) for w in windows]
        )
        return owner


def add_todo(
    db: Database,
    owner: Owner,
    title: str,
    due: datetime | None = None,
    *,
    all_day: bool = False,
    rrule: str | None = None,
    done: bool = False,
) -> int:
    with db.write() as session:
        todo = todos.create_todo(
            session,
            owner_id=owner.id,
            title=title,
            timezone=TZ,
            now=NOW - timedelta(days=3),
            due_at=due,
            all_day=all_day,
            rrule=rrule,
        )
        if done:
            todo.status, todo.completed_at = "done", NOW - timedelta(hours=1)
        return todo.id


def add_booking(
    db: Database,
    owner: Owner,
    start: datetime,
    *,
    name: str = "Grace Hopper",
    email: str = "grace@example.org",
    topic: str = "Plans",
    accept: bool = True,
    minutes: int = 30,
) -> int:
    with db.write() as session:
        booking = bookings.create_pending(
            session,
            owner_id=owner.id,
            start_at=start,
            end_at=start + timedelta(minutes=minutes),
            guest_name=name,
            guest_email=email,
            guest_timezone="America/New_York",
            topic=topic,
            client_ip="10.0.0.1",
            expires_at=NOW + timedelta(days=1),
            now=NOW - timedelta(days=1),
            gap=timedelta(0),
        )
        if accept:
            assert bookings.accept_if_pending(
                session, booking_id=booking.id, owner_id=owner.id, now=NOW, gap=timedelta(0)
            )
        return booking.id


def store_papers(ctx: AppContext) -> None:
    listing = parse_rss((HERE / "rss_2026-03-02.xml").read_text())
    store_records(ctx, listing.records, announced_on=DAY, now=NOW)


def show(
    ctx: AppContext, owner: Owner, ids: list[str], *, day: date = DAY, whys: dict[str, str] | None
) -> dict[str, int]:
    """'shown' events ranked 1.. for ``ids`` on ``day``; a digest message per paper in ``whys``."""
    events: dict[str, int] = {}
    with ctx.db.write() as session:
        found = repo.get_papers(session, ids=ids)
        for rank, pid in enumerate(ids, start=1):
            event = repo.add_event(
                session,
                owner_id=owner.id,
                paper_id=pid,
                kind="shown",
                now=NOW,
                digest_date=day,
                rank=rank,
            )
            events[pid] = event.id
            if whys and pid in whys:
                paper = found[pid]
                text = render.paper_message(
                    paper_id=pid,
                    title=paper.title,
                    authors=paper.authors,
                    categories=paper.categories,
                    why=whys[pid],
                    tldr=None,
                    rank=rank,
                )
                assert owner.chat_id is not None
                tell_owner(
                    session,
                    chat_id=owner.chat_id,
                    text=text,
                    key=render.outbox_key(owner.id, day.isoformat(), pid),
                    now=NOW,
                )
    return events
