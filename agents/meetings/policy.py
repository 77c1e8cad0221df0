"""One owner's booking rules as stored: the policy, weekly hours and date overrides.

The policy lives in ``Owner.preferences["meetings"]`` over the process-wide default
(``MeetingsConfig.default_policy``); hours and overrides come from ``store.availability``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta

from sqlalchemy.orm import Session

from agents.context import AppContext
from agents.meetings.availability import DateOverride, WeeklyWindow
from agents.meetings.config import MeetingsConfig, Policy, validate_policy
from agents.meetings.meeting_types import stored_types
from store import availability as avail_store
from store import bookings, owners
from store.errors import InvalidInput, NotFound
from store.models import Owner

log = logging.getLogger(__name__)


def config_of(ctx: AppContext) -> MeetingsConfig:
    return ctx.config.meetings


def policy_of(ctx: AppContext, owner: Owner) -> Policy:
    """The owner's policy; the default one (logged) when what is stored is invalid."""
    base = config_of(ctx).default_policy
    try:
        return Policy.from_json((owner.preferences or {}).get("meetings") or {}, base=base)
    except (InvalidInput, TypeError):
        log.warning("owner %s has an invalid meeting policy; using defaults", owner.id)
        return base


def slot_policy(ctx: AppContext, owner: Owner) -> Policy:
    """The policy slots are cut with: the owner's, also accepting their meeting types' lengths
    (a 15-minute intro call on a page whose policy offers 30 and 60)."""
    policy = policy_of(ctx, owner)
    extra = [n for t in stored_types(owner) for n in t.lengths if n not in policy.lengths]
    if not extra:
        return policy
    return replace(policy, lengths=(*policy.lengths, *dict.fromkeys(extra)))


def save_policy(session: Session, owner: Owner, policy: Policy) -> None:
    validate_policy(policy)
    prefs = dict(owner.preferences or {})
    prefs["meetings"] = policy.to_json()
    owner.preferences = prefs
    if owner.id is not None:  # smaller buffers: the database's guard narrows with them
        bookings.narrow_gaps(session, owner_id=owner.id, gap=gap(policy))


def owner_by_slug(session: Session, slug: str) -> Owner:
    owner = owners.get_by_slug(session, slug=slug[:64]) if slug else None
    if owner is None:
        raise NotFound("There is no booking page at this address.")
    return owner


def gap(policy: Policy) -> timedelta:
    """The free time a meeting needs around it (both buffers)."""
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


def save_weekly(session: Session, owner_id: int, windows: Sequence[WeeklyWindow]) -> None:
    """Replace the owner's weekly hours with ``windows``."""
    avail_store.replace_rules(
        session, owner_id=owner_id, windows=[(w.weekday, w.start, w.end) for w in windows]
    )


def add_override(session: Session, owner_id: int, o: DateOverride, note: str = "") -> None:
    """Store one dated override; ``note`` keeps the owner's words when it was read from them."""
    avail_store.add_override(
        session,
        owner_id=owner_id,
        on_date=o.on_date,
        kind=o.kind,
        start_time=o.start,
        end_time=o.end,
        note=note,
    )
