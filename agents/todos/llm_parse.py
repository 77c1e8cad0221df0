"""The LLM fallback: asked only when the rules left date-like words they did not understand.

The model fills a small bounded schema (a title, a local date and time, an RRULE, a priority);
code then re-checks every field (the RRULE with dateutil via ``validate_rrule``, the date in
range, the time on the clock) and does all date arithmetic itself. Any failure means the rule
result stands.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field

from agents.todos.model import MAX_TITLE, Draft
from agents.todos.parser import EARLIEST, LATEST_YEARS
from agents.todos.recurrence import first_occurrence, validate_rrule
from agents.todos.timeutil import localize, zone
from store.errors import ErrandsError

if TYPE_CHECKING:
    from agents.llm import LLMClient

log = logging.getLogger(__name__)
PURPOSE = "todo-parse"


class LLMTodo(BaseModel):
    """What the model may say about one to-do line (bounded for small local models)."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=200)
    # [0-9], not \d: llama.cpp's schema-to-grammar converter emits \d literally and the
    # server crashes on the grammar (found by tests/real_llm/test_todo_parser.py).
    date: str | None = Field(default=None, pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
    time: str | None = Field(default=None, pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$")
    rrule: str | None = Field(
        default=None,
        max_length=120,
        pattern=r"^FREQ=(DAILY|WEEKLY|MONTHLY|YEARLY)(;[A-Z]+=[A-Z0-9,+\-]+){0,6}$",
    )
    priority: Literal[1, 2, 3, 4] = 4


def prompt(text: str, *, now: datetime, timezone: str) -> list[dict[str, str]]:
    local = now.astimezone(zone(timezone))
    system = (
        "You turn one to-do line into JSON. Today is "
        f"{local.strftime('%A %Y-%m-%d %H:%M')} in {timezone}. Give: title (the task, without "
        "the date words), date (YYYY-MM-DD, local) or null, time (HH:MM, 24-hour, local) or "
        "null, rrule (an RFC 5545 RRULE without DTSTART, e.g. FREQ=WEEKLY;BYDAY=MO) or null, "
        "priority (1 most urgent .. 4 normal). Never invent a date that is not in the text."
    )
    return [{"role": "system", "content": system}, {"role": "user", "content": text}]


def to_draft(answer: LLMTodo, *, base: Draft, now: datetime) -> Draft:
    """Check the model's answer field by field and build the draft with code."""
    tz = zone(base.timezone)
    title = " ".join(answer.title.split())[:MAX_TITLE]
    if not title:
        raise ValueError("empty title")
    day = date.fromisoformat(answer.date) if answer.date else None
    at = time.fromisoformat(answer.time) if answer.time else None
    draft = replace(
        base, title=title, priority=answer.priority, due=None, all_day=False, rrule=None
    )
    if answer.rrule:
        rule = answer.rrule
        if at is not None and "BYHOUR=" not in rule:
            rule += f";BYHOUR={at.hour};BYMINUTE={at.minute}"
        rule = validate_rrule(rule)
        local_now = now.astimezone(tz).replace(tzinfo=None)
        start = datetime.combine(day or local_now.date(), at or time(0))
        loose = ";".join(p for p in rule.split(";") if not p.startswith(("COUNT=", "INTERVAL=")))
        first = first_occurrence(loose, start)
        if first is None:
            raise ValueError("rule never happens")
        draft = replace(draft, rrule=rule, due=localize(first, tz), all_day=at is None)
    elif day is not None or at is not None:
        local_now = now.astimezone(tz).replace(tzinfo=None)
        start = datetime.combine(day or local_now.date(), at or time(0))
        if day is None and start <= local_now:
            start += timedelta(days=1)
        draft = replace(draft, due=localize(start, tz), all_day=at is None)
    if draft.due is not None and not (
        now - EARLIEST <= draft.due and draft.due.year <= now.year + LATEST_YEARS
    ):
        raise ValueError("date out of range")
    return draft


async def llm_draft(llm: LLMClient, text: str, *, base: Draft, now: datetime) -> Draft | None:
    """The model's reading of ``text`` re-validated by code, or None (rules stand)."""
    try:
        answer = await llm.structured(
            prompt(text, now=now, timezone=base.timezone), LLMTodo, purpose=PURPOSE, max_tokens=200
        )
        return to_draft(answer.value, base=base, now=now)
    except (ErrandsError, ValueError) as exc:
        log.info("LLM fallback for a to-do not used: %s", exc)
        return None
