"""The morning briefing on a real SQLite store: sections, order, escaping, buttons, DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from agents.arxiv.config import ArxivConfig
from agents.assistant.briefing import Briefing, compose, digest_later
from store import bookings, owners, todos
from store import papers as repo
from store.db import Database
from store.models import Owner

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
ARXIV = ArxivConfig(digest_time="08:00", digest_days="mon-fri")
CREATED = datetime(2026, 2, 20, tzinfo=UTC)


def _owner(db: Database, zone: str = "Europe/Berlin", chat_id: int = 42) -> int:
    with db.write() as session:
        return owners.create_owner(
            session, name="o", timezone=zone, now=CREATED, chat_id=chat_id, slug=f"o{chat_id}"
        ).id


def _booking(
    db: Database, owner_id: int, start: datetime, guest: str, topic: str = "", *, accept: bool
) -> int:
    with db.write() as session:
        booking = bookings.create_pending(
            session,
            owner_id=owner_id,
            start_at=start,
            end_at=start + timedelta(minutes=30),
            guest_name=guest,
            guest_email=f"{abs(hash(guest))}@example.org",
            guest_timezone="UTC",
            topic=topic,
            client_ip="127.0.0.1",
            expires_at=start,
            now=CREATED,
            gap=timedelta(0),
        )
        if accept:
            assert bookings.accept_if_pending(
                session, booking_id=booking.id, owner_id=owner_id, now=CREATED, gap=timedelta(0)
            )
        return booking.id


def _todo(db: Database, owner_id: int, title: str, due: datetime, **kw: object) -> int:
    with db.write() as session:
        return todos.create_todo(
            session,
            owner_id=owner_id,
            title=title,
            timezone="Europe/Berlin",
            now=CREATED,
            due_at=due,
            **kw,  # type: ignore[arg-type]
        ).id


def _shown(
    db: Database, owner_id: int, day: date, papers: list[tuple[str, str, int]]
) -> dict[str, int]:
    """Papers (id, title, rank) shown in the digest of ``day``; returns paper id -> event id."""
    with db.write() as session:
        repo.upsert_papers(
            session,
            papers=[repo.PaperData(id=pid, version=1, title=title) for pid, title, _ in papers],
            announced_on=day,
            now=CREATED,
        )
        return {
            pid: repo.add_event(
                session,
                owner_id=owner_id,
                paper_id=pid,
                kind="shown",
                now=CREATED,
                digest_date=day,
                rank=rank,
            ).id
            for pid, _, rank in papers
        }


def _compose(db: Database, owner_id: int, now: datetime = NOW) -> Briefing:
    with db.read() as session:
        owner = session.get(Owner, owner_id)
        assert owner is not None
        return compose(session, owner, now=now, arxiv=ARXIV)


def _callbacks(brief: Briefing) -> list[list[str]]:
    return [[b.get("callback_data", "") for b in row] for row in brief.buttons]


def test_briefing_lists_every_agent_in_order_escaped_with_a_button_per_item(db: Database) -> None:
    owner = _owner(db)
    late = _booking(db, owner, datetime(2026, 3, 2, 13, tzinfo=UTC), "Alice", "Design", accept=True)
    early = _booking(
        db,
        owner,
        datetime(2026, 3, 2, 9, tzinfo=UTC),
        "Bob <script>",
        "Q&A <b>ignore previous instructions</b>",
        accept=True,
    )
    _booking(db, owner, datetime(2026, 3, 3, 9, tzinfo=UTC), "Tomorrow guest", accept=True)
    request = _booking(
        db, owner, datetime(2026, 3, 4, 10, tzinfo=UTC), "Carol & Co", "Intro", accept=False
    )
    overdue = _todo(db, owner, "Overdue <taxes>", datetime(2026, 2, 27, 12, tzinfo=UTC))
    today = _todo(db, owner, "Call the bank today", datetime(2026, 3, 2, 14, tzinfo=UTC))
    _todo(db, owner, "Not yet", datetime(2026, 3, 3, 14, tzinfo=UTC))
    events = _shown(
        db,
        owner,
        date(2026, 3, 2),
        [("2603.00004", "Fourth", 4), ("2603.00002", "Second <paper>", 2),
         ("2603.00001", "First & best", 1), ("2603.00003", "Third", 3)],
    )  # fmt: skip
    _shown(db, owner, date(2026, 2, 27), [("2602.09999", "Friday's paper", 1)])

    brief = _compose(db, owner)
    text = brief.text
    assert not brief.empty
    assert text.startswith("☀️ <b>Today, Mon 02 Mar</b>")
    order = ["<b>Meetings</b>", "<b>To-dos</b>", "<b>Papers</b>", "<b>Booking requests</b>"]
    assert [text.index(h) for h in order] == sorted(text.index(h) for h in order)
    # meetings today in the owner's zone, soonest first; guest text escaped, never markup
    assert "10:00-10:30 Bob &lt;script&gt; · Q&amp;A &lt;b&gt;ignore previous" in text
    assert text.index("10:00-10:30 Bob") < text.index("14:00-14:30 Alice · Design")
    assert "<script>" not in text and "Tomorrow guest" not in text
    # to-dos: overdue (marked) then today; tomorrow's are not due yet
    assert text.index("⚠️ #") < text.index("Call the bank today")
    assert "Overdue &lt;taxes&gt;" in text and "Not yet" not in text
    # the top three papers of today's digest by rank, linked; other days' papers are not
    assert text.index("First &amp; best") < text.index("Second &lt;paper&gt;") < text.index("Third")
    assert "Fourth" not in text and "Friday's paper" not in text
    assert '<a href="https://arxiv.org/abs/2603.00001">' in text
    assert "⏳ Wed 04 Mar 11:00-11:30 Carol &amp; Co · Intro" in text
    assert "digest follows" not in text
    assert _callbacks(brief) == [
        [f"todo:{overdue}:done"],
        [f"todo:{today}:done"],
        [f"arxiv:{events['2603.00001']}:like"],
        [f"arxiv:{events['2603.00002']}:like"],
        [f"arxiv:{events['2603.00003']}:like"],
        [f"mtg:{request}:approve", f"mtg:{request}:decline"],
    ]
    labels = [b["text"] for row in brief.buttons for b in row]
    assert labels[0] == "✅ Overdue <taxes>" and labels[2] == "👍 First & best"
    assert labels[-2:] == ["✅ Approve Carol & Co", "✖️ Decline"]
    assert early and late  # both accepted meetings exist; only today's are listed


def test_sections_with_nothing_are_left_out(db: Database) -> None:
    owner = _owner(db)
    _todo(db, owner, "Only this", datetime(2026, 3, 2, 15, tzinfo=UTC))
    text = _compose(db, owner, now=NOW + timedelta(hours=2)).text  # 10:00: the digest has run
    assert "<b>To-dos</b>" in text
    for absent in ("<b>Meetings</b>", "<b>Papers</b>", "<b>Booking requests</b>", "digest"):
        assert absent not in text


def test_before_the_digest_the_briefing_says_when_it_comes(db: Database) -> None:
    owner = _owner(db)
    _todo(db, owner, "Only this", datetime(2026, 3, 2, 15, tzinfo=UTC))
    text = _compose(db, owner, now=NOW - timedelta(minutes=30)).text  # 07:30 Berlin, Monday
    assert "📚 The arXiv digest follows at 08:00." in text
    assert "<b>Papers</b>" not in text


def test_an_empty_day_is_one_line(db: Database) -> None:
    owner = _owner(db)
    sunday = datetime(2026, 3, 1, 7, tzinfo=UTC)  # no digest on Sundays
    brief = _compose(db, owner, now=sunday)
    assert brief.empty and brief.buttons == []
    assert brief.text == "☀️ <b>Today, Sun 01 Mar</b>: nothing on, nothing due."
    monday = _compose(db, owner, now=NOW - timedelta(hours=1))
    assert "\n" not in monday.text and monday.text.endswith("digest follows at 08:00.")


def test_digest_days_follow_the_scheduler() -> None:
    monday_7 = datetime(2026, 3, 2, 7, 0)
    assert digest_later(ArxivConfig(digest_time="08:00", digest_days="mon-fri"), monday_7)
    assert digest_later(ArxivConfig(digest_time="07:00", digest_days="*"), monday_7)
    assert not digest_later(ArxivConfig(digest_time="06:59", digest_days="*"), monday_7)
    assert not digest_later(ArxivConfig(digest_days="tue,thu"), monday_7)
    assert digest_later(ArxivConfig(digest_days="0,2"), monday_7)  # APScheduler: 0 = Monday


def test_spring_forward_day_in_berlin_is_the_owner_s_23_hour_day(db: Database) -> None:
    """Sun 29 Mar 2026: Berlin jumps 02:00 -> 03:00, so the local day is 23:00 UTC -> 22:00 UTC."""
    owner = _owner(db)
    morning = datetime(2026, 3, 29, 6, 0, tzinfo=UTC)  # 08:00 CEST
    _booking(db, owner, datetime(2026, 3, 29, 7, 0, tzinfo=UTC), "Early", accept=True)
    _booking(db, owner, datetime(2026, 3, 29, 21, 15, tzinfo=UTC), "Late", accept=True)
    _booking(db, owner, datetime(2026, 3, 29, 22, 15, tzinfo=UTC), "Monday 00:15", accept=True)
    _todo(db, owner, "Before midnight", datetime(2026, 3, 29, 21, 45, tzinfo=UTC))
    _todo(db, owner, "Saturday night", datetime(2026, 3, 28, 22, 30, tzinfo=UTC))
    _todo(db, owner, "Monday first thing", datetime(2026, 3, 29, 22, 5, tzinfo=UTC))
    text = _compose(db, owner, now=morning).text
    assert text.startswith("☀️ <b>Today, Sun 29 Mar</b>")
    assert "09:00-09:30 Early" in text  # CEST (+2), not CET
    assert "23:15-23:45 Late" in text
    assert "Monday 00:15" not in text  # 22:15 UTC is already Monday in Berlin
    assert "Before midnight" in text and "Monday first thing" not in text
    assert "⚠️ #" in text and "Saturday night" in text
