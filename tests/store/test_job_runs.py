"""Job runs on a real SQLite file: one row per job, streaks counted, recovery resets them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from store import job_runs, owners
from store.db import Database
from store.errors import InvalidInput
from tests.conftest import NOW


def test_a_failure_streak_is_counted_from_its_first_run_and_reset_by_a_success(
    db: Database,
) -> None:
    for n in range(3):
        at = NOW + timedelta(minutes=n)
        with db.write() as session:
            row, before = job_runs.record_run(
                session,
                key="reminders",
                job="reminders",
                started_at=at,
                finished_at=at + timedelta(seconds=1),
                error="  the store\n is   full ",
            )
            assert before.failures == n
        assert (row.failures, row.failing_since, row.ok) == (n + 1, NOW, False)
    assert row.error == "the store is full"  # one line
    with db.write() as session:
        job_runs.mark_notified(session, key="reminders")
    later = NOW + timedelta(hours=1)
    with db.write() as session:
        row, before = job_runs.record_run(
            session,
            key="reminders",
            job="reminders",
            started_at=later,
            finished_at=later,
            error=None,
        )
    assert before == job_runs.Streak(3, NOW, True)
    assert (row.ok, row.failures, row.failing_since, row.notified) == (True, 0, None, False)
    assert (row.runs, row.last_ok_at, row.error) == (4, later, None)
    with db.read() as session:
        assert job_runs.failing(session) == []
        assert job_runs.get_run(session, key="reminders") is not None


def test_failing_lists_an_owners_jobs_and_the_shared_ones_only(db: Database) -> None:
    with db.write() as session:
        ada = owners.create_owner(session, name="Ada", timezone="UTC", now=NOW, slug="ada")
        bob = owners.create_owner(session, name="Bob", timezone="UTC", now=NOW, slug="bob")
        for key, owner_id, kind in [
            (f"arxiv-digest:{ada.id}", ada.id, "job"),
            (f"arxiv-digest:{bob.id}", bob.id, "job"),
            ("outbox", None, "job"),
            ("arxiv-fetch", None, "fetch"),
        ]:
            job_runs.record_run(
                session,
                key=key,
                job=key.split(":")[0],
                owner_id=owner_id,
                kind=kind,
                started_at=NOW,
                finished_at=NOW,
                error="down",
            )
    with db.read() as session:
        mine = {r.key for r in job_runs.failing(session, owner_id=ada.id)}
        every = {r.key for r in job_runs.failing(session)}
    assert mine == {f"arxiv-digest:{ada.id}", "outbox"}  # not Bob's, not the fetch
    assert every == mine | {f"arxiv-digest:{bob.id}"}


def test_an_unknown_kind_is_refused(db: Database) -> None:
    with pytest.raises(InvalidInput), db.write() as session:
        job_runs.record_run(
            session, key="x", job="x", kind="cron", started_at=NOW, finished_at=NOW, error=None
        )
