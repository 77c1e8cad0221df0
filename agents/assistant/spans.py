"""The owner's words for a time, made readable for the tools that act on them.

- ``block_span``: a day and a part of it ("friday 2-4pm", "tmrw morning", "下周一 9-11",
  "周五下午两点到四点", "next tuesday afternoon") -> a ``DateOverride`` block. Hours without
  am/pm follow the part of day ("下午两点到四点" is 14-16) and, alone, the working day
  ("2-4" is 14-16, "9-11" is 09-11).
- ``when_words``: words for the to-do parser: a bare duration is "from now" ("1 hour" ->
  "in 1 hour", "一小时" -> "一小时后"), and "next monday" is the Monday of next week (the
  ``next_week`` range), so a card shows one date instead of asking which Monday.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agents.assistant.ranges import bounds
from agents.meetings.availability import DateOverride
from agents.meetings.rules_text import PARTS
from store.errors import InvalidInput

_EN_DAYS = {
    "mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6,
}  # fmt: skip
_ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_ZH_NUM = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12}  # fmt: skip
_EN_WEEKDAY = r"(mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?"
_PART_WORDS = {
    "morning": "morning", "afternoon": "afternoon", "evening": "evening", "night": "evening",
    "tonight": "evening", "上午": "morning", "早上": "morning", "早晨": "morning",
    "明早": "morning", "下午": "afternoon", "晚上": "evening", "今晚": "evening",
    "明晚": "evening", "傍晚": "evening",
}  # fmt: skip
_WHOLE = re.compile(r"\b(?:all day|whole day|entire day|full day)\b|全天|一整天|整天")
_HOUR = r"(\d{1,2}|[零一二两三四五六七八九十]{1,3})"
_EN_RANGE = re.compile(
    r"(?<![\d:])(\d{1,2})(?:[:.](\d\d))?\s*(am|pm)?\s*(?:-|–|~|to|until|till)\s*"
    r"(\d{1,2})(?:[:.](\d\d))?\s*(am|pm)?(?![\d:])"
)
_ZH_RANGE = re.compile(
    rf"{_HOUR}(?:点|:|：)(半|\d{{1,2}}分?)?\s*(?:到|至|-|–|~)\s*(?:上午|下午|晚上|中午)?"
    rf"{_HOUR}(?:点|:|：)?(半|\d{{1,2}}分?)?"
)
_DURATION_EN = re.compile(
    r"^(?:an?|one|two|three|four|five|six|\d+(?:\.\d+)?|half an?|a couple of|a few)\s*"
    r"(?:more\s+)?(?:min|mins|minutes?|hours?|hrs?|h|days?|weeks?)$"
)
_DURATION_ZH = re.compile(
    r"^[\d一二两三四五六七八九十半]+\s*(?:个)?半?\s*(?:小时|分钟|钟头|天|周|星期)$"
)
_NEXT_DAY = re.compile(rf"\bnext\s+{_EN_WEEKDAY}")


def _number(text: str) -> int:
    if text.isdigit():
        return int(text)
    if text in _ZH_NUM:
        return _ZH_NUM[text]
    if text.startswith("十"):
        return 10 + _ZH_NUM.get(text[1:], 0)
    raise InvalidInput(f"I could not read the hour {text!r}.")


def _next_week(weekday: int, today: date) -> date:
    return today + timedelta(days=7 - today.weekday() + weekday)


def block_day(words: str, *, today: date) -> date:
    """The day a block names: today, tomorrow, (next) weekday, 周X / 下周X, or YYYY-MM-DD."""
    iso = re.search(r"\d{4}-\d{1,2}-\d{1,2}", words)
    if iso:
        y, m, d = (int(x) for x in iso.group().split("-"))
        return date(y, m, d)
    zh_next = re.search(r"下(?:个)?(?:周|星期|礼拜)([一二三四五六日天])", words)
    if zh_next:
        return _next_week(_ZH_DAYS[zh_next.group(1)], today)
    en_next = _NEXT_DAY.search(words)
    if en_next:
        return _next_week(_EN_DAYS[en_next.group(1)], today)
    if re.search(r"\b(?:day after tomorrow)\b|后天", words):
        return today + timedelta(days=2)
    if re.search(r"\b(?:tomorrow|tmrw|tmr|tomorow|2moro)\b|明天|明早|明晚", words):
        return today + timedelta(days=1)
    if re.search(r"\b(?:today|tonight)\b|今天|今晚", words):
        return today
    zh = re.search(r"(?:周|星期|礼拜)([一二三四五六日天])", words)
    en = re.search(rf"\b{_EN_WEEKDAY}(?![a-z])", words)
    if zh or en:
        day = _ZH_DAYS[zh.group(1)] if zh else _EN_DAYS[en.group(1)] if en else 0
        return today + timedelta(days=(day - today.weekday()) % 7)
    raise InvalidInput(
        f"I could not read a day in “{words}”: say today, tomorrow, a weekday or YYYY-MM-DD, "
        "then morning / afternoon / evening or 14:00-16:00."
    )


def _part(words: str) -> str | None:
    for word, part in _PART_WORDS.items():
        if re.search(rf"\b{word}\b" if word.isascii() else word, words):
            return part
    return None


def _clock(hour: int, minute: int, meridiem: str | None, part: str | None) -> time:
    if meridiem == "pm" and hour < 12:
        hour += 12
    elif meridiem == "am" and hour == 12:
        hour = 0
    elif meridiem is None and part in ("afternoon", "evening") and hour < 12:
        hour += 12
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        raise InvalidInput("That is not a time of day.")
    return time(hour, minute)


def _minutes(text: str | None) -> int:
    if not text:
        return 0
    return 30 if text == "半" else int(text.rstrip("分"))


def _hours(words: str, part: str | None) -> tuple[time, time] | None:
    en = _EN_RANGE.search(words)
    if en:
        h1, m1, ap1, h2, m2, ap2 = en.groups()
        first, second = int(h1), int(h2)
        start_ap = ap1 or (ap2 if ap2 == "am" or first < second or first == 12 else None)
        if ap2 == "pm" and ap1 is None and first > second and first < 12:
            start_ap = "am"  # "11-1pm"
        if part is None and ap1 is None and ap2 is None and 1 <= first <= 6:
            start_ap = ap2 = "pm"  # "2-4": the working day
        start = _clock(first, int(m1 or 0), start_ap, part)
        end = _clock(second, int(m2 or 0), ap2 or start_ap, part)
        return start, end
    zh = _ZH_RANGE.search(words)
    if zh:
        h1, m1, h2, m2 = zh.groups()
        start = _clock(_number(h1), _minutes(m1), None, part)
        end = _clock(_number(h2), _minutes(m2), None, part)
        if end <= start and end.hour < 12:
            end = time(end.hour + 12, end.minute)  # "上午十点到两点"
        return start, end
    return None


def block_span(words: str, *, today: date) -> DateOverride:
    """A block from the owner's words: the day, then hours, a part of the day, or all day."""
    text = " ".join(words.lower().replace("：", ":").split())
    on = block_day(text, today=today)
    part = _part(text)
    hours = _hours(re.sub(r"\d{4}-\d{1,2}-\d{1,2}", " ", text), part)
    if hours is not None:
        start, end = hours
        if end <= start:
            raise InvalidInput("The end of a block must be after its start.")
        return DateOverride(on, "block", start, end)
    if part is not None and not _WHOLE.search(text):
        start, end = PARTS[part]
        return DateOverride(on, "block", start, end)
    return DateOverride(on, "block")


def when_words(words: str, *, now: datetime, timezone: str) -> str:
    """``words`` as the to-do parser reads them best (a bare duration is from now)."""
    text = " ".join(words.strip().split())
    low = text.lower()
    if _DURATION_EN.match(low):
        return f"in {text}"
    if _DURATION_ZH.match(text):
        return f"{text}后"
    found = _NEXT_DAY.search(low)
    if found:
        first, _ = bounds("next_week", now=now, timezone=timezone)
        monday = first.astimezone(ZoneInfo(timezone)).date()
        day = monday + timedelta(days=_EN_DAYS[found.group(1)])
        low = low[: found.start()] + day.isoformat() + low[found.end() :]
        return low
    return text
