"""The rule parser over the labelled phrase set (English + Chinese, zones both sides of UTC,
DST gap and overlap days), plus the bad inputs that must be refused with a clear message."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agents.todos.model import Ambiguous, Draft
from agents.todos.parser import parse
from bench.todos_labelled import CASES, ERROR, Case
from store.errors import InvalidInput

RULE_CASES = [c for c in CASES if not c.hard]
NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _id(case: Case) -> str:
    return f"{case.text[:40]}|{case.timezone}|{case.now[:10]}"


def test_the_set_is_large_and_covers_both_languages_and_dst() -> None:
    assert len(RULE_CASES) >= 150
    assert sum(1 for c in RULE_CASES if any("\u4e00" <= ch <= "\u9fff" for ch in c.text)) >= 40
    zones = {c.timezone for c in RULE_CASES}
    assert {"America/New_York", "America/Los_Angeles", "Asia/Shanghai", "Pacific/Auckland"} <= zones
    dst_days = {c.now for c in RULE_CASES} - {"2026-03-02T09:00:00+00:00"}
    assert len(dst_days) >= 6


@pytest.mark.parametrize("case", RULE_CASES, ids=_id)
def test_labelled_phrase(case: Case) -> None:
    now = datetime.fromisoformat(case.now)
    if case.title == ERROR:
        with pytest.raises(InvalidInput) as caught:
            parse(case.text, now=now, timezone=case.timezone)
        assert caught.value.user_message and "Traceback" not in caught.value.user_message
        return
    got = parse(case.text, now=now, timezone=case.timezone).result.as_json()
    question = got.pop("question")
    assert got == case.expected()
    assert (question is not None) == case.ask


def test_ambiguous_hour_offers_morning_and_evening() -> None:
    result = parse("call bob at 7", now=NOW, timezone="Europe/Berlin").result
    assert isinstance(result, Ambiguous)
    dues = [o.draft.due.isoformat() for o in result.options if o.draft.due]
    assert dues == ["2026-03-02T19:00:00+01:00", "2026-03-03T07:00:00+01:00"]  # soonest first
    assert "morning or evening" in result.question


def test_next_friday_on_a_friday_offers_one_and_two_weeks() -> None:
    friday = datetime(2026, 3, 6, 9, tzinfo=UTC)
    result = parse("next friday lunch", now=friday, timezone="Europe/Berlin").result
    assert isinstance(result, Ambiguous)
    days = [o.draft.due.date().isoformat() for o in result.options if o.draft.due]
    assert days == ["2026-03-13", "2026-03-20"]


def test_chinese_question_is_in_chinese() -> None:
    result = parse("三点开会", now=NOW, timezone="Asia/Shanghai").result
    assert isinstance(result, Ambiguous)
    assert "上午还是下午" in result.question


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Tell me what to do"),
        ("x" * 5000, "5,000 characters"),
        ("every 0 days water plants", "never repeats"),
        ("Feb 30 dentist", "February 30 does not exist"),
        ("water plants every 0 weeks", "never repeats"),
    ],
)
def test_bad_input_has_a_clear_message(text: str, message: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse(text, now=NOW, timezone="Europe/Berlin")
    assert message in caught.value.user_message


def test_unknown_zone_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Unknown time zone"):
        parse("call mom", now=NOW, timezone="Mars/Base")


def test_notes_and_repeat_from_completion_are_kept() -> None:
    result = parse("every! 3 days water plants at 8am // the big one", now=NOW, timezone="UTC")
    draft = result.result
    assert isinstance(draft, Draft)
    assert draft.repeat_from_completion and draft.notes == "the big one"
    assert draft.rrule == "FREQ=DAILY;INTERVAL=3;BYHOUR=8;BYMINUTE=0"


def test_unknown_date_words_are_left_for_the_llm() -> None:
    unsure = parse("hike in a few days", now=NOW, timezone="UTC")
    assert unsure.leftovers == ("in a few days",) and unsure.unsure
    assert isinstance(unsure.result, Ambiguous) and isinstance(unsure.guess, Draft)
    assert unsure.result.options[0].draft.title == "Hike"  # the doubtful words are not the title
    assert parse("buy milk", now=NOW, timezone="UTC").leftovers == ()
