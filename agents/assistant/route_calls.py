"""The read-only calls the rules can name for the clauses of a question, and when they cannot.

Per clause that asks something (``route.signals``): booking words -> ``list_bookings`` (status
from "waiting" / "accepted"), free-time words with a day -> ``free_slots`` (with the length the
owner gave), to-do words -> ``list_todos`` (filter from "overdue" / "did I …" / today, title
words from "about X" / "跟X有关"), any other question about a day -> ``agenda``. A clause that
asks for a change, or a question the rules cannot name (papers, "why"), makes the answer
*partial*: the planner (LLM) decides the whole message, and without one the rules' part is
answered and the rest is said to need the LLM. The rules never name a state-changing call.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from agents.assistant.ranges import find_range
from agents.assistant.route_words import CHANGES, LOOKUPS, TIME


@dataclass(frozen=True)
class ToolCall:
    """One typed tool call: a tool's name and its canonical arguments."""

    name: str
    args: dict[str, str | int] = field(default_factory=dict)


_BOOKING = re.compile(
    r"\b(?:requests?|bookings?|booked|meetings?|appointments?|calls? with|calls|guests?|"
    r"invites?|visitors?|coming (?:in|by|over|round|around)|dropping (?:in|by)|stopping by|"
    r"swinging by|(?:is|are)\s+\w+\s+(?:still\s+)?(?:coming|visiting)|sa(?:y|id) yes to|"
    r"who(?:'s| is)? (?:on|in) my (?:calendar|schedule)|cancell?ed on me)\b|"
    r"预约|约了|约我|谁约|会议|开会|组会|几个会|有会|的会|meeting|guest"
)
_PENDING = re.compile(
    r"\b(?:waiting|pending|unconfirmed|unanswered|to approve|open)\b|"
    r"\b(?:haven'?t|not|didn'?t)\s+(?:i\s+|we\s+)?(?:yet\s+)?(?:said yes|say yes|answered|replied|"
    r"accepted|confirmed|approved)\b|"
    r"\bnew (?:\w+ )?(?:requests?|bookings?|ones?|invites?)\b|needs? (?:my )?"
    r"(?:approval|answer|ok)|待确认|待处理|新的|没确认|未确认|待审|待批|没回|未处理"
)
_ACCEPTED = re.compile(
    r"\b(?:accept|accepted|confirmed|approved)\b|\bdid (?:i|we) (?:confirm|approve|say yes)\b|"
    r"已接受|"
    r"接受了(?![吗没么])|确认了(?![吗没么])|已确认"
)  # "都确认了吗" asks which are and which are not: no status
_FREE = re.compile(
    r"\b(?:free|available|availability|gaps?|openings?|slots?|windows?)\b|"
    r"\b(?:any|some|spare|open) time\b|\b(?:spare|open|clear) (?:\d+ )?(?:hours?|minutes?|mins?|"
    r"half[- ]hour|moment)\b|\bwhen (?:can|could) (?:i|we) (?:meet|fit|squeeze|do)\b|"
    r"\bcan i (?:fit|squeeze)\b|\b(?:earliest|soonest)\b.*\b(?:i|we) (?:can|could)\b|"
    r"\b(?:am i|i'?m) (?:open|around)\b|有空|空闲|空档|空着|有时间|"
    r"(?:比较|很|都)?空(?:吗|的|不|\s*$)|闲"
)
_TODO = re.compile(
    r"\b(?:to-?dos?|tasks?|left|overdue|late|due|reminders?|hanging)\b|on my plate\s*[?!.]*$|"
    r"\bstill (?:open|pending|to do|undone)\b|"
    r"待办|任务|要做的事|没做完|没弄完|没干完|没搞完|没办完|"
    r"没完成|逾期|过期|清单|还有哪些|要做什么|做完了哪些|完成了哪些|做了哪些|todo"
)
# Which of two days ("明天还是后天", "today or tomorrow"): no one range; bookings look ahead.
_EITHER = re.compile(rf"(?:{TIME.pattern}).*(?:还是|\bor\b).*(?:{TIME.pattern})")
_NEXT_WEEKDAY = re.compile(
    r"下(?:个)?(?:周|星期|礼拜)[一二三四五六日天]|\bnext (?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\b"
)
_DUE = re.compile(r"\bdue\b|\bleft (?:on|for)\b|要交|截止|到期")  # "left for friday": that day's
_TODO_NAMED = re.compile(r"\b(?:to-?dos?|tasks?)\b|待办|任务|todo")  # wins over paper words
_OVERDUE = re.compile(
    r"\b(?:overdue|late|past due|missed|left ?over|from last week)\b|逾期|过期|超时|没赶上"
)
_DONE = re.compile(
    r"\b(?:(?:what|which)(?: \w+)? (?:did|have) i (?:get |got )?(?:done|finish|finished|"
    r"complete|completed|do)|(?:got|get|gotten) done|did i (?:already |actually |ever )?"
    r"(?:finish|complete|do)|done (?:so far|lately|recently|today|this week))\b|"
    r"做完了哪些|完成了哪些|做了哪些|已完成|搞定了哪些|做完了什么|完成了什么|做完了啥|"
    r"(?:做|干|弄|忙)了(?:些|点)?(?:啥|什么|哪些)"
)
_DID_I = re.compile(
    r"^(?:did|have) i (?:already |actually |ever |really )?(?P<what>(?!get\b|got\b|have\b|"
    r"any|anything|finish|complete|do\b).+?)(?: (?:yet|already|today|this (?:week|month)|"
    r"last \w+))*\s*\??$"
)
_ABOUT = re.compile(
    r"\b(?:about|re|regarding|related to|for the|on the|to do with)\s+(?:the |my |a )?"
    r"(?P<en>[\w' -]+?)\s*(?:\?|$| left| still| to do)|"
    r"(?:跟|和|与|关于|有关)\s*(?P<zh>[^\s,，?？]+?)\s*(?:有关|相关|的)|"
    r"(?P<zh2>[\w\u4e00-\u9fff ]+?)\s*(?:相关|有关)的"
)
_AGENDA = re.compile(
    r"what'?s on|whats on|wats on|what do i have|what i(?:'ve| have)? got|anything|agenda|"
    r"schedule|calendar|busy|plans?|plate|rundown|overview|lineup|happening|going on|look|"
    r"looking|shaping|安排|日程|有啥|有什么|忙|怎么样|计划|事"
)
_EVERYTHING = re.compile(
    r"\b(?:rundown|overview|everything|in general|whatever|all of it)\b|所有|全部"
)
# A clause that is only a day ("next week", "周四", "tmrw then"): it sets the range of what follows.
_FRONTED = re.compile(
    r"(?:for |on |about |as for )?(?:this |next |the )?[a-z]+(?: week| weekend)?|"
    r"[\u4e00-\u9fff]{1,4}"
)
_PAPERS = re.compile(r"\b(?:papers?|articles?|digest|arxiv)\b|论文|paper|推荐")
_LENGTH = re.compile(
    r"\b(?P<n>\d+(?:\.\d+)?|an?|one|two|three|four|half an?)\s*-?\s*"
    r"(?:(?:free|spare|open|clear|solid|full|whole|quick|uninterrupted)\s+)?(?P<u>minutes?|mins?|"
    r"hours?|hrs?)\b|\b(?P<n2>\d+(?:\.\d+)?)\s*(?P<u2>h|m)\b|"
    r"(?P<zn>\d+|[一二两三四五六七八半])\s*(?:个)?(?P<zhalf>半)?\s*(?P<zu>小时|钟头|分钟)"
)
_NUMBERS: dict[str, float] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "half a": 0.5, "half an": 0.5,
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "半": 0.5,
}  # fmt: skip
_QUERY_NOISE = re.compile(
    r"\b(?:the|my|a|an|any|all|stuff|things?|todos?|tasks?|one|ones|still|yet|already|"
    r"left|open|list|agenda|plate|calendar|schedule|for|today|tomorrow|(?:this|next) week)\b|"
    r"的|相关|有关|还有|什么|啥|哪些"
)


