"""What /status says about background work: failed jobs (and since when), the owner's
calendars (last sync, error, age of the copy in use), and arXiv's state.

Read-only views of ``store.job_runs`` in the owner's zone, as HTML lines for the status reply.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.arxiv.status import fetch_state, status_lines
from agents.meetings.calendar_status import status_section as calendar_section
from agents.messaging import esc
from store import job_runs
from store.models import Owner

STAMP = "%a %d %b %H:%M"


def sections(session: Session, *, owner: Owner | None, zone: ZoneInfo, now: datetime) -> list[str]:
    """/status's background sections: failed jobs, calendars, then the last arXiv fetch."""
    return (
        failed_jobs(session, owner=owner, zone=zone)
        + calendar_section(session, owner_id=owner.id if owner else None, now=now)
        + status_lines(fetch_state(session), zone, now)
    )


def stamp(when: datetime, zone: ZoneInfo) -> str:
    return when.astimezone(zone).strftime(STAMP)


def failed_jobs(session: Session, *, owner: Owner | None, zone: ZoneInfo) -> list[str]:
    """The "Failed jobs" section: each failing job's last error, when, how many times in a row."""
    lines = ["<b>Failed jobs</b>"]
    rows = job_runs.failing(session, owner_id=owner.id if owner else None)
    if not rows:
        lines.append("  all jobs ran fine")
    for row in rows:
        name = row.job if owner is not None else row.key
        times = "once" if row.failures == 1 else f"{row.failures} times in a row"
        if row.failures > 1 and row.failing_since is not None:
            times += f" since {stamp(row.failing_since, zone)}"
        lines.append(
            f"  ✖ {esc(name)}: {esc(row.error or 'failed')} "
            f"(last {stamp(row.finished_at, zone)}, {times})"
        )
    return lines
