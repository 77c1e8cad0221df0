"""What the rules did not understand: date-, time- or repeat-like words left in the title.

After the grammars consume what they know, the rest becomes the title. A date-like word still
in it ("3/4" in Berlin, "thursday-ish", "tomorow", "每 review", "1号和15号") means the rules
are not sure: the LLM is asked, and without one the owner is (never a silent guess). Title
words that only look like dates stay quiet: "read 1984", "B4 meeting", "sat nav", "nearly".

Misspellings are found with one edit (insert, delete, replace, swap) against the date words,
by the symmetric-delete method: a dictionary of every word and every one-letter deletion of
it, so checking a word costs a dozen set look-ups, not an edit-distance table.
"""

from __future__ import annotations

import re

from agents.todos.model import Found
from agents.todos.numeric import NOT_A_DATE_AFTER, SLASH_NOT_DATES
from agents.todos.words_en import SAT_SUN_NOUNS

_I = re.IGNORECASE
KEYWORDS = (
    "tomorrow", "today", "tonight", "yesterday", "monday", "tuesday", "wednesday", "thursday",
    "friday", "saturday", "sunday", "january", "february", "april", "august", "september",
    "october", "november", "december", "morning", "afternoon", "evening", "midnight", "weekend",
    "weekday", "weekly", "daily", "monthly", "yearly", "fortnight", "every", "quarterly",
    "annually", "biweekly", "fortnightly",
)  # fmt: skip
REAL_WORDS = {
    "dairy", "daisy", "dally", "weakly", "meekly", "early", "nearly", "dearly", "pearly",
    "toady", "sundae", "sundry", "mourning", "moaning", "very", "ever", "evert", "veery",
    "emery", "hour", "ours", "minute", "minuets", "minuet", "mines", "fourths", "yours",
    "tours", "pours", "sours", "houris", "mondale", "everyday", "hourly", "tonights", "today's",
    "sunday's", "monday's", "friday's", "evenings", "mornings", "weekends", "weekdays",
    "afternoons", "mondays", "tuesdays", "wednesdays", "thursdays", "fridays", "saturdays",
    "sundays", "every's", "minutes", "hours", "aprils", "clock",
}  # fmt: skip


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_INDEX: dict[str, str] = {}
for _word in KEYWORDS:
    for _key in (_word, *_deletions(_word)):
        _INDEX.setdefault(_key, _word)
_KNOWN = set(KEYWORDS)


def near_miss(word: str) -> str | None:
    """The date word ``word`` is one slip away from ("tomorow" -> "tomorrow"), else None."""
    word = word.lower()
    if len(word) < 4 or word in _KNOWN or word in REAL_WORDS:
        return None
    if word in _INDEX:
        return _INDEX[word]
    for key in _deletions(word):
        if key in _INDEX and len(_INDEX[key]) >= len(word) - 1:
            return _INDEX[key]
    return None


_WORD = re.compile(r"[A-Za-z][A-Za-z']{3,}")


SLIPS = {"mndy": "monday", "tsdy": "tuesday", "wdnsdy": "wednesday", "thrsdy": "thursday",
         "frdy": "friday", "strdy": "saturday", "sndy": "sunday", "wensday": "wednesday",
         "wedsday": "wednesday", "wendsday": "wednesday", "wednsday": "wednesday",
         "thurday": "thursday", "tommorow": "tomorrow", "tmorow": "tomorrow",
         "fortnite": "fortnight", "wknd": "weekend"}  # fmt: skip  # common, two slips away


def correct(text: str) -> str:
    """``text`` with one-slip date words spelt right ("thrusday" -> "thursday")."""
    if not text.isascii() and not re.search("[A-Za-z]{4}", text):
        return text
    return _WORD.sub(_fix, text)


def _fix(m: re.Match[str]) -> str:
    word = m.group(0)
    return SLIPS.get(word.lower()) or near_miss(word) or word


