"""Time words for the changing tools: blocks (day + hours or part of day, EN and 中文), bare
durations and "next <weekday>" for snooze and reschedule, through describe on a real store."""

from __future__ import annotations

from datetime import date, time

import pytest

from agents.assistant import actions
from agents.assistant.spans import block_span, when_words
from agents.assistant.tools import parse_call
from agents.context import AppContext
from store.errors import InvalidInput
from store.models import Owner
from tests.agents.assistant.actions_seed import NOW, add_todo, local

TODAY = date(2026, 3, 2)  # a Monday
TZ = "Europe/Berlin"


@pytest.mark.parametrize(
    ("words", "on", "start", "end"),
    [
        # hours with am/pm on one end
        ("friday 2-4pm", date(2026, 3, 6), time(14), time(16)),
        ("thu 11-1pm", date(2026, 3, 5), time(11), time(13)),
        ("today 9am-11am", TODAY, time(9), time(11)),
        # hours alone: the working day
        ("from 2 to 4 thursday", date(2026, 3, 5), time(14), time(16)),
        ("下周一 9-11", date(2026, 3, 9), time(9), time(11)),
        ("周三 10:30-12", date(2026, 3, 4), time(10, 30), time(12)),
        # Chinese hours follow the part of the day
        ("周五下午两点到四点", date(2026, 3, 6), time(14), time(16)),
        ("周四下午三点到五点", date(2026, 3, 5), time(15), time(17)),
        ("明天上午九点半到十一点", date(2026, 3, 3), time(9, 30), time(11)),
        # a part of the day
        ("tmrw morning", date(2026, 3, 3), time(8), time(12)),
        ("next tuesday afternoon", date(2026, 3, 10), time(12), time(18)),
        ("下周一上午", date(2026, 3, 9), time(8), time(12)),
        # the whole day
        ("wed", date(2026, 3, 4), None, None),
        ("明天全天", date(2026, 3, 3), None, None),
        ("2026-03-20 all day", date(2026, 3, 20), None, None),
    ],
)
def test_block_span_reads_a_day_and_a_span(
    words: str, on: date, start: time | None, end: time | None
) -> None:
    block = block_span(words, today=TODAY)
    assert (block.on_date, block.kind, block.start, block.end) == (on, "block", start, end)


@pytest.mark.parametrize("words", ["someday soon", "whenever", "下次吧"])
def test_block_span_without_a_day_is_a_clear_question(words: str) -> None:
    with pytest.raises(InvalidInput, match="could not read a day"):
        block_span(words, today=TODAY)


@pytest.mark.parametrize(
    ("words", "read"),
    [
        ("1 hour", "in 1 hour"),
        ("an hour", "in an hour"),
        ("30 min", "in 30 min"),
        ("一小时", "一小时后"),
        ("两个小时", "两个小时后"),
        ("半小时", "半小时后"),
        ("next monday", "2026-03-09"),
        ("next fri 3pm", "2026-03-13 3pm"),
        ("Next Wednesday 10am", "2026-03-11 10am"),
        ("tomorrow 9am", "tomorrow 9am"),
        ("晚上八点", "晚上八点"),
    ],
)
def test_when_words(words: str, read: str) -> None:
    assert when_words(words, now=NOW, timezone=TZ) == read


def _describe(ctx: AppContext, owner: Owner, name: str, **args: str) -> str:
    return actions.describe(ctx, owner, parse_call(name, args), now=NOW)


def test_describe_snoozes_for_a_duration_and_moves_to_next_weekday(
    ctx: AppContext, ada: Owner
) -> None:
    gym = add_todo(ctx.db, ada, "Gym", local(2026, 3, 2, 8))
    for until, shown in (("1 hour", "Mon 2 Mar 11:00"), ("两个小时", "Mon 2 Mar 12:00"),
                         ("half an hour", "Mon 2 Mar 10:30")):  # fmt: skip
        line = _describe(ctx, ada, "snooze_todo", ref="gym", until=until)
        assert line == f"Snooze #{gym} “Gym” until {shown}"
    for when, shown in (("next monday", "Mon 9 Mar"), ("next monday 10am", "Mon 9 Mar 10:00"),
                        ("下周三", "Wed 11 Mar")):  # fmt: skip
        line = _describe(ctx, ada, "reschedule_todo", ref="gym", when=when)
        assert line == f"Move #{gym} “Gym” to {shown}"


def test_describe_blocks_spans_in_english_and_chinese(ctx: AppContext, ada: Owner) -> None:
    for when, shown in (("friday 2-4pm", "Fri 6 Mar 14:00-16:00"),
                        ("周五下午两点到四点", "Fri 6 Mar 14:00-16:00"),
                        ("下周一上午", "Mon 9 Mar 08:00-12:00")):  # fmt: skip
        assert _describe(ctx, ada, "block_time", when=when) == f"Block {shown}"
