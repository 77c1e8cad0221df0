"""The to-do parser's LLM fallback end to end on the real engine (SmolLM2-135M, llama.cpp).

A 135M model's reading is often wrong; what must hold is the contract: the rules go first,
the model is asked only for leftovers, its answer is schema-valid JSON under the engine's
grammar, and code re-validates it (a bad answer leaves the rule result standing).
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dateutil.rrule import rrulestr

from agents.llm import CallRecord
from agents.todos.model import Draft
from agents.todos.understand import understand
from errands.local_llm import LocalServer

from .test_engine import client_for

pytestmark = pytest.mark.real_llm

NOW = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin


# phrases the rules leave words over in (sub-daily repeats, two dates offered): "3/15" and
# "in a fortnight", used here before, are now read by the rules themselves
@pytest.mark.parametrize("text", ["take meds every 8 hours", "dentist 15/3 or 16/3"])
async def test_leftovers_go_to_the_model_and_come_back_validated(
    engine: LocalServer, text: str
) -> None:
    log: list[CallRecord] = []
    async with client_for(("local", engine), log=log) as client:
        understood = await understand(text, now=NOW, timezone="Europe/Berlin", llm=client)
    assert understood.leftovers, "the rules should leave these words over"
    calls = [r for r in log if r.purpose == "todo-parse"]
    assert calls, "the model was not asked"
    assert calls[0].backend == "local"
    # json_object + schema under llama.cpp's grammar: the first answer is valid JSON
    assert calls[0].ok, calls[0].error
    draft = understood.result
    assert isinstance(draft, Draft)
    assert draft.title.strip()
    assert understood.source in ("llm", "rules")
    if draft.due is not None:  # code kept the model's date within range
        assert draft.due.tzinfo is not None
        assert datetime(2026, 3, 1, tzinfo=UTC) <= draft.due < datetime(2032, 1, 1, tzinfo=UTC)
    if draft.rrule:
        rrulestr(draft.rrule, dtstart=datetime(2026, 3, 2))  # parses, or the test fails


async def test_plain_phrases_never_reach_the_model(engine: LocalServer) -> None:
    log: list[CallRecord] = []
    async with client_for(("local", engine), log=log) as client:
        understood = await understand(
            "dentist tomorrow at 10am", now=NOW, timezone="Europe/Berlin", llm=client
        )
    assert understood.source == "rules"
    assert log == []
    assert isinstance(understood.result, Draft)
    assert understood.result.due == datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
