"""What a guest's move request tells whom: the owner's Move / Keep card, the guest's mails.

Queued through the outbox inside the caller's transaction; keys name the booking, its
SEQUENCE and the proposed time, so one request makes one card and one mail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings import messages
from agents.meetings.links import manage_link
from agents.meetings.notices import KIND, mail_to_guest
from agents.messaging import Buttons, button, tell_owner
from store.models import Booking, Owner


@dataclass(frozen=True)
class MoveCard:
    """An open request's card as first sent: its key and text (edited when decided)."""

    key: str
    text: str


def move_buttons(booking_id: int) -> Buttons:
    return [
        [
            button("✅ Move it", KIND, booking_id, "move_yes"),
            button("❌ Keep the old time", KIND, booking_id, "move_no"),
        ]
    ]


def card_of(booking: Booking, owner: Owner) -> MoveCard | None:
    """The card of ``booking``'s open move request (None when there is none)."""
    start, end = booking.proposed_start_at, booking.proposed_end_at
    if start is None or end is None:
        return None
    text = messages.owner_move_card(
        name=booking.guest_name,
        start=booking.start_at,
        end=booking.end_at,
        new_start=start,
        new_end=end,
        owner_zone=owner.timezone,
    )
    key = f"meetings:move:{booking.id}:{booking.sequence}:{int(start.timestamp())}"
    return MoveCard(key, text)


def send_move_card(session: Session, booking: Booking, owner: Owner, *, now: datetime) -> None:
    """The owner's Move / Keep card for ``booking``'s open move request."""
    card = card_of(booking, owner)
    if owner.chat_id is None or card is None:
        return
    tell_owner(
        session,
        chat_id=owner.chat_id,
        text=card.text,
        key=card.key,
        now=now,
        buttons=move_buttons(booking.id),
    )


def close_card(
    session: Session, owner: Owner, card: MoveCard, *, outcome: str, label: str, now: datetime
) -> None:
    """Edit the move card to say how it ended (its buttons go), once per ``outcome``."""
    if owner.chat_id is None:
        return
    tell_owner(
        session,
        chat_id=owner.chat_id,
        text=messages.card_outcome(card.text, label),
        key=f"{card.key}:{outcome}",
        now=now,
        edit_of=card.key,
    )


def mail_move_requested(session: Session, booking: Booking, owner: Owner, *, now: datetime) -> None:
    start, end = booking.proposed_start_at, booking.proposed_end_at
    card = card_of(booking, owner)
    if start is None or end is None or card is None:
        return
    mail = messages.move_requested_guest(
        owner_name=owner.name,
        start=booking.start_at,
        end=booking.end_at,
        new_start=start,
        new_end=end,
        zone=booking.guest_timezone,
    )
    mail_to_guest(session, booking, mail, key=f"{card.key}:mail-asked", now=now)


def mail_move_kept(
    ctx: AppContext,
    session: Session,
    booking: Booking,
    owner: Owner,
    card: MoveCard,
    *,
    proposed: tuple[datetime, datetime],
    now: datetime,
) -> None:
    """The guest hears the meeting stays at its time (the owner kept it)."""
    mail = messages.move_kept_guest(
        owner_name=owner.name,
        start=booking.start_at,
        end=booking.end_at,
        new_start=proposed[0],
        new_end=proposed[1],
        zone=booking.guest_timezone,
        manage=manage_link(ctx, booking),
    )
    mail_to_guest(session, booking, mail, key=f"{card.key}:mail-kept", now=now)
