"""Whether arXiv answered the last listing fetch: recorded in ``store.job_runs``, shown to people.

Every listing fetch (the digest's, ``errands arxiv fetch``) records its outcome under the key
``arxiv-fetch``, so the digest, /papers and /status can say "arXiv unreachable since 08:00"
instead of staying silent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.messaging import esc
from store import job_runs

FETCH_KEY = "arxiv-fetch"


@dataclass(frozen=True)
class FetchState:
    """The last listing fetch: when it finished, whether it worked, and the failure streak."""

    at: datetime
    ok: bool
    error: str | None
    failures: int
    failing_since: datetime | None
    last_ok_at: datetime | None


def record_fetch(
    ctx: AppContext, *, started_at: datetime, finished_at: datetime, error: str | None
) -> None:
    """Record one listing fetch (``error``: its short, safe reason; None when it worked)."""
    with ctx.db.write() as session:
        job_runs.record_run(
            session,
            key=FETCH_KEY,
            job=FETCH_KEY,
            kind="fetch",
            started_at=started_at,
            finished_at=finished_at,
            error=error,
        )


def fetch_state(session: Session) -> FetchState | None:
    """The last listing fetch, or None when there was none yet."""
    row = job_runs.get_run(session, key=FETCH_KEY)
    if row is None:
        return None
    return FetchState(
        row.finished_at, row.ok, row.error, row.failures, row.failing_since, row.last_ok_at
    )


def local_time(when: datetime, zone: ZoneInfo, now: datetime) -> str:
    """``HH:MM`` on the same local day as ``now``, else with the day in front."""
    local = when.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


def late_line(state: FetchState, zone: ZoneInfo, now: datetime) -> str:
    """/papers' line while arXiv is unreachable (``state`` is a failed fetch)."""
    since = local_time(state.failing_since or state.at, zone, now)
    reason = f" ({esc(state.error)})" if state.error else ""
    return f"Today's listing is late: arXiv unreachable since {since}{reason}."


def status_lines(state: FetchState | None, zone: ZoneInfo, now: datetime) -> list[str]:
    """/status's arXiv section: the last fetch, and since when it fails."""
    lines = ["<b>arXiv</b>"]
    if state is None:
        lines.append("  no listing fetched yet")
        return lines
    at = local_time(state.at, zone, now)
    if state.ok:
        lines.append(f"  last fetch {at}: ok")
        return lines
    lines.append(f"  last fetch {at}: failed ({esc(state.error or 'no answer')})")
    since = local_time(state.failing_since or state.at, zone, now)
    tries = "1 try" if state.failures == 1 else f"{state.failures} tries"
    good = local_time(state.last_ok_at, zone, now) if state.last_ok_at else "never"
    lines.append(f"  unreachable since {since} ({tries}); last good fetch: {good}")
    return lines
