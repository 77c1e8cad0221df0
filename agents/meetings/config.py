"""Meeting settings: process-wide knobs (``MeetingsConfig``) and per-owner ``Policy``.

Process-wide values come from ``ERRANDS_MEETINGS_*`` settings; the per-owner policy (lengths,
interval, buffers, notice, horizon, daily cap) lives in ``Owner.preferences["meetings"]`` and
falls back to ``Policy()``'s defaults, so an owner who never touched it still has a page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from datetime import timedelta

from store.errors import InvalidInput

MAX_LENGTH_MIN = 8 * 60

PolicyJson = dict[str, int | list[int]]
"""A policy as stored in ``Owner.preferences["meetings"]``."""


@dataclass(frozen=True)
class Policy:
    """How one owner's slots are cut. Minutes everywhere; ``max_per_day`` 0 = no cap."""

    lengths: tuple[int, ...] = (30,)
    interval: int = 0  # 0 = the meeting length
    buffer_before: int = 0
    buffer_after: int = 0
    min_notice: int = 120
    horizon_days: int = 60
    max_per_day: int = 0

    @property
    def default_length(self) -> int:
        return self.lengths[0]

    def step(self, length: int) -> int:
        return self.interval or length

    def to_json(self) -> PolicyJson:
        data: PolicyJson = asdict(self)
        data["lengths"] = list(self.lengths)
        return data

    @classmethod
    def from_json(cls, data: object, *, base: Policy | None = None) -> Policy:
        """The stored policy over ``base`` (default ``Policy()``), ignoring unknown keys.

        Invalid stored values raise ``InvalidInput`` (or ``TypeError`` for a wrong shape).
        """
        start = base if base is not None else cls()
        if not isinstance(data, dict):
            return start
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        if "lengths" in known:
            known["lengths"] = tuple(known["lengths"])
        return validate_policy(replace(start, **known))


def validate_policy(policy: Policy) -> Policy:
    """Return ``policy`` if every value is in range, else ``InvalidInput`` naming the value."""
    lengths = policy.lengths
    if not lengths or len(lengths) > 6 or len(set(lengths)) != len(lengths):
        raise InvalidInput("Offer 1 to 6 different meeting lengths.")
    for n in lengths:
        if not isinstance(n, int) or not 5 <= n <= MAX_LENGTH_MIN:
            raise InvalidInput("Meeting lengths must be 5 to 480 minutes.")
    checks = [
        ("interval", policy.interval, 0, 240),
        ("buffer before", policy.buffer_before, 0, 240),
        ("buffer after", policy.buffer_after, 0, 240),
        ("minimum notice", policy.min_notice, 0, 60 * 24 * 30),
        ("horizon", policy.horizon_days, 1, 365),
        ("max per day", policy.max_per_day, 0, 50),
    ]
    for name, value, low, high in checks:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise InvalidInput(f"The {name} must be a whole number from {low} to {high}.")
    if policy.interval and policy.interval < 5:
        raise InvalidInput("The slot interval must be at least 5 minutes (or 0 = length).")
    return policy


@dataclass(frozen=True)
class MeetingsConfig:
    """Process-wide meeting settings (``AppConfig.meetings``)."""

    pending_ttl: timedelta = timedelta(hours=24)
    reminder_offsets: tuple[timedelta, ...] = (timedelta(hours=24), timedelta(hours=1))
    open_requests_per_email: int = 2
    open_requests_per_ip: int = 5
    rate_limit_per_minute: int = 10
    organizer_email: str = ""
    default_policy: Policy = field(default_factory=Policy)
    # Reads a calendar password by its env var NAME at sync time (errands.wiring passes the
    # environment; only the name is stored). Default: nothing is set.
    secrets: Callable[[str], str | None] = field(default=lambda _name: None, repr=False)
