"""Chinese phrasings: 明天下午三点, 下周五, 3月15号, 每周一上午九点, 每隔一天, 每月最后一天.

Numbers may be digits or Chinese numerals (一 … 九十九, 两, 〇). A clock hour without 上午/下午
(or 早上, 晚上, ...) is ambiguous like English "at 7" and gets a question.
"""

from __future__ import annotations

import re
from datetime import date, time, timedelta

from agents.todos.grammar_en import BYDAY, dated, month_add
from agents.todos.model import Found
from agents.todos.repeat_en import take_bound
from agents.todos.scanner import Scanner, make_date
from store.errors import InvalidInput

CN = "零〇一二两三四五六七八九十"
N = rf"(?:\d{{1,4}}|[{CN}]{{1,3}})"
WD = r"(?:[一二三四五六日天1-7])"
WEEK = r"(?:周|星期|礼拜)"
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
           "七": 7, "八": 8, "九": 9}  # fmt: skip
_WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
            "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}  # fmt: skip
AM_WORDS = ("凌晨", "早上", "早晨", "清晨", "上午", "早")
PM_WORDS = ("下午", "傍晚", "晚上", "今晚", "明晚", "夜里", "晚")
PART_TIME = {"凌晨": time(5), "早上": time(8), "早晨": time(8), "清晨": time(7), "上午": time(9),
             "中午": time(12), "下午": time(15), "傍晚": time(18), "晚上": time(20),
             "夜里": time(22)}  # fmt: skip


