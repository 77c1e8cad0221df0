"""The booking flow against the store: request, decide, expire, guest cancel/reschedule.

Each step is one ``db.write()`` (BEGIN IMMEDIATE) transaction that re-checks availability
(``slots``), changes the booking with a conditional update and queues every message it causes
(``notices``) with an idempotency key, so repeating a step (a double tap, a resumed graph, a
rerun job) sends nothing twice. ``now`` is always an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings import links, move_notices, moves, notices, offers
from agents.meetings.availability import check_reach
from agents.meetings.config import Policy
from agents.meetings.meeting_types import type_named, type_of_booking
from agents.meetings.messages import Reason
from agents.meetings.policy import config_of, gap, owner_by_slug, policy_of
from agents.meetings.slots import SlotTaken, alternatives_near, ensure_free
from agents.meetings.validate import clean_email, clean_name, clean_topic, clean_zone
from store import bookings, owners
from store.errors import Conflict, ErrandsError, InvalidInput, NotFound
from store.models import Booking, Owner

ACTIONS = ("approve", "decline", "offer", "expire")

_REASON: dict[str, Reason] = {"expire": "expired", "decline": "declined", "offer": "offer"}
_DONE = {"expired": "Expired.", "declined": "Declined.", "offer": "Offered other times."}
ALREADY = "Already handled."


class TooManyRequests(ErrandsError):
    """A cap on open requests or the rate limit was hit (HTTP 429)."""


@dataclass(frozen=True)
class Outcome:
    """What a decision did: ``changed`` False means someone else already handled it."""

    changed: bool
    text: str


@dataclass(frozen=True)
class BookingInput:
    slug: str
    start: datetime
    length: int
    name: str
    email: str
    topic: str
    timezone: str
    client_ip: str
    meeting_type: str = ""


def _length_of(booking: Booking, owner: Owner, policy: Policy) -> int:
    """The booking's length in minutes, or its type's default when no longer offered."""
    kind = type_of_booking(owner, policy, booking)
    length = int((booking.end_at - booking.start_at).total_seconds() // 60)
    return length if length in kind.lengths else kind.default_length


# ---------------------------------------------------------------------------- request


def request_booking(ctx: AppContext, data: BookingInput, *, now: datetime) -> Booking:
    """Validate, re-check the slot and insert a pending hold atomically; card to the owner.

    Raises ``InvalidInput`` (422), ``SlotTaken`` (409, with alternatives), ``TooManyRequests``
    (429) or ``NotFound`` (404). Nothing is stored unless everything passed.
    """
    name, email = clean_name(data.name), clean_email(data.email)
    topic, zone = clean_topic(data.topic), clean_zone(data.timezone)
    if data.start.tzinfo is None:
        raise InvalidInput("The start time needs a UTC offset (ISO-8601, e.g. +01:00).")
    check_reach(data.start, now)  # before any arithmetic: year 1 or 9999 would overflow
    start = data.start.astimezone(ZoneInfo("UTC"))
    if start <= now:
        raise InvalidInput("That time is in the past. Please pick a time from the page.")
    cfg = config_of(ctx)
    with ctx.db.write() as session:
        owner = owner_by_slug(session, data.slug)
        policy = policy_of(ctx, owner)
        kind = type_named(owner, policy, data.meeting_type)
        if data.length not in kind.lengths:
            offered = ", ".join(str(n) for n in kind.lengths)
            raise InvalidInput(f"{kind.name} meetings here are {offered} minutes long.")
        ensure_free(
            ctx,
            session,
            owner,
            start=start,
            length=data.length,
            now=now,
            not_offered="That time is not offered. Please pick a time from the page.",
        )
        if bookings.count_open(session, owner_id=owner.id, email=email) >= (
            cfg.open_requests_per_email
        ):
            raise TooManyRequests(
                "You already have open requests waiting for confirmation. "
                "Please wait for an answer before asking again."
            )
        if (
            data.client_ip
            and bookings.count_open(session, owner_id=owner.id, client_ip=data.client_ip)
            >= cfg.open_requests_per_ip
        ):
            raise TooManyRequests("Too many open requests from your network. Try again later.")
        try:
            booking = bookings.create_pending(
                session,
                owner_id=owner.id,
                start_at=start,
                end_at=start + timedelta(minutes=data.length),
                guest_name=name,
                guest_email=email,
                guest_timezone=zone,
                topic=topic,
                client_ip=data.client_ip[:64],
                expires_at=min(now + cfg.pending_ttl, start),
                now=now,
                gap=gap(policy),
            )
        except Conflict:
            raise SlotTaken([]) from None
        booking.meeting_type = kind.key
        session.flush()
        if kind.approval:
            notices.send_card(session, booking, owner, now=now)
            notices.mail_received(ctx, session, booking, owner, now=now)
            return booking
        # a type without approval: booked at once, the guest gets the invite now
        bookings.accept_if_pending(
            session, booking_id=booking.id, owner_id=owner.id, now=now, gap=gap(policy)
        )
        session.refresh(booking)
        notices.mail_invite(ctx, session, booking, owner, kind="confirm", now=now)
        notices.note_booked(ctx, session, booking, owner, now=now)
        return booking


# ---------------------------------------------------------------------------- decisions


def apply_decision(
    ctx: AppContext,
    *,
    booking_id: int,
    action: str,
    now: datetime,
    owner_id: int | None = None,
    picks: str | None = None,
) -> Outcome:
    """The owner's (or the clock's) decision, applied once; a repeat answers "already handled".

    ``picks`` (letters a-f) are the times the owner chose in the "Offer other times" picker
    (``offers``); without them an offer (or a decline) carries the nearest free times.
    """
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action {action!r}.")
    with ctx.db.write() as session:
        booking = session.get(Booking, booking_id)
        if booking is None or (owner_id is not None and booking.owner_id != owner_id):
            return Outcome(False, ALREADY)
        owner = owners.get_owner(session, owner_id=booking.owner_id)
        policy = policy_of(ctx, owner)
        if action == "approve":
            if not bookings.accept_if_pending(
                session, booking_id=booking_id, owner_id=owner.id, now=now, gap=gap(policy)
            ):
                session.refresh(booking)
                if booking.status == "pending":
                    return Outcome(
                        False,
                        "That time now clashes with another meeting. "
                        "Decline it or offer other times.",
                    )
                return Outcome(False, ALREADY)
            session.refresh(booking)
            notices.mail_invite(ctx, session, booking, owner, kind="confirm", now=now)
            notices.edit_card(
                session, booking, owner, outcome="approved", label="✅ <b>Approved.</b>", now=now
            )
            return Outcome(True, "Approved. The guest gets the invite.")
        status = "expired" if action == "expire" else "declined"
        if not bookings.close_if_pending(
            session, booking_id=booking_id, owner_id=owner.id, status=status, now=now
        ):
            return Outcome(False, ALREADY)
        if action == "offer" and picks is not None:
            alternatives = offers.chosen(ctx, session, booking, owner, picks, now=now)
        else:
            alternatives = alternatives_near(
                ctx,
                session,
                owner,
                target=booking.start_at,
                length=_length_of(booking, owner, policy),
                now=now,
            )
        reason = _REASON[action]
        notices.tell_not_this_time(
            ctx, session, booking, owner, reason=reason, alternatives=alternatives, now=now
        )
        return Outcome(True, _DONE[reason])


# ---------------------------------------------------------------------------- guest side


def booking_for_token(ctx: AppContext, session: Session, token: str, *, now: datetime) -> Booking:
    booking = session.get(Booking, links.booking_id_of(token))
    if booking is None:
        raise NotFound("This link is not valid. Use the link from your latest email.")
    links.verify(ctx.config.secret_key, token, nonce=booking.manage_token, now=now)
    return booking


def guest_cancel(ctx: AppContext, *, token: str, now: datetime) -> Booking:
    with ctx.db.write() as session:
        booking = booking_for_token(ctx, session, token, now=now)
        was = booking.status
        owner = owners.get_owner(session, owner_id=booking.owner_id)
        move_card = move_notices.card_of(booking, owner)  # an open move request's card
        if not bookings.cancel_if_active(session, booking_id=booking.id, now=now):
            raise InvalidInput("This meeting is already cancelled or closed.")
        session.refresh(booking)
        if move_card is not None:
            label = "❌ <b>The guest cancelled the meeting.</b>"
            move_notices.close_card(
                session, owner, move_card, outcome="cancelled", label=label, now=now
            )
        if was == "accepted":
            notices.mail_invite(ctx, session, booking, owner, kind="cancel", now=now)
        else:
            notices.edit_card(
                session,
                booking,
                owner,
                outcome="withdrawn",
                label="↩️ <b>Withdrawn by the guest.</b>",
                now=now,
            )
        notices.note_cancelled(session, booking, owner, now=now)
        return booking


def guest_reschedule(
    ctx: AppContext, *, token: str, start: datetime, sequence: int, now: datetime
) -> Booking:
    """Move an accepted meeting to a free slot: at once (same UID, SEQUENCE + 1, owner told)
    when its type needs no approval, else as a request the owner approves (``moves``)."""
    if start.tzinfo is None:
        raise InvalidInput("The start time needs a UTC offset.")
    check_reach(start, now)
    with ctx.db.write() as session:
        booking = booking_for_token(ctx, session, token, now=now)
        if booking.status != "accepted":
            raise InvalidInput(
                f"Only a confirmed meeting can be moved; this one is {booking.status}."
            )
        owner = owners.get_owner(session, owner_id=booking.owner_id)
        policy = policy_of(ctx, owner)
        length = _length_of(booking, owner, policy)
        ensure_free(
            ctx,
            session,
            owner,
            start=start,
            length=length,
            now=now,
            not_offered="That time is not offered. Please pick one from the page.",
            ignore_booking=booking.id,
        )
        if needs_approval(ctx, owner, booking):
            moves.request_move(
                session, booking, owner, start=start, length=length, sequence=sequence, now=now
            )
        else:
            moves.move_now(
                ctx,
                session,
                booking,
                owner,
                start=start,
                length=length,
                policy=policy,
                sequence=sequence,
                now=now,
            )
        return booking


def needs_approval(ctx: AppContext, owner: Owner, booking: Booking) -> bool:
    """Whether moving ``booking`` waits for the owner (its type's rule; an owner without a
    chat could never answer, so their meetings move at once)."""
    kind = type_of_booking(owner, policy_of(ctx, owner), booking)
    return kind.approval and owner.chat_id is not None
