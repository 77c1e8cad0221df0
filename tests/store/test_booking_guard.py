"""The database itself refuses overlapping active bookings of one owner, gaps included
(migration 0012: SQLite triggers, a PostgreSQL exclusion constraint), on both engines.

The inserts are raw SQL on a plain connection: no application check runs, only the database's.
A booking holds ``[start_at, end_at + gap_minutes)``; meetings exactly a gap apart may touch.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import DateTime, bindparam, text
from sqlalchemy.exc import IntegrityError

from store import bookings, owners
from store.db import Database
from store.errors import Conflict
from store.models import Booking
from tests.conftest import NOW

DAY = datetime(2026, 3, 3, tzinfo=UTC)
_ids = itertools.count(1)

INSERT = text(
    "INSERT INTO bookings (owner_id, guest_name, guest_email, guest_timezone, topic, start_at, "
    "end_at, status, manage_token, ical_uid, sequence, client_ip, created_at, gap_minutes) "
    "VALUES (:owner, 'G', 'g@example.org', 'UTC', '', :start, :end, :status, :token, :uid, 0, "
    "'', :created, :gap)"
).bindparams(*(bindparam(name, type_=DateTime()) for name in ("start", "end", "created")))


def at(hhmm: str) -> datetime:
    """A naive UTC timestamp on DAY, as the columns hold them."""
    hour, minute = (int(x) for x in hhmm.split(":"))
    return DAY.replace(hour=hour, minute=minute, tzinfo=None)


def insert(db: Database, owner: int, start: str, end: str, status: str, gap: int) -> None:
    """One raw INSERT in its own transaction (a refused one leaves nothing behind)."""
    n = next(_ids)
    with db.engine.begin() as conn:
        conn.execute(
            INSERT,
            {
                "owner": owner,
                "start": at(start),
                "end": at(end),
                "status": status,
                "token": f"t{n}",
                "uid": f"u{n}@x",
                "created": NOW.replace(tzinfo=None),
                "gap": gap,
            },
        )


def refused(db: Database, *args: object) -> bool:
    try:
        insert(db, *args)  # type: ignore[arg-type]
    except IntegrityError:
        return True
    return False


@pytest.fixture
def owner_ids(db: Database) -> Iterator[tuple[int, int]]:
    with db.write() as session:
        a = owners.create_owner(session, name="A", timezone="UTC", now=NOW, slug="a")
        b = owners.create_owner(session, name="B", timezone="UTC", now=NOW, slug="b")
    yield a.id, b.id


def active_count(db: Database) -> int:
    with db.engine.connect() as conn:
        return int(
            conn.scalar(
                text("SELECT count(*) FROM bookings WHERE status IN ('pending', 'accepted')")
            )
            or 0
        )


def test_direct_inserts_of_overlapping_active_bookings_are_refused(
    db: Database, owner_ids: tuple[int, int]
) -> None:
    owner, other = owner_ids
    insert(db, owner, "10:00", "10:30", "pending", 15)  # holds [10:00, 10:45)
    assert refused(db, owner, "10:00", "10:30", "pending", 0)  # the same slot
    assert refused(db, owner, "10:15", "10:45", "accepted", 0)  # overlapping
    assert refused(db, owner, "10:40", "11:00", "pending", 0)  # inside its 15-minute gap
    assert refused(db, owner, "09:20", "09:50", "pending", 15)  # its own gap reaches 10:00
    assert refused(db, owner, "09:00", "12:00", "accepted", 0)  # around it
    assert not refused(db, owner, "10:45", "11:15", "accepted", 15)  # a gap after: touching
    assert not refused(db, owner, "09:30", "09:45", "pending", 15)  # [09:30, 10:00): touching
    assert not refused(db, other, "10:00", "10:30", "pending", 0)  # another owner's calendar
    assert active_count(db) == 4


def test_inactive_bookings_do_not_block_and_cannot_come_back_on_top(
    db: Database, owner_ids: tuple[int, int]
) -> None:
    owner, _ = owner_ids
    for status in ("declined", "cancelled", "expired"):
        insert(db, owner, "12:00", "12:30", status, 30)
    insert(db, owner, "12:00", "12:30", "pending", 30)  # the declined ones do not block
    assert active_count(db) == 1
    with pytest.raises(IntegrityError), db.engine.begin() as conn:
        conn.execute(text("UPDATE bookings SET status = 'accepted' WHERE status = 'declined'"))
    revive = text(
        "UPDATE bookings SET status = 'pending', start_at = :s, end_at = :e "
        "WHERE status = 'expired'"
    ).bindparams(bindparam("s", type_=DateTime()), bindparam("e", type_=DateTime()))
    with pytest.raises(IntegrityError), db.engine.begin() as conn:  # within the 30-minute gap
        conn.execute(revive, {"s": at("12:30"), "e": at("13:00")})
    with db.engine.begin() as conn:  # a gap after the active one: fine
        conn.execute(revive, {"s": at("13:00"), "e": at("13:30")})
    assert active_count(db) == 2


def test_a_refusal_by_the_database_is_the_usual_conflict(
    db: Database, owner_ids: tuple[int, int]
) -> None:
    """The application's check passes (a smaller gap now) but the stored row's gap does not:
    the engine's error (psycopg's ExclusionViolation, SQLite's RAISE) becomes ``Conflict``."""
    owner, _ = owner_ids
    insert(db, owner, "10:00", "10:30", "accepted", 30)  # the owner's buffers were 30 then
    start = DAY.replace(hour=10, minute=40)
    with pytest.raises(Conflict, match="That time was just taken"), db.write() as session:
        bookings.create_pending(
            session,
            owner_id=owner,
            start_at=start,
            end_at=start + timedelta(minutes=30),
            guest_name="G",
            guest_email="g@example.org",
            guest_timezone="UTC",
            topic="",
            client_ip="",
            expires_at=start,
            now=NOW,
            gap=timedelta(0),
        )
    assert active_count(db) == 1


