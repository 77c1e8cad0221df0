"""The assistant's tools: typed arguments, what each may change, and the OpenAI tool schema.

The model only *names* a call; code validates it here (``parse_call``) before anything runs,
and the caller decides by ``changes_state`` whether it runs now (read-only: the answer comes
from the store) or becomes a confirmation card that runs only on the owner's tap. Arguments are
words the owner used ("tomorrow 9am", "dentist", "#12"), never ids or dates the model
computed: code resolves them for the owner who is talking, so a forged id of another owner's
object is simply not found. What each tool does is in ``agents.assistant.actions``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from agents.assistant.ranges import NAMED
from store.errors import InvalidInput

MAX_WORDS = 200


def _range(value: str) -> str:
    value = value.strip().lower()
    if value in NAMED:
        return value
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise ValueError(f"range must be one of {', '.join(NAMED)} or YYYY-MM-DD") from None


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class RangeArgs(_Args):
    range: str = Field(
        description="today, tomorrow, this_week, next_week, weekend, upcoming, "
        "a weekday (monday..sunday) or YYYY-MM-DD"
    )

    @field_validator("range")
    @classmethod
    def _known_range(cls, value: str) -> str:
        return _range(value)


class ListTodosArgs(_Args):
    filter: Literal["open", "overdue", "today", "done"] = "open"
    query: str | None = Field(None, max_length=MAX_WORDS, description="words in the title")


class FreeSlotsArgs(RangeArgs):
    length_minutes: int | None = Field(None, ge=5, le=480)


class ListBookingsArgs(RangeArgs):
    status: Literal["pending", "accepted"] | None = None


class QueryArgs(_Args):
    query: str = Field(min_length=1, max_length=MAX_WORDS)


class PaperRefArgs(_Args):
    ref: str = Field(
        min_length=1, max_length=MAX_WORDS,
        description="position in today's digest (1-10) or words of the title",
    )  # fmt: skip


class RatePaperArgs(PaperRefArgs):
    rating: Literal["like", "dislike"]


class TextArgs(_Args):
    text: str = Field(min_length=1, max_length=MAX_WORDS, description="the to-do, owner's words")


class TodoRefArgs(_Args):
    ref: str = Field(
        min_length=1, max_length=MAX_WORDS, description='"#12" or words of the title'
    )


class SnoozeArgs(TodoRefArgs):
    until: str = Field(min_length=1, max_length=MAX_WORDS, description='e.g. "tomorrow 9am"')


class RescheduleArgs(TodoRefArgs):
    when: str = Field(min_length=1, max_length=MAX_WORDS, description='e.g. "friday 10am"')


class OfferArgs(RangeArgs):
    guest: str = Field(min_length=1, max_length=MAX_WORDS, description="name or email")


class BlockArgs(_Args):
    when: str = Field(min_length=1, max_length=MAX_WORDS, description='e.g. "fri 14:00-16:00"')
    title: str | None = Field(None, max_length=MAX_WORDS)


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args: type[_Args]
    changes_state: bool


SPECS: dict[str, ToolSpec] = {
    spec.name: spec
    for spec in (
        ToolSpec("agenda", "Meetings, to-dos and the paper digest for a range of days.",
                 RangeArgs, False),
        ToolSpec("list_todos", "The owner's to-dos: open, overdue, due today, or done.",
                 ListTodosArgs, False),
        ToolSpec("free_slots", "The owner's free bookable times in a range.", FreeSlotsArgs, False),
        ToolSpec("list_bookings", "Meetings and booking requests in a range.",
                 ListBookingsArgs, False),
        ToolSpec("search_papers", "Stored arXiv papers matching some words.", QueryArgs, False),
        ToolSpec("why_recommended", "Why a paper of the digest was recommended.",
                 PaperRefArgs, False),
        ToolSpec("add_todo", "Add a to-do (asks the owner to confirm).", TextArgs, True),
        ToolSpec("complete_todo", "Mark a to-do done (asks the owner to confirm).",
                 TodoRefArgs, True),
        ToolSpec("snooze_todo", "Snooze a to-do's reminder (asks the owner to confirm).",
                 SnoozeArgs, True),
        ToolSpec("reschedule_todo", "Move a to-do to another time (asks the owner to confirm).",
                 RescheduleArgs, True),
        ToolSpec("offer_times", "Mail a guest some free times (asks the owner to confirm).",
                 OfferArgs, True),
        ToolSpec("block_time", "Block time in the owner's calendar (asks the owner to confirm).",
                 BlockArgs, True),
        ToolSpec("rate_paper", "Like or dislike a paper (asks the owner to confirm).",
                 RatePaperArgs, True),
    )
}  # fmt: skip
READ_ONLY = frozenset(name for name, spec in SPECS.items() if not spec.changes_state)


@dataclass(frozen=True)
class Call:
    """A validated call: the tool and its arguments, normalized."""

    name: str
    args: dict[str, Any]

    @property
    def changes_state(self) -> bool:
        return SPECS[self.name].changes_state


def parse_call(name: str, arguments: object) -> Call:
    """Validate a call the model (or a stored card) names; InvalidInput says what is wrong."""
    spec = SPECS.get(name)
    if spec is None:
        raise InvalidInput(f"There is no tool called {name[:40]!r}.")
    if not isinstance(arguments, dict):
        raise InvalidInput(f"The arguments of {name} must be an object.")
    try:
        parsed = spec.args.model_validate(arguments)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or name
        raise InvalidInput(f"{name}: {where}: {first['msg']}") from None
    return Call(name, parsed.model_dump(exclude_none=True))


def openai_tools(names: frozenset[str] | None = None) -> list[dict[str, Any]]:
    """The tools in OpenAI's function-tool format (all of them, or ``names``)."""
    return [
        {
            "type": "function",
            "function": {
                "name": spec.name,
                "description": spec.description,
                "parameters": spec.args.model_json_schema(),
            },
        }
        for spec in SPECS.values()
        if names is None or spec.name in names
    ]