WD_LIST = r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*"
_MONTHS = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)"
)
_UNITS = (
    r"(?:minutes?|mins?|hours?|hrs?|days?|weeks?|wks?|months?|mos?|mths?|years?|yrs?|moments?"
    r"|bit|while|sec)"
)
_EN = re.compile(
    r"(?:\b(?:today|tonight|tomorrow|tmrw|yesterday|fortnight|o'?clock|noon|midnight|weekend"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tues?|weds?|thu|thurs?|fri"
    r"|eod|eow|eom|cob|wknd|nxt|tmr|quarterly|(?:bi|semi)[-\s]?(?:weekly|monthly|annually|yearly)"
    r"|hourly|ish|except|excluding|(?:twice|thrice|\w+\s+times)\s+(?:a|per|each|every)\s+\w+)\b"
    r"|\b(?:every|each|ev)\s+(?:\d+|other|second|third|fourth|last|first|\w*days?|week\w*"
    r"|month\w*|year\w*|morning\w*|evening\w*|night\w*|afternoon\w*|quarter|fortnight|hour\w*"
    r"|minute\w*|few|couple|mon|tues?|weds?|thu|thurs?|fri|sat|sun|jan\w*|feb\w*|mar\w*|apr\w*"
    r"|may|june?|july?|aug\w*|sep\w*|oct\w*|nov\w*|dec\w*)\b|\b(?:every|each)\s*$"
    r"|\b(?:next|this|coming|last)\s+(?:week|month|year|quarter|semester|term|weekend)\b"
    r"|(?<!\ba\s)(?<!\ban\s)\b\d{1,2}(?:st|nd|rd|th)\b(?!\s+(?!of\b|at\b|and\b|or\b|"
    + WD_LIST
    + r"|"
    + _MONTHS
    + r")[a-z]{3,})|\b(?:mid|late)(?=-?\s{4,}\S)|\b\d{1,2}\s*(?:am|pm|a\.m|p\.m)\b"
    r"|\b\d{1,2}:\d{2}\b"
    r"|\b\d{1,2}(?:h|hrs?|ish|mins?)\b|\b\d{1,2}h\d{2}\b|\b(?:in|within|after)\s+(?:\d+|an?|one|two|three"
    r"|(?:a\s+)?(?:few|couple(?:\s+of)?)|several)\s+"
    + _UNITS
    + r"\b|\bfor\s+(?:\d+|an?|one|two|three|four|five"
    r"|six|seven|ten)\s+(?:days?|weeks?|months?|nights?)\b|\b\d{1,2}\.\d{1,2}\.(?:\d{2,4})?(?![\d.])"
    r"|(?<![$€£\d.])\b\d{1,2}\.\d{2}\b(?![.\d])"
    r"|\b(?:at|@|around)\s*\d{1,4}\b(?![:./-]\w)|\b(?:daily|weekly|monthly|yearly|annually|nightly)\b"
    r"|\b" + _MONTHS + r"\s+\d{1,2}\b|\b(?:on|by|in|before|until|till|early|mid|late|end\s+of"
    r"|start\s+of|next|this|every)\s+" + _MONTHS + r"\b)(?!['’]s)",
    _I,
)
_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/\d{2,4})?\b" + NOT_A_DATE_AFTER, re.IGNORECASE)
_ZH = re.compile(
    r"[\d二三四五六七八九十两半]+\s*(?:号|点|日|月|周|天|小时|钟头|分钟|个月|个星期|星期|礼拜|次|刻)"
    r"|一\s*(?:号|日|月|周|天|小时|钟头|分钟|个月|个星期|星期|礼拜|刻)|一点(?=钟|半|[0-9一二三四五六七八九十]|$)"
    r"|(?:星期|礼拜|周)[一二三四五六日天1-7]|(?:今|明|昨|后|前)(?:天|晚|早|日)|大后天"
    r"|每(?!个人|人|一个|样|次|位)|(?:下|上|这|本)个?(?:周|星期|礼拜|月)|隔(?:周|天|日)"
    r"|早上|晚上|下午|上午|中午|凌晨|傍晚|半夜|月底|月初|年底|周末|工作日|连续"
)
_ADVERBS = (
    "daily", "weekly", "monthly", "yearly", "annually", "nightly", "quarterly", "fortnightly",
    "every", "each",
)  # fmt: skip


_STRAY = re.compile(  # glue of a time or date the rules did not place ("6 pm" read as "6")
    r"(?:^\s*|\s\s)(?:&|\+|and|or)(?=\s)|(?<=\s)(?:&|\+|or)(?=\s\s|\s*$)|"
    r"(?<![\w.])(?-i:pm|p\.m\.?|a\.m\.?)(?![\w.])"
    r"|\b(?:first|last|final)\s+(?:day|week|weekday|working\s+day|business\s+day)s?\b"
    r"|\bend\s+of\s+(?:the\s+|this\s+|next\s+)?(?:day|week|month|year|quarter|term|semester)\b"
    r"|(?<!\bthe\s)(?<!\ba\s)(?<!\bin\s)(?<!\bi\s)(?<!\bwe\s)(?<!\bhe\s)(?<!\bshe\s)"
    r"(?<!\bthey\s)(?<!\byou\s)(?<!\bjust\s)(?<!\bhad\s)(?<!\bhas\s)(?<!\bhave\s)"
    r"(?<!\bwas\s)(?<!\bwere\s)(?<!\bbeen\s)(?<!\bsit\s)"
    r"\b(?-i:sat|Sat|sun|Sun)\b(?=\s*$|\s*[,;:.!&/]|\s+(?!" + SAT_SUN_NOUNS + r")[a-z])",
    re.IGNORECASE,
)
_PHRASE = re.compile(r"(?:first|last|final|end)\s.*", re.IGNORECASE)


