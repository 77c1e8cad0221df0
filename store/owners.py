"""Owners: the people errands works for."""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.errors import Conflict, InvalidInput, NotFound
from store.models import Owner

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
NEW_SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{1,58}[a-z0-9])$")
"""A slug the owner picks (``/rename slug``): 3 to 60 of a-z, 0-9 and inner dashes."""
RESERVED_SLUGS = frozenset({"manage"})
"""Path words under /book/ that are not booking pages (``/book/manage/<token>``)."""
TELEGRAM_USER = "telegram_user_id"
"""``Owner.preferences`` key: the Telegram user who speaks for the owner (set at /start)."""


def validate_timezone(name: str) -> str:
    """Return ``name`` when it is an IANA zone, else raise ``InvalidInput``."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {name!r}: use an IANA name like Europe/Berlin."
        ) from None
    return name


def slugify(text: str) -> str:
    """A URL-safe slug from a display name ("Ada Lovelace" -> "ada-lovelace")."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:64].strip("-")
    return slug or "owner"


def create_owner(
    session: Session,
    *,
    name: str,
    timezone: str,
    now: datetime,
    chat_id: int | None = None,
    slug: str | None = None,
    preferences: dict[str, Any] | None = None,
) -> Owner:
    """Add an owner; a taken chat id or slug is a ``Conflict``."""
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("A name is required (at most 200 characters).")
    validate_timezone(timezone)
    slug = slug if slug is not None else slugify(name)
    if not SLUG_RE.match(slug):
        raise InvalidInput(
            f"Slug {slug!r} is not valid: use lower-case letters, digits and dashes."
        )
    if chat_id is not None and get_by_chat_id(session, chat_id=chat_id) is not None:
        raise Conflict(f"Chat {chat_id} is already an owner.")
    if session.scalar(select(Owner.id).where(Owner.slug == slug)) is not None:
        raise Conflict(f"Slug {slug!r} is taken.")
    owner = Owner(
        name=name,
        timezone=timezone,
        chat_id=chat_id,
        slug=slug,
        preferences=preferences or {},
        created_at=now,
    )
    session.add(owner)
    session.flush()
    return owner


def get_by_chat_id(session: Session, *, chat_id: int) -> Owner | None:
    return session.scalar(select(Owner).where(Owner.chat_id == chat_id))


def get_by_slug(session: Session, *, slug: str) -> Owner | None:
    return session.scalar(select(Owner).where(Owner.slug == slug))


def get_owner(session: Session, *, owner_id: int) -> Owner:
    owner = session.get(Owner, owner_id)
    if owner is None:
        raise NotFound(f"No owner with id {owner_id}.")
    return owner


def list_owners(session: Session) -> list[Owner]:
    return list(session.scalars(select(Owner).order_by(Owner.id)))


def free_slug(session: Session, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever no owner has yet."""
    slug, n = base, 1
    while slug in RESERVED_SLUGS or get_by_slug(session, slug=slug) is not None:
        n += 1
        slug = f"{base[:58]}-{n}"
    return slug


def rename(session: Session, *, owner_id: int, name: str) -> Owner:
    """Change the display name (1-200 characters, no control or formatting characters)."""
    name = " ".join(name.split())
    if not name or len(name) > 200:
        raise InvalidInput("A name is required (at most 200 characters).")
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in name):
        raise InvalidInput("A name cannot hold control or invisible formatting characters.")
    owner = get_owner(session, owner_id=owner_id)
    owner.name = name
    return owner


def change_slug(session: Session, *, owner_id: int, slug: str) -> Owner:
    """Give the owner's booking page a new slug; the old one stops working at once."""
    if not NEW_SLUG_RE.match(slug):
        raise InvalidInput(
            f"{slug[:80]!r} cannot be a link name: use 3 to 60 lower-case letters a-z, digits "
            "and dashes (not first or last), e.g. ada-lovelace."
        )
    owner = get_owner(session, owner_id=owner_id)
    if owner.slug == slug:
        return owner
    if slug in RESERVED_SLUGS or get_by_slug(session, slug=slug) is not None:
        raise Conflict(f"The link name {slug!r} is taken: pick another.")
    owner.slug = slug
    session.flush()
    return owner


def set_timezone(session: Session, *, owner_id: int, timezone: str) -> Owner:
    """Change the owner's IANA zone (their agenda, review and digest follow it)."""
    owner = get_owner(session, owner_id=owner_id)
    owner.timezone = validate_timezone(timezone)
    return owner


def telegram_user_id(owner: Owner) -> int | None:
    """The Telegram user who may act for ``owner``: the one recorded at /start, else the
    user of a private chat (its id is the chat id); None for a group nobody claimed yet."""
    value = (owner.preferences or {}).get(TELEGRAM_USER)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if owner.chat_id is not None and owner.chat_id > 0:
        return owner.chat_id
    return None


def set_telegram_user_id(owner: Owner, user_id: int) -> None:
    """Record who speaks for ``owner`` (a new dict: the JSON column tracks reassignment)."""
    owner.preferences = {**(owner.preferences or {}), TELEGRAM_USER: user_id}
