"""Keep each owner's outside calendars and errands in step: read busy times, write bookings.

One run per calendar: first push (CalDAV only) every accepted booking whose SEQUENCE is not on
the server yet and delete the ones no longer accepted; then read the calendar when its
ETag/ctag moved (or the cached copy no longer reaches the booking horizon), expand it
(``calendar_parse``) and replace the cached busy times in one transaction. Any failure is
recorded on the calendar and the last good copy stays: a failed sync never frees a time, and a
failed write is tried again next run (the booking itself is never touched).

Blocking I/O: the job runs ``sync`` in a worker thread. Passwords come from ``secrets``
(an env lookup the composition root passes in), by the variable NAME stored on the calendar.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from sqlalchemy import select

from agents.context import AppContext
from agents.meetings.calendar_events import FeedItem, stored_event
from agents.meetings.calendar_fetch import (
    CalDavCalendar,
    CalendarError,
    Fetched,
    IcsFetcher,
    host_of,
)
from agents.meetings.calendar_parse import busy_between, parse_calendars
from agents.meetings.policy import policy_of
from store import calendars, owners
from store.calendar_models import OwnerCalendar
from store.errors import ErrandsError, InvalidInput
from store.models import Booking

Secrets = Callable[[str], str | None]
"""Reads a secret by its env var name (None: not set)."""

REACH_BACK = timedelta(days=1)
WRITE_BACK = timedelta(days=1)
"""Bookings that ended longer ago than this are left alone on the server."""


class CalDav(Protocol):
    def fetch(
        self, *, ctag: str | None = None, start: datetime | None = None, end: datetime | None = None
    ) -> Fetched: ...
    def put(self, ics: str) -> None: ...
    def delete(self, uid: str) -> None: ...


CalDavFactory = Callable[[str, str, str], CalDav]


@dataclass
class SyncResult:
    """What one calendar's run did; ``error`` set means the last good copy was kept."""

    calendar_id: int
    owner_id: int
    url: str
    busy: int = 0
    changed: bool = False
    written: int = 0
    deleted: int = 0
    error: str | None = None