def is_phrase(hint: str) -> bool:
    """A hint that may be part of the title as written ("last day of school party"): the
    reading as written keeps it, rather than dropping it."""
    return _PHRASE.fullmatch(hint) is not None


_STRAY_CUES = (
    "&",
    "+",
    "and",
    "or",
    "pm",
    "p.m",
    "a.m",
    "first",
    "last",
    "final",
    "end of",
    "sat",
    "sun",
)
_TOKEN = re.compile(r"[a-z]+")
_TRIGGERS = frozenset(  # words that can start a leftover (else its costly regex is skipped)
    {
        "today", "tonight", "tomorrow", "tmrw", "yesterday", "fortnight", "clock", "noon",
        "midnight",
        "weekend", "weekends", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "sunday", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "eod", "eow", "eom",
        "cob", "wknd", "nxt", "tmr", "quarterly", "biweekly", "bimonthly", "semiannually", "hourly",
        "ish", "except", "excluding", "twice", "thrice", "times", "every", "each", "ev", "daily",
        "weekly", "monthly", "yearly", "annually", "nightly", "minute", "minutes", "min", "mins",
        "hour", "hours", "hr", "hrs", "day", "days", "week", "weeks", "wk", "wks", "month",
        "months",
        "year", "years", "moment", "moments", "bit", "while", "sec", "quarter", "semester", "term",
        "night", "nights", "january", "february", "march", "april", "may", "june", "july", "august",
        "september", "october", "november", "december", "late", "mid", "jan", "feb", "mar", "apr",
        "jun", "jul",
        "aug", "sep", "sept", "oct", "nov", "dec",
    }
)  # fmt: skip


_HHMM = re.compile(r"(?<![\w$€£#.,/:+-])((?:[01]\d|2[0-3])[0-5]\d)(?![\w.,/:%-])")
_NUMBER_BEFORE = frozenset(  # "room 1204", "since 1999", "flight 2215": a number, not a time
    {"room", "flat", "unit", "page", "flight", "route", "class", "since", "model", "no", "rm",
     "ext", "bus", "pp", "ch", "of", "from", "in", "the", "a", "an", "p", "v", "pay", "paid",
     "buy", "order", "call", "text", "dial", "year"}
)  # fmt: skip
_NUMBER_AFTER = frozenset(
    {"people", "words", "euro", "eur", "usd", "dollars", "steps", "calories", "kcal", "km", "m",
     "mg", "ml", "g", "kg", "pages", "rows", "lines", "items"}
)  # fmt: skip


def _clock_digits(rest: str, found: Found) -> list[str]:
    """A bare four-digit time ("yoga 1930") at either end of the title with no other time
    read: a 24-hour clock or a number? Ask."""
    if found.time or found.ambiguous_hour is not None or found.relative is not None:
        return []
    m = _HHMM.search(rest)
    if m is None:
        return []
    before, after = rest[: m.start(1)].split(), rest[m.end(1) :].strip(" ,;.!?").split()
    if before and after:
        return []
    if before and before[-1].lower() in _NUMBER_BEFORE:
        return []
    if after and after[0].lower() in _NUMBER_AFTER:
        return []
    return [m.group(1)]


def leftovers(rest: str, found: Found) -> list[str]:
    """Date-like words the rules did not place (each is a reason not to be sure)."""
    hints: list[str] = []
    low = rest.lower()
    if found.digits:
        hints.extend(_clock_digits(rest, found))
    if found.digits or not _TRIGGERS.isdisjoint(_TOKEN.findall(low)):
        hints.extend(_english(rest, found))
    if any(cue in low for cue in _STRAY_CUES):
        hints.extend(m.group(0).strip() for m in _STRAY.finditer(rest))
    if "/" in rest:
        hints.extend(m.group(0) for m in _SLASH.finditer(rest) if m.group(0) not in SLASH_NOT_DATES)
    if found.chinese:
        hints.extend(m.group(0) for m in _ZH.finditer(rest))
    return list(dict.fromkeys(hints))


def _english(rest: str, found: Found) -> list[str]:
    hints: list[str] = []
    for m in _EN.finditer(rest):
        word = m.group(0)
        low = word.lower()
        if (found.rule or found.date) and low.startswith(_ADVERBS):
            continue  # "weekly report every friday / due thu": the title's own word
        hints.append(word.strip())
    return hints
