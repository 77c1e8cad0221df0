"""Every text the meeting scheduler sends: Telegram HTML for the owner, plain mail for guests.

All guest-typed text is escaped here (Telegram HTML) or kept out of HTML entirely (mail is
plain text), so a ``<script>`` in a name or topic is shown, never run.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from agents.meetings.availability import Slot
from agents.meetings.clock_style import Clock, hm
from agents.messaging import esc

Reason = Literal["declined", "expired", "offer"]
"""Why a requested time is not happening (the guest is offered others)."""


def when(start: datetime, end: datetime, zone: str, clock: Clock = 24) -> str:
    """``Tue 3 Mar 2026, 10:00-10:30 (Europe/Berlin)`` in ``zone`` (``clock=12``:
    ``10:00 AM-10:30 AM``)."""
    tz = ZoneInfo(zone)
    a, b = start.astimezone(tz), end.astimezone(tz)
    return f"{a:%a} {a.day} {a:%b %Y}, {hm(a, clock)}-{hm(b, clock)} ({zone})"


def owner_card(
    *,
    name: str,
    email: str,
    topic: str,
    start: datetime,
    end: datetime,
    owner_zone: str,
    guest_zone: str,
    what: str = "",
) -> str:
    lines = [
        f"📅 <b>Meeting request</b>{f': {esc(what)}' if what else ''}",
        f"<b>Who:</b> {esc(name)} &lt;{esc(email)}&gt;",
        f"<b>When:</b> {esc(when(start, end, owner_zone))}",
    ]
    if guest_zone != owner_zone:
        lines.append(f"<i>(for them: {esc(when(start, end, guest_zone))})</i>")
    lines.append(f"<b>Topic:</b> {esc(topic) if topic else '<i>none given</i>'}")
    return "\n".join(lines)


def card_outcome(card: str, outcome: str) -> str:
    return f"{card}\n\n{outcome}"


def not_this_time_label(reason: Reason, alternatives: Sequence[Slot], zone: str) -> str:
    """What the owner's card says after a decline, an expiry or an offer of other times."""
    if reason == "offer" and not alternatives:
        return "🕒 <b>Not this time.</b> The guest got your page link to pick another."
    if reason == "offer":
        return "🕒 <b>Offered other times:</b>\n" + "\n".join(
            esc(when(s.start, s.end, zone)) for s in alternatives
        )
    return {
        "expired": "⌛ <b>Expired</b> (no answer in time); the guest was told.",
        "declined": "❌ <b>Declined.</b> The guest was told kindly.",
    }[reason]


def slot_lines(slots: Sequence[Slot], zone: str, links: Sequence[str]) -> str:
    return "\n".join(
        f"  - {when(s.start, s.end, zone)}: {link}" for s, link in zip(slots, links, strict=True)
    )


def _guest_mail(label: str, owner_name: str, body: str) -> tuple[str, str]:
    """``(subject, text)`` of a mail to the guest about their meeting with ``owner_name``."""
    return f"{label}: meeting with {owner_name}", f"Hello,\n\n{body}"


def _manage_line(manage: str) -> str:
    return f"Reschedule or cancel: {manage}\n"


def _details(what: str, where: str, topic: str = "") -> str:
    """The indented lines under a meeting's time: its type, place and topic, if any."""
    return (
        (f"  What: {what}\n" if what else "")
        + (f"  Where: {where}\n" if where else "")
        + (f"  Topic: {topic}\n" if topic else "")
    )


def confirmation(
    *,
    owner_name: str,
    start: datetime,
    end: datetime,
    zone: str,
    topic: str,
    manage: str,
    what: str = "",
    where: str = "",
) -> tuple[str, str]:
    return _guest_mail(
        "Confirmed",
        owner_name,
        f"{owner_name} confirmed your meeting:\n\n  {when(start, end, zone)}\n"
        + _details(what, where, topic)
        + "\nThe attached invite adds it to your calendar.\n\n"
        "Need to reschedule or cancel? Use this link (valid until the meeting starts):\n"
        f"{manage}\n",
    )


def not_this_time(
    *,
    owner_name: str,
    start: datetime,
    end: datetime,
    zone: str,
    reason: Reason,
    alternatives: Sequence[Slot],
    links: Sequence[str],
    page: str,
) -> tuple[str, str]:
    """Decline / expiry / "other times" mail: kind, with alternatives to book in one click."""
    subject = f"About your meeting request with {owner_name}"
    intro = {
        "declined": f"{owner_name} can't make {when(start, end, zone)}, sorry about that.",
        "expired": (
            f"{owner_name} couldn't confirm {when(start, end, zone)} in time, "
            "so the slot was released. Sorry about that."
        ),
        "offer": (
            f"{owner_name} can't make {when(start, end, zone)}, "
            "but would be glad to meet at one of these times instead."
        ),
    }[reason]
    if alternatives:
        options = "Free times you can book right away:\n" + slot_lines(alternatives, zone, links)
    else:
        options = f"You can pick another time here: {page}"
    return subject, f"Hello,\n\n{intro}\n\n{options}\n\nAll the best\n"