def test_smaller_buffers_narrow_the_stored_gaps_and_free_the_times_next_to_them(
    db: Database, owner_ids: tuple[int, int]
) -> None:
    owner, other = owner_ids
    insert(db, owner, "10:00", "10:30", "accepted", 30)
    insert(db, owner, "14:00", "14:30", "pending", 5)
    insert(db, owner, "16:00", "16:30", "declined", 30)
    insert(db, other, "10:00", "10:30", "accepted", 30)
    assert refused(db, owner, "10:40", "11:10", "pending", 10)
    with db.write() as session:
        assert bookings.narrow_gaps(session, owner_id=owner, gap=timedelta(minutes=10)) == 1
    assert not refused(db, owner, "10:40", "11:10", "pending", 10)
    with db.engine.connect() as conn:
        gaps = conn.execute(text("SELECT owner_id, gap_minutes FROM bookings ORDER BY id")).all()
    assert [tuple(g) for g in gaps] == [
        (owner, 10),
        (owner, 5),
        (owner, 30),
        (other, 30),
        (owner, 10),
    ]


def test_rows_keep_their_gap_and_an_accept_the_wider_gap_refuses_stays_pending(
    db: Database, owner_ids: tuple[int, int]
) -> None:
    owner, _ = owner_ids

    def ask(hhmm: str, gap: int) -> Booking:
        start = at(hhmm).replace(tzinfo=UTC)
        with db.write() as session:
            return bookings.create_pending(
                session,
                owner_id=owner,
                start_at=start,
                end_at=start + timedelta(minutes=30),
                guest_name="G",
                guest_email="g@example.org",
                guest_timezone="UTC",
                topic="",
                client_ip="",
                expires_at=start,
                now=NOW,
                gap=timedelta(minutes=gap),
            )

    first, second = ask("10:00", 10), ask("10:40", 10)  # 10 minutes apart: allowed
    assert (first.gap_minutes, second.gap_minutes) == (10, 10)
    with db.write() as session:  # the owner's buffers grew to 20 meanwhile
        assert not bookings.accept_if_pending(
            session, booking_id=first.id, owner_id=owner, now=NOW, gap=timedelta(minutes=20)
        )
    with db.write() as session:
        assert bookings.get(session, booking_id=first.id).status == "pending"
        assert bookings.accept_if_pending(
            session, booking_id=first.id, owner_id=owner, now=NOW, gap=timedelta(minutes=10)
        )
    with db.write() as session:  # a move writes the gap too, and bumps SEQUENCE in SQL once
        moved = bookings.move_if_free(
            session,
            booking_id=second.id,
            start_at=at("14:00").replace(tzinfo=UTC),
            end_at=at("14:30").replace(tzinfo=UTC),
            gap=timedelta(minutes=25),
            expected_sequence=0,
            now=NOW,
        )
        assert moved
        again = bookings.move_if_free(
            session,
            booking_id=second.id,
            start_at=at("15:00").replace(tzinfo=UTC),
            end_at=at("15:30").replace(tzinfo=UTC),
            gap=timedelta(minutes=25),
            expected_sequence=0,
            now=NOW,
        )
        assert not again  # the same form submitted twice moves once
    with db.read() as session:
        row = bookings.get(session, booking_id=second.id)
        assert (row.start_at.hour, row.sequence, row.gap_minutes) == (14, 1, 25)
