"""Words that only look like dates, kept in the title before any date rule runs.

"Plan Friday Harbor trip", "tickets for Sunday in the Park with George": a capitalised weekday
or month inside the text that starts a proper name. "Cook sunday roast", "Black Friday deals":
fixed phrases. "每周 review 的 slides": 每周 qualifying a noun (的), not a repeat. Each is
protected in the ``Scanner`` (hidden from the rules, back in the title).
"""

from __future__ import annotations

import re

from agents.todos.scanner import Scanner

_NAME = (
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April"
    r"|May|June|July|August|September|October|November|December)"
)
_PROPER = re.compile(
    r"(?<=\S)(?<![.!?:;])\s+("
    + _NAME
    + r"(?:\s+(?:in|of|at|on|and)\s+the)?\s+(?!"
    + _NAME
    + r"\b|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|Next|This|Morning|Afternoon|Evening"
    r"|Night|Noon|At|By|On|AM|PM)\b)[A-Z][\w'’&-]*)"
)
_PHRASES = re.compile(
    r"\b(?:sunday\s+(?:roast|school|best|lunch\s+roast|paper|service|league)|black\s+friday"
    r"|cyber\s+monday|super\s+tuesday|ash\s+wednesday|good\s+friday|holy\s+saturday"
    r"|easter\s+(?:sunday|monday)|palm\s+sunday|maundy\s+thursday|whit\s+monday"
    r"|monday\s+blues|friday\s+prayers?|casual\s+friday|may\s+day\s+parade)\b",
    re.IGNORECASE,
)
_PROPER_3 = re.compile(r"(?<=\S)\s+(" + _NAME + r"\s+[A-Z][\w'’&-]*\s+[A-Z][\w'’&-]*)")
_TIME_NOUN = re.compile(  # "reply to the 10am email": a time naming a thing, not a due time
    r"\b(?:the|my|your|our|his|her|their|this|that)\s+(\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm))\s+"
    r"(?!(?:tomorrow|today|tonight|on|every|at|in|for|and|or|to|by|next|this)\b)[a-z]{3,}",
    re.IGNORECASE,
)
_HONORIFIC = re.compile(  # "call Dr. Monday", "email Ms April": a person, not a date
    r"\b(?:Dr|Mr|Mrs|Ms|Mx|Prof|Sr|Fr|Rev|Dr\.|Mr\.|Mrs\.|Ms\.|Prof\.)\.?\s+(" + _NAME + r")\b"
)
_ZH_QUALIFIER = re.compile(r"每(?:周|天|日|月|年)\s*[A-Za-z][\w-]*\s*的")


def protect(scan: Scanner, *, chinese: bool) -> None:
    """Hide proper names and fixed phrases from the date rules."""
    if not scan.work.islower():  # a capitalised name needs a capital letter
        for m in _HONORIFIC.finditer(scan.work):
            scan.protect(m.start(1), m.end(1))
        for m in _PROPER_3.finditer(scan.work):
            scan.protect(m.start(1), m.end(1))
        for m in _PROPER.finditer(scan.work):
            scan.protect(m.start(1), m.end(1))
    if "am" in scan.work or "pm" in scan.work or "AM" in scan.work or "PM" in scan.work:
        for m in _TIME_NOUN.finditer(scan.work):
            scan.protect(m.start(1), m.end(1))
    if "day" in scan.work.lower():
        for m in _PHRASES.finditer(scan.work):
            scan.protect(m.start(), m.end())
    if chinese:
        for m in _ZH_QUALIFIER.finditer(scan.work):
            scan.protect(m.start(), m.end())
