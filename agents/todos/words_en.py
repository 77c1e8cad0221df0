"""English word tables and calendar helpers shared by the English and Chinese grammars.

Short weekday names ("thu", "fri") count on their own; "sat" and "sun" are ordinary words too
("sat nav", "sun cream"), so they count only where a date is expected (after "on", before a
time, after "next"/"every", at the very start unless a noun they form one with follows, "sat
farmers market"). "tom" is never "tomorrow" (it is usually a name).
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from agents.todos.scanner import make_date
from store.errors import InvalidInput

WEEKDAYS = {
    "monday": 0, "mon": 0, "mondays": 0, "tuesday": 1, "tues": 1, "tue": 1, "tuesdays": 1,
    "wednesday": 2, "wed": 2, "weds": 2, "wednesdays": 2, "thursday": 3, "thurs": 3, "thur": 3,
    "thu": 3, "thursdays": 3, "friday": 4, "fri": 4, "fridays": 4, "saturday": 5, "sat": 5,
    "saturdays": 5, "sunday": 6, "sun": 6, "sundays": 6,
}  # fmt: skip
MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "ninety": 90, "couple": 2, "a couple of": 2, "a couple": 2, "couple of": 2,
}  # fmt: skip
ORDINALS = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
    "fifth": 5, "5th": 5, "last": -1, "final": -1,
}  # fmt: skip
BYDAY = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_PARTS = {"morning": time(9), "afternoon": time(14), "evening": time(19), "night": time(20)}
PART_PERIOD = {"morning": "am", "afternoon": "pm", "evening": "pm", "night": "pm"}

SAT_SUN_NOUNS = (  # "sun cream", "sat nav": with these next words "sat"/"sun" is no day
    r"(?:nav|navs|phone|dish|prep|exam|test|score|scores|tutor|class|course|cream|screen|block"
    r"|hat|hats|glasses|lounger|bed|beds|dial|deck|roof|room|lamp|tan|dress|dried|flower"
    r"|flowers|spot|spots|burn|light|set|rise|salutation|salutations|protection|shade|visor"
    r"|umbrella|tea|porch|stroke)\b"
)
WD_FULL = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
WD_SHORT = r"(?:mon|tues?|weds?|thu(?:rs?)?|fri)"  # safe on their own
WD_ANY = (
    r"(?:mondays?|tuesdays?|wednesdays?|thursdays?|fridays?|saturdays?|sundays?"
    r"|mon|tues?|weds?|thu(?:rs?)?|fri|sat|sun)(?:\.(?!\d))?"
)
MONTH = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november"
    r"|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)"
)
NUM = (
    r"(?:\d{1,3}|an?|(?:twenty|thirty|forty|fifty|sixty|ninety)(?:[- ](?:one|two|three|four"
    r"|five|six|seven|eight|nine)\b)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    r"|(?:a\s+)?couple(?:\s+of)?)"
)
ORD = r"(?:(\d{1,2})(?:st|nd|rd|th)|first|second|third|fourth|fifth|last|final)"
ORD_WORD = r"(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|last|final)"
UNIT = r"(?:day|week|month|year)"
TOMORROW = (
    r"tomorrow|tomorow|tommorow|tommorrow|tomorrw|tomorro|tmrw|tmrow|tmr|tmw|tmoro|tmorow"
    r"|tmorrow|2moro|2morow|2morrow|2mrw|2mro|2mrow|tomoz|tmrrw"
)
TONIGHT = r"tonight|tonite|2nite|2night|tnite|tonigh"
TODAY = r"today|2day|tdy"


def num(word: str) -> int:
    """ "3" -> 3, "a couple of" -> 2, "forty-five" -> 45."""
    word = " ".join(word.lower().split())
    if word.isdigit():
        return int(word)
    if word in NUMBERS:
        return NUMBERS[word]
    tens, ones = re.split(r"[- ]", word, maxsplit=1)
    return NUMBERS[tens] + NUMBERS[ones]


def wd(word: str) -> int:
    return WEEKDAYS[word.lower().rstrip(".")]


def ordinal(word: str) -> int:
    return ORDINALS[word.lower()] if word.lower() in ORDINALS else int(word[:-2])


def next_weekday(today: date, weekday: int) -> date:
    """The next ``weekday`` after today (a week ahead when today is that weekday)."""
    ahead = (weekday - today.weekday()) % 7 or 7
    return today + timedelta(days=ahead)


def month_add(day: date, months: int) -> date:
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def dated(year: int | None, month: int, day: int, today: date) -> date:
    """The next ``month``/``day`` from today on (this year's if still ahead), or that year's."""
    if year is not None:
        if year < 100:
            year += 2000
        return make_date(year, month, day)
    make_date(2024, month, day)  # "Feb 30" fails here whatever the year; "Feb 29" waits
    for y in range(today.year, today.year + 9):
        try:
            candidate = date(y, month, day)
        except ValueError:
            continue
        if candidate >= today:
            return candidate
    raise InvalidInput(f"{month}/{day} does not come up again soon.")


def next_month_day(today: date, day: int) -> date:
    """The next date (today included) whose day of the month is ``day``."""
    if not 1 <= day <= 31:
        raise InvalidInput(f"A month has no day {day}.")
    candidate = today
    for _ in range(62):
        if candidate.day == day:
            return candidate
        candidate += timedelta(days=1)
    raise AssertionError("unreachable")
