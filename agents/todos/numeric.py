"""Numeric dates: "3/14", "12/20/2026", "31.12.", "1.4.2026", "15-09-2026", "2026/5/20".

Which slash number is the month depends on where the owner lives: month first in the Americas
and East Asia (and in Chinese text), day first in the UK, Ireland, India, Australia and New
Zealand. Elsewhere (Berlin writes "4.5.") a slash date both of whose readings are real ("4/5")
is a question; one with a single real reading ("17/3") is that date. Dotted dates are day
first. Fractions and ratios ("1/2 cup", "24/7", "50/50") are not dates; "2/30" or "31.02." is
an impossible date, said so.
"""

from __future__ import annotations

import re
from datetime import date

from agents.todos.model import Found
from agents.todos.scanner import Scanner
from agents.todos.words_en import dated
from store.errors import InvalidInput

_I = re.IGNORECASE
NOT_A_DATE_AFTER = (
    r"(?!\s*(?:cups?|kg|g|lbs?|oz|tsp|tbsp|teaspoons?|tablespoons?|liters?|litres?|ml|l|"
    r"pages?|hours?|hrs?|mins?|minutes?|of|inch|in|miles?|km|x)\b|\s*%)"
)
LEAD = re.compile(r"\b(?:on|by|due|before|(?-i:b4)|until|till|from|starting)\s+$", _I)
_BY = r"(?:\s*(?:之前|以前|前))?"  # "3/20前": by that day
_A = r"(?<![0-9A-Za-z_/.-])"  # an ASCII word edge (CJK letters around a date are fine)
_Z = r"(?![0-9A-Za-z_])"
_SLASH = re.compile(
    _A + r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?" + _Z + r"(?!/)" + _BY + NOT_A_DATE_AFTER, _I
)
_YMD = re.compile(_A + r"(\d{4})[/.](\d{1,2})[/.](\d{1,2})" + _Z + _BY, _I)
_DMY_DASH = re.compile(_A + r"(\d{1,2})-(\d{1,2})-(\d{4})" + _Z, _I)
_DOT = re.compile(
    _A + r"(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?![\d.]*\d)" + _Z + _BY + NOT_A_DATE_AFTER, _I
)
_DOT_ZH = re.compile(
    r"(?:(?<=[\u4e00-\u9fff\s])|^)(\d{1,2})\.(\d{1,2})(?![\d.]*\d)(?=\s*[\u4e00-\u9fff])" + _BY
)
SLASH_NOT_DATES = {"24/7", "50/50"}
_MONTH_FIRST = (
    "America/", "US/", "Asia/Shanghai", "Asia/Tokyo", "Asia/Hong_Kong", "Asia/Taipei",
    "Asia/Seoul", "Asia/Manila", "Asia/Macau", "Asia/Chongqing", "Asia/Harbin",
    "Pacific/Honolulu", "Pacific/Guam",
)  # fmt: skip
_DAY_FIRST = (
    "Europe/London", "Europe/Dublin", "Europe/Paris", "Europe/Madrid", "Europe/Rome",
    "Europe/Lisbon", "Europe/Brussels", "Europe/Athens", "Asia/Kolkata", "Asia/Calcutta",
    "Asia/Singapore", "Asia/Kuala_Lumpur", "Asia/Karachi", "Asia/Dhaka", "Australia/",
    "Pacific/Auckland", "Africa/Johannesburg", "Africa/Lagos", "Africa/Nairobi",
)  # fmt: skip


def slash_order(timezone: str) -> str | None:
    """How the owner's place reads "3/4": "md" (March 4), "dm" (3 April), None (ask)."""
    if timezone.startswith(_MONTH_FIRST):
        return "md"
    if timezone.startswith(_DAY_FIRST):
        return "dm"
    return None


def _valid(month: int, day: int, year: int | None) -> bool:
    try:
        date(2024 if year is None else (year + 2000 if year < 100 else year), month, day)
    except ValueError:
        return False
    return True


def _impossible(phrase: str) -> InvalidInput:
    return InvalidInput(f"“{phrase.strip()}” is not a date that exists.")


def take_date(scan: Scanner, found: Found, today: date) -> bool:
    """One numeric date, if there is one; ``found.order`` says the local slash order."""
    if m := scan.first(_YMD, LEAD):
        found.date = dated(int(m.group(1)), int(m.group(2)), int(m.group(3)), today)
        return True
    if m := scan.first(_DMY_DASH, LEAD):
        found.date = dated(int(m.group(3)), int(m.group(2)), int(m.group(1)), today)
        return True
    for m in _SLASH.finditer(scan.work):
        first, second = int(m.group(1)), int(m.group(2))
        if f"{first}/{second}" in SLASH_NOT_DATES:
            continue
        year = int(m.group(3)) if m.group(3) else None
        md, dm = _valid(first, second, year), _valid(second, first, year)
        if not (md or dm):
            if first <= 31 and second <= 31:
                raise _impossible(m.group(0))
            continue
        scan.consume_match(m, LEAD)
        if md and (not dm or found.order == "md"):  # one real reading, or the local order
            found.date = dated(year, first, second, today)
        elif dm and (not md or found.order == "dm"):
            found.date = dated(year, second, first, today)
        else:
            found.date_options = tuple(
                sorted({dated(year, first, second, today), dated(year, second, first, today)})
            )
            found.date_phrase = m.group(0).strip()
        return True
    for m in _DOT.finditer(scan.work):  # "31.12." / "1.4.2026": day first (European)
        year = int(m.group(3)) if m.group(3) else None
        day, month = int(m.group(1)), int(m.group(2))
        if not _valid(month, day, year):
            if month <= 12 and day <= 31:
                raise _impossible(m.group(0))
            continue
        scan.consume_match(m, LEAD)
        found.date = dated(year, month, day, today)
        return True
    if found.chinese and (m := scan.first(_DOT_ZH)):  # "3.15前": month first in Chinese
        month, day = int(m.group(1)), int(m.group(2))
        if not _valid(month, day, None):
            raise _impossible(m.group(0))
        found.date = dated(None, month, day, today)
        return True
    return False
