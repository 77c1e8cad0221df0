"""Chinese phrasings: 明天下午三点, 下周五, 3月15号, 下个月5号, 3.15前, 元旦, 两小时后.

Numbers may be digits or Chinese numerals (一 … 九十九, 两, 〇). A clock hour without 上午/下午
(or 早上, 晚上, ...) is ambiguous like English "at 7" and gets a question; so is a bare 周五 said
on a Friday (today, or next week?). Repeats (每…) live in ``repeat_zh``.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from agents.todos import holidays, numeric
from agents.todos.model import Found
from agents.todos.scanner import Scanner, make_date
from agents.todos.words_en import dated, month_add, next_month_day
from agents.todos.zh_words import AM_WORDS, PART_TIME, WD, WEEK, WEEKDAY, N, cn_number
from store.errors import InvalidInput

# ---------------------------------------------------------------- priority

_PRIORITY = re.compile(
    r"(非常紧急|十万火急|紧急|很急|加急|急(?!事)|(?:很|非常|特别)?重要)[的地]?[，,!！：:]*"
)


def take_priority(scan: Scanner, found: Found) -> None:
    for m in scan.take(_PRIORITY):
        found.priority = min(found.priority, 2 if m.group(1).endswith("重要") else 1)


# ---------------------------------------------------------------- dates

_BY = r"(?:之前|以前|前|为止|内)?"  # 周五前交: "by Friday"
_D_NAMED = re.compile(r"(大后天|后天|明天|明日|今天|今日|明早|明晚|今晚|今早|今夜|明儿|今儿)" + _BY)
_D_WEEK = re.compile(r"(下下|下|这|本|)个?" + WEEK + "(" + WD + ")" + _BY)
_D_FULL = re.compile(r"(?:(" + N + r")年)?(" + N + r")月(" + N + r")[号日]?" + _BY)
_D_MONTH_DAY = re.compile(r"(下个?月|这个?月|本月)(" + N + r")[号日]" + _BY)
_D_DAY = re.compile(r"(?<![月\d])(" + N + r")[号]" + _BY)
_D_IN = re.compile(
    r"(?:过)?(" + N + r"|半|一个半)个?(分钟|小时|钟头|天|周|星期|礼拜|个月|月)(?:之后|以后|后)"
    r"|过(" + N + r")(天|周)"
)
_D_NEXT = re.compile(
    r"(下个?月初|下个?月底|下个?月|下周末|下周|下星期|下礼拜|月底|月初|年底|周末|这周内|本周内)"
    + _BY
)
_UNIT = {"分钟": "m", "小时": "h", "钟头": "h", "天": "d", "周": "w", "星期": "w", "礼拜": "w",
         "个月": "M", "月": "M"}  # fmt: skip


def take_date(scan: Scanner, found: Found, today: date) -> None:
    if m := scan.first(_D_NAMED):
        word = m.group(1)
        offset = {"大后天": 3, "后天": 2, "明天": 1, "明日": 1, "明早": 1, "明晚": 1,
                  "明儿": 1}.get(word, 0)  # fmt: skip
        found.date = today + timedelta(days=offset)
        if word in ("明早", "今早"):
            found.period, found.default_time = "am", PART_TIME["早上"]
        if word in ("明晚", "今晚", "今夜"):
            found.period, found.default_time = "pm", PART_TIME["晚上"]
    elif m := scan.first(_D_WEEK):
        weekday = WEEKDAY[m.group(2)]
        monday = today - timedelta(days=today.weekday())
        weeks = {"下下": 2, "下": 1, "这": 0, "本": 0}.get(m.group(1))
        if weeks is not None:
            found.date = monday + timedelta(days=7 * weeks + weekday)
        elif today.weekday() == weekday and not found.rule:  # 周五 said on a Friday
            found.date_options = (today, today + timedelta(days=7))
            found.date_phrase = m.group(0)
        else:
            found.date = today + timedelta(days=(weekday - today.weekday()) % 7 or 7)
    elif m := scan.first(_D_FULL):
        month, day = cn_number(m.group(2)), cn_number(m.group(3))
        year = cn_number(m.group(1)) if m.group(1) else None
        found.date = make_date(year, month, day) if year else dated(None, month, day, today)
    elif m := scan.first(_D_MONTH_DAY):
        first = today.replace(day=1)
        base = month_add(first, 1) if m.group(1).startswith("下") else first
        found.date = make_date(base.year, base.month, cn_number(m.group(2)))
    elif m := scan.first(_D_IN):
        _in(found, m, today)
    elif numeric.take_date(scan, found, today):
        _take_by(scan)
    elif m := scan.first(_D_NEXT):
        _next(found, m.group(1), today)
    elif "BYMONTH" not in found.rule and holidays.take_zh(scan, found, today):
        return
    elif m := scan.first(_D_DAY):
        found.date = next_month_day(today, cn_number(m.group(1)))


def _take_by(scan: Scanner) -> None:
    """After "3.15" the 前 of "3.15前" belongs to the date."""
    if m := re.search(r"^\s*(?:之前|以前|前)", scan.work):
        scan.consume(m.start(), m.end())


def _in(found: Found, m: re.Match[str], today: date) -> None:
    amount = m.group(1) or m.group(3)
    unit = _UNIT[m.group(2) or m.group(4)]
    n = 0.5 if amount == "半" else 1.5 if amount == "一个半" else cn_number(amount)
    if amount == "半" and unit == "M":  # 半个月后: half a month
        found.date = today + timedelta(days=15)
        return
    if unit == "m":
        found.relative = timedelta(minutes=n)
    elif unit == "h":
        found.relative = timedelta(hours=n)
    elif unit == "d":
        found.date = today + timedelta(days=int(n))
    elif unit == "w":
        found.date = today + timedelta(weeks=int(n))
    else:
        found.date = month_add(today, int(n))


def _next(found: Found, word: str, today: date) -> None:
    first = today.replace(day=1)
    if word.startswith("下") and word.endswith("月初"):
        found.date = month_add(first, 1)
    elif word.startswith("下") and word.endswith("月底"):
        found.date = month_add(first, 2) - timedelta(days=1)
    elif word.startswith("下个") or word == "下月":
        found.date = month_add(first, 1)
    elif word == "下周末":
        found.date = today + timedelta(days=7 - today.weekday() + 5)
    elif word in ("下周", "下星期", "下礼拜"):
        found.date = today + timedelta(days=7 - today.weekday())
    elif word == "月底":
        found.date = month_add(first, 1) - timedelta(days=1)
    elif word == "月初":
        found.date = month_add(first, 1) if today.day > 5 else today
    elif word == "年底":
        found.date = date(today.year, 12, 31)
    elif word in ("这周内", "本周内"):
        found.date = today + timedelta(days=(6 - today.weekday()))
    else:
        found.date = (
            today
            if today.weekday() == 5
            else today + timedelta(days=(5 - today.weekday()) % 7 or 7)
        )


# ---------------------------------------------------------------- times

_PART = (
    r"(凌晨|早上|早晨|清晨|上午|中午|下午(?!茶)|傍晚|晚上(?!好)|夜里|半夜|早(?![饭餐点会安报])"
    r"|晚(?![饭餐点会安报]))"
)
_T_CLOCK = re.compile(
    r"(?:" + _PART + r"?(" + N + r")(?:点钟|点|时)|" + _PART + r"?(\d{1,2})[:：](?=\d\d))"
    r"(?:(半)|(一刻)|(三刻)|(" + N + r")分?)?(?:左右)?(?:之前|以前|前)?"  # 5点前: by 5
)
_T_PART = re.compile(_PART)


def take_time(scan: Scanner, found: Found) -> None:
    if m := scan.first(_T_CLOCK):
        part = m.group(1) or m.group(3)
        hour = cn_number(m.group(2) or m.group(4))
        minute = 30 if m.group(5) else 15 if m.group(6) else 45 if m.group(7) else 0
        if m.group(8):
            minute = cn_number(m.group(8))
        if hour > 24 or minute > 59:
            raise InvalidInput(f"“{m.group(0)}”不是有效的时间。")
        if part is None and found.period is None and (apart := scan.first(_T_PART)):
            part = apart.group(1)  # "下午 三点": the day part said apart from the hour
        if part is None and found.period is None:
            if m.group(4) is not None:  # "10:30": a 24-hour clock, as in English
                found.time, found.soft_clock = time(hour % 24, minute), hour < 12
            elif 1 <= hour <= 11:
                found.ambiguous_hour, found.minute, found.time_phrase = hour, minute, m.group(0)
            else:
                found.time = time(hour % 24, minute)
            return
        period = found.period if part is None else _period(part, hour)
        if part == "中午":
            hour = hour + 12 if hour <= 3 else hour
        elif part in ("晚上", "夜里", "半夜", "晚") and hour == 12:  # midnight, as "at midnight"
            found.time = time(23, 59) if minute == 0 else time(0, minute)
            return
        elif period == "pm" and hour < 12:
            hour += 12
        elif period == "am" and hour == 12:
            hour = 0
        found.time = time(hour % 24, minute)
    elif m := scan.first(_T_PART):
        part = {"早": "早上", "晚": "晚上", "半夜": "夜里"}.get(m.group(1), m.group(1))
        found.period = _period(part, 12)
        found.default_time = PART_TIME[part]


def _period(part: str, hour: int) -> str:
    if part == "中午":
        return "pm" if hour <= 3 else "am"
    if part == "半夜":
        return "am"
    return "am" if part in AM_WORDS else "pm"
