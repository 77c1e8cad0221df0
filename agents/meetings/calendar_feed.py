"""The owner's calendar feed: a signed, revocable URL serving accepted meetings and dated to-dos.

The token is an HMAC of the owner's slug and a per-owner counter kept in the owner's
preferences; ``revoke`` bumps the counter, so every older link answers 404.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings.calendar_events import FeedItem, feed, feed_token, feed_token_ok, feed_url
from agents.meetings.calendar_sync import booking_item
from store import owners, todos
from store.errors import ConfigError, NotFound
from store.models import Booking, Owner

EPOCH = "calendar_feed"
"""The key of the revocation counter in ``Owner.preferences``."""
PAST = timedelta(days=90)
NOT_FOUND = "No such calendar feed."


def _epoch(owner: Owner) -> int:
    value = (owner.preferences or {}).get(EPOCH, 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _secret(ctx: AppContext) -> str:
    if not ctx.config.secret_key:
        raise ConfigError("ERRANDS_SECRET_KEY is not set; the calendar feed needs it to sign.")
    return ctx.config.secret_key


def link(ctx: AppContext, owner: Owner) -> tuple[str, str]:
    """The owner's feed as ``(webcal://…, https://…)``."""
    token = feed_token(_secret(ctx), slug=owner.slug, epoch=_epoch(owner))
    return feed_url(ctx.config.public_url, slug=owner.slug, token=token)


def revoke(owner: Owner) -> None:
    """Invalidate every link given so far (a new dict: the JSON column tracks reassignment)."""
    owner.preferences = {**(owner.preferences or {}), EPOCH: _epoch(owner) + 1}


def owner_for(ctx: AppContext, session: Session, *, slug: str, token: str) -> Owner:
    """The owner a feed link belongs to; ``NotFound`` for a bad, old or revoked token."""
    owner = owners.get_by_slug(session, slug=slug[:64])
    if owner is None or not ctx.config.secret_key:
        raise NotFound(NOT_FOUND)
    if not feed_token_ok(ctx.config.secret_key, token, slug=owner.slug, epoch=_epoch(owner)):
        raise NotFound(NOT_FOUND)
    return owner


def feed_text(session: Session, owner: Owner, *, now: datetime) -> str:
    """Accepted meetings from 90 days back, and open to-dos with a due date."""
    meetings = session.scalars(
        select(Booking)
        .where(
            Booking.owner_id == owner.id,
            Booking.status == "accepted",
            Booking.end_at > now - PAST,
        )
        .order_by(Booking.start_at)
    ).all()
    items = [booking_item(b) for b in meetings]
    for task in todos.list_open(session, owner_id=owner.id, limit=1000):
        if task.due_at is None:
            continue
        day = task.due_at.astimezone(ZoneInfo(task.timezone)).date() if task.all_day else None
        items.append(
            FeedItem(
                uid=f"todo-{task.id}@errands",
                sequence=0,
                start=task.due_at,
                end=None,
                summary=f"☐ {task.title}",
                description=task.notes,
                all_day=day,
            )
        )
    return feed(items, name=f"{owner.name} (errands)", now=now)
