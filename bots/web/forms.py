"""What the booking routes accept: typed query, form and JSON models with clear messages.

FastAPI validates these before a route runs; a failure is a 422 naming the field (see
``errors.invalid_request``). Blank query values mean "the default", as a plain HTML form sends
them. The server still re-checks everything that matters (``agents.meetings``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo
from pydantic_core import PydanticCustomError, PydanticUseDefault

from agents.meetings.availability import MAX_DAYS
from agents.meetings.validate import clean_zone
from store.errors import InvalidInput

PAGE_DAYS = 7
CLEAR = "errands_input"
"""The error type of the messages below: whole sentences, shown as they are."""


def _problem(message: str) -> PydanticCustomError:
    return PydanticCustomError(CLEAR, message)


_DIGITS = re.compile(r"[0-9]{1,4}")
"""ASCII digits only: ``str.isdigit`` also takes "²" or "٣", which ``int`` refuses or reads."""


def _whole(lo: int, hi: int) -> BeforeValidator:
    """A whole number from ``lo`` to ``hi``, written in digits; blank means the default."""

    def check(value: object, info: ValidationInfo) -> object:
        if value == "":
            raise PydanticUseDefault()
        if isinstance(value, str) and _DIGITS.fullmatch(value):
            value = int(value)
        if not isinstance(value, int) or isinstance(value, bool):
            raise _problem(f"{info.field_name} must be a whole number.")
        if not lo <= value <= hi:
            raise _problem(f"{info.field_name} must be {lo} to {hi}.")
        return value

    return BeforeValidator(check)


def _iso_time(value: object) -> object:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) > 40:
        raise _problem("The start time is not a valid ISO-8601 time.")
    try:
        start = datetime.fromisoformat(value.strip())
    except ValueError:
        raise _problem("The start time is not a valid ISO-8601 time.") from None
    if start.tzinfo is None:
        raise _problem("The start time needs a UTC offset (e.g. +01:00).")
    return start


def _iso_date(value: object) -> object:
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _problem("from must be a date like 2026-03-02.") from None


def _zone(value: object) -> object:
    if value is None or value == "":
        return None
    try:
        return clean_zone(str(value))
    except InvalidInput as exc:
        raise _problem(exc.user_message) from None


StartTime = Annotated[datetime, BeforeValidator(_iso_time)]
"""An ISO-8601 time with its UTC offset."""
Minutes = Annotated[int, _whole(0, 1440)]
"""A meeting length in minutes; 0 means the owner's default length."""
Zone = Annotated[str | None, BeforeValidator(_zone)]
"""An IANA zone name; None when not given (each page has its default)."""
Day = Annotated[date | None, BeforeValidator(_iso_date)]
TypeKey = Annotated[str, Field(max_length=32, pattern=r"^[a-z0-9-]*$")]
"""A meeting type's key (blank = the page's first type)."""
ClockParam = Annotated[Literal["12", "24"] | None, BeforeValidator(lambda v: v or None)]
"""``?clock=12|24``; None = from the browser's language."""
Name = Annotated[str, Field(max_length=100)]
Email = Annotated[str, Field(max_length=254)]
Topic = Annotated[str, Field(max_length=1000)]


class PageQuery(BaseModel):
    """``/book/{slug}``: the week from ``from`` (today) in ``tz`` (the owner's zone)."""

    tz: Zone = None
    from_: Day = Field(default=None, alias="from")
    length: Minutes = 0
    type: TypeKey = ""
    clock: ClockParam = None


class SlotsQuery(PageQuery):
    """``/api/book/{slug}/slots``: ``days`` days from ``from`` in ``tz`` (UTC)."""

    days: Annotated[int, _whole(1, MAX_DAYS)] = PAGE_DAYS


class SlotQuery(BaseModel):
    """``/book/{slug}/slot``: one start time to request."""

    start: StartTime
    tz: Zone = None
    length: Minutes = 0
    type: TypeKey = ""
    clock: ClockParam = None


class BookingBody(BaseModel):
    """The JSON a client posts to ``/api/book/{slug}``."""

    model_config = ConfigDict(extra="forbid")
    start: StartTime
    length: int | None = Field(default=None, ge=1, le=1440)
    name: Name
    email: Email
    topic: Topic = ""
    timezone: str = Field(default="UTC", max_length=64)
    type: TypeKey = ""


class BookingForm(BaseModel):
    """The booking page's form (``book_form.html``); the CSRF and honeypot fields are checked
    by their own dependencies."""

    start: StartTime
    length: Minutes = 0
    name: Name = ""
    email: Email = ""
    topic: Topic = ""
    tz: str = Field(default="UTC", max_length=64)
    type: TypeKey = ""
    clock: ClockParam = None

    def as_body(self) -> BookingBody:
        return BookingBody(
            start=self.start,
            length=self.length or None,
            name=self.name,
            email=self.email,
            topic=self.topic,
            timezone=self.tz,
            type=self.type,
        )


class RescheduleForm(BaseModel):
    """A free time picked on the manage page, and the booking version it was shown for."""

    start: StartTime
    sequence: Annotated[int, _whole(0, 9999)] = -1
    confirm: str = Field(default="", max_length=8)
    """"yes" from the confirmation step; without it the page asks first."""
