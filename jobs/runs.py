"""The job runner's edge: record every scheduled run and tell the owner once per failure streak.

A failed run becomes one safe line (an ``ErrandsError``'s message, else only the exception's
type: a raw message may hold a URL with a key in it) in ``store.job_runs``. When a streak
reaches the job's ``notice_after`` failures in a row the owner gets one Telegram notice through
the outbox, keyed ``jobfail:<job>:<owner>:<streak start>`` so no retry or rerun repeats it, and
one "works again" notice when a run succeeds after it. Jobs that belong to nobody (the outbox,
the reminders pass) tell every owner with a chat.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.messaging import esc, tell_owner
from jobs.registry import JobSpec
from store import job_runs, owners
from store.errors import ErrandsError
from store.models import Owner

ERROR_MAX = 200


def job_key(name: str, owner_id: int | None) -> str:
    """The scheduler's id for a job: ``name`` or ``name:<owner>`` for per-owner jobs."""
    return name if owner_id is None else f"{name}:{owner_id}"


def one_line(exc: BaseException) -> str:
    """What a failure may say to people: the safe message of our errors, else the type only."""
    if isinstance(exc, ErrandsError):
        text = exc.user_message
    else:
        text = f"unexpected {type(exc).__name__} (details in the log)"
    line = " ".join(text.split())
    return line if len(line) <= ERROR_MAX else line[: ERROR_MAX - 1] + "…"


def _recipients(session: Session, owner_id: int | None) -> list[Owner]:
    if owner_id is not None:
        found = owners.get_owner(session, owner_id=owner_id)
        return [found] if found.chat_id is not None else []
    return [o for o in owners.list_owners(session) if o.chat_id is not None]


def _local(when: datetime, owner: Owner, now: datetime) -> str:
    zone = ZoneInfo(owner.timezone)
    local = when.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return local.strftime("%H:%M")
    return local.strftime("%a %d %b %H:%M")


def failure_text(name: str, error: str) -> str:
    return (
        f"⚠️ The <b>{esc(name)}</b> job failed: {esc(error)}\n"
        "It runs again on its schedule; /status shows how it goes. "
        "I'll tell you once when it works again."
    )


def recovery_text(name: str, failures: int, since: str) -> str:
    times = "once" if failures == 1 else f"{failures} times in a row"
    return f"✅ <b>{esc(name)}</b> works again (it failed {times}, since {since})."


def record(
    ctx: AppContext,
    spec: JobSpec,
    *,
    owner_id: int | None,
    started_at: datetime,
    finished_at: datetime,
    error: str | None,
) -> int:
    """Record one run of ``spec``; queue the streak's notice when due. Returns notices queued."""
    key = job_key(spec.name, owner_id)
    queued = 0
    with ctx.db.write() as session:
        row, before = job_runs.record_run(
            session,
            key=key,
            job=spec.name,
            owner_id=owner_id,
            started_at=started_at,
            finished_at=finished_at,
            error=error,
        )
        since = row.failing_since or before.failing_since
        if since is None:
            return 0
        stamp = since.isoformat()
        if error is None and before.notified:
            for owner in _recipients(session, owner_id):
                assert owner.chat_id is not None
                queued += tell_owner(
                    session,
                    chat_id=owner.chat_id,
                    text=recovery_text(
                        spec.name, before.failures, _local(since, owner, finished_at)
                    ),
                    key=f"jobok:{spec.name}:{owner.id}:{stamp}",
                    now=finished_at,
                )
        elif error is not None and not row.notified and row.failures >= spec.notice_after:
            for owner in _recipients(session, owner_id):
                assert owner.chat_id is not None
                queued += tell_owner(
                    session,
                    chat_id=owner.chat_id,
                    text=failure_text(spec.name, row.error or error),
                    key=f"jobfail:{spec.name}:{owner.id}:{stamp}",
                    now=finished_at,
                )
            job_runs.mark_notified(session, key=key)
    if queued and ctx.wake_outbox is not None:
        ctx.wake_outbox()
    return queued