def offered_times(
    *, owner_name: str, slots: Sequence[Slot], zone: str, links: Sequence[str], page: str
) -> tuple[str, str]:
    """The owner's own offer of free times to someone (no request of theirs behind it)."""
    return (
        f"Free times to meet {owner_name}",
        f"Hello,\n\n{owner_name} would be glad to meet at one of these times:\n"
        + slot_lines(slots, zone, links)
        + f"\n\nOr pick another time here: {page}\n\nAll the best\n",
    )


def cancelled_guest(
    *, owner_name: str, start: datetime, end: datetime, zone: str
) -> tuple[str, str]:
    return _guest_mail(
        "Cancelled",
        owner_name,
        f"Your meeting with {owner_name} on {when(start, end, zone)} is cancelled. "
        "The attached update removes it from your calendar.\n",
    )


def moved_guest(
    *, owner_name: str, start: datetime, end: datetime, zone: str, manage: str, where: str = ""
) -> tuple[str, str]:
    return _guest_mail(
        "Updated",
        owner_name,
        f"Your meeting with {owner_name} now takes place {when(start, end, zone)}.\n"
        + _details("", where)
        + "The attached update moves it in your calendar.\n\n"
        + _manage_line(manage),
    )


def received(
    *, owner_name: str, start: datetime, end: datetime, zone: str, what: str, manage: str
) -> tuple[str, str]:
    """Sent at once when a guest asks for a time the owner approves."""
    return _guest_mail(
        "Request received",
        owner_name,
        f"Thank you: {owner_name} has your request for\n\n  {when(start, end, zone)}\n"
        + _details(what, "")
        + f"\nThe time is held for you. {owner_name} confirms every request; the calendar "
        "invite (with the place or video link) follows by email once it is confirmed.\n\n"
        f"Changed your mind? Withdraw the request here: {manage}\n",
    )


def move_requested_guest(
    *,
    owner_name: str,
    start: datetime,
    end: datetime,
    new_start: datetime,
    new_end: datetime,
    zone: str,
) -> tuple[str, str]:
    return _guest_mail(
        "Move requested",
        owner_name,
        f"You asked to move your meeting with {owner_name}\nfrom {when(start, end, zone)}\n"
        f"to   {when(new_start, new_end, zone)}.\n\n"
        f"{owner_name} confirms the new time; until then the meeting stays where it is, "
        "and you will get an email either way.\n",
    )


def move_kept_guest(
    *,
    owner_name: str,
    start: datetime,
    end: datetime,
    new_start: datetime,
    new_end: datetime,
    zone: str,
    manage: str,
) -> tuple[str, str]:
    return _guest_mail(
        "Meeting unchanged",
        owner_name,
        f"{owner_name} can't make {when(new_start, new_end, zone)}, sorry about that.\n"
        f"Your meeting stays at {when(start, end, zone)}.\n\n" + _manage_line(manage),
    )


def owner_move_card(
    *,
    name: str,
    start: datetime,
    end: datetime,
    new_start: datetime,
    new_end: datetime,
    owner_zone: str,
) -> str:
    return (
        f"🔁 <b>Move request</b> from {esc(name)}\n"
        f"from {esc(when(start, end, owner_zone))}\n"
        f"to <b>{esc(when(new_start, new_end, owner_zone))}</b>\n"
        "<i>The meeting keeps its time until you answer.</i>"
    )


def owner_booked(
    *, name: str, email: str, topic: str, start: datetime, end: datetime, zone: str, what: str
) -> str:
    """A meeting of a type that needs no approval was booked (the guest has the invite)."""
    lines = [
        f"📅 <b>Booked:</b> {esc(what)} with {esc(name)} &lt;{esc(email)}&gt;",
        f"<b>When:</b> {esc(when(start, end, zone))}",
    ]
    if topic:
        lines.append(f"<b>Topic:</b> {esc(topic)}")
    return "\n".join(lines)


def guest_reminder(
    *, owner_name: str, start: datetime, end: datetime, zone: str, manage: str
) -> tuple[str, str]:
    return _guest_mail(
        "Reminder",
        owner_name,
        f"A reminder of your meeting with {owner_name}:\n\n  {when(start, end, zone)}\n\n"
        + _manage_line(manage),
    )


def owner_reminder(*, name: str, topic: str, start: datetime, end: datetime, zone: str) -> str:
    line = f"⏰ <b>Meeting soon</b> with {esc(name)}\n{esc(when(start, end, zone))}"
    return line + (f"\n<b>Topic:</b> {esc(topic)}" if topic else "")


def owner_guest_cancelled(*, name: str, start: datetime, end: datetime, zone: str) -> str:
    return f"❌ {esc(name)} cancelled the meeting on {esc(when(start, end, zone))}."


def owner_guest_moved(
    *, name: str, old_start: datetime, old_end: datetime, start: datetime, end: datetime, zone: str
) -> str:
    return (
        f"🔁 {esc(name)} moved the meeting\nfrom {esc(when(old_start, old_end, zone))}\n"
        f"to <b>{esc(when(start, end, zone))}</b>."
    )
