"""``/block`` text the rules cannot read, interpreted by the LLM into bounded choices.

The model only picks a day offset (0-13 from today) and a part of the day from enums, so even a
small local model gives valid JSON; the date itself is computed here. With no model reachable
the caller keeps the rule parser's clear error.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from agents.llm import LLMClient
from agents.meetings.availability import DateOverride
from agents.meetings.rules_text import PARTS

DayOffset = Literal[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]
Part = Literal["morning", "afternoon", "evening", "all_day"]


class BlockGuess(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day_offset: DayOffset
    part: Part


async def interpret_block(llm: LLMClient, text: str, *, today: date) -> DateOverride:
    """Ask the model which day and part of the day ``text`` means; build the block here."""
    days = "\n".join(
        f"{n}: {today + timedelta(days=n):%A %Y-%m-%d}" + (" (today)" if n == 0 else "")
        for n in range(14)
    )
    messages = [
        {
            "role": "system",
            "content": "You turn a person's words about time they want blocked in their calendar "
            "into a day offset and a part of the day. Day offsets:\n" + days + "\nParts: morning "
            "(08-12), afternoon (12-18), evening (18-22), all_day. Answer with JSON only.",
        },
        {"role": "user", "content": text[:300]},
    ]
    guess = (await llm.structured(messages, BlockGuess, purpose="meetings.block")).value
    on = today + timedelta(days=guess.day_offset)
    if guess.part == "all_day":
        return DateOverride(on, "block")
    start, end = PARTS[guess.part]
    return DateOverride(on, "block", start, end)