def length_minutes(text: str) -> int | None:
    """The length the owner named ("an hour", "30 min", "两个小时", "半小时"), 5-480 minutes."""
    found = _LENGTH.search(text)
    if found is None:
        return None
    if found.group("u") or found.group("u2"):
        raw, unit = found.group("n") or found.group("n2"), found.group("u") or found.group("u2")
        n = _NUMBERS[raw] if raw in _NUMBERS else float(raw)
        minutes = n * (60 if unit.startswith("h") else 1)
    else:
        raw = found.group("zn")
        n = float(_NUMBERS[raw]) if raw in _NUMBERS else float(raw)
        n += 0.5 if found.group("zhalf") else 0
        minutes = n * (1 if found.group("zu") == "分钟" else 60)
    return int(minutes) if 5 <= minutes <= 480 else None


def _query(clause: str) -> str | None:
    """Title words the owner names ("about the grant", "跟报销有关"), if any."""
    found = _ABOUT.search(clause)
    if found is None:
        return None
    words = next(g for g in found.groups() if g)
    words = " ".join(_QUERY_NOISE.sub(" ", words).split())
    return words or None


def _todos_call(clause: str, span: str | None) -> ToolCall:
    args: dict[str, str | int] = {"filter": "open"}
    did = _DID_I.match(clause)
    if _OVERDUE.search(clause):
        args["filter"] = "overdue"
    elif _DONE.search(clause) or (did and not _TODO.search(clause)):
        args["filter"] = "done"
    elif span == "today":
        args["filter"] = "today"
    query = _query(clause)
    if query is None and did and args["filter"] == "done":
        query = " ".join(_QUERY_NOISE.sub(" ", did.group("what")).split()) or None
    if query:
        args["query"] = query
    return ToolCall("list_todos", args)


