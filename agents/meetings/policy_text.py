"""A booking policy in words: "lengths 15,30,60", "buffer 10 5", "notice 120" and back.

What an owner types after ``/availability`` to change one setting of their ``Policy``, and the
one-line summary they see. Deterministic (no LLM); a clear ``InvalidInput`` says what to write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from agents.meetings.config import Policy
from store.errors import InvalidInput

POLICY_KEYS = ("lengths", "interval", "buffer", "notice", "horizon", "max")
AVAILABILITY_HELP = (
    "Change with:\n"
    "/availability Mon-Fri 09:00-17:00 (weekly hours)\n"
    "/availability 2026-03-10 off | 2026-03-10 13:00-15:00 (a date)\n"
    "/availability lengths 15,30,60 | interval 15 | buffer 10 5 | notice 120 | horizon 60 | "
    "max 4\n"
    "/block Friday afternoon"
)


def is_policy_change(words: Sequence[str]) -> bool:
    """True when ``words`` start with a policy setting's name (``lengths``, ``buffer``, ...)."""
    return bool(words) and words[0].lower() in POLICY_KEYS


def apply_policy_words(policy: Policy, words: Sequence[str]) -> Policy:
    """``policy`` with the setting ``words`` name changed (not validated: ``save_policy`` does)."""
    key, values = words[0].lower(), [w.strip(",") for w in words[1:] if w.strip(",")]
    try:
        numbers = [int(v) for part in values for v in part.split(",") if v]
    except ValueError:
        raise InvalidInput("Give whole numbers, e.g. /availability lengths 15,30,60.") from None
    if not numbers:
        raise InvalidInput(AVAILABILITY_HELP)
    if key == "lengths":
        return replace(policy, lengths=tuple(numbers))
    if key == "buffer":
        after = numbers[1] if len(numbers) > 1 else numbers[0]
        return replace(policy, buffer_before=numbers[0], buffer_after=after)
    value = numbers[0]
    if key == "interval":
        return replace(policy, interval=value)
    if key == "notice":
        return replace(policy, min_notice=value)
    if key == "horizon":
        return replace(policy, horizon_days=value)
    return replace(policy, max_per_day=value)


def format_policy(policy: Policy) -> str:
    """The policy in one line, as /availability shows it under "Rules"."""
    return (
        f"lengths {', '.join(map(str, policy.lengths))} min, "
        f"interval {policy.interval or 'length'}, buffers {policy.buffer_before}/"
        f"{policy.buffer_after} min, notice {policy.min_notice} min, horizon "
        f"{policy.horizon_days} days, max/day {policy.max_per_day or 'none'}"
    )
