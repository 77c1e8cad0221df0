"""A text that grammar rules consume piece by piece; what is left becomes the title."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from store.errors import InvalidInput

MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


HIDDEN = "\ue000"  # stands in for a protected character: no grammar rule matches it


class Scanner:
    """Holds the original text and a working copy in which consumed spans are blanked.

    A protected span ("Friday Harbor", "每周 review 的") is hidden from every rule and comes
    back unchanged in ``rest()``: words that only look like dates stay in the title.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.work = text
        self.hidden = False

    def take(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Yield each match of ``pattern`` in what is left, consuming it (left to right)."""
        while True:
            match = pattern.search(self.work)
            if match is None or match.end() == match.start():
                return
            self.consume(match.start(), match.end())
            yield match

    def first(
        self, pattern: re.Pattern[str], lead: re.Pattern[str] | None = None
    ) -> re.Match[str] | None:
        """The first match, consumed; with ``lead`` also a lead word right before it ("on").

        Leading optional words cost a regex dearly (it can no longer skip ahead to a likely
        start), so they are looked for only behind a match.
        """
        match = pattern.search(self.work)
        if match is None or match.end() == match.start():
            return None
        self.consume_match(match, lead)
        return match

    def consume_match(self, match: re.Match[str], lead: re.Pattern[str] | None = None) -> None:
        start = match.start()
        if lead is not None and (before := lead.search(self.work, max(0, start - 20), start)):
            start = before.start()
        self.consume(start, match.end())

    def consume(self, start: int, end: int) -> None:
        self.work = self.work[:start] + " " * (end - start) + self.work[end:]

    def protect(self, start: int, end: int) -> None:
        self.work = self.work[:start] + HIDDEN * (end - start) + self.work[end:]
        self.hidden = True

    def rest(self) -> str:
        """What no rule consumed, protected words restored."""
        if not self.hidden:
            return self.work
        return "".join(t if w == HIDDEN else w for t, w in zip(self.text, self.work, strict=True))


def make_date(year: int, month: int, day: int) -> date:
    """A calendar date, or ``InvalidInput`` naming the impossible one ("February 30")."""
    if not 1 <= month <= 12:
        raise InvalidInput(f"There is no month {month}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{MONTH_NAMES[month - 1]} {day} does not exist.") from None
