"""Bookings: atomic check-and-insert, conditional status changes, and the queries around them.

Every function takes the caller's session; callers that check then write use
``Database.write()`` (``BEGIN IMMEDIATE``; on PostgreSQL an advisory lock), so the overlap
check and the insert or update see the same committed state. The database is the second
guard, whatever code path writes:
no two pending/accepted bookings of one owner may overlap once each is stretched by its
``gap_minutes`` (migration 0012: SQLite triggers, a PostgreSQL exclusion constraint), and a
refusal there is the same ``Conflict`` as the check's.
``gap`` is the owner's ``buffer_before + buffer_after``: the least time between two meetings;
the rows written here keep it as ``gap_minutes``.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from store.errors import Conflict, NotFound
from store.models import Booking

ACTIVE = ("pending", "accepted")


def get(session: Session, *, booking_id: int) -> Booking:
    booking = session.get(Booking, booking_id)
    if booking is None:
        raise NotFound("That booking does not exist.")
    return booking


def _minutes(gap: timedelta) -> int:
    return max(0, int(gap.total_seconds() // 60))


def active_between(
    session: Session, *, owner_id: int, start: datetime, end: datetime
) -> list[Booking]:
    """Pending and accepted bookings of ``owner_id`` overlapping ``[start, end)``."""
    return list(
        session.scalars(
            select(Booking)
            .where(
                Booking.owner_id == owner_id,
                Booking.status.in_(ACTIVE),
                Booking.start_at < end,
                Booking.end_at > start,
            )
            .order_by(Booking.start_at)
        )
    )


def _clash(
    session: Session,
    *,
    owner_id: int,
    start: datetime,
    end: datetime,
    gap: timedelta,
    statuses: tuple[str, ...] = ACTIVE,
    exclude_id: int | None = None,
) -> bool:
    query = select(Booking.id).where(
        Booking.owner_id == owner_id,
        Booking.status.in_(statuses),
        Booking.start_at < end + gap,
        Booking.end_at > start - gap,
    )
    if exclude_id is not None:
        query = query.where(Booking.id != exclude_id)
    return session.scalar(query.limit(1)) is not None


def narrow_gaps(session: Session, *, owner_id: int, gap: timedelta) -> int:
    """Active bookings keep at most the owner's new ``gap``: after the buffers shrink, the
    times the page now offers next to them are not refused by a wider gap of the past.
    (A wider new gap is not applied to existing meetings: they were agreed under the old.)"""
    done = session.execute(
        update(Booking)
        .where(
            Booking.owner_id == owner_id,
            Booking.status.in_(ACTIVE),
            Booking.gap_minutes > _minutes(gap),
        )
        .values(gap_minutes=_minutes(gap))
        .execution_options(synchronize_session=False)
    )
    return int(getattr(done, "rowcount", 0))


def count_open(
    session: Session, *, owner_id: int, email: str | None = None, client_ip: str | None = None
) -> int:
    """Pending requests to ``owner_id`` from one email address or one client address."""
    query = select(func.count()).where(Booking.owner_id == owner_id, Booking.status == "pending")
    if email is not None:
        query = query.where(func.lower(Booking.guest_email) == email.lower())
    if client_ip is not None:
        query = query.where(Booking.client_ip == client_ip)
    return int(session.scalar(query) or 0)


def create_pending(
    session: Session,
    *,
    owner_id: int,
    start_at: datetime,
    end_at: datetime,
    guest_name: str,
    guest_email: str,
    guest_timezone: str,
    topic: str,
    client_ip: str,
    expires_at: datetime,
    now: datetime,
    gap: timedelta,
    uid_domain: str = "errands",
) -> Booking:
    """Insert a pending booking unless it clashes with an active one (``Conflict``)."""
    if _clash(session, owner_id=owner_id, start=start_at, end=end_at, gap=gap):
        raise Conflict("That time was just taken.")
    booking = Booking(
        owner_id=owner_id,
        guest_name=guest_name,
        guest_email=guest_email,
        guest_timezone=guest_timezone,
        topic=topic,
        start_at=start_at,
        end_at=end_at,
        status="pending",
        expires_at=expires_at,
        manage_token=secrets.token_urlsafe(24),
        ical_uid=f"{secrets.token_hex(16)}@{uid_domain}",
        sequence=0,
        client_ip=client_ip,
        created_at=now,
        gap_minutes=_minutes(gap),
    )
    try:
        with session.begin_nested():
            session.add(booking)
            session.flush()
    except IntegrityError:  # the database's overlap guard: another path inserted first
        raise Conflict("That time was just taken.") from None
    return booking


def accept_if_pending(
    session: Session, *, booking_id: int, owner_id: int, now: datetime, gap: timedelta
) -> bool:
    """pending -> accepted in one conditional UPDATE, only if no accepted meeting clashes.

    The row takes the owner's current ``gap``; when that wider gap now reaches another active
    booking, the database refuses it and the request stays pending (False).
    """
    booking = session.get(Booking, booking_id)
    if booking is None or booking.owner_id != owner_id:
        return False
    other = aliased(Booking)
    clash = exists().where(
        other.owner_id == owner_id,
        other.id != booking_id,
        other.status == "accepted",
        other.start_at < booking.end_at + gap,
        other.end_at > booking.start_at - gap,
    )
    try:
        with session.begin_nested():
            done = session.execute(
                update(Booking)
                .where(and_(Booking.id == booking_id, Booking.status == "pending", ~clash))
                .values(status="accepted", decided_at=now, gap_minutes=_minutes(gap))
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        session.expire(booking)
        return False
    session.expire(booking)
    return bool(getattr(done, "rowcount", 0))


def close_if_pending(
    session: Session, *, booking_id: int, owner_id: int, status: str, now: datetime
) -> bool:
    """pending -> declined/expired, once."""
    assert status in ("declined", "expired")
    done = session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.owner_id == owner_id, Booking.status == "pending")
        .values(status=status, decided_at=now)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(done, "rowcount", 0))


def cancel_if_active(session: Session, *, booking_id: int, now: datetime) -> bool:
    """pending/accepted -> cancelled (SEQUENCE + 1), once."""
    done = session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.status.in_(ACTIVE))
        .values(status="cancelled", decided_at=now, sequence=Booking.sequence + 1)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(done, "rowcount", 0))


def move_if_free(
    session: Session,
    *,
    booking_id: int,
    start_at: datetime,
    end_at: datetime,
    gap: timedelta,
    expected_sequence: int,
    now: datetime,
) -> bool:
    """Move an active booking (same UID, SEQUENCE + 1, fresh manage token) if the time is free.

    ``expected_sequence`` makes a second submit of the same reschedule form a no-op.
    ``decided_at`` becomes ``now``: the time was settled again (reminders count from it).
    """
    booking = get(session, booking_id=booking_id)
    if booking.status not in ACTIVE or booking.sequence != expected_sequence:
        return False
    if _clash(
        session,
        owner_id=booking.owner_id,
        start=start_at,
        end=end_at,
        gap=gap,
        exclude_id=booking_id,
    ):
        raise Conflict("That time was just taken.")
    try:
        with session.begin_nested():
            done = session.execute(
                update(Booking)
                .where(
                    Booking.id == booking_id,
                    Booking.status.in_(ACTIVE),
                    Booking.sequence == expected_sequence,
                )
                .values(
                    start_at=start_at,
                    end_at=end_at,
                    sequence=Booking.sequence + 1,
                    manage_token=secrets.token_urlsafe(24),
                    decided_at=now,
                    gap_minutes=_minutes(gap),
                )
                .execution_options(synchronize_session=False)
            )
    except IntegrityError:
        session.expire(booking)
        raise Conflict("That time was just taken.") from None
    session.expire(booking)
    return bool(getattr(done, "rowcount", 0))


def due_pending(session: Session, *, now: datetime, owner_id: int | None = None) -> list[Booking]:
    """Pending requests whose hold ran out."""
    query = select(Booking).where(Booking.status == "pending", Booking.expires_at <= now)
    if owner_id is not None:
        query = query.where(Booking.owner_id == owner_id)
    return list(session.scalars(query.order_by(Booking.id)))


def accepted_starting(
    session: Session, *, after: datetime, until: datetime, owner_id: int | None = None
) -> list[Booking]:
    """Accepted meetings starting in ``(after, until]``."""
    query = select(Booking).where(
        Booking.status == "accepted", Booking.start_at > after, Booking.start_at <= until
    )
    if owner_id is not None:
        query = query.where(Booking.owner_id == owner_id)
    return list(session.scalars(query.order_by(Booking.start_at)))


def upcoming(session: Session, *, owner_id: int, now: datetime, limit: int = 30) -> list[Booking]:
    """Pending and accepted bookings that have not ended, soonest first."""
    return list(
        session.scalars(
            select(Booking)
            .where(Booking.owner_id == owner_id, Booking.status.in_(ACTIVE), Booking.end_at > now)
            .order_by(Booking.start_at)
            .limit(limit)
        )
    )


def with_guest(session: Session, *, owner_id: int, words: str, limit: int = 50) -> list[Booking]:
    """Bookings of ``owner_id`` whose guest email is ``words`` or whose name contains it."""
    needle = " ".join(words.split()).lower()
    return list(
        session.scalars(
            select(Booking)
            .where(
                Booking.owner_id == owner_id,
                (func.lower(Booking.guest_email) == needle)
                | func.lower(Booking.guest_name).contains(needle, autoescape=True),
            )
            .order_by(Booking.start_at.desc())
            .limit(limit)
        )
    )


def propose_move(
    session: Session,
    *,
    booking_id: int,
    start_at: datetime,
    end_at: datetime,
    expected_sequence: int,
) -> bool:
    """Record a guest's move request on an accepted booking with none open, once."""
    done = session.execute(
        update(Booking)
        .where(
            Booking.id == booking_id,
            Booking.status == "accepted",
            Booking.sequence == expected_sequence,
            Booking.proposed_start_at.is_(None),
        )
        .values(proposed_start_at=start_at, proposed_end_at=end_at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(done, "rowcount", 0))


def clear_proposal(session: Session, *, booking_id: int) -> bool:
    """Drop a booking's open move request (decided, withdrawn or passed); True if one was open."""
    done = session.execute(
        update(Booking)
        .where(Booking.id == booking_id, Booking.proposed_start_at.is_not(None))
        .values(proposed_start_at=None, proposed_end_at=None)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(done, "rowcount", 0))


def proposed_between(
    session: Session, *, owner_id: int, start: datetime, end: datetime
) -> list[Booking]:
    """Accepted bookings of ``owner_id`` whose open move request overlaps ``[start, end)``."""
    return list(
        session.scalars(
            select(Booking).where(
                Booking.owner_id == owner_id,
                Booking.status == "accepted",
                Booking.proposed_start_at < end,
                Booking.proposed_end_at > start,
            )
        )
    )


def open_proposals(session: Session, *, owner_id: int | None = None) -> list[Booking]:
    """Accepted bookings with a move request waiting for the owner, soonest proposal first."""
    query = select(Booking).where(
        Booking.status == "accepted", Booking.proposed_start_at.is_not(None)
    )
    if owner_id is not None:
        query = query.where(Booking.owner_id == owner_id)
    return list(session.scalars(query.order_by(Booking.proposed_start_at)))
