"""The deterministic parser: one line of text -> ``Draft``, ``Ambiguous`` or ``InvalidInput``.

Grammar rules (``grammar_en``, ``clock_en``, ``repeat_en``, ``grammar_zh``, ``repeat_zh``)
consume what they understand; what is left is the title. Dates are resolved here, in the
owner's zone from a given ``now`` (never the real clock):

- a time without a date is today if still ahead, else tomorrow; a date without a time is an
  all-day task (due at local midnight, reminded by the morning agenda, not at midnight);
- a repeat starts at its first occurrence at or after now (or after a "starting" date);
- a bare hour 1-11 ("at 7"), "next Friday" or "friday" said on a Friday are questions.

A parser that knows what it did not understand: ``leftover`` lists date-like words still in the
title ("tomorow", "3/4" in Berlin, "每 review"). Then the answer is not sure: the capture flow
asks the LLM, and without one the owner gets a question (never a silent guess) whose options
are the reading with the slip corrected, if any, and the reading as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from agents.todos import clock_en, grammar_en, grammar_zh, numeric, repeat_en, repeat_zh, titles
from agents.todos.leftover import correct, is_phrase, leftovers
from agents.todos.model import MAX_NOTES, MAX_TEXT, MAX_TITLE, Ambiguous, Draft, Found, Option
from agents.todos.recurrence import canonical_rrule, count_within, first_occurrence
from agents.todos.scanner import Scanner
from agents.todos.timeutil import localize, zone
from agents.todos.words_en import month_add
from store.errors import InvalidInput

_CJK = re.compile(r"[\u4e00-\u9fff]")
_DIGIT = re.compile(r"\d")
_REPEAT_CUE = re.compile(
    r"ev|each|daily|nightly|weekly|monthly|quarterly|yearly|annually|weekday|weekend|workday"
    r"|business|once|days|month|(?:mon|tue|wed|thu|fri|sat|sun)[a-z.]*\s*(?:-|–|to|through|thru)"
    r"|\d(?:st|nd|rd|th)\s*(?:,|and\b|&)"
)
_FILLER_EN = re.compile(
    r"^\s*(?:(?:please\s+)?remind\s+me\s+(?:to\s+|about\s+|that\s+)?|don'?t\s+forget\s+(?:to\s+)?|"
    r"i\s+(?:need|have)\s+to\s+|todo:?\s*|task:?\s*|to\s+)",
    re.IGNORECASE,
)
_FILLER_ZH = re.compile(r"^\s*(?:请)?(?:提醒我|记得|别忘了|不要忘记|要)[:：，,]?\s*")
_DANGLING = re.compile(
    r"(?:^|\s)(?:at|on|by|in|due|from|for|starting|and|until|every|of|the|latest|,|;|-)+\s*$",
    re.IGNORECASE,
)
_LEADING = re.compile(r"^\s*(?:at|on|by|due|and|,|;|-)\s+", re.IGNORECASE)
_ZH_JUNK = re.compile(r"^[的在，,、。：:\s]+|[的在，,、。！!：:\s]+$")
_EMPTY_BRACKETS = re.compile(r"\[\s*\]|\(\s*\)|（\s*）|【\s*】")
_EVERY_ZH = re.compile(
    r"\b(?:every|each)\s*(?=(?:周|星期|礼拜)[一二三四五六日天1-7])", re.IGNORECASE
)
_BARE = {"FREQ", "INTERVAL"}  # what "daily"/"quarterly" alone make
EARLIEST = timedelta(days=366)
LATEST_YEARS = 100


@dataclass(frozen=True)
class RuleParse:
    """The rule parser's answer, the date-like words it could not place, and its best guess.

    ``result`` is a question whenever ``leftovers`` is not empty; ``guess`` is what the rules
    would have said without the doubt (the base the LLM fallback corrects).
    """

    result: Draft | Ambiguous
    leftovers: tuple[str, ...]
    guess: Draft | Ambiguous

    @property
    def unsure(self) -> bool:
        return bool(self.leftovers)


def check_text(text: str) -> str:
    cleaned = " ".join(text.split())
    if not cleaned:
        raise InvalidInput("Tell me what to do, e.g. “call mom tomorrow at 6pm”.")
    if len(text) > MAX_TEXT:
        raise InvalidInput(
            f"That is {len(text):,} characters; keep a to-do under {MAX_TEXT:,} "
            "(put long notes after “//”)."
        )
    return text.strip()


def parse(text: str, *, now: datetime, timezone: str) -> RuleParse:
    """Parse ``text`` for an owner in ``timezone`` at ``now`` (aware)."""
    tz = zone(timezone)
    text = check_text(text)
    fixed = correct(text)
    if "每" not in fixed and _CJK.search(fixed):  # "every 周五 4pm": 每周五, in one language
        fixed = _EVERY_ZH.sub("每", fixed)
    guess, rest, found = _read(fixed, now, tz, timezone)
    doubted = tuple(fixed[a:b].strip() for a, b in found.doubts)
    hints = tuple(dict.fromkeys((*leftovers(rest, found), *doubted)))
    if not hints:
        return RuleParse(guess, (), guess)
    if not doubted:
        return RuleParse(_unsure(text, guess, hints), hints, guess)
    try:  # the other reading: the doubted words are title words
        kept: Draft | Ambiguous | None = _read(fixed, now, tz, timezone, tuple(found.doubts))[0]
    except InvalidInput:
        kept = None
    asked = _unsure(text, guess, hints, keep=doubted)
    if kept is not None:
        asked = replace(asked, options=(*asked.options, *_options(kept)))
    return RuleParse(asked, hints, guess)


def _read(
    text: str,
    now: datetime,
    tz: ZoneInfo,
    timezone: str,
    keep: tuple[tuple[int, int], ...] = (),
) -> tuple[Draft | Ambiguous, str, Found]:
    local_now = now.astimezone(tz).replace(tzinfo=None)
    today = local_now.date()
    chinese = bool(_CJK.search(text))
    scan = Scanner(text)
    low = text.lower()
    found = Found(
        order="md" if chinese else numeric.slash_order(timezone),
        chinese=chinese,
        zone=timezone,
        low=low,
        digits=_DIGIT.search(text) is not None,
    )
    titles.protect(scan, chinese=chinese)
    for start, end in keep:
        scan.protect(start, end)
    grammar_en.take_notes(scan, found)
    grammar_en.take_priority(scan, found)
    if chinese:
        grammar_zh.take_priority(scan, found)
    if _REPEAT_CUE.search(low):
        repeat_en.take_repeat(scan, found, today)
    if chinese and not found.rule:
        repeat_zh.take_repeat(scan, found, today)
    clock_en.take_early(scan, found)
    grammar_en.take_date(scan, found, today)
    if chinese and found.date is None and not found.date_options and found.relative is None:
        grammar_zh.take_date(scan, found, today)
    if chinese:
        grammar_zh.take_time(scan, found)
    clock_en.take_time(scan, found)
    if found.soft_rule and not _backed(found):  # "daily planner refill": a repeat or a title?
        found.doubts.append(found.soft_rule)
    title = _title(scan.rest())
    if not title:
        raise InvalidInput("What is the task? I only found a date in that.")
    if len(title) > MAX_TITLE:
        raise InvalidInput(f"Keep the title under {MAX_TITLE} characters (notes go after “//”).")
    base = Draft(
        title=title,
        timezone=timezone,
        priority=found.priority,
        notes=found.notes[:MAX_NOTES],
        repeat_from_completion=found.from_completion,
    )
    return _resolve(base, found, local_now, now, tz), scan.work, found


def _backed(found: Found) -> bool:
    """Does anything besides "daily"/"weekly" before a noun say the text is a repeat? A
    one-off date does not: "pay quarterly VAT return fri" (a repeat from Friday, or a VAT
    return due Friday?) is a question, not a guess."""
    return bool(
        found.time or found.ambiguous_hour or found.default_time or found.until or found.count
    ) or bool(found.span or set(found.rule) - _BARE - {"BYDAY"})


def _unsure(
    text: str, guess: Draft | Ambiguous, hints: tuple[str, ...], keep: tuple[str, ...] = ()
) -> Ambiguous:
    """A question about ``hints``; its options are the rules' reading without those words
    (``keep``: words the rules read as a date, which are not in the title anyway)."""
    options: list[Option] = []
    for option in _options(guess):
        title = option.draft.title
        for hint in (h for h in hints if h not in keep and not is_phrase(h)):
            title = re.sub(re.escape(hint), " ", title, flags=re.IGNORECASE)
        title = _title(title) or option.draft.title
        options.append(Option(option.label, option.draft.with_title(title)))
    shown = ", ".join(f"“{h}”" for h in hints)
    if _CJK.search(text):
        question = f"{shown}是什么时间？请选一个，或换个说法。"
    else:
        question = f"I am not sure what {shown} means here: pick one, or say it another way."
    if isinstance(guess, Ambiguous):
        question = f"{guess.question} {question}"
    return Ambiguous(question=question, options=tuple(options))


def _options(parsed: Draft | Ambiguous) -> list[Option]:
    if isinstance(parsed, Ambiguous):
        return list(parsed.options)
    return [Option(label=_label(parsed), draft=parsed)]


def _title(rest: str) -> str:
    title = " ".join(_EMPTY_BRACKETS.sub(" ", rest).split())
    for _ in range(3):
        title = _FILLER_EN.sub("", title)
        title = _FILLER_ZH.sub("", title)
        title = _DANGLING.sub("", title).strip()
        title = _LEADING.sub("", title).strip()
    if _CJK.search(title):
        title = _ZH_JUNK.sub("", title)
        title = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", title)
    title = title.strip(" ,.;:-")
    return title[:1].upper() + title[1:] if title[:1].isascii() else title


def _resolve(
    base: Draft, found: Found, local_now: datetime, now: datetime, tz: ZoneInfo
) -> Draft | Ambiguous:
    """Turn what was found into drafts: one, or one per reading of an ambiguous phrase."""
    dates: list[date | None] = list(found.date_options) or [found.date]
    times: list[time | None]
    if found.ambiguous_hour is not None:
        h, m = found.ambiguous_hour, found.minute
        if found.period == "pm":
            times = [time(h + 12, m)]
        elif found.period == "am":
            times = [time(h, m)]
        else:
            times = [time(h, m), time(h + 12, m)]
    elif found.time is not None and found.soft_clock and found.period == "pm":
        times = [time(found.time.hour + 12, found.time.minute)]
    else:
        times = [found.time or found.default_time]
    drafts = [_draft(base, found, d, t, local_now, now, tz) for d in dates for t in times]
    if len(drafts) == 1:
        return drafts[0]
    drafts.sort(key=lambda d: d.due or local_now.replace(tzinfo=now.tzinfo))
    chinese = found.chinese
    questions = []
    if len(dates) > 1:
        questions.append(f"“{found.date_phrase}”" + ("：哪一天？" if chinese else ": which one?"))
    if len(times) > 1:
        asked = "：上午还是下午？" if chinese else ": morning or evening?"
        questions.append(f"“{found.time_phrase}”{asked}")
    return Ambiguous(
        question=" ".join(questions),
        options=tuple(Option(label=_label(d), draft=d) for d in drafts),
    )


def _label(draft: Draft) -> str:
    if draft.due is None:
        return "No date"
    when = draft.due.strftime("%a %d %b" if draft.all_day else "%a %d %b %H:%M")
    return when + (" 🔁" if draft.rrule else "")


def _draft(
    base: Draft,
    found: Found,
    day: date | None,
    at: time | None,
    local_now: datetime,
    now: datetime,
    tz: ZoneInfo,
) -> Draft:
    if found.rule:
        return _repeating(base, found, day, at, local_now, tz)
    if found.relative is not None:
        due = (now + found.relative).astimezone(tz)
        if at is not None:  # "in 2 hours at 5pm" makes no sense; the clock time wins
            due = localize(datetime.combine(due.date(), at), tz)
        return _checked(replace(base, due=due.replace(second=0, microsecond=0)), now)
    if day is None and at is None:
        return base
    if day is None:
        assert at is not None
        start = datetime.combine(local_now.date(), at)
        if start <= local_now:
            start += timedelta(days=1)
        return _checked(replace(base, due=localize(start, tz)), now)
    if at is None:
        return _checked(
            replace(base, due=localize(datetime.combine(day, time(0)), tz), all_day=True), now
        )
    return _checked(replace(base, due=localize(datetime.combine(day, at), tz)), now)


def _repeating(
    base: Draft, found: Found, day: date | None, at: time | None, local_now: datetime, tz: ZoneInfo
) -> Draft:
    rule = dict(found.rule)
    if found.count is not None:
        rule["COUNT"] = str(found.count)
    if found.until is not None:
        rule["UNTIL"] = found.until.strftime("%Y%m%dT235959")
    if at is not None:
        rule.update(BYHOUR=str(at.hour), BYMINUTE=str(at.minute))
    if (found.count is not None or found.span is not None) and found.until is not None:
        raise InvalidInput("Give an end date or a number of times, not both.")
    text = canonical_rrule(";".join(f"{k}={v}" for k, v in rule.items()))
    start_day = day or local_now.date()
    start = datetime.combine(start_day, at or time(0))
    if day is None and at is not None and start <= local_now:
        start += timedelta(days=1)
    elif day is None and at is None:
        start = datetime.combine(local_now.date(), time(0))
    # The first occurrence ignores COUNT and INTERVAL: "every other Monday" starts next Monday.
    loose = ";".join(p for p in text.split(";") if not p.startswith(("COUNT=", "INTERVAL=")))
    try:  # expanding the rule is dateutil's check of it
        first = first_occurrence(loose, start)
    except (ValueError, TypeError):
        raise InvalidInput("That repeat rule is not valid.") from None
    if first is None:
        raise InvalidInput("That repeat never happens after today (check the end date).")
    if found.span is not None:  # "for 6 weeks": as many times as the rule falls in them
        n, unit = found.span
        days = {"day": 1, "week": 7}.get(unit)
        end = (
            first.date() + timedelta(days=n * days)
            if days
            else month_add(first.date(), n * (12 if unit == "year" else 1))
        )
        count = count_within(text, first, end)
        if count < 1:
            raise InvalidInput("That repeat never happens in the time you gave.")
        text = canonical_rrule(f"{text};COUNT={count}")
    due = localize(first, tz)
    return replace(base, due=due, all_day=at is None, rrule=text)


def _checked(draft: Draft, now: datetime) -> Draft:
    assert draft.due is not None
    if draft.due < now - EARLIEST:
        raise InvalidInput("That date is more than a year ago; give a date from now on.")
    if draft.due.year > now.year + LATEST_YEARS:
        raise InvalidInput(f"That date is more than {LATEST_YEARS} years away.")
    return draft
