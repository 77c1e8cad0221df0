"""What each booking step tells whom: the owner's card and notes, the guest's mails and invites.

Every function queues outbox rows through ``agents.messaging`` inside the caller's write
transaction, with an idempotency key naming the booking (and its SEQUENCE where a step can
happen again), so a repeated step sends nothing twice. Texts come from ``messages``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal, TypedDict

from sqlalchemy.orm import Session

from agents.arxiv import guest_papers
from agents.context import AppContext
from agents.meetings import messages
from agents.meetings.availability import Slot
from agents.meetings.ics import build_ics
from agents.meetings.links import manage_link, page_link, slot_link
from agents.meetings.meeting_types import location_of, stored_types, type_of_booking
from agents.meetings.policy import config_of, policy_of
from agents.messaging import Buttons, button, mail_guest, tell_owner
from store.models import Booking, Owner

KIND = "mtg"
"""The callback kind of the card's buttons (``mtg:<booking id>:<action>``)."""

InviteMail = Literal["confirm", "moved", "cancel"]
"""A guest mail that carries the calendar invite (its key prefix, too)."""

Method = Literal["REQUEST", "CANCEL"]
"""The iCalendar METHOD of an invite: a new or moved meeting, or a cancelled one."""


class _MeetingTime(TypedDict):
    owner_name: str
    start: datetime
    end: datetime
    zone: str


def card_key(booking_id: int) -> str:
    """The key of the owner's card for a booking; later outcomes edit it in place."""
    return f"meetings:card:{booking_id}"


def card_text(booking: Booking, owner: Owner) -> str:
    kind = next((t for t in stored_types(owner) if t.key == booking.meeting_type), None)
    return messages.owner_card(
        what=kind.name if kind is not None else "",
        name=booking.guest_name,
        email=booking.guest_email,
        topic=booking.topic,
        start=booking.start_at,
        end=booking.end_at,
        owner_zone=owner.timezone,
        guest_zone=booking.guest_timezone,
    )


def full_card(session: Session, booking: Booking, owner: Owner, *, now: datetime) -> str:
    """The card with "Before you meet" (the guest's recent papers in the store), if any."""
    papers = guest_papers.card_section(session, booking.guest_name, now=now)
    card = card_text(booking, owner)
    return f"{card}\n\n{papers}" if papers else card


def card_buttons(booking_id: int) -> Buttons:
    return [
        [
            button("✅ Approve", KIND, booking_id, "approve"),
            button("❌ Decline", KIND, booking_id, "decline"),
        ],
        [button("🕒 Offer other times", KIND, booking_id, "offer")],
    ]


def send_card(session: Session, booking: Booking, owner: Owner, *, now: datetime) -> None:
    """The request card with Approve / Decline / Offer buttons (owners without a chat: none)."""
    if owner.chat_id is None:
        return
    tell_owner(
        session,
        chat_id=owner.chat_id,
        text=full_card(session, booking, owner, now=now),
        key=card_key(booking.id),
        now=now,
        buttons=card_buttons(booking.id),
    )


def edit_card(
    session: Session, booking: Booking, owner: Owner, *, outcome: str, label: str, now: datetime
) -> None:
    """Replace the card (and its buttons) with the card plus ``label``, once per ``outcome``."""
    if owner.chat_id is None:
        return
    tell_owner(
        session,
        chat_id=owner.chat_id,
        text=messages.card_outcome(full_card(session, booking, owner, now=now), label),
        key=f"{card_key(booking.id)}:{outcome}",
        now=now,
        edit_of=card_key(booking.id),
    )


def note_owner(
    session: Session,
    owner: Owner,
    *,
    text: str,
    key: str,
    now: datetime,
    due_at: datetime | None = None,
) -> bool:
    """A new message to the owner about a meeting (not an edit of the card); True if new."""
    if owner.chat_id is None:
        return False
    return tell_owner(session, chat_id=owner.chat_id, text=text, key=key, now=now, due_at=due_at)


def note_cancelled(session: Session, booking: Booking, owner: Owner, *, now: datetime) -> None:
    """Tell the owner the guest cancelled (or withdrew) ``booking``."""
    text = messages.owner_guest_cancelled(
        name=booking.guest_name, start=booking.start_at, end=booking.end_at, zone=owner.timezone
    )
    note_owner(session, owner, text=text, key=f"meetings:cancelled:{booking.id}", now=now)


def note_moved(
    session: Session,
    booking: Booking,
    owner: Owner,
    *,
    old_start: datetime,
    old_end: datetime,
    now: datetime,
) -> None:
    """Tell the owner the guest moved ``booking`` (already at its new time and SEQUENCE)."""
    text = messages.owner_guest_moved(
        name=booking.guest_name,
        old_start=old_start,
        old_end=old_end,
        start=booking.start_at,
        end=booking.end_at,
        zone=owner.timezone,
    )
    key = f"meetings:moved-owner:{booking.id}:{booking.sequence}"
    note_owner(session, owner, text=text, key=key, now=now)


