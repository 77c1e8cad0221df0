"""Rules first, the LLM only for what the rules left over: the one entry point for parsing.

When the rules are not sure (date-like words left in the title), the LLM reads the text; if
there is none, or its answer does not check out, the rules' question stands: never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from agents.todos.model import Draft, Parsed
from agents.todos.parser import parse

if TYPE_CHECKING:
    from agents.llm import LLMClient


@dataclass(frozen=True)
class Understood:
    result: Parsed
    source: str  # "rules" | "llm"
    leftovers: tuple[str, ...]


async def understand(
    text: str, *, now: datetime, timezone: str, llm: LLMClient | None
) -> Understood:
    """Parse ``text``; ``llm=None`` never touches the network. Bad input raises InvalidInput."""
    ruled = parse(text, now=now, timezone=timezone)
    if llm is None or not ruled.unsure or not isinstance(ruled.guess, Draft):
        return Understood(ruled.result, "rules", ruled.leftovers)
    from agents.todos.llm_parse import llm_draft

    better = await llm_draft(llm, text, base=ruled.guess, now=now)
    if better is None:
        return Understood(ruled.result, "rules", ruled.leftovers)
    return Understood(better, "llm", ruled.leftovers)