@dataclass
class Syncer:
    """The sync with its I/O seams (an ICS fetcher, a CalDAV factory, the secrets lookup)."""

    ctx: AppContext
    secrets: Secrets
    ics: IcsFetcher = field(default_factory=IcsFetcher)
    caldav: CalDavFactory = field(default=lambda url, user, pw: _caldav(url, user, pw))

    def sync(self, *, now: datetime, owner_id: int | None = None) -> list[SyncResult]:
        """Sync every calendar (of ``owner_id``, or all); never raises for one calendar."""
        with self.ctx.db.read() as session:
            ids = [c.id for c in calendars.list_for(session, owner_id=owner_id)]
        return [self.sync_one(cid, now=now) for cid in ids]

    def sync_one(self, calendar_id: int, *, now: datetime) -> SyncResult:
        with self.ctx.db.read() as session:
            row = session.get(OwnerCalendar, calendar_id)
            if row is None:
                raise InvalidInput(f"No calendar {calendar_id}.")
            owner = owners.get_owner(session, owner_id=row.owner_id)
            horizon = policy_of(self.ctx, owner).horizon_days
            kind, url, user, env = row.kind, row.url, row.username, row.password_env
            state, covered = row.state, row.covered_until
            zone = ZoneInfo(owner.timezone)
        result = SyncResult(calendar_id, owner.id, url)
        until = now + timedelta(days=horizon + 2)
        try:
            # Unchanged on the server and the copy still reaches the horizon: nothing to read.
            known = state if covered is not None and covered >= until - timedelta(days=1) else None
            if kind == "caldav":
                dav = self.caldav(url, user, self._password(env))
                self._push(dav, calendar_id, result, now=now)
                fetched = dav.fetch(ctag=known, start=now - REACH_BACK, end=until)
            else:
                fetched = self.ics.fetch(url, etag=known)
            busy = None
            if fetched.body is not None:
                found = busy_between(
                    parse_calendars(fetched.body), zone=zone, start=now - REACH_BACK, end=until
                )
                busy = [(b.start, b.end, b.uid, b.all_day) for b in found]
        except ErrandsError as exc:
            result.error = exc.user_message if isinstance(exc, CalendarError) else _label(url, exc)
            with self.ctx.db.write() as session:
                row = calendars.get(session, owner_id=owner.id, calendar_id=calendar_id)
                calendars.record_failure(row, error=result.error, now=now)
                result.busy = row.busy_count
            return result
        with self.ctx.db.write() as session:
            row = calendars.get(session, owner_id=owner.id, calendar_id=calendar_id)
            if busy is None:
                calendars.record_success(row, state=fetched.state, covered_until=None, now=now)
                result.busy = row.busy_count
            else:
                result.busy = calendars.replace_busy(
                    session, row, busy, state=fetched.state, covered_until=until, now=now
                )
                result.changed = True
        return result

    def push_pending(self, *, now: datetime, owner_id: int | None = None) -> list[SyncResult]:
        """Only the writes, and only for CalDAV calendars with a booking to PUT or DELETE: no
        network at all when nothing changed (cheap enough to run every minute)."""
        with self.ctx.db.read() as session:
            due = [
                (c.id, c.owner_id, c.url, c.username, c.password_env)
                for c in calendars.list_for(session, owner_id=owner_id)
                if c.kind == "caldav" and calendars.has_pending_writes(session, c, now=now)
            ]
        results = []
        for cal_id, cal_owner, url, user, env in due:
            result = SyncResult(cal_id, cal_owner, url)
            try:
                self._push(self.caldav(url, user, self._password(env)), cal_id, result, now=now)
            except ErrandsError as exc:
                result.error = exc.user_message
                with self.ctx.db.write() as session:
                    row = calendars.get(session, owner_id=cal_owner, calendar_id=cal_id)
                    calendars.record_failure(row, error=result.error, now=now)
            results.append(result)
        return results

    def _password(self, env: str) -> str:
        if not env:
            return ""
        value = self.secrets(env)
        if value is None:
            raise CalendarError(
                f"The password variable {env} is not set in errands' environment; "
                f"set {env} and restart errands."
            )
        return value

    def _push(self, dav: CalDav, calendar_id: int, result: SyncResult, *, now: datetime) -> None:
        """PUT accepted bookings not yet on the server at their SEQUENCE; DELETE the rest."""
        with self.ctx.db.read() as session:
            row = session.get(OwnerCalendar, calendar_id)
            assert row is not None
            owner_id = row.owner_id
            done = calendars.writes_of(session, calendar_id=calendar_id)
            accepted = session.scalars(
                select(Booking).where(
                    Booking.owner_id == owner_id,
                    Booking.status == "accepted",
                    Booking.end_at > now - WRITE_BACK,
                )
            ).all()
            to_put = [
                (b.id, stored_event(booking_item(b), now=now))
                for b in accepted
                if (w := done.get(b.id)) is None or w.state != "written" or w.sequence != b.sequence
            ]
            live = {b.id for b in accepted}
            to_delete = [
                (w.booking_id, w.uid)
                for w in done.values()
                if w.state == "written" and w.booking_id not in live
            ]
        for booking_id, ics in to_put:
            dav.put(ics)
            self._mark(calendar_id, booking_id, "written", now=now)
            result.written += 1
        for booking_id, uid in to_delete:
            dav.delete(uid)
            self._mark(calendar_id, booking_id, "deleted", now=now)
            result.deleted += 1

    def _mark(self, calendar_id: int, booking_id: int, state: str, *, now: datetime) -> None:
        with self.ctx.db.write() as session:
            booking = session.get(Booking, booking_id)
            if booking is not None:
                calendars.mark_written(
                    session, calendar_id=calendar_id, booking=booking, state=state, now=now
                )


def _caldav(url: str, user: str, password: str) -> CalDav:
    return CalDavCalendar(url, username=user, password=password)


def booking_item(booking: Booking) -> FeedItem:
    """A booking as the owner's calendars show it (the guest's name and mail, the topic).

    No manage link: that is the guest's, and the feed's URL may be shared with a calendar app.
    """
    topic = booking.topic or "Meeting"
    return FeedItem(
        uid=booking.ical_uid,
        sequence=booking.sequence,
        start=booking.start_at,
        end=booking.end_at,
        summary=f"Meeting with {booking.guest_name}",
        description=f"{topic}\n\nGuest: {booking.guest_name} <{booking.guest_email}>",
    )


def _label(url: str, exc: ErrandsError) -> str:
    """A parse failure names the calendar it came from."""
    return f"{host_of(url)}: {exc.user_message}"


def summary(results: list[SyncResult]) -> str | None:
    """One line for the job runner when some calendar failed (None: all fine)."""
    failed = [r for r in results if r.error]
    if not failed:
        return None
    first = failed[0]
    return f"{len(failed)} of {len(results)} calendars failed; {first.error}"
