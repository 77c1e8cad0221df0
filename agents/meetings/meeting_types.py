"""Meeting types: what a guest can book (name, lengths, place, words, whether the owner approves).

They live in ``Owner.preferences["meeting_types"]`` (a list, first = the page's default). An
owner who set none has one type built from their policy, ``DEFAULT_KEY``, that asks for
approval as before, so nothing changes for them. A booking records its type's key
(``Booking.meeting_type``; '' = the default), and a type removed later falls back to it.
"""

from __future__ import annotations

import re
import string
from dataclasses import asdict, dataclass, replace
from typing import Any

from agents.meetings.config import MAX_LENGTH_MIN, Policy
from store.errors import InvalidInput, NotFound
from store.models import Booking, Owner

PREFERENCE = "meeting_types"
DEFAULT_KEY = "meeting"
MAX_TYPES = 8
PLACEHOLDERS = ("slug", "booking_id")
_KEY = re.compile(r"[a-z0-9][a-z0-9-]{0,31}")


@dataclass(frozen=True)
class MeetingType:
    """One kind of meeting; ``location`` is a place or a link template (``{slug}``,
    ``{booking_id}``), ``approval`` False books (and moves) at once."""

    key: str
    name: str
    lengths: tuple[int, ...]
    location: str = ""
    description: str = ""
    approval: bool = True

    @property
    def default_length(self) -> int:
        return self.lengths[0]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["lengths"] = list(self.lengths)
        return data


def default_type(policy: Policy) -> MeetingType:
    return MeetingType(key=DEFAULT_KEY, name="Meeting", lengths=policy.lengths)


def validate_type(t: MeetingType) -> MeetingType:
    """``t`` when every field is usable, else ``InvalidInput`` naming the field."""
    if not _KEY.fullmatch(t.key):
        raise InvalidInput("A type's key is 1-32 of a-z, 0-9 and '-', e.g. intro-call.")
    if not t.name.strip() or len(t.name) > 80:
        raise InvalidInput("A type's name is 1 to 80 characters.")
    lengths = t.lengths
    if not lengths or len(lengths) > 6 or len(set(lengths)) != len(lengths):
        raise InvalidInput("Give a type 1 to 6 different lengths.")
    if any(not isinstance(n, int) or not 5 <= n <= MAX_LENGTH_MIN for n in lengths):
        raise InvalidInput("Meeting lengths must be 5 to 480 minutes.")
    if len(t.location) > 300 or len(t.description) > 1000:
        raise InvalidInput("Keep the location under 300 and the description under 1000 characters.")
    try:
        names = [f for _, f, _, _ in string.Formatter().parse(t.location) if f is not None]
    except ValueError:
        raise InvalidInput("The location has an unmatched { or }; write {{ for a brace.") from None
    if any(n not in PLACEHOLDERS for n in names):
        raise InvalidInput("The location may use {slug} and {booking_id}, nothing else.")
    return t


def _from_json(data: object) -> MeetingType:
    if not isinstance(data, dict):
        raise TypeError("a meeting type is an object")
    return validate_type(
        MeetingType(
            key=str(data["key"]),
            name=str(data["name"]),
            lengths=tuple(data["lengths"]),
            location=str(data.get("location", "")),
            description=str(data.get("description", "")),
            approval=bool(data.get("approval", True)),
        )
    )


def stored_types(owner: Owner) -> list[MeetingType]:
    """The owner's own types (none set, or unreadable: [])."""
    raw = (owner.preferences or {}).get(PREFERENCE) or []
    try:
        return [_from_json(item) for item in raw]
    except (InvalidInput, TypeError, KeyError, ValueError):
        return []


def types_of(owner: Owner, policy: Policy) -> list[MeetingType]:
    """What the page offers: the owner's types, or the one default type."""
    return stored_types(owner) or [default_type(policy)]


def type_named(owner: Owner, policy: Policy, key: str | None) -> MeetingType:
    """The type ``key`` names (blank = the first); ``NotFound`` for a key not offered."""
    offered = types_of(owner, policy)
    if not key:
        return offered[0]
    for t in offered:
        if t.key == key:
            return t
    raise NotFound("This kind of meeting is not offered here. Pick one from the page.")


def type_of_booking(owner: Owner, policy: Policy, booking: Booking) -> MeetingType:
    """The type a booking was made for; a type removed since falls back to the default."""
    key = booking.meeting_type
    offered = types_of(owner, policy)
    found = next((t for t in offered if t.key == key), None)
    return found or replace(default_type(policy), key=key or DEFAULT_KEY)


def location_of(t: MeetingType, *, slug: str, booking_id: int) -> str:
    """The type's location with the placeholders filled in ('' when it has none)."""
    return t.location.format(slug=slug, booking_id=booking_id) if t.location else ""


def save_types(owner: Owner, types: list[MeetingType]) -> None:
    """Store ``types`` (validated; keys unique) as the owner's meeting types."""
    if len(types) > MAX_TYPES:
        raise InvalidInput(f"Up to {MAX_TYPES} meeting types.")
    if len({t.key for t in types}) != len(types):
        raise InvalidInput("Each meeting type needs its own key.")
    for t in types:
        validate_type(t)
    prefs = dict(owner.preferences or {})
    if types:
        prefs[PREFERENCE] = [t.to_json() for t in types]
    else:
        prefs.pop(PREFERENCE, None)
    owner.preferences = prefs


def add_type(owner: Owner, t: MeetingType) -> list[MeetingType]:
    """Add ``t`` or replace the type with its key; the owner's types afterwards."""
    kept = [x for x in stored_types(owner) if x.key != t.key]
    replaced = len(kept) != len(stored_types(owner))
    types = [t if x.key == t.key else x for x in stored_types(owner)] if replaced else [*kept, t]
    save_types(owner, types)
    return types


def remove_type(owner: Owner, key: str) -> list[MeetingType]:
    types = stored_types(owner)
    kept = [t for t in types if t.key != key]
    if len(kept) == len(types):
        raise NotFound(f"There is no meeting type {key!r}.")
    save_types(owner, kept)
    return kept


ABOUT = "booking_about"
"""``Owner.preferences`` key: the few lines about the owner on the booking page."""


def about_of(owner: Owner) -> str:
    value = (owner.preferences or {}).get(ABOUT)
    return value if isinstance(value, str) else ""


def set_about(owner: Owner, text: str) -> None:
    """Set (or, with blank ``text``, clear) the page's description of the owner."""
    text = text.strip()
    if len(text) > 1000:
        raise InvalidInput("Keep the description under 1000 characters.")
    prefs = {k: v for k, v in (owner.preferences or {}).items() if k != ABOUT}
    owner.preferences = {**prefs, ABOUT: text} if text else prefs
