"""How an owner's calendars are doing, in words: /status, /calendar and the CLI say the same.

A failing calendar says what went wrong, since when, and how old the copy is that still
blocks times (a failed sync keeps the last good copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from agents.meetings.calendar_fetch import host_of
from agents.messaging import esc
from store import calendars
from store.calendar_models import OwnerCalendar

KIND_LABEL = {"caldav": "CalDAV", "ics": "subscription"}


def ago(then: datetime, now: datetime) -> str:
    """``5 min ago``, ``3 h ago``, ``2 days ago`` (``just now`` under a minute)."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return f"{seconds // 60} min ago"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h ago"
    return f"{seconds // 86400} days ago"


@dataclass(frozen=True)
class CalendarState:
    """A calendar row as plain values (safe to use after its session closed)."""

    id: int
    owner_id: int
    kind: str
    url: str
    username: str
    password_env: str
    last_ok_at: datetime | None
    last_attempt_at: datetime | None
    last_error: str | None
    failing_since: datetime | None
    busy_count: int

    @classmethod
    def of(cls, row: OwnerCalendar) -> CalendarState:
        return cls(
            row.id,
            row.owner_id,
            row.kind,
            row.url,
            row.username,
            row.password_env,
            row.last_ok_at,
            row.last_attempt_at,
            row.last_error,
            row.failing_since,
            row.busy_count,
        )

    @property
    def ok(self) -> bool:
        return self.last_error is None

    def to_json(self) -> dict[str, Any]:
        def iso(t: datetime | None) -> str | None:
            return t.isoformat() if t else None

        return {
            "id": self.id,
            "kind": self.kind,
            "url": safe_url(self.url),
            "user": self.username,
            "password_env": self.password_env,
            "last_ok_at": iso(self.last_ok_at),
            "last_attempt_at": iso(self.last_attempt_at),
            "error": self.last_error,
            "failing_since": iso(self.failing_since),
            "busy": self.busy_count,
        }


def safe_url(url: str) -> str:
    """Subscription URLs are secrets (Google's "secret address"): show host and a path hint."""
    host = host_of(url)
    tail = url.rstrip("/").rsplit("/", 1)[-1]
    return f"{host}/…{tail[-6:]}" if len(tail) > 6 else f"{host}/{tail}"


def describe(state: CalendarState, now: datetime) -> str:
    """One line (plain text) about one calendar."""
    label = f"#{state.id} {KIND_LABEL.get(state.kind, state.kind)} {safe_url(state.url)}"
    busy = f"{state.busy_count} busy time{'s' if state.busy_count != 1 else ''}"
    if state.last_attempt_at is None:
        return f"{label}: not synced yet"
    if state.ok and state.last_ok_at is not None:
        return f"{label}: synced {ago(state.last_ok_at, now)}, {busy}"
    since = f" since {ago(state.failing_since, now)}" if state.failing_since else ""
    kept = (
        f"still using the copy from {ago(state.last_ok_at, now)} ({busy})"
        if state.last_ok_at
        else "no copy yet, nothing blocked from it"
    )
    return f"{label}: sync failing{since}: {state.last_error}; {kept}"


def status_section(session: Session, *, owner_id: int | None, now: datetime) -> list[str]:
    """/status's "Calendars" lines (HTML); nothing when no calendar was added."""
    rows = calendars.list_for(session, owner_id=owner_id)
    if not rows:
        return []
    lines = ["<b>Calendars</b>"]
    for row in rows:
        state = CalendarState.of(row)
        lines.append(f"  {'✔' if state.ok else '✖'} {esc(describe(state, now))}")
    return lines
