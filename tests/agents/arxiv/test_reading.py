"""The reading list: due days, one to-do per paper, and reading it counted as one 👍."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from agents.arxiv import reading, recommender
from agents.arxiv.fetch import store_records
from agents.arxiv.parse import parse_rss
from agents.assistant import write_tools
from agents.context import AppConfig, AppContext
from agents.todos import actions, chat
from store import owners, todos
from store import papers as repo
from store.db import Database
from store.errors import Conflict
from store.models import Owner, PaperEvent, Todo
from tests.agents.arxiv.arxiv_server import HERE

NOW = datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # Monday 10:00 in New York (EST, UTC-5)
DAY = date(2026, 3, 2)
EVENING = time(19, 0)


@pytest.mark.parametrize(
    ("local", "choice", "day"),
    [
        ("2026-03-02 10:00", "today", "2026-03-02"),  # Monday morning
        ("2026-03-02 10:00", "friday", "2026-03-06"),
        ("2026-03-02 10:00", "nextweek", "2026-03-09"),  # a Monday's next week: the next Monday
        ("2026-03-02 19:00", "today", "2026-03-03"),  # at the cutoff 'today' is tomorrow
        ("2026-03-06 18:59", "friday", "2026-03-06"),  # on Friday before the cutoff: today
        ("2026-03-06 19:30", "friday", "2026-03-13"),  # after it: next Friday
        ("2026-03-06 19:30", "today", "2026-03-07"),
        ("2026-03-07 09:00", "friday", "2026-03-13"),  # Saturday
        ("2026-03-08 23:00", "nextweek", "2026-03-09"),  # Sunday night: tomorrow is next week
    ],
)
def test_due_days(local: str, choice: str, day: str) -> None:
    at = datetime.fromisoformat(local)
    assert reading.due_day(choice, at, EVENING) == date.fromisoformat(day)


def test_today_is_called_tomorrow_after_the_cutoff() -> None:
    assert reading.today_label(datetime(2026, 3, 2, 18, 59), EVENING) == "Today"
    assert reading.today_label(datetime(2026, 3, 2, 19, 0), EVENING) == "Tomorrow"


@pytest.fixture
def ctx(db: Database) -> AppContext:
    listing = parse_rss((HERE / "rss_2026-03-02.xml").read_text())
    context = reading.install(AppContext(db=db, config=AppConfig(), clock=lambda: NOW))
    store_records(context, listing.records, announced_on=DAY, now=NOW)
    return context


@pytest.fixture
def owner(ctx: AppContext) -> Owner:
    with ctx.db.write() as session:
        return owners.create_owner(
            session, name="Ada", timezone="America/New_York", now=NOW, chat_id=42, slug="ada"
        )


@pytest.fixture
def shown(ctx: AppContext, owner: Owner) -> list[int]:
    with ctx.db.write() as session:
        return [
            repo.add_event(
                session,
                owner_id=owner.id,
                paper_id=p.id,
                kind="shown",
                now=NOW,
                digest_date=DAY,
                rank=i,
            ).id
            for i, p in enumerate(repo.announced_on(session, day=DAY), 1)
        ]


def likes(ctx: AppContext, owner: Owner) -> list[str]:
    with ctx.db.read() as session:
        rows = session.scalars(
            select(PaperEvent.paper_id).where(
                PaperEvent.owner_id == owner.id, PaperEvent.kind == "liked"
            )
        )
        return list(rows)


def todo_count(ctx: AppContext) -> int:
    with ctx.db.read() as session:
        return session.scalar(select(func.count()).select_from(Todo)) or 0


def model_version(ctx: AppContext, owner: Owner) -> int:
    with ctx.db.read() as session:
        model = recommender.load(session, owner_id=owner.id)
        return model.version if model else 0


def complete(ctx: AppContext, owner: Owner, todo_id: int) -> str:
    with ctx.db.write() as session:
        todo = todos.get_owned(session, owner_id=owner.id, todo_id=todo_id)
        return actions.complete(todo, now=NOW, on_done=ctx.todo_done)


def test_friday_makes_one_read_todo_due_friday_evening_in_the_owners_zone(
    ctx: AppContext, owner: Owner, shown: list[int]
) -> None:
    saved = reading.save(ctx, owner_id=owner.id, event_id=shown[0], choice="friday", now=NOW)
    assert saved.outcome == "saved"
    with ctx.db.read() as session:
        todo = todos.get_owned(session, owner_id=owner.id, todo_id=saved.todo_id)
        event = repo.get_event(session, event_id=shown[0], owner_id=owner.id)
        paper = repo.get_papers(session, ids=[event.paper_id])[event.paper_id]
    assert todo.title == "Read: " + " ".join(paper.title.split())
    assert todo.due_at == datetime(2026, 3, 7, 0, 0, tzinfo=UTC)  # Fri 19:00 EST
    assert (todo.timezone, todo.all_day, todo.rrule) == ("America/New_York", False, None)
    assert todo.notes.startswith("https://arxiv.org/abs/")
    assert reading.answer(saved, owner.timezone) == "📖 On your reading list: due Fri 06 Mar 19:00."

    again = reading.save(ctx, owner_id=owner.id, event_id=shown[0], choice="friday", now=NOW)
    assert (again.outcome, again.todo_id) == ("same", saved.todo_id)
    moved = reading.save(ctx, owner_id=owner.id, event_id=shown[0], choice="today", now=NOW)
    assert (moved.outcome, moved.todo_id) == ("moved", saved.todo_id)
    assert moved.due == datetime(2026, 3, 3, 0, 0, tzinfo=UTC)  # Mon 19:00 EST
    assert todo_count(ctx) == 1
    assert reading.list_state(ctx, owner_id=owner.id, event_id=shown[0]) == "saved"
    assert reading.list_state(ctx, owner_id=owner.id, event_id=shown[1]) == "none"


def test_completing_it_is_one_like_and_retrains(
    ctx: AppContext, owner: Owner, shown: list[int]
) -> None:
    saved = reading.save(ctx, owner_id=owner.id, event_id=shown[2], choice="today", now=NOW)
    before = model_version(ctx, owner)
    assert complete(ctx, owner, saved.todo_id) == "Done."
    with ctx.db.read() as session:
        paper_id = repo.get_event(session, event_id=shown[2], owner_id=owner.id).paper_id
        like = session.scalar(select(PaperEvent).where(PaperEvent.kind == "liked"))
    assert likes(ctx, owner) == [paper_id]
    assert like is not None and (like.digest_date, like.rank) == (DAY, 3)
    assert model_version(ctx, owner) > before  # trained as a 👍 is
    with ctx.db.write() as session:  # the hook again (a replayed completion): still one like
        todo = todos.get_owned(session, owner_id=owner.id, todo_id=saved.todo_id)
        reading.count_read(ctx, session, todo, NOW)
    assert likes(ctx, owner) == [paper_id]
    after = reading.save(ctx, owner_id=owner.id, event_id=shown[2], choice="friday", now=NOW)
    assert after.outcome == "read" and todo_count(ctx) == 1
    assert reading.list_state(ctx, owner_id=owner.id, event_id=shown[2]) == "read"


def test_a_paper_already_liked_is_not_liked_twice_and_other_todos_like_nothing(
    ctx: AppContext, owner: Owner, shown: list[int]
) -> None:
    from agents.arxiv import feedback

    feedback.apply_tap(ctx, owner_id=owner.id, event_id=shown[0], action="like", now=NOW)
    saved = reading.save(ctx, owner_id=owner.id, event_id=shown[0], choice="nextweek", now=NOW)
    with ctx.db.write() as session:
        other = todos.create_todo(
            session, owner_id=owner.id, title="Read: the news", timezone="UTC", now=NOW
        ).id
    complete(ctx, owner, other)
    complete(ctx, owner, saved.todo_id)
    assert len(likes(ctx, owner)) == 1


def test_every_way_of_completing_counts(ctx: AppContext, owner: Owner, shown: list[int]) -> None:
    """A reminder's ✅ (chat.tap) and the assistant's complete_todo pass the hooks on."""
    first = reading.save(ctx, owner_id=owner.id, event_id=shown[0], choice="today", now=NOW)
    second = reading.save(ctx, owner_id=owner.id, event_id=shown[1], choice="today", now=NOW)
    with ctx.db.write() as session:
        tap = chat.tap(
            session,
            owner_id=owner.id,
            todo_id=first.todo_id,
            action="done",
            reminder=False,
            timezone=owner.timezone,
            now=NOW,
            config=ctx.config.todos,
            on_done=ctx.todo_done,
        )
        assert tap.outcome == "acted"
    with ctx.db.write() as session:
        row = owners.get_owner(session, owner_id=owner.id)
        plan = write_tools.complete_todo(ctx, session, row, {"ref": f"#{second.todo_id}"}, NOW, "k")
        assert "Done." in plan.run()
    assert len(likes(ctx, owner)) == 2


def test_a_deleted_reading_todo_is_made_again_and_a_liked_tap_is_not_a_digest_paper(
    ctx: AppContext, owner: Owner, shown: list[int]
) -> None:
    saved = reading.save(ctx, owner_id=owner.id, event_id=shown[0], choice="today", now=NOW)
    with ctx.db.write() as session:
        actions.delete(todos.get_owned(session, owner_id=owner.id, todo_id=saved.todo_id), now=NOW)
    assert reading.list_state(ctx, owner_id=owner.id, event_id=shown[0]) == "none"
    later = NOW + timedelta(minutes=5)
    again = reading.save(ctx, owner_id=owner.id, event_id=shown[0], choice="today", now=later)
    assert again.outcome == "saved" and again.todo_id != saved.todo_id
    assert reading.list_state(ctx, owner_id=owner.id, event_id=shown[0]) == "saved"
    with ctx.db.write() as session:
        liked = repo.add_event(
            session, owner_id=owner.id, paper_id="2603.10001", kind="liked", now=NOW
        )
    with pytest.raises(Conflict):
        reading.save(ctx, owner_id=owner.id, event_id=liked.id, choice="today", now=NOW)
