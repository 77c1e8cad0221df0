"""Migration 0012 on a PostgreSQL database that already holds bookings: overlapping active ones
(possible before it, when nothing but the write path guarded them) are named, not hidden
behind a bare constraint error; once resolved it applies, and its downgrade drops it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from alembic import command
from sqlalchemy import text

from store.db import Database
from store.migrate import MIGRATIONS, current_revision, head_revision, upgrade
from tests.postgres import Cluster

pytestmark = pytest.mark.postgres

BOOKING = text(
    "INSERT INTO bookings (id, owner_id, guest_name, guest_email, guest_timezone, topic, "
    "start_at, end_at, status, manage_token, ical_uid, sequence, client_ip, created_at) "
    "VALUES (:id, 1, 'G', 'g@example.org', 'UTC', '', :start, :end, :status, :token, :uid, 0, "
    "'', '2026-03-01 09:00')"
)
CONSTRAINT = text(
    "SELECT count(*) FROM pg_constraint "
    "WHERE conrelid = 'bookings'::regclass AND conname = 'bookings_no_overlap'"
)


@pytest.fixture
def empty(pg_cluster: Cluster) -> Iterator[Database]:
    url = pg_cluster.empty_database()
    database = Database.from_url(url)
    yield database
    database.dispose()
    pg_cluster.drop(url)


def _downgrade(db: Database, revision: str) -> None:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.begin() as conn:
        config.attributes["connection"] = conn
        command.downgrade(config, revision)


def test_existing_overlaps_are_named_then_the_constraint_applies_and_downgrades(
    empty: Database,
) -> None:
    db = empty
    upgrade(db.engine, "0011")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO owners (id, name, timezone, slug, created_at, preferences) "
                "VALUES (1, 'A', 'UTC', 'a', '2026-03-01 09:00', '{}')"
            )
        )
        for n, start, end, status in [
            (1, "10:00", "10:30", "accepted"),
            (2, "10:15", "10:30", "pending"),  # written by the race of #15
            (3, "10:00", "10:30", "declined"),
            (4, "10:30", "11:00", "pending"),  # touching: fine
        ]:
            conn.execute(
                BOOKING,
                {
                    "id": n,
                    "start": f"2026-03-03 {start}",
                    "end": f"2026-03-03 {end}",
                    "status": status,
                    "token": f"t{n}",
                    "uid": f"u{n}@x",
                },
            )
    with pytest.raises(RuntimeError, match=r"Active bookings overlap \(#1 and #2\)"):
        upgrade(db.engine)
    assert current_revision(db.engine) == "0011"
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE bookings SET status = 'declined' WHERE id = 2"))
    assert upgrade(db.engine) == head_revision()
    with db.engine.connect() as conn:
        assert conn.scalar(CONSTRAINT) == 1
        assert conn.scalar(text("SELECT sum(gap_minutes) FROM bookings")) == 0
    _downgrade(db, "0011")
    with db.engine.connect() as conn:
        assert conn.scalar(CONSTRAINT) == 0
    assert upgrade(db.engine) == head_revision()
