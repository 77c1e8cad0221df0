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


class Scanner:
    """Holds the original text and a working copy in which consumed spans are blanked."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.work = text

    def take(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Yield each match of ``pattern`` in what is left, consuming it (left to right)."""
        while True:
            match = pattern.search(self.work)
            if match is None or match.end() == match.start():
                return
            self.consume(match.start(), match.end())
            yield match

    def first(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        for match in self.take(pattern):
            return match
        return None

    def consume(self, start: int, end: int) -> None:
        self.work = self.work[:start] + " " * (end - start) + self.work[end:]

    def rest(self) -> str:
        return self.work


def make_date(year: int, month: int, day: int) -> date:
    """A calendar date, or ``InvalidInput`` naming the impossible one ("February 30")."""
    if not 1 <= month <= 12:
        raise InvalidInput(f"There is no month {month}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidInput(f"{MONTH_NAMES[month - 1]} {day} does not exist.") from None
