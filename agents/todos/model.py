"""What parsing produces: a ``Draft`` to save, or an ``Ambiguous`` question with options."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any, TypeAlias

MAX_TEXT = 1000
MAX_TITLE = 500
MAX_NOTES = 2000


@dataclass(frozen=True)
class Draft:
    """A task as understood; ``due`` is aware, in the owner's zone (None: no date)."""

    title: str
    timezone: str
    due: datetime | None = None
    all_day: bool = False
    rrule: str | None = None
    repeat_from_completion: bool = False
    priority: int = 4
    notes: str = ""
    order: str | None = None  # "3/4" read as "md" (March 4), "dm" (3 April), None: ask
    chinese: bool = False
    zone: str = ""  # the owner's IANA zone: which holidays and date order apply
    low: str = ""  # the text in lower case: a cheap look before a costly rule
    digits: bool = False

    def as_json(self) -> dict[str, Any]:
        """The ``errands todo parse --json`` shape (no clarification needed)."""
        return {
            "title": self.title,
            "due": self.due.isoformat() if self.due else None,
            "rrule": self.rrule,
            "priority": self.priority,
            "needs_clarification": False,
            "question": None,
        }

    def to_state(self) -> dict[str, Any]:
        """JSON-safe form for the LangGraph checkpoint."""
        return {
            "title": self.title,
            "timezone": self.timezone,
            "due": self.due.isoformat() if self.due else None,
            "all_day": self.all_day,
            "rrule": self.rrule,
            "repeat_from_completion": self.repeat_from_completion,
            "priority": self.priority,
            "notes": self.notes,
        }

    @classmethod
    def from_state(cls, data: dict[str, Any]) -> Draft:
        due = data.get("due")
        return cls(
            title=str(data["title"]),
            timezone=str(data["timezone"]),
            due=datetime.fromisoformat(due) if due else None,
            all_day=bool(data.get("all_day")),
            rrule=data.get("rrule"),
            repeat_from_completion=bool(data.get("repeat_from_completion")),
            priority=int(data.get("priority", 4)),
            notes=str(data.get("notes", "")),
        )

    def with_title(self, title: str) -> Draft:
        return replace(self, title=title)


@dataclass(frozen=True)
class Option:
    """One answer to a clarifying question: its button label and the draft it gives."""

    label: str
    draft: Draft


@dataclass(frozen=True)
class Ambiguous:
    """The text can mean several things; nothing is saved until one option is chosen."""

    question: str
    options: tuple[Option, ...]

    def as_json(self) -> dict[str, Any]:
        first = self.options[0].draft
        rules = {o.draft.rrule for o in self.options}
        return {
            "title": first.title,
            "due": None,
            "rrule": first.rrule if len(rules) == 1 else None,
            "priority": first.priority,
            "needs_clarification": True,
            "question": self.question,
        }


Parsed = Draft | Ambiguous


DateT: TypeAlias = date  # the field names of Found shadow the types
TimeT: TypeAlias = time


@dataclass
class Found:
    """What the grammar found in the text, before it is turned into dates in a zone."""

    date: DateT | None = None
    date_options: tuple[DateT, ...] = ()
    date_phrase: str = ""
    time: TimeT | None = None
    ambiguous_hour: int | None = None
    minute: int = 0
    time_phrase: str = ""
    soft_clock: bool = False  # "7:30" read as a 24-hour clock: "this evening" makes it 19:30
    period: str | None = None  # "am" | "pm"
    default_time: TimeT | None = None
    relative: timedelta | None = None
    rule: dict[str, str] = field(default_factory=dict)
    from_completion: bool = False
    until: DateT | None = None
    count: int | None = None
    span: tuple[int, str] | None = None  # "for 6 weeks": the repeat's length, made a COUNT
    priority: int = 4
    notes: str = ""
    order: str | None = None  # "3/4" read as "md" (March 4), "dm" (3 April), None: ask
    chinese: bool = False
    zone: str = ""  # the owner's IANA zone: which holidays and date order apply
    low: str = ""  # the text in lower case: a cheap look before a costly rule
    digits: bool = False
    # spans the rules read as a date but may be title words ("return Tuesdays with Morrie",
    # "daily planner refill"): the answer is a question, with the span kept as an option
    doubts: list[tuple[int, int]] = field(default_factory=list)
    soft_rule: tuple[int, int] | None = None  # "daily planner": needs more to be a repeat
