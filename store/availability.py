"""Availability rows: weekly rules and dated overrides of one owner (owner-local times)."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from store.errors import NotFound
from store.models import AvailabilityOverride, AvailabilityRule


def list_rules(session: Session, *, owner_id: int) -> list[AvailabilityRule]:
    return list(
        session.scalars(
            select(AvailabilityRule)
            .where(AvailabilityRule.owner_id == owner_id)
            .order_by(AvailabilityRule.weekday, AvailabilityRule.start_time)
        )
    )


def replace_rules(
    session: Session, *, owner_id: int, windows: list[tuple[int, time, time]]
) -> list[AvailabilityRule]:
    """Make ``windows`` (weekday, start, end) the owner's whole weekly schedule."""
    session.execute(delete(AvailabilityRule).where(AvailabilityRule.owner_id == owner_id))
    rows = [
        AvailabilityRule(owner_id=owner_id, weekday=d, start_time=s, end_time=e)
        for d, s, e in windows
    ]
    session.add_all(rows)
    session.flush()
    return rows


def add_override(
    session: Session,
    *,
    owner_id: int,
    on_date: date,
    kind: str,
    start_time: time | None,
    end_time: time | None,
    note: str = "",
) -> AvailabilityOverride:
    row = AvailabilityOverride(
        owner_id=owner_id,
        on_date=on_date,
        kind=kind,
        start_time=start_time,
        end_time=end_time,
        note=note[:200],
    )
    session.add(row)
    session.flush()
    return row


def list_overrides(
    session: Session, *, owner_id: int, first: date | None = None, last: date | None = None
) -> list[AvailabilityOverride]:
    query = select(AvailabilityOverride).where(AvailabilityOverride.owner_id == owner_id)
    if first is not None:
        query = query.where(AvailabilityOverride.on_date >= first)
    if last is not None:
        query = query.where(AvailabilityOverride.on_date <= last)
    return list(
        session.scalars(query.order_by(AvailabilityOverride.on_date, AvailabilityOverride.id))
    )


def delete_override(session: Session, *, owner_id: int, override_id: int) -> None:
    row = session.get(AvailabilityOverride, override_id)
    if row is None or row.owner_id != owner_id:
        raise NotFound("No such override.")
    session.delete(row)
