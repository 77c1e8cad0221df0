""" "Offer other times": the owner picks which free times the guest is offered.

Tapping 🕒 shows up to ``MAX`` free times nearest the requested one (never it, nor one that
overlaps it) as toggle buttons, the nearest ``DEFAULT`` chosen (✅). The times are stored on
the booking (``offer_starts``) when the picker opens, so a button's letter (a-f) names the time
it showed even if the free times change meanwhile. The selection travels in the callback data
(``mtg:<id>:pick_ace`` re-draws, ``mtg:<id>:send_ace`` sends), well within Telegram's 64 bytes,
so no other state is kept. Sending is ``lifecycle.apply_decision(action="offer", picks=...)``.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings.availability import Slot, nearest
from agents.meetings.slots import alternatives_near, free_slots
from agents.messaging import Buttons, button
from store import owners
from store.errors import Conflict
from store.models import Booking, Owner

MAX = 6
DEFAULT = 3
LETTERS = "abcdef"
KIND = "mtg"


def _length(booking: Booking) -> int:
    return int((booking.end_at - booking.start_at).total_seconds() // 60)


def open_picker(
    ctx: AppContext, *, booking_id: int, owner_id: int, now: datetime
) -> tuple[list[Slot], str]:
    """Store and return the candidate times (in time order) and the default picks.

    ``Conflict`` when the request is no longer pending (already decided or withdrawn).
    """
    with ctx.db.write() as session:
        booking = session.get(Booking, booking_id)
        if booking is None or booking.owner_id != owner_id or booking.status != "pending":
            raise Conflict("Already handled.")
        owner = owners.get_owner(session, owner_id=owner_id)
        slots = alternatives_near(
            ctx, session, owner, target=booking.start_at, length=_length(booking), now=now, n=MAX
        )
        booking.offer_starts = [s.start.isoformat() for s in slots]
        near = nearest(slots, booking.start_at, DEFAULT)
        picks = "".join(LETTERS[i] for i, s in enumerate(slots) if s in near)
        return slots, picks


def shown(ctx: AppContext, *, booking_id: int, owner_id: int) -> list[Slot]:
    """The candidate times the picker of ``booking_id`` showed (``Conflict`` once decided)."""
    with ctx.db.read() as session:
        booking = session.get(Booking, booking_id)
        if booking is None or booking.owner_id != owner_id or booking.status != "pending":
            raise Conflict("Already handled.")
        return _stored(booking)


def _stored(booking: Booking) -> list[Slot]:
    length = timedelta(minutes=_length(booking))
    starts = [datetime.fromisoformat(str(s)) for s in booking.offer_starts or []][:MAX]
    return [Slot(s, s + length) for s in starts]


def clean_picks(picks: str, count: int) -> str:
    """``picks`` as sorted distinct letters naming one of ``count`` candidates."""
    return "".join(sorted({p for p in picks if p in LETTERS[:count]}))


def chosen(
    ctx: AppContext, session: Session, booking: Booking, owner: Owner, picks: str, *, now: datetime
) -> list[Slot]:
    """The picked candidates that are still free (checked now, inside the caller's write)."""
    slots = _stored(booking)
    wanted = [slots[LETTERS.index(p)] for p in clean_picks(picks, len(slots))]
    if not wanted:
        return []
    free = free_slots(
        ctx,
        session,
        owner,
        start=min(s.start for s in wanted) - timedelta(minutes=1),
        end=max(s.start for s in wanted) + timedelta(minutes=1),
        length=_length(booking),
        now=now,
    )
    starts = {s.start for s in free}
    return [s for s in wanted if s.start in starts]


def picker_buttons(booking_id: int, slots: list[Slot], picks: str, label: SlotLabel) -> Buttons:
    """One toggle per candidate (✅ chosen), then Send (with the choice) and Back."""
    picks = clean_picks(picks, len(slots))
    rows: Buttons = []
    for i, slot in enumerate(slots):
        letter = LETTERS[i]
        on = letter in picks
        toggled = clean_picks(picks.replace(letter, "") if on else picks + letter, len(slots))
        mark = "✅" if on else "▫️"
        rows.append([button(f"{mark} {label(slot)}", KIND, booking_id, f"pick_{toggled}")])
    count = len(picks)
    send = (
        f"📨 Send {count} time{'s' if count != 1 else ''}" if count else "📨 Send (page link only)"
    )
    rows.append(
        [
            button(send, KIND, booking_id, f"send_{picks}"),
            button("↩️ Back", KIND, booking_id, "back"),
        ]
    )
    return rows


class SlotLabel:
    """A slot as a button says it, in the owner's zone: ``Tue 3 Mar 10:00``."""

    def __init__(self, zone: str) -> None:
        self._zone = ZoneInfo(zone)

    def __call__(self, slot: Slot) -> str:
        local = slot.start.astimezone(self._zone)
        return f"{local:%a} {local.day} {local:%b %H:%M}"
