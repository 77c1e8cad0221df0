"""Owners: the people errands works for."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.errors import Conflict, InvalidInput, NotFound
from store.models import Owner

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")


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
