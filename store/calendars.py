"""Owner calendars, the busy times of their last good copy, and bookings written to them.

A sync replaces a calendar's busy rows only with a newer good copy (``replace_busy``); a
failure only records its error (``record_failure``), so known busy times are never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store.calendar_models import CalendarBusy, CalendarWrite, OwnerCalendar
from store.errors import Conflict, NotFound
from store.models import Booking

ERROR_LENGTH = 500


def add(
    session: Session,
    *,
    owner_id: int,
    kind: str,
    url: str,
    username: str = "",
    password_env: str = "",
    now: datetime,
) -> OwnerCalendar:
    """A new calendar for ``owner_id`` (``Conflict`` when that URL is already there)."""
    if session.scalar(
        select(OwnerCalendar.id).where(OwnerCalendar.owner_id == owner_id, OwnerCalendar.url == url)
    ):
        raise Conflict("That calendar is already added.")
    row = OwnerCalendar(
        owner_id=owner_id,
        kind=kind,
        url=url,
        username=username,
        password_env=password_env,
        created_at=now,
    )
    session.add(row)
    session.flush()
    return row


def list_for(session: Session, *, owner_id: int | None = None) -> list[OwnerCalendar]:
    query = select(OwnerCalendar).order_by(OwnerCalendar.owner_id, OwnerCalendar.id)
    if owner_id is not None:
        query = query.where(OwnerCalendar.owner_id == owner_id)
    return list(session.scalars(query))


def get(session: Session, *, owner_id: int, calendar_id: int) -> OwnerCalendar:
    row = session.get(OwnerCalendar, calendar_id)
    if row is None or row.owner_id != owner_id:
        raise NotFound(f"No calendar {calendar_id} for this owner.")
    return row


def remove(session: Session, *, owner_id: int, calendar_id: int) -> None:
    """Forget a calendar and its busy times (what was written to it stays on the server)."""
    row = get(session, owner_id=owner_id, calendar_id=calendar_id)
    session.execute(delete(CalendarBusy).where(CalendarBusy.calendar_id == row.id))
    session.execute(delete(CalendarWrite).where(CalendarWrite.calendar_id == row.id))
    session.delete(row)


def replace_busy(
    session: Session,
    row: OwnerCalendar,
    intervals: Iterable[tuple[datetime, datetime, str, bool]],
    *,
    state: str | None,
    covered_until: datetime,
    now: datetime,
) -> int:
    """Make ``intervals`` (start, end, uid, all-day) the calendar's busy times: a good copy."""
    session.execute(delete(CalendarBusy).where(CalendarBusy.calendar_id == row.id))
    rows = [
        CalendarBusy(
            calendar_id=row.id, owner_id=row.owner_id, start_at=s, end_at=e, uid=u, all_day=a
        )
        for s, e, u, a in intervals
    ]
    session.add_all(rows)
    record_success(row, state=state, covered_until=covered_until, now=now, count=len(rows))
    session.flush()
    return len(rows)


def record_success(
    row: OwnerCalendar,
    *,
    state: str | None,
    covered_until: datetime | None,
    now: datetime,
    count: int | None = None,
) -> None:
    """The copy in the store is good as of ``now`` (also when the server said unchanged)."""
    row.state = state
    if covered_until is not None:
        row.covered_until = covered_until
    row.last_attempt_at = now
    row.last_ok_at = now
    row.last_error = None
    row.failing_since = None
    if count is not None:
        row.busy_count = count


def record_failure(row: OwnerCalendar, *, error: str, now: datetime) -> None:
    """Keep the last good copy; remember what went wrong and since when."""
    row.last_attempt_at = now
    row.last_error = error[:ERROR_LENGTH]
    if row.failing_since is None:
        row.failing_since = now


def busy_between(
    session: Session, *, owner_id: int, start: datetime, end: datetime
) -> list[tuple[datetime, datetime]]:
    """Cached busy intervals of ``owner_id`` overlapping ``[start, end)``, minus copies of the
    owner's own bookings (their UID), which the bookings themselves already block."""
    own = select(Booking.ical_uid).where(Booking.owner_id == owner_id)
    rows = session.execute(
        select(CalendarBusy.start_at, CalendarBusy.end_at)
        .where(
            CalendarBusy.owner_id == owner_id,
            CalendarBusy.start_at < end,
            CalendarBusy.end_at > start,
            CalendarBusy.uid.not_in(own),
        )
        .order_by(CalendarBusy.start_at)
    )
    return [(s, e) for s, e in rows]


# ---------------------------------------------------------------- writes to CalDAV


def writes_of(session: Session, *, calendar_id: int) -> dict[int, CalendarWrite]:
    rows = session.scalars(select(CalendarWrite).where(CalendarWrite.calendar_id == calendar_id))
    return {w.booking_id: w for w in rows}


def has_pending_writes(
    session: Session, row: OwnerCalendar, *, now: datetime, back: timedelta = timedelta(days=1)
) -> bool:
    """An accepted booking (ending after ``now - back``) not on the calendar at its SEQUENCE,
    or one written there that is no longer accepted."""
    written = select(CalendarWrite).where(CalendarWrite.calendar_id == row.id)
    done = {w.booking_id: (w.state, w.sequence) for w in session.scalars(written)}
    accepted = session.execute(
        select(Booking.id, Booking.sequence).where(
            Booking.owner_id == row.owner_id,
            Booking.status == "accepted",
            Booking.end_at > now - back,
        )
    ).all()
    if any(done.get(b_id) != ("written", seq) for b_id, seq in accepted):
        return True
    live = {b_id for b_id, _ in accepted}
    return any(state == "written" and b_id not in live for b_id, (state, _) in done.items())


def mark_written(
    session: Session,
    *,
    calendar_id: int,
    booking: Booking,
    state: str,
    now: datetime,
) -> None:
    """Remember that ``booking`` at its current SEQUENCE is ``state`` on the server."""
    row = session.scalar(
        select(CalendarWrite).where(
            CalendarWrite.calendar_id == calendar_id, CalendarWrite.booking_id == booking.id
        )
    )
    if row is None:
        row = CalendarWrite(calendar_id=calendar_id, booking_id=booking.id, uid=booking.ical_uid)
        session.add(row)
    row.sequence = booking.sequence
    row.state = state
    row.updated_at = now
    session.flush()
