"""Wall-clock time in an IANA zone, with one explicit rule for DST edges.

A local time that does not exist (spring-forward gap) moves forward by the gap (02:30 on the
day clocks jump 02:00->03:00 becomes 03:30); a local time that happens twice (fall-back
overlap) means its first occurrence (``fold=0``, still summer time). Both are what people
expect from an alarm clock, and they are the only places a naive local time is turned into an
instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from store.errors import InvalidInput


def zone(name: str) -> ZoneInfo:
    """The zone named ``name``; an unknown name is ``InvalidInput`` (a clear message)."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            f"Unknown time zone {name!r}: use an IANA name like Europe/Berlin."
        ) from None


def localize(naive: datetime, tz: ZoneInfo) -> datetime:
    """Attach ``tz`` to a naive wall-clock time: gap -> forward, overlap -> first."""
    first = naive.replace(tzinfo=tz, fold=0)
    back = first.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) == naive:
        return first.astimezone(UTC).astimezone(tz)  # normal or overlap (fold=0 = first)
    # In the gap: fold=0 uses the offset before the jump; the instant it names is the
    # wall time shifted forward by the gap, which is what we want.
    shifted = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    early = naive.replace(tzinfo=tz, fold=0).astimezone(UTC)
    return max(shifted, early).astimezone(tz)


def to_utc(naive: datetime, tz: ZoneInfo) -> datetime:
    return localize(naive, tz).astimezone(UTC)


def local_now(now: datetime, tz: ZoneInfo) -> datetime:
    """``now`` (aware) as naive wall-clock time in ``tz``."""
    if now.tzinfo is None:
        raise ValueError("now must be aware")
    return now.astimezone(tz).replace(tzinfo=None)


def day_bounds(day: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """UTC start and end of the local calendar day containing naive ``day``."""
    start = day.replace(hour=0, minute=0, second=0, microsecond=0)
    return to_utc(start, tz), to_utc(start + timedelta(days=1), tz)
