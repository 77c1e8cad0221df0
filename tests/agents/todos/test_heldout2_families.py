"""The families the second blind set caught the rules out on, in phrasings of our own: Chinese
"by" after a clock time, "every" before a Chinese weekday, "N minutes from now", a weekday
inside a weekly repeat, honorific names, short units in intervals, and shapes the rules were
not built for (a bare "1930", a "quarterly" adjective beside a one-off date), which ask."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from agents.todos.model import Ambiguous
from agents.todos.parser import parse
from store.errors import InvalidInput

BER, SHA = "Europe/Berlin", "Asia/Shanghai"
TUE = "2026-03-10T07:15:00+00:00"  # Tuesday 08:15 in Berlin, 15:15 in Shanghai


def _got(text: str, tz: str = BER) -> dict[str, Any]:
    got = parse(text, now=datetime.fromisoformat(TUE), timezone=tz).result.as_json()
    got.pop("question")
    return got


def _check(text: str, title: str, due: str | None, rrule: str | None = None, tz: str = BER) -> None:
    got = _got(text, tz)
    assert not got["needs_clarification"], text
    assert (got["title"], got["due"], got["rrule"]) == (title, due, rrule), text


def _asks(text: str, title: str, tz: str = BER) -> None:
    result = parse(text, now=datetime.fromisoformat(TUE), timezone=tz).result
    assert isinstance(result, Ambiguous), text
    assert result.options[0].draft.title == title, text


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("晚上8点前 交作业", "交作业", "2026-03-10T20:00:00+08:00"),
        ("明天下午3点之前 把合同寄出去", "把合同寄出去", "2026-03-11T15:00:00+08:00"),
        ("重要 上午11点以前 回复邮件", "回复邮件", "2026-03-11T11:00:00+08:00"),
    ],
)
def test_chinese_by_after_a_clock_time_is_glue(text: str, title: str, due: str) -> None:
    _check(text, title, due, tz=SHA)


@pytest.mark.parametrize(
    ("text", "title", "due", "rrule"),
    [
        ("every 周三 10am 例会", "例会", "2026-03-11T10:00:00+08:00", "WEEKLY;BYDAY=WE;10;0"),
        ("each 星期五 组会", "组会", "2026-03-13T00:00:00+08:00", "WEEKLY;BYDAY=FR"),
        (
            "every 礼拜一 晚上9点 写周报",
            "写周报",
            "2026-03-16T21:00:00+08:00",
            "WEEKLY;BYDAY=MO;21;0",
        ),
    ],
)
def test_every_before_a_chinese_weekday_is_a_weekly_repeat(
    text: str, title: str, due: str, rrule: str
) -> None:
    freq, days, *clock = rrule.split(";")
    expected = f"FREQ={freq};{days}" + (f";BYHOUR={clock[0]};BYMINUTE={clock[1]}" if clock else "")
    _check(text, title, due, expected, tz=SHA)


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("45 minutes from now take the cake out", "Take the cake out", "2026-03-10T09:00:00+01:00"),
        (
            "switch off the oven 20 mins from now",
            "Switch off the oven",
            "2026-03-10T08:35:00+01:00",
        ),
        ("2 hours from now move the car", "Move the car", "2026-03-10T10:15:00+01:00"),
    ],
)
def test_minutes_and_hours_from_now_are_exact_offsets(text: str, title: str, due: str) -> None:
    _check(text, title, due)


@pytest.mark.parametrize(
    ("text", "title", "due", "rrule"),
    [
        (
            "fortnightly sync with Omar thu 9:30",
            "Sync with Omar",
            "2026-03-12T09:30:00+01:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=9;BYMINUTE=30",
        ),
        (
            "every 2 weeks coffee with Ines friday",
            "Coffee with Ines",
            "2026-03-13T00:00:00+01:00",
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR",
        ),
        (
            "weekly review of the lab budget wednesday at 16:00",
            "Review of the lab budget",
            "2026-03-11T16:00:00+01:00",
            "FREQ=WEEKLY;BYDAY=WE;BYHOUR=16;BYMINUTE=0",
        ),
    ],
)
def test_a_weekday_elsewhere_in_a_weekly_repeat_is_its_day(
    text: str, title: str, due: str, rrule: str
) -> None:
    _check(text, title, due, rrule)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("email Prof. Friday about the thesis", "Email Prof. Friday about the thesis"),
        ("ring Mrs Monday back", "Ring Mrs Monday back"),
        ("thank Dr April for the referral", "Thank Dr April for the referral"),
    ],
)
def test_a_weekday_or_month_after_an_honorific_is_a_name(text: str, title: str) -> None:
    _check(text, title, None)


@pytest.mark.parametrize(
    ("text", "rrule"),
    [
        ("every 2 mos service the boiler", "FREQ=MONTHLY;INTERVAL=2"),
        ("every 3 wks water the cactus", "FREQ=WEEKLY;INTERVAL=3"),
        ("every 2 yrs renew the passport photo", "FREQ=YEARLY;INTERVAL=2"),
    ],
)
def test_short_units_in_an_interval(text: str, rrule: str) -> None:
    assert _got(text)["rrule"] == rrule


@pytest.mark.parametrize("text", ["every 0 mo pay dues", "every 0 wks clean", "every 0 yr audit"])
def test_zero_interval_with_short_units_is_an_error(text: str) -> None:
    with pytest.raises(InvalidInput):
        parse(text, now=datetime.fromisoformat(TUE), timezone=BER)


def test_wknd_is_the_weekend() -> None:
    assert _got("wknd clean the balcony")["due"] == _got("weekend clean the balcony")["due"]
    assert _got("wknd clean the balcony")["due"] == "2026-03-14T00:00:00+01:00"
    assert _got("tidy the shed wknd")["title"] == "Tidy the shed"
    assert _got("wknd: call grandma")["title"] == "Call grandma"


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("2045 call the warden", "Call the warden"),
        ("swim 1715", "Swim"),
        ("1800 pilates", "Pilates"),
    ],
)
def test_a_bare_four_digit_time_at_either_end_asks(text: str, title: str) -> None:
    _asks(text, title)


@pytest.mark.parametrize(
    "text",
    [
        "book room 1204 for the seminar",
        "read 1984",
        "write the 1500 words essay",
        "check flight 2215",
        "pay 1200 to the landlord tomorrow at 9am",
    ],
)
def test_numbers_that_are_not_times_do_not_ask(text: str) -> None:
    assert not _got(text)["needs_clarification"], text


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("renew monthly bus pass fri", "Renew bus pass"),
        ("order weekly groceries thursday", "Order groceries"),
        ("file yearly tax summary on monday", "File tax summary"),
    ],
)
def test_an_adjective_repeat_word_beside_a_one_off_date_asks(text: str, title: str) -> None:
    result = parse(text, now=datetime.fromisoformat(TUE), timezone=BER).result
    assert isinstance(result, Ambiguous), text
    assert {o.draft.rrule is None for o in result.options} == {True, False}, text
    assert title in {o.draft.title for o in result.options}, text
