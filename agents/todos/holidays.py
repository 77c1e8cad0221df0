"""Holidays as dates: "christmas eve", "new year's eve", "thanksgiving", 元旦, 中秋, 春节.

English holiday names are ordinary words too ("christmas presents", "easter eggs"), so they are
a date only in a date's place: after "on", "by", "before", ..., as "christmas day" / "... eve",
or at the end of the text. Chinese festival names are dates wherever they stand, except in a few
compounds (圣诞礼物). Lunar festivals come from a table (2025-2032).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta

from agents.todos.model import Found
from agents.todos.scanner import Scanner

_I = re.IGNORECASE


def _easter(year: int) -> date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l_ = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 19 * l_) // 433
    month = (h + l_ - 7 * m + 90) // 25
    return date(year, month, (h + l_ - 7 * m + 33 * month + 19) % 32)


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _fixed(month: int, day: int) -> Callable[[int], date | None]:
    return lambda year: date(year, month, day)


def _table(days: dict[int, str]) -> Callable[[int], date | None]:
    return lambda year: date.fromisoformat(days[year]) if year in days else None


_SPRING_FESTIVAL = {
    2025: "2025-01-29", 2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26",
    2029: "2029-02-13", 2030: "2030-02-03", 2031: "2031-01-23", 2032: "2032-02-11",
}  # fmt: skip
_EVE = {
    y: (date.fromisoformat(d) - timedelta(days=1)).isoformat() for y, d in _SPRING_FESTIVAL.items()
}
_LANTERN = {
    y: (date.fromisoformat(d) + timedelta(days=14)).isoformat() for y, d in _SPRING_FESTIVAL.items()
}
_DRAGON_BOAT = {
    2025: "2025-05-31", 2026: "2026-06-19", 2027: "2027-06-09", 2028: "2028-05-28",
    2029: "2029-06-16", 2030: "2030-06-05", 2031: "2031-06-24", 2032: "2032-06-12",
}  # fmt: skip
_MID_AUTUMN = {
    2025: "2025-10-06", 2026: "2026-09-25", 2027: "2027-09-15", 2028: "2028-10-03",
    2029: "2029-09-22", 2030: "2030-09-12", 2031: "2031-10-01", 2032: "2032-09-19",
}  # fmt: skip
_QINGMING = {
    2025: "2025-04-04", 2026: "2026-04-05", 2027: "2027-04-05", 2028: "2028-04-04",
    2029: "2029-04-04", 2030: "2030-04-05", 2031: "2031-04-05", 2032: "2032-04-04",
}  # fmt: skip
_QIXI = {
    2025: "2025-08-29", 2026: "2026-08-19", 2027: "2027-08-08", 2028: "2028-08-26",
    2029: "2029-08-16", 2030: "2030-08-05", 2031: "2031-08-24", 2032: "2032-08-12",
}  # fmt: skip

EN: dict[str, Callable[[int], date | None]] = {
    "christmas eve": _fixed(12, 24), "xmas eve": _fixed(12, 24),
    "christmas": _fixed(12, 25), "xmas": _fixed(12, 25), "christmas day": _fixed(12, 25),
    "boxing day": _fixed(12, 26), "new year's eve": _fixed(12, 31), "new years eve": _fixed(12, 31),
    "nye": _fixed(12, 31), "new year's day": _fixed(1, 1), "new years day": _fixed(1, 1),
    "new year": _fixed(1, 1), "new year's": _fixed(1, 1), "valentine's day": _fixed(2, 14),
    "valentines day": _fixed(2, 14), "valentine's": _fixed(2, 14), "halloween": _fixed(10, 31),
    "st patrick's day": _fixed(3, 17), "april fools day": _fixed(4, 1),
    "april fools' day": _fixed(4, 1), "independence day": _fixed(7, 4),
    "easter": _easter, "easter sunday": _easter,
    "good friday": lambda y: _easter(y) - timedelta(days=2),
    "easter monday": lambda y: _easter(y) + timedelta(days=1),
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "mother's day": lambda y: _nth_weekday(y, 5, 6, 2),
    "mothers day": lambda y: _nth_weekday(y, 5, 6, 2),
    "father's day": lambda y: _nth_weekday(y, 6, 6, 3),
    "fathers day": lambda y: _nth_weekday(y, 6, 6, 3),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
}  # fmt: skip
ZH: dict[str, Callable[[int], date | None]] = {
    "元旦": _fixed(1, 1), "情人节": _fixed(2, 14), "妇女节": _fixed(3, 8), "三八节": _fixed(3, 8),
    "植树节": _fixed(3, 12), "愚人节": _fixed(4, 1), "劳动节": _fixed(5, 1), "五一": _fixed(5, 1),
    "青年节": _fixed(5, 4), "儿童节": _fixed(6, 1), "六一": _fixed(6, 1), "教师节": _fixed(9, 10),
    "国庆节": _fixed(10, 1), "国庆": _fixed(10, 1), "万圣节": _fixed(10, 31),
    "光棍节": _fixed(11, 11), "双十一": _fixed(11, 11), "双十二": _fixed(12, 12),
    "平安夜": _fixed(12, 24), "圣诞节": _fixed(12, 25), "圣诞": _fixed(12, 25),
    "跨年夜": _fixed(12, 31), "除夕": _table(_EVE), "大年三十": _table(_EVE),
    "春节": _table(_SPRING_FESTIVAL), "大年初一": _table(_SPRING_FESTIVAL),
    "元宵节": _table(_LANTERN), "元宵": _table(_LANTERN), "清明节": _table(_QINGMING),
    "清明": _table(_QINGMING), "端午节": _table(_DRAGON_BOAT), "端午": _table(_DRAGON_BOAT),
    "七夕": _table(_QIXI), "中秋节": _table(_MID_AUTUMN), "中秋": _table(_MID_AUTUMN),
    "感恩节": lambda y: _nth_weekday(y, 11, 3, 4),
    "母亲节": lambda y: _nth_weekday(y, 5, 6, 2), "父亲节": lambda y: _nth_weekday(y, 6, 6, 3),
}  # fmt: skip


_EN_PLAIN = {name.replace("'", ""): rule for name, rule in EN.items()}


def _alternation(names: dict[str, Callable[[int], date | None]]) -> str:
    return "|".join(re.escape(n).replace("'", "['’]?").replace(r"\ ", r"\s+") for n in
                    sorted(names, key=len, reverse=True))  # fmt: skip


_PREP = r"\b(?:on|by|before|(?-i:b4)|until|till|at|for|over|around|after|due|from)\s+"
_DAY_AROUND = r"(?:the\s+)?day\s+(?:after|before)\s+"
_EN = re.compile(
    r"(?:(?P<prep>"
    + _PREP
    + r")|(?P<around>"
    + _DAY_AROUND
    + r"))?\b(?P<name>"
    + _alternation(EN)
    + r")\b(?=(?P<end>\s*(?:$|[,;.!]|//|at\b|@|\d|morning|afternoon|evening|night))?)",
    _I,
)
_ZH = re.compile(
    r"(" + _alternation(ZH) + r")(?!礼物|树|老人|卡|贺卡|歌|装饰|快乐|的|假期|档|晚会|节目)"
    r"(?:那天|当天)?(前一天|后一天)?(?:之前|以前|前)?"
)


_MODIFIED = re.compile(  # "christmas shopping", "halloween costume": a thing, not a date
    r"\s+(?:lights?|shopping|list|cards?|presents?|gifts?|tree|decorations?|sweater|jumper"
    r"|market|movies?|songs?|playlist|budget|menu|costumes?|candy|cookies|bonus|holidays?"
    r"|break|vacation|trip|plans?|photos?|pictures?|sales?|deals?|outfit|pudding|cake|ham"
    r"|turkey\s+recipe|recipes?|ideas?|wreath|stockings?)\b",
    _I,
)


def next_on(rule: Callable[[int], date | None], today: date) -> date | None:
    """The holiday's date this year if still ahead (today included), else next year's."""
    for year in (today.year, today.year + 1):
        day = rule(year)
        if day is not None and day >= today:
            return day
    return None


def _key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def take_en(scan: Scanner, found: Found, today: date) -> bool:
    for m in _EN.finditer(scan.work):
        name = _key(m.group("name"))
        rule = _EN_PLAIN.get(name.replace("'", ""))
        first = not scan.work[: m.start()].strip() and not _MODIFIED.match(scan.work, m.end())
        placed = m.group("prep") or m.group("around") or m.group("end") is not None or first
        if rule is None or not placed:
            continue
        if name == "independence day" and found.zone in ("Asia/Kolkata", "Asia/Calcutta"):
            rule = _fixed(8, 15)
        day = next_on(rule, today)
        if day is None:
            continue
        if m.group("around"):
            day += timedelta(days=1 if "after" in m.group("around").lower() else -1)
        scan.consume(m.start(), m.end())
        found.date = day
        return True
    return False


def take_zh(scan: Scanner, found: Found, today: date) -> bool:
    if (m := _ZH.search(scan.work)) is None:
        return False
    day = next_on(ZH[m.group(1)], today)
    if day is None:
        return False
    scan.consume(m.start(), m.end())
    if m.group(2):
        day += timedelta(days=1 if m.group(2) == "后一天" else -1)
    found.date = day
    return True