def mail_to_guest(
    session: Session,
    booking: Booking,
    mail: tuple[str, str],
    *,
    key: str,
    now: datetime,
    due_at: datetime | None = None,
    attach: tuple[str, Method] | None = None,
) -> bool:
    """Queue ``mail`` (``(subject, text)`` from ``messages``) to the booking's guest.

    ``attach`` is an invite to add: its .ics text and METHOD.
    """
    subject, text = mail
    ics, method = attach or (None, None)
    return mail_guest(
        session,
        to=booking.guest_email,
        subject=subject,
        text=text,
        key=key,
        now=now,
        due_at=due_at,
        ics=ics,
        ics_method=method,
    )


def what_where(ctx: AppContext, booking: Booking, owner: Owner) -> tuple[str, str]:
    """The booking's meeting type name and its place or link (placeholders filled in)."""
    t = type_of_booking(owner, policy_of(ctx, owner), booking)
    return t.name, location_of(t, slug=owner.slug, booking_id=booking.id)


def mail_received(
    ctx: AppContext, session: Session, booking: Booking, owner: Owner, *, now: datetime
) -> None:
    """The "request received" mail, at once, to a guest whose request waits for the owner."""
    what, _ = what_where(ctx, booking, owner)
    mail = messages.received(
        owner_name=owner.name,
        start=booking.start_at,
        end=booking.end_at,
        zone=booking.guest_timezone,
        what=what,
        manage=manage_link(ctx, booking),
    )
    mail_to_guest(session, booking, mail, key=f"meetings:received:{booking.id}", now=now)


def note_booked(
    ctx: AppContext, session: Session, booking: Booking, owner: Owner, *, now: datetime
) -> None:
    """Tell the owner a meeting of a type without approval was booked (nothing to decide)."""
    what, _ = what_where(ctx, booking, owner)
    text = messages.owner_booked(
        name=booking.guest_name,
        email=booking.guest_email,
        topic=booking.topic,
        start=booking.start_at,
        end=booking.end_at,
        zone=owner.timezone,
        what=what,
    )
    note_owner(session, owner, text=text, key=card_key(booking.id), now=now)


def invite(
    ctx: AppContext,
    booking: Booking,
    owner: Owner,
    *,
    method: Method,
    now: datetime,
) -> str:
    """The .ics for ``booking`` at its current SEQUENCE (REQUEST carries the manage link)."""
    what, where = what_where(ctx, booking, owner)
    topic = booking.topic or what
    manage = manage_link(ctx, booking) if method == "REQUEST" else None
    return build_ics(
        location=where,
        uid=booking.ical_uid,
        sequence=booking.sequence,
        method=method,
        start=booking.start_at,
        end=booking.end_at,
        summary=f"{'' if what == 'Meeting' else what + ': '}{owner.name} / {booking.guest_name}",
        description=f"{topic}\n\nReschedule or cancel: {manage}" if manage else topic,
        guest_name=booking.guest_name,
        guest_email=booking.guest_email,
        organizer_name=owner.name,
        organizer_email=config_of(ctx).organizer_email,
        now=now,
        url=manage,
    )


def mail_invite(
    ctx: AppContext,
    session: Session,
    booking: Booking,
    owner: Owner,
    *,
    kind: InviteMail,
    now: datetime,
) -> None:
    """The guest's mail with the invite: confirmed, moved (REQUEST) or cancelled (CANCEL)."""
    when = _MeetingTime(
        owner_name=owner.name,
        start=booking.start_at,
        end=booking.end_at,
        zone=booking.guest_timezone,
    )
    what, where = what_where(ctx, booking, owner)
    if kind == "cancel":
        mail = messages.cancelled_guest(**when)
    elif kind == "moved":
        mail = messages.moved_guest(**when, manage=manage_link(ctx, booking), where=where)
    else:
        mail = messages.confirmation(
            **when, topic=booking.topic, manage=manage_link(ctx, booking), what=what, where=where
        )
    method: Method = "CANCEL" if kind == "cancel" else "REQUEST"
    key = f"meetings:{kind}:{booking.id}:{booking.sequence}"
    ics = invite(ctx, booking, owner, method=method, now=now)
    mail_to_guest(session, booking, mail, key=key, now=now, attach=(ics, method))


def _own_type(booking: Booking, owner: Owner) -> str:
    """The booking's type key when it is one of the owner's own (links carry it), else ''."""
    return (
        booking.meeting_type if booking.meeting_type in {t.key for t in stored_types(owner)} else ""
    )


def tell_not_this_time(
    ctx: AppContext,
    session: Session,
    booking: Booking,
    owner: Owner,
    *,
    reason: messages.Reason,
    alternatives: list[Slot],
    now: datetime,
) -> None:
    """A declined, expired or re-offered request: a kind mail with free times, card updated."""
    zone = booking.guest_timezone
    mail = messages.not_this_time(
        owner_name=owner.name,
        start=booking.start_at,
        end=booking.end_at,
        zone=zone,
        reason=reason,
        alternatives=alternatives,
        links=[
            slot_link(ctx, owner.slug, s, zone, _own_type(booking, owner)) for s in alternatives
        ],
        page=page_link(ctx, owner.slug),
    )
    mail_to_guest(session, booking, mail, key=f"meetings:{reason}:{booking.id}", now=now)
    label = messages.not_this_time_label(reason, alternatives, owner.timezone)
    edit_card(session, booking, owner, outcome=reason, label=label, now=now)
