"""store/follows.py and migration 0007: follows are idempotent per normalized value, the
versions shown are kept per owner, and papers shown before 0007 count as seen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import text

from store import follows, owners
from store import papers as repo
from store.db import Database
from store.migrate import upgrade
from store.models import Owner
from tests.conftest import NOW


def test_a_follow_is_added_once_and_removed_once(db: Database) -> None:
    with db.write() as session:
        ada = owners.create_owner(session, name="Ada", timezone="UTC", now=NOW, slug="ada")

        def add(value: str, kind: str = "author", mode: str = "follow") -> bool:
            return follows.add_follow(
                session, owner_id=ada.id, kind=kind, mode=mode, value=value, norm="jane doe",
                now=NOW,
            )  # fmt: skip

        def remove() -> bool:
            return follows.remove_follow(
                session, owner_id=ada.id, kind="author", mode="follow", norm="jane doe"
            )

        assert add("Jane Doe")
        assert not add("Doe, Jane")
        assert add("jane doe", kind="keyword", mode="mute")  # another list
        assert [f.value for f in follows.list_follows(session, owner_id=ada.id)] == [
            "Jane Doe",
            "jane doe",
        ]
        assert remove()
        assert not remove()
        session.delete(session.get(Owner, ada.id))
    with db.read() as session:
        assert follows.list_follows(session, owner_id=ada.id) == []  # gone with the owner


def test_versions_seen_are_kept_per_owner(db: Database) -> None:
    with db.write() as session:
        ada = owners.create_owner(session, name="Ada", timezone="UTC", now=NOW, slug="ada")
        bob = owners.create_owner(session, name="Bob", timezone="UTC", now=NOW, slug="bob")
        repo.upsert_papers(
            session, papers=[repo.PaperData("2501.00001", 1, "T")], announced_on=None, now=NOW
        )
        day = date(2026, 3, 2)
        for version in (1, 3, 3):
            follows.mark_seen(
                session, owner_id=ada.id, paper_id="2501.00001", version=version, shown_on=day,
                now=NOW,
            )  # fmt: skip
        assert follows.seen_versions(session, owner_id=ada.id) == {"2501.00001": 3}
        assert follows.seen_versions(session, owner_id=bob.id) == {}
        assert follows.seen_versions(session, owner_id=ada.id, paper_ids=[]) == {}


def test_migration_0007_counts_papers_shown_before_it_as_seen(data_dir: Path) -> None:
    db = Database.from_url(f"sqlite:///{data_dir / 'old.db'}")
    upgrade(db.engine, "0006")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO owners (id, name, timezone, slug, preferences, created_at) "
                "VALUES (1, 'Ada', 'UTC', 'ada', '{}', '2026-03-01 09:00:00')"
            )
        )
        for pid, version in (("2501.00001", 2), ("2501.00002", 1)):
            conn.execute(
                text(
                    "INSERT INTO papers (id, version, title, abstract, authors, categories, "
                    "primary_category, announce_type, fetched_at) VALUES (:id, :v, 'T', '', "
                    "'[]', '[]', '', 'new', '2026-03-01 09:00:00')"
                ),
                {"id": pid, "v": version},
            )
        for day in ("2026-03-02", "2026-03-03"):  # shown twice (a /papers rerun, say)
            conn.execute(
                text(
                    "INSERT INTO paper_events (owner_id, paper_id, kind, digest_date, rank, "
                    "created_at) VALUES (1, '2501.00001', 'shown', :day, 1, :day)"
                ),
                {"day": day},
            )
    upgrade(db.engine)
    with db.read() as session:
        assert follows.seen_versions(session, owner_id=1) == {"2501.00001": 2}
    db.dispose()
