"""The booking flow against the store: request, decide, expire, guest cancel/reschedule.

Each step is one ``db.write()`` (BEGIN IMMEDIATE) transaction that re-checks availability,
changes the booking with a conditional update and enqueues every message it causes with an
idempotency key, so repeating a step (a double tap, a resumed graph, a rerun job) sends
nothing twice. ``now`` is always an argument.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings import links, messages
from agents.meetings.availability import (
    Busy,
    DateOverride,
    Slot,
    WeeklyWindow,
    compute_slots,
    nearest,
)
from agents.meetings.config import MeetingsConfig, Policy, validate_policy
from agents.meetings.ics import build_ics
from agents.meetings.validate import clean_email, clean_name, clean_topic, clean_zone
from store import availability as avail_store
from store import bookings, outbox, owners
from store.errors import Conflict, ErrandsError, InvalidInput, NotFound
from store.models import Booking, Owner

log = logging.getLogger(__name__)


class SlotTaken(Conflict):
    """The slot was free when shown but is taken now; ``alternatives`` are free ones nearby."""

    def __init__(self, alternatives: list[Slot]) -> None:
        super().__init__("Sorry, that time was just taken. Please pick another one.")
        self.alternatives = alternatives


class TooManyRequests(ErrandsError):
    """A cap on open requests or the rate limit was hit (HTTP 429)."""


@dataclass(frozen=True)
class Outcome:
    """What a decision did: ``changed`` False means someone else already handled it."""

    changed: bool
    text: str


def config_of(ctx: AppContext) -> MeetingsConfig:
    return ctx.config.meetings


def policy_of(ctx: AppContext, owner: Owner) -> Policy:
    stored = (owner.preferences or {}).get("meetings") or {}
    base = config_of(ctx).default_policy
    known = {k: v for k, v in stored.items() if k in Policy.__dataclass_fields__}
    if "lengths" in known:
        known["lengths"] = tuple(known["lengths"])
    try:
        return validate_policy(replace(base, **known))
    except (InvalidInput, TypeError):
        log.warning("owner %s has an invalid meeting policy; using defaults", owner.id)
        return base


def save_policy(session: Session, owner: Owner, policy: Policy) -> None:
    validate_policy(policy)
    prefs = dict(owner.preferences or {})
    prefs["meetings"] = policy.to_json()
    owner.preferences = prefs


def owner_by_slug(session: Session, slug: str) -> Owner:
    owner = owners.get_by_slug(session, slug=slug[:64]) if slug else None
    if owner is None:
        raise NotFound("There is no booking page at this address.")
    return owner


def gap(policy: Policy) -> timedelta:
    return timedelta(minutes=policy.buffer_before + policy.buffer_after)


def load_rules(session: Session, owner_id: int) -> list[WeeklyWindow]:
    return [
        WeeklyWindow(r.weekday, r.start_time, r.end_time)
        for r in avail_store.list_rules(session, owner_id=owner_id)
    ]


def load_overrides(session: Session, owner_id: int) -> list[DateOverride]:
    return [
        DateOverride(o.on_date, o.kind, o.start_time, o.end_time)
        for o in avail_store.list_overrides(session, owner_id=owner_id)
    ]


def free_slots(
    ctx: AppContext,
    session: Session,
    owner: Owner,
    *,
    start: datetime,
    end: datetime,
    length: int,
    now: datetime,
    ignore_booking: int | None = None,
    ignore_busy: bool = False,
) -> list[Slot]:
    """Live free slots of ``owner`` starting in ``[start, end)``."""
    policy = policy_of(ctx, owner)
    zone = ZoneInfo(owner.timezone)
    busy: list[Busy] = []
    if not ignore_busy:
        pad = timedelta(days=1) + gap(policy) + timedelta(minutes=max(policy.lengths))
        busy = [
            Busy(b.start_at, b.end_at)
            for b in bookings.active_between(
                session, owner_id=owner.id, start=start - pad, end=end + pad
            )
            if b.id != ignore_booking
        ]
    return compute_slots(
        policy=policy,
        length=length,
        rules=load_rules(session, owner.id),
        overrides=load_overrides(session, owner.id),
        busy=busy,
        zone=zone,
        now=now,
        start=start,
        end=end,
    )


def alternatives_near(
    ctx: AppContext,
    session: Session,
    owner: Owner,
    *,
    target: datetime,
    length: int,
    now: datetime,
    n: int = 3,
) -> list[Slot]:
    """``n`` free slots closest to ``target`` (searching a week either side, then further)."""
    for days in (7, 30):
        slots = free_slots(
            ctx,
            session,
            owner,
            start=target - timedelta(days=days),
            end=target + timedelta(days=days),
            length=length,
            now=now,
        )
        if len(slots) >= n:
            break
    return nearest(slots, target, n)


def slot_link(ctx: AppContext, slug: str, slot: Slot, tz: str) -> str:
    length = int((slot.end - slot.start).total_seconds() // 60)
    query = urlencode({"start": slot.start.isoformat(), "length": length, "tz": tz})
    return f"{ctx.config.public_url.rstrip('/')}/book/{slug}/slot?{query}"


def page_link(ctx: AppContext, slug: str) -> str:
    return f"{ctx.config.public_url.rstrip('/')}/book/{slug}"


def card_key(booking_id: int) -> str:
    return f"meetings:card:{booking_id}"


def manage_link(ctx: AppContext, booking: Booking) -> str:
    token = links.make_token(
        ctx.config.secret_key,
        booking_id=booking.id,
        nonce=booking.manage_token,
        expires=booking.start_at,
    )
    return links.manage_url(ctx.config.public_url, token)


def _card_text(booking: Booking, owner: Owner) -> str:
    return messages.owner_card(
        name=booking.guest_name,
        email=booking.guest_email,
        topic=booking.topic,
        start=booking.start_at,
        end=booking.end_at,
        owner_zone=owner.timezone,
        guest_zone=booking.guest_timezone,
    )


def card_buttons(booking_id: int) -> list[list[dict[str, Any]]]:
    return [
        [
            {"text": "✅ Approve", "callback_data": f"mtg:{booking_id}:approve"},
            {"text": "❌ Decline", "callback_data": f"mtg:{booking_id}:decline"},
        ],
        [{"text": "🕒 Offer other times", "callback_data": f"mtg:{booking_id}:offer"}],
    ]


def _tell_owner(
    session: Session,
    owner: Owner,
    *,
    text: str,
    key: str,
    now: datetime,
    edit_of: str | None = None,
    buttons: list[list[dict[str, Any]]] | None = None,
) -> None:
    if owner.chat_id is None:
        return
    payload: dict[str, Any] = {"text": text, "buttons": buttons or []}
    if edit_of:
        payload["edit_of"] = edit_of
    outbox.enqueue(
        session,
        channel="telegram",
        recipient=str(owner.chat_id),
        payload=payload,
        due_at=now,
        idempotency_key=key,
        now=now,
    )


def _mail_guest(
    session: Session,
    booking: Booking,
    *,
    subject: str,
    text: str,
    key: str,
    now: datetime,
    ics: str | None = None,
    method: str | None = None,
) -> None:
    payload: dict[str, Any] = {
        "subject": subject,
        "text": text,
        "html": None,
        "ics": ics,
        "ics_method": method,
    }
    outbox.enqueue(
        session,
        channel="email",
        recipient=booking.guest_email,
        payload=payload,
        due_at=now,
        idempotency_key=key,
        now=now,
    )


def invite(ctx: AppContext, booking: Booking, owner: Owner, *, method: str, now: datetime) -> str:
    topic = booking.topic or "Meeting"
    return build_ics(
        uid=booking.ical_uid,
        sequence=booking.sequence,
        method=method,
        start=booking.start_at,
        end=booking.end_at,
        summary=f"{owner.name} / {booking.guest_name}",
        description=f"{topic}\n\nReschedule or cancel: {manage_link(ctx, booking)}"
        if method == "REQUEST"
        else topic,
        guest_name=booking.guest_name,
        guest_email=booking.guest_email,
        organizer_name=owner.name,
        organizer_email=config_of(ctx).organizer_email,
        now=now,
        url=manage_link(ctx, booking) if method == "REQUEST" else None,
    )


# ---------------------------------------------------------------------------- request


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


def request_booking(ctx: AppContext, data: BookingInput, *, now: datetime) -> Booking:
    """Validate, re-check the slot and insert a pending hold atomically; card to the owner.

    Raises ``InvalidInput`` (422), ``SlotTaken`` (409, with alternatives), ``TooManyRequests``
    (429) or ``NotFound`` (404). Nothing is stored unless everything passed.
    """
    name, email = clean_name(data.name), clean_email(data.email)
    topic, zone = clean_topic(data.topic), clean_zone(data.timezone)
    if data.start.tzinfo is None:
        raise InvalidInput("The start time needs a UTC offset (ISO-8601, e.g. +01:00).")
    start = data.start.astimezone(ZoneInfo("UTC"))
    if start <= now:
        raise InvalidInput("That time is in the past. Please pick a time from the page.")
    cfg = config_of(ctx)
    with ctx.db.write() as session:
        owner = owner_by_slug(session, data.slug)
        policy = policy_of(ctx, owner)
        if data.length not in policy.lengths:
            offered = ", ".join(str(n) for n in policy.lengths)
            raise InvalidInput(f"Meetings here are {offered} minutes long.")
        end = start + timedelta(minutes=data.length)
        lo, hi = start - timedelta(minutes=1), start + timedelta(minutes=1)
        free = free_slots(ctx, session, owner, start=lo, end=hi, length=data.length, now=now)
        if not any(s.start == start for s in free):
            offered_at_all = free_slots(
                ctx, session, owner, start=lo, end=hi, length=data.length, now=now, ignore_busy=True
            )
            if not any(s.start == start for s in offered_at_all):
                raise InvalidInput("That time is not offered. Please pick a time from the page.")
            raise SlotTaken(
                alternatives_near(ctx, session, owner, target=start, length=data.length, now=now)
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
                end_at=end,
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
        _tell_owner(
            session,
            owner,
            text=_card_text(booking, owner),
            key=card_key(booking.id),
            now=now,
            buttons=card_buttons(booking.id),
        )
        return booking


# ---------------------------------------------------------------------------- decisions

ACTIONS = ("approve", "decline", "offer", "expire")


def apply_decision(
    ctx: AppContext, *, booking_id: int, action: str, now: datetime, owner_id: int | None = None
) -> Outcome:
    """The owner's (or the clock's) decision, applied once; a repeat answers "already handled"."""
    if action not in ACTIONS:
        raise InvalidInput(f"Unknown action {action!r}.")
    with ctx.db.write() as session:
        booking = session.get(Booking, booking_id)
        if booking is None or (owner_id is not None and booking.owner_id != owner_id):
            return Outcome(False, "Already handled.")
        owner = owners.get_owner(session, owner_id=booking.owner_id)
        policy = policy_of(ctx, owner)
        card = _card_text(booking, owner)
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
                return Outcome(False, "Already handled.")
            session.refresh(booking)
            subject, text = messages.confirmation(
                owner_name=owner.name,
                start=booking.start_at,
                end=booking.end_at,
                zone=booking.guest_timezone,
                topic=booking.topic,
                manage=manage_link(ctx, booking),
            )
            _mail_guest(
                session,
                booking,
                subject=subject,
                text=text,
                key=f"meetings:confirm:{booking.id}:{booking.sequence}",
                now=now,
                ics=invite(ctx, booking, owner, method="REQUEST", now=now),
                method="REQUEST",
            )
            _tell_owner(
                session,
                owner,
                text=messages.card_outcome(card, "✅ <b>Approved.</b>"),
                key=f"{card_key(booking.id)}:approved",
                now=now,
                edit_of=card_key(booking.id),
            )
            return Outcome(True, "Approved. The guest gets the invite.")
        status = "expired" if action == "expire" else "declined"
        if not bookings.close_if_pending(
            session, booking_id=booking_id, owner_id=owner.id, status=status, now=now
        ):
            return Outcome(False, "Already handled.")
        length = int((booking.end_at - booking.start_at).total_seconds() // 60)
        alternatives = alternatives_near(
            ctx,
            session,
            owner,
            target=booking.start_at,
            length=length if length in policy.lengths else policy.default_length,
            now=now,
        )
        zone = booking.guest_timezone
        slugs = [slot_link(ctx, owner.slug, s, zone) for s in alternatives]
        reason = {"expire": "expired", "decline": "declined", "offer": "offer"}[action]
        subject, text = messages.not_this_time(
            owner_name=owner.name,
            start=booking.start_at,
            end=booking.end_at,
            zone=zone,
            reason=reason,
            alternatives=alternatives,
            links=slugs,
            page=page_link(ctx, owner.slug),
        )
        _mail_guest(
            session,
            booking,
            subject=subject,
            text=text,
            key=f"meetings:{reason}:{booking.id}",
            now=now,
        )
        label = {
            "expired": "⌛ <b>Expired</b> (no answer in time); the guest was told.",
            "declined": "❌ <b>Declined.</b> The guest was told kindly.",
            "offer": "🕒 <b>Offered other times:</b>\n"
            + "\n".join(
                messages.esc(messages.when(s.start, s.end, owner.timezone)) for s in alternatives
            ),
        }[reason]
        _tell_owner(
            session,
            owner,
            text=messages.card_outcome(card, label),
            key=f"{card_key(booking.id)}:{reason}",
            now=now,
            edit_of=card_key(booking.id),
        )
        return Outcome(
            True,
            {"expired": "Expired.", "declined": "Declined.", "offer": "Offered other times."}[
                reason
            ],
        )


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
        if not bookings.cancel_if_active(session, booking_id=booking.id, now=now):
            raise InvalidInput("This meeting is already cancelled or closed.")
        session.refresh(booking)
        owner = owners.get_owner(session, owner_id=booking.owner_id)
        if was == "accepted":
            subject, text = messages.cancelled_guest(
                owner_name=owner.name,
                start=booking.start_at,
                end=booking.end_at,
                zone=booking.guest_timezone,
            )
            _mail_guest(
                session,
                booking,
                subject=subject,
                text=text,
                key=f"meetings:cancel:{booking.id}:{booking.sequence}",
                now=now,
                ics=invite(ctx, booking, owner, method="CANCEL", now=now),
                method="CANCEL",
            )
        else:
            _tell_owner(
                session,
                owner,
                text=messages.card_outcome(
                    _card_text(booking, owner), "↩️ <b>Withdrawn by the guest.</b>"
                ),
                key=f"{card_key(booking.id)}:withdrawn",
                now=now,
                edit_of=card_key(booking.id),
            )
        _tell_owner(
            session,
            owner,
            text=messages.owner_guest_cancelled(
                name=booking.guest_name,
                start=booking.start_at,
                end=booking.end_at,
                zone=owner.timezone,
            ),
            key=f"meetings:cancelled:{booking.id}",
            now=now,
        )
        return booking


def guest_reschedule(
    ctx: AppContext, *, token: str, start: datetime, sequence: int, now: datetime
) -> Booking:
    """Move an accepted meeting to a free slot: same UID, SEQUENCE + 1, owner told."""
    if start.tzinfo is None:
        raise InvalidInput("The start time needs a UTC offset.")
    with ctx.db.write() as session:
        booking = booking_for_token(ctx, session, token, now=now)
        if booking.status != "accepted":
            raise InvalidInput(
                f"Only a confirmed meeting can be moved; this one is {booking.status}."
            )
        owner = owners.get_owner(session, owner_id=booking.owner_id)
        policy = policy_of(ctx, owner)
        length = int((booking.end_at - booking.start_at).total_seconds() // 60)
        if length not in policy.lengths:
            length = policy.default_length
        free = free_slots(
            ctx,
            session,
            owner,
            start=start - timedelta(minutes=1),
            end=start + timedelta(minutes=1),
            length=length,
            now=now,
            ignore_booking=booking.id,
        )
        if not any(s.start == start for s in free):
            offered = free_slots(
                ctx,
                session,
                owner,
                start=start - timedelta(minutes=1),
                end=start + timedelta(minutes=1),
                length=length,
                now=now,
                ignore_busy=True,
            )
            if not any(s.start == start for s in offered):
                raise InvalidInput("That time is not offered. Please pick one from the page.")
            raise SlotTaken(
                alternatives_near(ctx, session, owner, target=start, length=length, now=now)
            )
        old_start, old_end = booking.start_at, booking.end_at
        if not bookings.move_if_free(
            session,
            booking_id=booking.id,
            start_at=start,
            end_at=start + timedelta(minutes=length),
            gap=gap(policy),
            expected_sequence=sequence,
            now=now,
        ):
            raise InvalidInput("This meeting was changed meanwhile; open your latest email.")
        session.refresh(booking)
        subject, text = messages.moved_guest(
            owner_name=owner.name,
            start=booking.start_at,
            end=booking.end_at,
            zone=booking.guest_timezone,
            manage=manage_link(ctx, booking),
        )
        _mail_guest(
            session,
            booking,
            subject=subject,
            text=text,
            key=f"meetings:moved:{booking.id}:{booking.sequence}",
            now=now,
            ics=invite(ctx, booking, owner, method="REQUEST", now=now),
            method="REQUEST",
        )
        _tell_owner(
            session,
            owner,
            text=messages.owner_guest_moved(
                name=booking.guest_name,
                old_start=old_start,
                old_end=old_end,
                start=booking.start_at,
                end=booking.end_at,
                zone=owner.timezone,
            ),
            key=f"meetings:moved-owner:{booking.id}:{booking.sequence}",
            now=now,
        )
        return booking
