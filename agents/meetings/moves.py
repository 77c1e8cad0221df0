"""Moving an accepted meeting: at once, or as a request the owner approves (the type's rule).

A request keeps the meeting where it is (its slot stays held) and holds the proposed time too
(``slots.free_slots`` counts it busy); the owner's card has Move / Keep buttons
(``mtg:<id>:move_yes|move_no``). Approving moves it (same UID, SEQUENCE + 1, new invite);
keeping it tells the guest the meeting stays. Each step is one conditional update, so a
repeated tap answers "already handled".
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings import move_notices, notices
from agents.meetings.config import Policy
from agents.meetings.policy import gap, policy_of
from agents.meetings.slots import ensure_free
from store import bookings, owners
from store.errors import Conflict, InvalidInput
from store.models import Booking, Owner

ALREADY = "Already handled."
MOVE_ACTIONS = ("move_yes", "move_no")


def move_now(
    ctx: AppContext,
    session: Session,
    booking: Booking,
    owner: Owner,
    *,
    start: datetime,
    length: int,
    policy: Policy,
    sequence: int,
    now: datetime,
    by_guest: bool = True,
) -> None:
    """Move ``booking`` to ``start`` (free: checked by the caller); the guest gets the new
    invite, and the owner a note when the guest moved it (``by_guest``)."""
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
    notices.mail_invite(ctx, session, booking, owner, kind="moved", now=now)
    if by_guest:
        notices.note_moved(session, booking, owner, old_start=old_start, old_end=old_end, now=now)


def request_move(
    session: Session,
    booking: Booking,
    owner: Owner,
    *,
    start: datetime,
    length: int,
    sequence: int,
    now: datetime,
) -> None:
    """Record the guest's wish to move ``booking`` to ``start``; card to the owner, mail to the
    guest. The meeting keeps its time until the owner decides."""
    if booking.proposed_start_at is not None:
        raise InvalidInput(
            "You already asked to move this meeting; the owner has not answered yet."
        )
    if booking.sequence != sequence:
        raise InvalidInput("This meeting was changed meanwhile; open your latest email.")
    if not bookings.propose_move(
        session,
        booking_id=booking.id,
        start_at=start,
        end_at=start + timedelta(minutes=length),
        expected_sequence=sequence,
    ):
        raise InvalidInput("This meeting was changed meanwhile; open your latest email.")
    session.refresh(booking)
    move_notices.send_move_card(session, booking, owner, now=now)
    move_notices.mail_move_requested(session, booking, owner, now=now)


def decide_move(
    ctx: AppContext,
    *,
    booking_id: int,
    approve: bool,
    now: datetime,
    owner_id: int,
    lapsed: bool = False,
) -> tuple[bool, str]:
    """The owner's answer to a move request: ``(changed, text for the owner)``.

    ``lapsed``: nobody answered in time (``lapse_due``); it ends as if kept."""
    with ctx.db.write() as session:
        booking = session.get(Booking, booking_id)
        if booking is None or booking.owner_id != owner_id or booking.status != "accepted":
            return False, ALREADY
        start, end = booking.proposed_start_at, booking.proposed_end_at
        if start is None or end is None:
            return False, ALREADY
        owner = owners.get_owner(session, owner_id=owner_id)
        card = move_notices.card_of(booking, owner)
        assert card is not None
        if not approve or start <= now:
            bookings.clear_proposal(session, booking_id=booking.id)
            session.refresh(booking)
            move_notices.mail_move_kept(
                ctx, session, booking, owner, card, proposed=(start, end), now=now
            )
            label = "↩️ <b>Kept at its time.</b> The guest was told."
            if lapsed:
                label = "⌛ <b>No answer in time</b>; the meeting stays. The guest was told."
            move_notices.close_card(session, owner, card, outcome="kept", label=label, now=now)
            if start <= now:
                return True, "That time has passed; the meeting stays where it was."
            return True, "Kept at its time. The guest was told."
        policy = policy_of(ctx, owner)
        length = int((end - start).total_seconds() // 60)
        try:
            ensure_free(
                ctx,
                session,
                owner,
                start=start,
                length=length,
                now=now,
                not_offered="",
                ignore_booking=booking.id,
            )
        except (InvalidInput, Conflict):
            return False, "That time is no longer free. Keep the meeting or ask the guest."
        bookings.clear_proposal(session, booking_id=booking.id)
        session.refresh(booking)
        move_now(
            ctx,
            session,
            booking,
            owner,
            start=start,
            length=length,
            policy=policy,
            sequence=booking.sequence,
            now=now,
            by_guest=False,
        )
        move_notices.close_card(
            session, owner, card, outcome="moved", label="✅ <b>Moved.</b>", now=now
        )
        return True, "Moved. The guest gets the updated invite."


def lapse_due(ctx: AppContext, *, now: datetime, owner_id: int | None = None) -> int:
    """End move requests whose proposed time can no longer be booked (inside the owner's
    minimum notice) without an answer: the meeting stays, the guest is told. How many."""
    with ctx.db.read() as session:
        due = []
        for b in bookings.open_proposals(session, owner_id=owner_id):
            owner = owners.get_owner(session, owner_id=b.owner_id)
            notice = timedelta(minutes=policy_of(ctx, owner).min_notice)
            if b.proposed_start_at is not None and b.proposed_start_at - notice <= now:
                due.append((b.id, b.owner_id))
    lapsed = 0
    for booking_id, of_owner in due:
        changed, _ = decide_move(
            ctx, booking_id=booking_id, approve=False, now=now, owner_id=of_owner, lapsed=True
        )
        lapsed += int(changed)
    return lapsed