def clause_call(clause: str, asks: frozenset[str], inherited: str | None) -> ToolCall | None:
    """The one read-only call a clause that asks something needs, when the rules can tell."""
    span = None if _EITHER.search(clause) else find_range(clause)
    if _NEXT_WEEKDAY.search(clause):
        return None  # "下周三", "next tuesday": a day no range name says; the planner decides
    if _DUE.search(clause) and span not in (None, "today"):
        return ToolCall("agenda", {"range": span})  # "things due tomorrow": the day's to-dos
    if _BOOKING.search(clause) and (_TODO.search(clause) or _EVERYTHING.search(clause)):
        whole = span or inherited  # "…today, meetings todos everything"
        return ToolCall("agenda", {"range": whole}) if whole else None
    if _BOOKING.search(clause):
        args: dict[str, str | int] = {"range": span or "upcoming"}
        if _PENDING.search(clause):
            args["status"] = "pending"
        elif _ACCEPTED.search(clause):
            args["status"] = "accepted"
        return ToolCall("list_bookings", args)
    if _FREE.search(clause) and (span or inherited):
        args = {"range": span or inherited or ""}
        length = length_minutes(clause)
        if length:
            args["length_minutes"] = length
        return ToolCall("free_slots", args)
    if "why" in asks:
        return None
    if _DID_I.match(clause) and not _PAPERS.search(clause):
        return _todos_call(clause, span)
    if _TODO_NAMED.search(clause) or (
        (_TODO.search(clause) or _DONE.search(clause)) and not _PAPERS.search(clause)
    ):
        return _todos_call(clause, span)
    if _PAPERS.search(clause) or "why" in asks:
        return None
    if span and (_AGENDA.search(clause) or len(clause) <= 14 or asks & LOOKUPS):
        return ToolCall("agenda", {"range": span})
    return None


def read_only_calls(
    parts: Sequence[str], found: Sequence[frozenset[str]], norm: str
) -> tuple[tuple[ToolCall, ...], bool]:
    """The rules' read-only calls for an assistant text, and whether they cover all of it."""
    calls: list[ToolCall] = []
    partial = False
    inherited: str | None = None
    carry = ""  # "next week, any 2h gaps?": a clause that only names a day is the next one's
    for i, (clause, asks) in enumerate(zip(parts, found, strict=True)):
        clause, carry = f"{clause} {carry}".strip(), ""
        later = found[i + 1] if i + 1 < len(found) else frozenset()
        if (
            _FRONTED.fullmatch(parts[i])
            and find_range(parts[i])
            and later & LOOKUPS
            and not later & CHANGES
            and find_range(parts[i + 1]) is None
        ):
            carry = parts[i]
            continue
        if asks & CHANGES:
            partial = True
            continue
        if not asks & LOOKUPS and not (len(parts) == 1 and norm.endswith("?")):
            continue
        call = clause_call(clause, asks, inherited)
        if call is None:
            partial = True
        elif call not in calls:
            calls.append(call)
            span = call.args.get("range")
            inherited = span if isinstance(span, str) and span != "upcoming" else inherited
    return _with_length(calls, norm), partial


def _with_length(calls: list[ToolCall], norm: str) -> tuple[ToolCall, ...]:
    """A length in a clause of its own ("any gap monday? need an hour") is the free slots'."""
    slots = [i for i, c in enumerate(calls) if c.name == "free_slots"]
    length = length_minutes(norm) if len(slots) == 1 else None
    if length is not None and "length_minutes" not in calls[slots[0]].args:
        calls[slots[0]] = ToolCall("free_slots", {**calls[slots[0]].args, "length_minutes": length})
    return tuple(calls)
