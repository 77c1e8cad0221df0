"""Repository for job runs: each job's last outcome and its current failure streak.

One row per key (the scheduler's job id, e.g. ``arxiv-digest:1``; ``arxiv-fetch`` for the
arXiv listing fetch), updated in place by every run. ``record_run`` returns the streak as it
was before the run, so the caller can tell a new failure streak and a recovery apart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.errors import InvalidInput
from store.models import JobRun

KINDS = ("job", "fetch")
ERROR_MAX = 300


@dataclass(frozen=True)
class Streak:
    """A job's failure streak at one moment: failed runs in a row, since when, told or not."""

    failures: int
    failing_since: datetime | None
    notified: bool


def record_run(
    session: Session,
    *,
    key: str,
    job: str,
    started_at: datetime,
    finished_at: datetime,
    error: str | None,
    owner_id: int | None = None,
    kind: str = "job",
) -> tuple[JobRun, Streak]:
    """Record one run (``error`` None: it worked); returns the row and the streak before it.

    ``error`` must already be safe to show: one line, no secrets (the job runner makes it so).
    """
    if kind not in KINDS:
        raise InvalidInput(f"Unknown job run kind {kind!r}.")
    row = _locked(session, key=key)
    if row is None:
        try:
            with session.begin_nested():
                session.add(
                    JobRun(
                        key=key,
                        job=job,
                        kind=kind,
                        owner_id=owner_id,
                        started_at=started_at,
                        finished_at=finished_at,
                        ok=error is None,
                        runs=0,
                        failures=0,
                        notified=False,
                    )
                )
        except IntegrityError:  # another instance recorded this key's first run meanwhile
            pass
        row = _locked(session, key=key)
        assert row is not None
    before = Streak(row.failures or 0, row.failing_since, bool(row.notified))
    values: dict[str, Any] = {
        "started_at": started_at,
        "finished_at": finished_at,
        "runs": JobRun.runs + 1,  # counted in SQL: never a lost update between instances
    }
    if error is None:
        values |= {"ok": True, "error": None, "failures": 0, "failing_since": None}
        values |= {"notified": False, "last_ok_at": finished_at}
    else:
        values |= {"ok": False, "error": " ".join(error.split())[:ERROR_MAX]}
        values |= {
            "failures": JobRun.failures + 1,
            "failing_since": func.coalesce(JobRun.failing_since, started_at),
        }
    session.execute(
        update(JobRun)
        .where(JobRun.id == row.id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.refresh(row)
    return row, before


def _locked(session: Session, *, key: str) -> JobRun | None:
    """The key's row, locked until commit on PostgreSQL (``FOR UPDATE``), read afresh."""
    return session.scalar(
        select(JobRun)
        .where(JobRun.key == key)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def mark_notified(session: Session, *, key: str) -> None:
    """The owner was told of the current failure streak (so not again until it ends)."""
    row = session.scalar(select(JobRun).where(JobRun.key == key))
    if row is not None:
        row.notified = True
        session.flush()


def get_run(session: Session, *, key: str) -> JobRun | None:
    return session.scalar(select(JobRun).where(JobRun.key == key))


def failing(session: Session, *, owner_id: int | None = None) -> list[JobRun]:
    """Jobs whose last run failed, longest streak first.

    With ``owner_id``: that owner's jobs and the jobs that belong to nobody (the outbox, the
    reminders pass); without: all of them.
    """
    query = select(JobRun).where(JobRun.kind == "job", JobRun.failures > 0)
    if owner_id is not None:
        query = query.where(or_(JobRun.owner_id.is_(None), JobRun.owner_id == owner_id))
    return list(session.scalars(query.order_by(JobRun.failing_since, JobRun.key)))
