"""'Before you meet': a guest's recent papers by name, in the approval card and the briefing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from agents.arxiv.config import ArxivConfig
from agents.arxiv.guest_papers import name_words, recent_papers, same_person
from agents.assistant.briefing import compose
from agents.meetings import lifecycle
from store import bookings, owners
from store import papers as repo
from store.db import Database
from store.models import OutboxMessage
from tests.agents.meetings.helpers import add_owner, make_ctx

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)  # Monday 08:00 in Berlin
SLOT = datetime(2026, 3, 4, 10, 0, tzinfo=UTC)  # Wednesday 11:00 in Berlin


@pytest.mark.parametrize(
    ("guest", "author", "same"),
    [
        ("Jane Doe", "Jane Doe", True),
        ("jane  doe", "Jane Q. Doe", True),  # middle initials between first and last are skipped
        ("Doe, Jane", "Jane Doe", True),
        ("José Núñez", "Jose Nunez", True),  # accents and case folded
        ("Jose Nunez", "José Núñez", True),
        ("Ann Lee", "Anna Lee", False),  # never part of a word
        ("Jane Doe", "Jane Doering", False),
        ("Jane Doe", "John Doe", False),
        ("Li", "Li", True),
        ("Li", "Lin Li", False),  # a one-word name only matches that one word
        ("Li Wei", "Wei Li", False),
        ("jane@example.org", "Jane Example", False),  # an e-mail address is nobody's name
        ("", "Jane Doe", False),
    ],
)
def test_names_match_as_whole_words_first_and_last(guest: str, author: str, same: bool) -> None:
    assert same_person(name_words(guest), name_words(author)) is same


def _papers(db: Database, papers: list[tuple[str, str, list[str], datetime]]) -> None:
    with db.write() as session:
        repo.upsert_papers(
            session,
            papers=[
                repo.PaperData(id=pid, version=1, title=title, authors=authors, published_at=at)
                for pid, title, authors, at in papers
            ],
            announced_on=None,
            now=NOW,
        )


GRACE = [
    ("2602.00001", "New <b>bold</b> claim", ["Grace Hopper", "A. Other"], NOW - timedelta(days=3)),
    ("2601.00002", "Second", ["Grace M. Hopper"], NOW - timedelta(days=40)),
    ("2512.00003", "Third", ["Someone", "Grace Hopper"], NOW - timedelta(days=90)),
    ("2511.00004", "Fourth (not in the top 3)", ["Grace Hopper"], NOW - timedelta(days=120)),
    ("2401.00005", "Too old", ["Grace Hopper"], NOW - timedelta(days=400)),
    ("2602.00006", "Not her", ["Grace Hopperson", "Gracey Hopper"], NOW - timedelta(days=1)),
    ("2602.00007", "Müller's paper", ["Anna Müller"], NOW - timedelta(days=2)),
]  # fmt: skip


def test_recent_papers_are_the_newest_three_of_the_last_year(db: Database) -> None:
    _papers(db, GRACE)
    with db.read() as session:
        found = [p.id for p in recent_papers(session, "Grace Hopper", now=NOW)]
        assert found == ["2602.00001", "2601.00002", "2512.00003"]
        assert [p.id for p in recent_papers(session, "anna MÜLLER", now=NOW)] == ["2602.00007"]
        assert recent_papers(session, "grace@navy.mil", now=NOW) == []
        assert recent_papers(session, "Grace", now=NOW) == []
        assert recent_papers(session, "Nobody Here", now=NOW) == []


def _card(db: Database) -> str:
    with db.read() as session:
        row = session.scalar(
            select(OutboxMessage).where(OutboxMessage.idempotency_key.like("meetings:card:%"))
        )
    assert row is not None
    text = row.payload["text"]
    assert isinstance(text, str)
    return text


def _request(db: Database, name: str) -> int:
    add_owner(db, now=NOW)
    ctx = make_ctx(db, lambda: NOW)
    data = lifecycle.BookingInput("ada", SLOT, 30, name, "g@example.org", "", "UTC", "")
    return lifecycle.request_booking(ctx, data, now=NOW).id


def test_the_approval_card_lists_the_guests_recent_papers(db: Database) -> None:
    _papers(db, GRACE)
    _request(db, "Grace Hopper")
    card = _card(db)
    head, section = card.split("\n\n📚 ")
    assert head.startswith("📅 <b>Meeting request</b>")
    lines = section.splitlines()
    assert lines[0] == "<b>Before you meet</b>: recent papers by Grace Hopper"
    assert lines[1] == (
        '1. <a href="https://arxiv.org/abs/2602.00001">New &lt;b&gt;bold&lt;/b&gt; claim</a>'
        " · Feb 2026"
    )
    assert [line.split(">")[1].split("<")[0] for line in lines[2:]] == ["Second", "Third"]


@pytest.mark.parametrize("name", ["Grace", "grace@navy.mil", "Ada Nobody"])
def test_no_match_no_section(db: Database, name: str) -> None:
    _papers(db, GRACE)
    _request(db, name)
    assert "Before you meet" not in _card(db)


def test_the_briefing_has_a_before_you_meet_section_for_todays_and_waiting_guests(
    db: Database,
) -> None:
    _papers(db, GRACE)
    with db.write() as session:
        owner = owners.create_owner(
            session, name="o", timezone="Europe/Berlin", now=NOW, chat_id=42, slug="o"
        )
        for guest, start, accept in [
            ("Grace Hopper", NOW + timedelta(hours=3), True),  # today, accepted
            ("Anna Müller", NOW + timedelta(days=5), False),  # a request waiting
            ("Nobody Known", NOW + timedelta(hours=5), True),
        ]:
            booking = bookings.create_pending(
                session,
                owner_id=owner.id,
                start_at=start,
                end_at=start + timedelta(minutes=30),
                guest_name=guest,
                guest_email=f"{len(guest)}@example.org",
                guest_timezone="UTC",
                topic="",
                client_ip="127.0.0.1",
                expires_at=start,
                now=NOW,
                gap=timedelta(0),
            )
            if accept:
                bookings.accept_if_pending(
                    session, booking_id=booking.id, owner_id=owner.id, now=NOW, gap=timedelta(0)
                )
        brief = compose(session, owner, now=NOW, arxiv=ArxivConfig(digest_days="sat"))
    section = brief.text.split("\n\n")[-1].splitlines()
    assert section[0] == "📚 <b>Before you meet</b>"
    assert section[1] == "<i>Grace Hopper</i>"
    assert len([s for s in section if s[:2] in ("1.", "2.", "3.")]) == 4  # 3 + Anna's 1
    assert "<i>Anna Müller</i>" in section and "Nobody" not in brief.text.split("📚")[1]
