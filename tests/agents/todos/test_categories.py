"""The rule parser on each weak category of issue 14, several phrasings each (English and
Chinese), beyond the examples the issue gave: what a person means, or a question, never a
silent guess."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest

from agents.todos.model import Ambiguous, Draft
from agents.todos.parser import parse
from store.errors import InvalidInput

BER, NY, LON, SH, AKL = (
    "Europe/Berlin",
    "America/New_York",
    "Europe/London",
    "Asia/Shanghai",
    "Pacific/Auckland",
)
MON = "2026-03-02T09:00:00+00:00"  # Monday: Berlin 10:00, New York 04:00, Shanghai 17:00
FRI = "2026-03-06T09:00:00+00:00"  # Friday
SUN = "2026-03-08T09:00:00+00:00"  # Sunday


def _got(text: str, tz: str, now: str) -> dict[str, Any]:
    got = parse(text, now=datetime.fromisoformat(now), timezone=tz).result.as_json()
    got.pop("question")
    return got


def _check(text: str, tz: str, now: str, **expected: Any) -> None:
    got = _got(text, tz, now)
    wanted = {"needs_clarification": False, **expected}
    assert {k: got[k] for k in wanted} == wanted, text


def _asks(text: str, tz: str, now: str, title: str) -> None:
    got = _got(text, tz, now)
    assert got["needs_clarification"] and got["due"] is None, text
    assert got["title"] == title, text


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("dentist weds", "Dentist", "2026-03-04T00:00:00+01:00"),
        ("call Ann thurs 4pm", "Call Ann", "2026-03-05T16:00:00+01:00"),
        ("fri. submit grant", "Submit grant", "2026-03-06T00:00:00+01:00"),
        ("tomorow gym", "Gym", "2026-03-03T00:00:00+01:00"),
        ("2moro lunch with Bo", "Lunch with Bo", "2026-03-03T00:00:00+01:00"),
        ("tmrw 9am standup", "Standup", "2026-03-03T09:00:00+01:00"),
        ("wendesday standup", "Standup", "2026-03-04T00:00:00+01:00"),
        ("fridya write report", "Write report", "2026-03-06T00:00:00+01:00"),
        ("tommorrow am run", "Run", "2026-03-03T09:00:00+01:00"),
    ],
)
def test_short_and_misspelt_days(text: str, title: str, due: str) -> None:
    _check(text, BER, MON, title=title, due=due)


def test_sat_and_sun_are_days_only_where_a_date_stands() -> None:
    _check("sun cream", BER, MON, title="Sun cream", due=None)
    _check("sat nav update", BER, MON, title="Sat nav update", due=None)
    _check("call parents sun", BER, MON, title="Call parents", due="2026-03-08T00:00:00+01:00")
    _check("sat 10am tennis", BER, MON, title="Tennis", due="2026-03-07T10:00:00+01:00")


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("half past 4 this afternoon call bank", "2026-03-02T16:30:00+01:00"),
        ("at half past 9 tonight movie", "2026-03-02T21:30:00+01:00"),
        ("twenty to 7 tomorrow morning call bank", "2026-03-03T06:40:00+01:00"),
        ("quarter past 3 pm call bank", "2026-03-02T15:15:00+01:00"),
        ("at 1830 call bank", "2026-03-02T18:30:00+01:00"),
        ("7p call bank", "2026-03-02T19:00:00+01:00"),
        ("at quarter past noon call bank", "2026-03-02T12:15:00+01:00"),
        ("half 8 this evening call bank", "2026-03-02T20:30:00+01:00"),
        ("tonight 11 call bank", "2026-03-02T23:00:00+01:00"),
        ("this evening at 8:15 call bank", "2026-03-02T20:15:00+01:00"),
        ("call bank at noonish", "2026-03-02T12:00:00+01:00"),
    ],
)
def test_clock_phrases(text: str, due: str) -> None:
    _check(text, BER, MON, title="Call bank" if "bank" in text else "Movie", due=due)


def test_clock_phrases_without_a_half_of_the_day_ask() -> None:
    for text in ("quarter to 11 standup", "half 3 standup", "standup at 9ish", "5 o'clock standup"):
        _asks(text, LON, MON, "Standup")


def test_every_evening_at_nine_is_nine_in_the_evening() -> None:
    _check(
        "every evening at 9 read",
        BER,
        MON,
        title="Read",
        due="2026-03-02T21:00:00+01:00",
        rrule="FREQ=DAILY;BYHOUR=21;BYMINUTE=0",
    )
    _check("every morning at 6:45 swim", BER, MON, rrule="FREQ=DAILY;BYHOUR=6;BYMINUTE=45")


@pytest.mark.parametrize(
    ("text", "tz", "rrule"),
    [
        ("every 2nd and 4th tuesday book club", BER, "FREQ=MONTHLY;BYDAY=+2TU,+4TU"),
        ("every first and third monday HOA", BER, "FREQ=MONTHLY;BYDAY=+1MO,+3MO"),
        ("monthly on the 2nd tuesday sync", BER, "FREQ=MONTHLY;BYDAY=+2TU"),
        ("last friday of every month pub quiz", BER, "FREQ=MONTHLY;BYDAY=-1FR"),
        ("the last sunday of each month call gran", BER, "FREQ=MONTHLY;BYDAY=-1SU"),
        ("every mon wed fri gym", BER, "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("gym every tue/thu", BER, "FREQ=WEEKLY;BYDAY=TU,TH"),
        ("mondays and thursdays gym", BER, "FREQ=WEEKLY;BYDAY=MO,TH"),
        ("every 1st and 15th pay bills", BER, "FREQ=MONTHLY;BYMONTHDAY=1,15"),
        ("每月1号和15号 还款", SH, "FREQ=MONTHLY;BYMONTHDAY=1,15"),
        ("每周一三五 跑步", SH, "FREQ=WEEKLY;BYDAY=MO,WE,FR"),
        ("meds every day for 7 days", BER, "FREQ=DAILY;COUNT=7"),
        ("yoga every monday for 6 weeks", BER, "FREQ=WEEKLY;BYDAY=MO;COUNT=6"),
        ("every mon and thu for 2 weeks gym", BER, "FREQ=WEEKLY;BYDAY=MO,TH;COUNT=4"),
        ("连续7天 打卡", SH, "FREQ=DAILY;COUNT=7"),
        ("every quarter review", BER, "FREQ=MONTHLY;INTERVAL=3"),
        ("quarterly on the 1st VAT", BER, "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"),
        ("每季度 复盘", SH, "FREQ=MONTHLY;INTERVAL=3"),
        ("every fortnight on friday payroll", BER, "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        ("每两周周五 理发", SH, "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
    ],
)
def test_recurrence(text: str, tz: str, rrule: str) -> None:
    _check(text, tz, MON, rrule=rrule)


def test_ambiguous_repeat_words_ask() -> None:
    _asks("biweekly sync with Anna", BER, MON, "Sync with Anna")
    _asks("team call twice a week", BER, MON, "Team call")


@pytest.mark.parametrize(
    ("text", "tz", "title"),
    [
        ("friday lunch", BER, "Lunch"),
        ("on fri pay rent", BER, "Pay rent"),
        ("fri 5pm drinks", BER, "Drinks"),
        ("周五 交周报", SH, "交周报"),
        ("星期五下午3点 组会", SH, "组会"),
    ],
)
def test_a_weekday_said_on_that_weekday_asks(text: str, tz: str, title: str) -> None:
    result = parse(text, now=datetime.fromisoformat(FRI), timezone=tz).result
    assert isinstance(result, Ambiguous) and result.options[0].draft.title == title
    days = sorted({o.draft.due.date() for o in result.options if o.draft.due})
    assert [d.isoformat() for d in days] == ["2026-03-06", "2026-03-13"]  # today, in a week


def test_next_weekday_on_that_weekday_offers_one_and_two_weeks() -> None:
    result = parse("next fri dentist", now=datetime.fromisoformat(FRI), timezone=BER).result
    assert isinstance(result, Ambiguous)
    days = [o.draft.due.date().isoformat() for o in result.options if o.draft.due]
    assert days == ["2026-03-13", "2026-03-20"]


def test_this_weekday_on_that_weekday_is_today() -> None:
    _check("this friday clean bike", BER, FRI, due="2026-03-06T00:00:00+01:00")
    _check("这周五 打扫", SH, FRI, due="2026-03-06T00:00:00+08:00")


@pytest.mark.parametrize(
    ("text", "tz", "due"),
    [
        ("3/14 dentist", NY, "2026-03-14T00:00:00-04:00"),
        ("3/4 dentist", NY, "2026-03-04T00:00:00-05:00"),
        ("3/4 dentist", LON, "2026-04-03T00:00:00+01:00"),
        ("12/20 dentist", BER, "2026-12-20T00:00:00+01:00"),
        ("17/3 dentist", BER, "2026-03-17T00:00:00+01:00"),
        ("31.12. dentist", BER, "2026-12-31T00:00:00+01:00"),
        ("dentist by 1.4.", BER, "2026-04-01T00:00:00+02:00"),
        ("dentist 07.05.2026", BER, "2026-05-07T00:00:00+02:00"),
        ("dentist 15-09-2026", BER, "2026-09-15T00:00:00+02:00"),
        ("dentist 2026/5/20", SH, "2026-05-20T00:00:00+08:00"),
    ],
)
def test_numeric_dates(text: str, tz: str, due: str) -> None:
    _check(text, tz, MON, title="Dentist", due=due)


def test_numeric_date_with_two_readings_in_berlin_asks_and_impossible_ones_are_refused() -> None:
    _asks("3/4 dentist", BER, MON, "Dentist")
    for text in ("2/30 dentist", "31.02. dentist", "13/25 dentist"):
        with pytest.raises(InvalidInput, match="exist"):
            parse(text, now=datetime.fromisoformat(MON), timezone=NY)
    _check("buy 1/2 kg flour", BER, MON, title="Buy 1/2 kg flour", due=None)
    _check("support 24/7 rota", NY, MON, title="Support 24/7 rota", due=None)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("in 2h check oven", "2026-03-02T12:00:00+01:00"),
        ("in 90 mins check oven", "2026-03-02T11:30:00+01:00"),
        ("in 1.5 hours check oven", "2026-03-02T11:30:00+01:00"),
        ("in 2 hours 15 minutes check oven", "2026-03-02T12:15:00+01:00"),
        ("in a fortnight check oven", "2026-03-16T00:00:00+01:00"),
        ("a week from friday check oven", "2026-03-13T00:00:00+01:00"),
        ("2 weeks from now check oven", "2026-03-16T00:00:00+01:00"),
        ("check oven in a couple of days", "2026-03-04T00:00:00+01:00"),
    ],
)
def test_relative_offsets(text: str, due: str) -> None:
    _check(text, BER, MON, title="Check oven", due=due)


@pytest.mark.parametrize(
    ("text", "tz", "title", "due"),
    [
        ("元旦 回家", SH, "回家", "2027-01-01T00:00:00+08:00"),
        ("国庆节前 交材料", SH, "交材料", "2026-10-01T00:00:00+08:00"),
        ("christmas eve wrap gifts", BER, "Wrap gifts", "2026-12-24T00:00:00+01:00"),
        ("new year's eve party prep", BER, "Party prep", "2026-12-31T00:00:00+01:00"),
        ("call grandma on christmas", BER, "Call grandma", "2026-12-25T00:00:00+01:00"),
        ("the day after christmas return gifts", BER, "Return gifts", "2026-12-26T00:00:00+01:00"),
        ("thanksgiving call aunt Jo", NY, "Call aunt Jo", "2026-11-26T00:00:00-05:00"),
    ],
)
def test_holidays(text: str, tz: str, title: str, due: str) -> None:
    _check(text, tz, MON, title=title, due=due)


def test_holiday_words_as_modifiers_set_no_date() -> None:
    _check("buy christmas lights", BER, MON, title="Buy christmas lights", due=None)
    _check("买五一的火车票", SH, MON, title="买五一的火车票", due=None)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("wed next week lunch", "2026-03-11T00:00:00+01:00"),
        ("next week on thu lunch", "2026-03-12T00:00:00+01:00"),
        ("fri nxt wk lunch", "2026-03-13T00:00:00+01:00"),
        ("tuesday of next week lunch", "2026-03-10T00:00:00+01:00"),
        ("the week after next on monday lunch", "2026-03-16T00:00:00+01:00"),
        ("下周三 lunch", "2026-03-11T00:00:00+01:00"),
    ],
)
def test_weekday_next_week(text: str, due: str) -> None:
    _check(text, BER, MON, title="Lunch", due=due)


def test_next_week_said_on_a_sunday_asks() -> None:
    _asks("tuesday next week dentist", BER, SUN, "Dentist")
    _asks("next week dentist", BER, SUN, "Dentist")


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("finish reading 1984", "Finish reading 1984", None),
        ("meeting in room B4", "Meeting in room B4", None),
        ("b4 fri send slides", "Send slides", "2026-03-06T00:00:00+01:00"),
        ("plan Friday Harbor trip", "Plan Friday Harbor trip", None),
        ("cook sunday roast", "Cook sunday roast", None),
        ("email April about the grant", "Email April about the grant", None),
        ("review section 3.2 of the draft", "Review section 3.2 of the draft", None),
        ("grab snacks at 7-Eleven", "Grab snacks at 7-Eleven", None),
        ("weekly report for Anke due thu", "Weekly report for Anke", "2026-03-05T00:00:00+01:00"),
        ("每周 review 的 slides 改一下", "每周 review 的 slides 改一下", None),
        ("reply to the 10am email", "Reply to the 10am email", None),
        ("watch Friday Night Lights", "Watch Friday Night Lights", None),
        ("read chapter 7 tonight", "Read chapter 7", "2026-03-02T20:00:00+01:00"),
        ("周五前交作业", "交作业", "2026-03-06T00:00:00+01:00"),
    ],
)
def test_titles_that_keep_date_words(text: str, title: str, due: str | None) -> None:
    _check(text, BER, MON, title=title, due=due, rrule=None)


def test_an_answer_is_a_draft_and_a_doubt_is_a_question() -> None:
    sure = parse("call mom thurs 6pm", now=datetime.fromisoformat(MON), timezone=BER)
    assert isinstance(sure.result, Draft) and not sure.unsure
    doubt = parse("call mom sometime in march", now=datetime.fromisoformat(MON), timezone=BER)
    assert doubt.unsure and isinstance(doubt.result, Ambiguous)
    assert "in march" in doubt.result.question


@pytest.mark.parametrize(
    ("text", "tz", "expected"),
    [
        ("7pm-9pm study group", BER, {"due": "2026-03-02T19:00:00+01:00", "rrule": None}),
        ("tomorrow 10-11am study group", BER, {"due": "2026-03-03T10:00:00+01:00"}),
        ("from 3 to 5pm study group", BER, {"due": "2026-03-02T15:00:00+01:00"}),
        (
            "study group every day except sunday",
            BER,
            {"rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR,SA"},
        ),
        (
            "study group every day except weekends",
            BER,
            {"rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"},
        ),
        ("study group tues and thurs weekly", BER, {"rrule": "FREQ=WEEKLY;BYDAY=TU,TH"}),
        ("study group on the first of every month", BER, {"rrule": "FREQ=MONTHLY;BYMONTHDAY=1"}),
        ("study group in forty-five minutes", BER, {"due": "2026-03-02T10:45:00+01:00"}),
        ("study group by end of june", BER, {"due": "2026-06-30T00:00:00+02:00"}),
        (
            "周一到周五 早上8点 study group",
            SH,
            {"rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=0"},
        ),
    ],
)
def test_more_phrasings(text: str, tz: str, expected: dict[str, Any]) -> None:
    _check(text, tz, MON, title="Study group", **expected)


def test_more_doubts_ask() -> None:
    _asks("today before 5 reply", BER, MON, "Reply")
    _asks("late next week reply", BER, MON, "Reply")
    _check("christmas shopping with Mia", BER, MON, title="Christmas shopping with Mia", due=None)
    _check("pay the 3rd installment", BER, MON, title="Pay the 3rd installment", due=None)
