"""The parser knows what it did not understand: date-like words left in the title make the
answer a question (or the LLM's job), one-slip misspellings of date words are read as meant,
and title words that only look like dates stay quiet."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agents.todos.leftover import correct, near_miss
from agents.todos.model import Ambiguous, Draft
from agents.todos.parser import parse

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)  # Monday


@pytest.mark.parametrize(
    ("word", "meant"),
    [
        ("tomorow", "tomorrow"),
        ("thrusday", "thursday"),
        ("wednesay", "wednesday"),
        ("frday", "friday"),
        ("satuday", "saturday"),
        ("mornign", "morning"),
        ("evry", "every"),
        ("Decmber", "december"),
    ],
)
def test_one_slip_from_a_date_word_is_that_word(word: str, meant: str) -> None:
    assert near_miss(word) == meant


@pytest.mark.parametrize(
    "word", ["nearly", "early", "dairy", "daisy", "very", "ever", "match", "sundae", "mourning",
             "monkey", "fridge", "today", "friday", "milk", "weakly"],
)  # fmt: skip
def test_real_words_and_the_date_words_themselves_are_not_slips(word: str) -> None:
    assert near_miss(word) is None


def test_correct_only_touches_slips() -> None:
    assert correct("call Ann thrusday, nearly done") == "call Ann thursday, nearly done"
    assert correct("明天 开会") == "明天 开会"


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("hike in a few days", "in a few days"),
        ("report sometime in march", "in march"),
        ("sync twice a week", "twice a week"),
        ("pay rent eod", "eod"),
        ("dentist on the 5th or the 6th", "6th"),
        ("standup at 9:30 or 10:30", "10:30"),
        ("biweekly sync", "biweekly"),
        ("call mom for 5 days", "for 5 days"),
        ("每 review 一下", "每"),
        ("1号和15号 还款", "15号"),
        ("周三 或 周四 开会", "周四"),
    ],
)
def test_a_date_like_word_left_over_makes_a_question(text: str, hint: str) -> None:
    ruled = parse(text, now=NOW, timezone="Europe/Berlin")
    assert hint in ruled.leftovers and ruled.unsure
    assert isinstance(ruled.result, Ambiguous) and hint in ruled.result.question
    for option in ruled.result.options:
        assert hint not in option.draft.title  # the doubtful words are not saved as the title


@pytest.mark.parametrize(
    "text",
    [
        "read 1984",
        "meeting in room B4",
        "buy 24 eggs",
        "fix the 404 on the 2024 archive page",
        "review section 3.2 of the draft",
        "pay $12.50 parking fine",
        "renew the 6 month parking permit",
        "email April about the grant",
        "listen to September by Earth Wind & Fire",
        "sun cream",
        "buy christmas lights",
        "整理2025年的照片",
        "写周报",
    ],
)
def test_title_words_that_only_look_like_dates_stay_quiet(text: str) -> None:
    ruled = parse(text, now=NOW, timezone="Europe/Berlin")
    assert ruled.leftovers == () and isinstance(ruled.result, Draft)
    assert ruled.result.due is None and ruled.result.rrule is None


def test_a_chinese_question_is_in_chinese() -> None:
    result = parse("每 review 一下", now=NOW, timezone="Asia/Shanghai").result
    assert isinstance(result, Ambiguous) and "是什么时间" in result.question