def cn_number(text: str) -> int:
    """``"十二"`` -> 12, ``"二十"`` -> 20, ``"两"`` -> 2, ``"15"`` -> 15."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_DIGITS[tens] if tens else 1) * 10 + (_DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + _DIGITS[ch]
    return value


# ---------------------------------------------------------------- priority

_PRIORITY = re.compile(r"(非常紧急|紧急|很急|加急|重要)[的地]?[，,]?")


def take_priority(scan: Scanner, found: Found) -> None:
    for m in scan.take(_PRIORITY):
        found.priority = min(found.priority, 2 if m.group(1) == "重要" else 1)


# ---------------------------------------------------------------- repeats

_R_DAILY = re.compile(r"(?:每天|每日|天天)")
_R_WORKDAY = re.compile(r"(?:每个?|)工作日(?:每天)?")
_R_WEEKEND = re.compile(r"每个?周末")
_R_DAYS = re.compile(
    r"(每个?|隔)" + WEEK + r"(" + WD + r"(?:[、，,和及与跟]?" + WEEK + r"?" + WD + r")*)"
)
_R_EVERY_N = re.compile(r"每(隔)?(" + N + r")个?(天|日|周|星期|礼拜|月|年)")
_R_MONTH_LAST = re.compile(r"每个?月(?:的)?(?:最后一天|月底)")
_R_MONTH_NTH = re.compile(r"每个?月(?:的)?(?:第(" + N + r")个|(最后一个))" + WEEK + "(" + WD + ")")
_R_MONTH_DAY = re.compile(r"每个?月(?:的)?(" + N + r")[号日]")
_R_YEAR_DAY = re.compile(r"每年(?:的)?(" + N + r")月(" + N + r")[号日]")
_R_UNIT = re.compile(r"每(周|星期|个?月|年)")
_R_COUNT = re.compile(r"(?:共|一共)?(" + N + r")次")
_R_UNTIL = re.compile(r"(?:直到|到|截止到?)")
_FREQ = {"天": "DAILY", "日": "DAILY", "周": "WEEKLY", "星期": "WEEKLY", "礼拜": "WEEKLY",
         "月": "MONTHLY", "年": "YEARLY"}  # fmt: skip


def take_repeat(scan: Scanner, found: Found, today: date) -> None:
    rule = found.rule
    if scan.first(_R_WORKDAY):
        rule.update(FREQ="WEEKLY", BYDAY="MO,TU,WE,TH,FR")
    elif scan.first(_R_WEEKEND):
        rule.update(FREQ="WEEKLY", BYDAY="SA,SU")
    elif scan.first(_R_DAILY):
        rule["FREQ"] = "DAILY"
    elif m := scan.first(_R_MONTH_LAST):
        rule.update(FREQ="MONTHLY", BYMONTHDAY="-1")
    elif m := scan.first(_R_MONTH_NTH):
        pos = -1 if m.group(2) else cn_number(m.group(1))
        if not (1 <= pos <= 5 or pos == -1):
            raise InvalidInput("一个月里同一个星期几最多有五个。")
        rule.update(FREQ="MONTHLY", BYDAY=f"{pos:+d}{BYDAY[_WEEKDAY[m.group(3)]]}")
    elif m := scan.first(_R_MONTH_DAY):
        day = cn_number(m.group(1))
        if not 1 <= day <= 31:
            raise InvalidInput(f"每月没有{day}号。")
        rule.update(FREQ="MONTHLY", BYMONTHDAY=str(day))
    elif m := scan.first(_R_YEAR_DAY):
        month, day = cn_number(m.group(1)), cn_number(m.group(2))
        make_date(2024, month, day)
        rule.update(FREQ="YEARLY", BYMONTH=str(month), BYMONTHDAY=str(day))
    elif m := scan.first(_R_DAYS):
        codes = sorted({_WEEKDAY[c] for c in re.findall(WD, re.sub(WEEK, "", m.group(2)))})
        rule.update(FREQ="WEEKLY", BYDAY=",".join(BYDAY[c] for c in codes))
        if m.group(1) == "隔":
            rule["INTERVAL"] = "2"
    elif m := scan.first(_R_EVERY_N):
        n = cn_number(m.group(2)) + (1 if m.group(1) else 0)
        if n == 0:
            raise InvalidInput(f"“{m.group(0)}”不会重复：间隔至少为 1。")
        rule["FREQ"] = _FREQ[m.group(3)]
        if n > 1:
            rule["INTERVAL"] = str(n)
    elif m := scan.first(_R_UNIT):
        rule["FREQ"] = _FREQ[m.group(1).removeprefix("个")]
    if not rule:
        return
    if c := scan.first(_R_COUNT):
        n = cn_number(c.group(1))
        if n == 0:
            raise InvalidInput("重复次数至少为 1。")
        found.count = n
    if u := _R_UNTIL.search(scan.work):
        found.until = take_bound(scan, u, today, take_date)


# ---------------------------------------------------------------- dates

_D_NAMED = re.compile(r"(大后天|后天|明天|明日|今天|今日|明早|明晚|今晚|今早)")
_D_WEEK = re.compile(r"(下下|下|这|本|)个?" + WEEK + "(" + WD + ")")
_D_FULL = re.compile(r"(?:(" + N + r")年)?(" + N + r")月(" + N + r")[号日]")
_D_DAY = re.compile(r"(?<![月\d])(" + N + r")[号]")
_D_IN = re.compile(r"(" + N + r"|半)个?(分钟|小时|天|周|星期|个月|月)(?:之后|以后|后)")
_D_NEXT = re.compile(r"(下个?月|下周|下星期|月底|周末)")


def take_date(scan: Scanner, found: Found, today: date) -> None:
    if m := scan.first(_D_NAMED):
        word = m.group(1)
        offset = {"大后天": 3, "后天": 2, "明天": 1, "明日": 1, "明早": 1, "明晚": 1}.get(word, 0)
        found.date = today + timedelta(days=offset)
        if word in ("明早", "今早"):
            found.period, found.default_time = "am", PART_TIME["早上"]
        if word in ("明晚", "今晚"):
            found.period, found.default_time = "pm", PART_TIME["晚上"]
    elif m := scan.first(_D_WEEK):
        weekday = _WEEKDAY[m.group(2)]
        monday = today - timedelta(days=today.weekday())
        weeks = {"下下": 2, "下": 1, "这": 0, "本": 0}.get(m.group(1))
        if weeks is None:
            ahead = (weekday - today.weekday()) % 7 or 7
            found.date = today + timedelta(days=ahead)
        else:
            found.date = monday + timedelta(days=7 * weeks + weekday)
    elif m := scan.first(_D_FULL):
        month, day = cn_number(m.group(2)), cn_number(m.group(3))
        if m.group(1):
            found.date = make_date(cn_number(m.group(1)), month, day)
        else:
            found.date = dated(None, month, day, today)
    elif m := scan.first(_D_IN):
        amount = m.group(1)
        n = 0.5 if amount == "半" else cn_number(amount)
        unit = m.group(2)
        if unit == "分钟":
            found.relative = timedelta(minutes=n)
        elif unit == "小时":
            found.relative = timedelta(hours=n)
        elif unit == "天":
            found.date = today + timedelta(days=int(n))
        elif unit in ("周", "星期"):
            found.date = today + timedelta(weeks=int(n))
        else:
            found.date = month_add(today, int(n))
    elif m := scan.first(_D_NEXT):
        word = m.group(1)
        if word.startswith("下个") or word == "下月":
            found.date = month_add(today.replace(day=1), 1)
        elif word in ("下周", "下星期"):
            found.date = today + timedelta(days=7 - today.weekday())
        elif word == "月底":
            found.date = month_add(today.replace(day=1), 1) - timedelta(days=1)
        else:
            found.date = (
                today
                if today.weekday() == 5
                else today + timedelta(days=(5 - today.weekday()) % 7 or 7)
            )
    elif m := scan.first(_D_DAY):
        day = cn_number(m.group(1))
        if not 1 <= day <= 31:
            raise InvalidInput(f"一个月没有{day}号。")
        candidate = today
        for _ in range(62):
            if candidate.day == day:
                break
            candidate += timedelta(days=1)
        found.date = candidate


# ---------------------------------------------------------------- times

_PART = r"(凌晨|早上|早晨|清晨|上午|中午|下午|傍晚|晚上|夜里|早|晚)"
_T_CLOCK = re.compile(
    r"(?:" + _PART + r"?(" + N + r")(?:点钟|点|时)|" + _PART + r"(\d{1,2})[:：](?=\d\d))"
    r"(?:(半)|(一刻)|(三刻)|(" + N + r")分?)?"
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
        if part is None and found.period is None:
            if 1 <= hour <= 11:
                found.ambiguous_hour, found.minute, found.time_phrase = hour, minute, m.group(0)
            else:
                found.time = time(hour % 24, minute)
            return
        period = found.period if part is None else _period(part, hour)
        if part == "中午":
            hour = hour + 12 if hour <= 3 else hour
        elif period == "pm" and hour < 12:
            hour += 12
        elif period == "am" and hour == 12:
            hour = 0
        found.time = time(hour % 24, minute)
    elif m := scan.first(_T_PART):
        part = {"早": "早上", "晚": "晚上"}.get(m.group(1), m.group(1))
        found.period = _period(part, 12)
        found.default_time = PART_TIME[part]


def _period(part: str, hour: int) -> str:
    if part == "中午":
        return "pm" if hour <= 3 else "am"
    return "am" if part in AM_WORDS else "pm"


_HINTS = re.compile(
    r"(今天|明天|后天|昨天|周[一二三四五六日天]|星期[一二三四五六日天]|每[天周月年]|"
    r"\d+月|[一二三四五六七八九十]+月|\d+[号点]|[一二三四五六七八九十两]+[号点])"
)


def leftover_hints(rest: str) -> list[str]:
    return [m.group(0) for m in _HINTS.finditer(rest)]
