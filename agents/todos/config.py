"""The to-do agent's settings as plain values (filled from ``ERRANDS_TODO_*`` in errands/)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta


@dataclass(frozen=True)
class TodoConfig:
    """Nagging, quiet hours and the day-part defaults used by snooze presets and agendas.

    ``nag_priority``: tasks at this priority or more urgent (1 = most urgent) are reminded
    again every ``nag_interval`` until done, except inside quiet hours (owner's zone).
    """

    nag_interval: timedelta = timedelta(minutes=30)
    nag_priority: int = 1
    quiet_start: time = time(22, 0)
    quiet_end: time = time(7, 0)
    morning: time = time(9, 0)
    evening: time = time(19, 0)
    use_llm: bool = True

    def is_quiet(self, at: time) -> bool:
        """Whether local wall time ``at`` is inside the quiet hours (they may span midnight)."""
        start, end = self.quiet_start, self.quiet_end
        if start == end:
            return False
        if start < end:
            return start <= at < end
        return at >= start or at < end
