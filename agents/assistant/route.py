"""Rules first: decide what a free text is before anything (or anyone) acts on it.

Four routes: ``capture`` (a task to save: the to-do capture flow, as before), ``assistant`` (a
question or a request about stored meetings, to-dos or papers), ``chitchat`` (greetings,
thanks, "who are you") and ``unclear`` (gibberish, fillers, a lone emoji). The rules also name
the read-only calls for the common questions ("what's on tomorrow?" -> ``agenda(tomorrow)``),
so those are answered with no LLM at all (``route_calls``).

How: the text is read in one spelling (``route_text``: simplified characters, chat spellings
written out), then cut into clauses ("…, and show me …", "… 顺便 …"); each clause gets its
*signals* (a question, a look-up, or a change to something stored: done, snooze, move, cancel,
block, offer, rate, …; the vocabulary is in ``route_words`` (questions, reminder requests),
``route_changes`` (changes, stored items) and ``route_social`` (small talk, noise)). A reminder
request ("remind me to …", "提醒我 …") is a capture unless another clause asks something;
greetings and thanks with nothing to act on are chit-chat; any signal makes it the
assistant's; the rest is a to-do. Cheap: about a hundred regular expressions per message
(well under a millisecond), never the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from agents.assistant import route_changes as ch
from agents.assistant import route_model
from agents.assistant import route_social as talk
from agents.assistant import route_words as w
from agents.assistant.route_calls import ToolCall, read_only_calls
from agents.assistant.route_text import normalize

__all__ = [
    "Route", "RouteKind", "ToolCall", "classify", "clauses", "normalize", "rules_route", "signals",
]  # fmt: skip

RouteKind = Literal["capture", "assistant", "chitchat", "unclear"]

LOOKUPS = w.LOOKUPS
CHANGES = w.CHANGES


@dataclass(frozen=True)
class Route:
    kind: RouteKind
    calls: tuple[ToolCall, ...] = ()  # read-only calls the rules are sure of (may be empty)
    partial: bool = False  # the text asks for more than ``calls`` (a change): the planner decides
    default: bool = False  # no rule fired (a to-do by default, unless ``route_model`` says it asks)


_SOCIAL_EMOJI = re.compile(r"👌|🙏|❤️|♥️|😊|😂|🥰|😄|👋|🎉|🙌")
_LETTER = re.compile(r"[a-z\u4e00-\u9fff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_TIME_WORDS = re.compile(rf"(?:{w.TIME.pattern})[a-z']*|\b(?:week|weekend|month)\b")
_SPLIT = re.compile(
    r"[,;!?，；。！？\n]+|\.(?=\s|$)|\s*—\s*|\s+(?:and then|and also|and|then|also|plus|&)\s+|"
    r"\s*\+\s*|顺便|然后|另外|并且|而且|同时"
)
_ABBREVIATION = re.compile(r"\b(dr|mr|mrs|ms|prof|st|vs|etc|e\.g|i\.e|no)\.")
# Other people's words quoted in the text (a booking topic, an abstract): data, not a request.
_QUOTED = re.compile(r"(?:(?<=^)|(?<=[\s:(—-]))(['\"])[^'\"]+\1(?=$|[\s.,;:!?)—-])")
_META_THINGS = re.compile(
    r"\b(?:an? |my |the )?(?:reminders?|to-?dos?|tasks?|things|stuff|(?:google |outlook |apple |"
    r"work )?calendars?|booking (?:page|link))\b"
)  # "how do I add a reminder", "how do I connect my google calendar": about the bot
_ASKED_ZH = re.compile(
    r"(?<![待已请未没学疑顾想])(?:问|确认|打听|了解)(?!(?:了|过|好了)(?:吗|没|么|嘛|没有))"
    r"(?:一下|问|下)?.*$"
)  # "问老板什么时候…": the question is the to-do's, not the owner's ("确认了吗" asks a status)
# Before a deadline, what is to be checked or asked is the to-do's ("周四之前查一下X能不能报销").
_DEADLINE_ZH = re.compile(
    rf"(?:{w.DAY_ZH}|月底|年底|月初|月中|\d+\s*点)\s*(?:之前|以前|前(?!天)|之内|内(?!容))"
)
# An inquiry with its own time at the end is a to-do ("问问房东暖气的事 周五").
_INQUIRY_AT_ZH = re.compile(
    rf"^(?:查|问|确认|打听|核实|看(?:一下|下|看))(?!.*(?:安排|日程)).*\s(?:{w.TIME.pattern})\s*"
    r"(?:之?前|以前)?\s*$"
)
_INQUIRY_ZH = re.compile(
    r"(?:查|看|问|确认|核实|打听|了解|搜|找|check)\s*(?:一下|下|查|看|一查|一看|问|搜|找)?.*$"
)
# A tag that asks for agreement ("…好吗", "…行不行"): a request, not a question about data.
_TAG_ZH = re.compile(
    r"(?<=\S)\s*[,，]?\s*(?:好吗|好不好|好么|好嘛|行吗|行不行|行么|可以吗|可不可以|成吗|成不成)"
    r"\s*[?!.~。？！]*$"
)
# Contacting someone to change something is a to-do ("call the dentist to reschedule").
# A clause that makes, works on or sends on a document is a to-do, whatever data it names
# ("email Jen the agenda tomorrow"; "send me the agenda" asks).
_MAKES = re.compile(
    r"(?:write|draft|prepare|prep|print|finish|revise|polish|edit|translate|present|"
    r"summari[sz]e|type up|put together|proofread|(?:email|e-mail|mail|forward|send|share)"
    r"(?!\s+(?:me|us)\b))\b(?!.*\b(?:for|to) me\b)"
)
_WRITES = re.compile(r"(?:write|draft|type up|put together|proofread|translate|polish|revise)\b")
_TIME_FILLER = re.compile(
    r"\b(?:next|this|week|month|by|before|on|at|due|until|till|the|latest|pls|please|plz)\b|[-:./\s]"
)
_ERRAND = re.compile(
    r"\b(?:call|email|e-mail|ask|tell|text|ping|contact|write|phone|message)\b.*\bto\s+"
    r"(?:reschedule|postpone|cancel|move|push|delay|change|confirm|book)\b|"
    r"\b(?:cancel|reschedule|move|postpone|confirm|book|change)\b.*\bby (?:calling|emailing|"
    r"texting|phoning|writing to|messaging)\b"
)


def clauses(norm: str) -> list[str]:
    """The clauses of a normalized text, each without its leading filler ("so", "顺便")."""
    parts = (w.LEAD.sub("", p.strip()) for p in _SPLIT.split(_ABBREVIATION.sub(r"\1", norm)))
    return [p.strip() for p in parts if p and p.strip()]


def _unclear(norm: str) -> bool:
    if ch.RATE.search(norm) or (_SOCIAL_EMOJI.search(norm) and _LETTER.search(norm)):
        return False  # a rating, or "ok 👌": small talk, not noise
    if re.search(r"#?\d", norm) and ch.COMPLETE.search(norm):
        return False  # "#7 ✅": a to-do ticked off
    if talk.ACKNOWLEDGED.search(norm) or talk.MOOD.search(norm):
        return False  # "sure thing" (fillers alone), "ugh mondays" (a filler and a day)
    if not _LETTER.search(norm):
        return True  # punctuation, digits, emoji only
    words = _words(norm)
    if all(
        word in talk.FILLERS or (len(word) == 1 and word.isascii()) or word.isdigit()
        for word in words
    ):
        return True  # fillers, stray letters, "testing 123"
    if not norm.endswith("?") and _firm_time(norm) and not talk.SOCIAL.search(norm):
        rest = _TIME_WORDS.sub(" ", norm)
        if _LETTER.search(rest) and all(word in talk.FILLERS for word in _words(rest)):
            return True  # a filler and a day, not asked about ("那个 tomorrow", "um thursday")
    if talk.LOST_THREAD.search(norm) and all(
        word in talk.FILLERS for word in _words(talk.LOST_THREAD.sub(" ", norm))
    ):
        return True  # "hmm what was I gonna say"
    if talk.ACCIDENT.search(norm) and _inert(talk.ACCIDENT.sub(" ", norm)):
        return True  # "sorry pocket dial ahsjd", "手滑"
    glued = [re.sub(r"[^a-z]", "", word) for word in norm.split()]  # "asdf;lk" is one run
    mashed = any(talk.is_mash(word) and not talk.SOCIAL.fullmatch(word) for word in glued + words)
    return mashed and all(_noise(word) for word in words)  # "sdfgh 好", "lkjh 1234"


def _noise(word: str) -> bool:
    """A word that says nothing: a filler, digits, a stray letter or two, a keyboard run."""
    if word in talk.FILLERS:
        return True
    if talk.SOCIAL.fullmatch(word):
        return False  # "hi asdf" greets
    return word.isdigit() or len(word) <= 2 or talk.is_mash(word)


def _words(norm: str) -> list[str]:
    """The words of a text, Chinese fillers dropped, letters repeated for effect squeezed."""
    bare = re.sub(r"[^\w\s\u4e00-\u9fff']", " ", re.sub(r"([a-z])\1{2,}", r"\1", norm))
    words = [talk.FILLERS_ZH.sub("", word) if _CJK.search(word) else word for word in bare.split()]
    return [word for word in words if word]


def signals(clause: str, *, deadline: bool = False) -> frozenset[str]:
    """What one clause asks for: look-ups (question, lookup, data, why) and changes.
    ``deadline``: another clause of the text sets a deadline ("查一下X还缺什么，周四前")."""
    if w.WORLD_CHECK.search(clause):
        return frozenset()  # "check if there are seats left friday": the to-do's own inquiry
    found: set[str] = set()
    asked = _ASKED_ZH.sub("", clause)
    timed = _INQUIRY_AT_ZH.search(asked)  # "查下快递到哪了 下午", "看一下审稿意见 明晚"
    if (deadline or timed or _DEADLINE_ZH.search(asked) or w.WORLD_INQUIRY_ZH.match(asked)) and (
        not w.AGENDA_ASK_ZH.search(asked)
    ):
        asked = _INQUIRY_ZH.sub("", asked)
        asked = "" if _only_time(asked) else asked  # "明天 check 一下 X": the day is the to-do's
    if w.QUESTION_EN.match(clause) or w.QUESTION_ZH.search(asked):
        found.add("question")
    if w.LOOKUP_EN.search(clause) and not _WRITES.match(clause):
        found.add("lookup")  # "write a summary of the week for Jo": the summary is the to-do's
    if (w.DATA_EN.search(clause) and not _MAKES.match(clause)) or w.DATA_ZH.search(asked):
        found.add("data")  # "write a summary of next week's plan": the plan is the to-do's
    if ch.WHY.search(clause):
        found.add("why")
    if _ERRAND.search(clause):
        return frozenset(found)
    if _completed(clause):
        found.add("complete")
    when = [m.group() for m in w.TIME.finditer(clause) if m.group() not in ("later", "asap")]
    if ch.ITEM_REF.search(clause) and not when:
        found.add("item")  # "bookmark #4", "share paper 1"; "read paper 3 tonight" is a to-do
    for name, pattern in (
        ("snooze", ch.SNOOZE), ("reschedule", ch.RESCHEDULE), ("cancel", ch.CANCEL),
        ("accept", ch.ACCEPT), ("block", ch.BLOCK), ("offer", ch.OFFER), ("rate", ch.RATE),
        ("send", ch.SEND), ("add", ch.ADD), ("command", ch.COMMAND), ("settings", ch.SETTINGS),
    ):  # fmt: skip
        if pattern.search(clause):
            found.add(name)
    if "rate" in found and not ch.RATE.search(ch.RATED_BEFORE.sub(" ", clause)):
        found.discard("rate")  # "read the two papers I liked yesterday"
    return frozenset(found)


_NOT_DONE = re.compile(r"^(?:get|have|make|need|must|gotta|should|want|try|please|pls|let'?s)\b")


def _completed(clause: str) -> bool:
    """A report that a task is done ("#12 done", "finished the slides", "报销单交了")."""
    if re.search(r"\bmark(?:ed)?\b.*\b(?:done|complete|completed|finished)\b", clause):
        return True
    future = w.FUTURE.search(clause) is not None
    if ch.COMPLETE.search(clause) and not future and not _NOT_DONE.match(clause):
        return True
    passive = ch.PASSIVE_DONE.search(clause)
    if passive and not future and not _NOT_DONE.match(clause) and not w.QUESTION_EN.match(clause):
        return True
    if (ch.PAST_REPORT.match(clause) or ch.READ_REPORT.match(clause)) and not (
        future or w.QUESTION_EN.match(clause)
    ):
        return True
    if w.QUESTION_ZH.search(clause) and not w.QUESTION_EN.match(clause):
        return False  # "我完成了哪些待办" asks; "报销单交了吗" asks too
    if ch.DONE_ZH.search(clause):
        return ch.ALREADY_ZH.search(clause) is not None or not future
    if ch.COMPLETE_ZH.search(clause):
        already = ch.ALREADY_ZH.search(clause) is not None
        return already or not (future or clause.startswith("把"))
    return False


def _only_time(clause: str) -> bool:
    """Nothing but a day or time ("thursday", "next week", "by fri 5pm")."""
    words = _TIME_FILLER.sub(" ", clause).split()
    return w.TIME.search(clause) is not None and all(
        w.TIME.fullmatch(word) or not re.sub(r"之?前|以前", "", w.TIME.sub("", word))
        for word in words
    )


def _capture_clause(norm: str, parts: list[str]) -> int | None:
    """The clause holding a reminder request ("remind me to …", "提醒我 …"), if any."""
    if w.CAPTURE_EN.match(norm):
        return 0
    for i, part in enumerate(parts):
        if w.CAPTURE_EN.match(part) and not ch.SNOOZE.search(norm):
            return i  # "was told to email the chair by friday, remind me wed" ("not now — …": off)
        zh = w.CAPTURE_ZH.search(part)
        again = re.search(r"再(?:提醒|叫)|重新提醒", part)  # "晚点再提醒我…": a snooze
        if zh and not again and not w.AGENDA_ASK_ZH.search(part[zh.end() :]):
            return i
    return None


def _bot_meta(norm: str) -> bool:
    """A question about the bot itself, with nothing else to act on ("what can you do?")."""
    meta = talk.BOT_META.search(norm)
    if meta is None:
        return False
    rest = _META_THINGS.sub(" ", norm[meta.end() :])
    rest = re.sub(r"\b(?:today|tonight|this (?:morning|evening|afternoon))\b", " ", rest)
    asks = LOOKUPS - {"question"} | CHANGES
    return not (_firm_time(rest) or talk.SUBSTANCE.search(rest) or _asks(clauses(rest), asks))


def _asks(parts: list[str], names: frozenset[str] = LOOKUPS | CHANGES) -> bool:
    return any(signals(p) & names for p in parts)


def _firm_time(text: str) -> bool:
    """A day or time that is not part of a greeting ("good morning", "see you later")."""
    return any(m.group().strip() not in talk.SOFT_TIME for m in w.TIME.finditer(text))


def _small_talk(norm: str) -> bool:
    """Greetings, thanks, praise, apologies, wishes: a social word and nothing to act on."""
    norm = re.sub(r"([a-z])\1{2,}", r"\1", norm)  # "heyyy", "thxxx"
    said = (talk.NEWS, talk.MOOD, talk.WISH, talk.THANKS_FOR)  # nothing is asked in these
    if not any(pattern.search(norm) for pattern in (talk.SOCIAL, *said)):
        return False
    for pattern in said:
        norm = pattern.sub(" ", norm)
    return _inert(norm)


def _weather(norm: str) -> bool:
    """A question about the weather, with nothing else to act on ("will it rain friday?")."""
    rest = w.TIME.sub(" ", talk.WEATHER.sub(" ", norm))
    return talk.WEATHER.search(norm) is not None and not talk.SUBSTANCE.search(rest)


def _inert(plain: str) -> bool:
    """Nothing to act on or look up: no task word, day or time, question or change."""
    return not (talk.SUBSTANCE.search(plain) or _firm_time(plain) or _asks(clauses(plain)))


def classify(text: str) -> Route:
    """The route of one free text: the rules, and where no rule fired, the learned second
    opinion (``route_model``) on whether it asks something; never the network."""
    route = rules_route(text)
    if route.default and route_model.asks(normalize(text)):
        return Route("assistant", (), True, default=True)  # the planner decides, if there is one
    return route


def rules_route(text: str) -> Route:
    """The route of one free text by the rules alone."""
    norm = normalize(text)
    if _unclear(norm):
        return Route("unclear")
    if _bot_meta(norm):
        return Route("chitchat")
    norm = _TAG_ZH.sub("", norm) if _CJK.search(norm) else norm
    plain = _QUOTED.sub(' "…" ', norm)
    parts = clauses(plain) or [plain]
    deadline = _CJK.search(plain) is not None and bool(_DEADLINE_ZH.search(plain))
    found = [signals(p, deadline=deadline) for p in parts]
    if len(parts) > 1 and not plain.endswith("?"):
        bare = [i > 0 and _only_time(p) for i, p in enumerate(parts)]
        if not any(s for s, b in zip(found, bare, strict=True) if not b):
            found = [frozenset()] * len(parts)  # "call Priya re X, thursday": the to-do's day
    if w.RECURRING.search(plain) and not plain.endswith("?"):
        found = [s - {"lookup", "data"} for s in found]  # "每天早上 check 一下 arXiv": a to-do
    if w.SAVE_THAT.search(norm) and not any(s & (CHANGES - {"add"}) for s in found):
        return Route("capture")
    cue = _capture_clause(norm, parts)
    if cue is not None:
        others = [s for i, s in enumerate(found) if i != cue]
        if not any(s & (LOOKUPS | CHANGES) - {"add"} for s in others):
            return Route("capture")
    elif w.INJECTION.search(norm):
        return Route("assistant")
    if cue is None and (_small_talk(norm) or _weather(norm) or talk.ADVICE.search(norm)):
        return Route("chitchat")
    if not any(found) and not norm.endswith("?") and not w.INJECTION.search(norm):
        if talk.STORY.search(norm) and not _firm_time(norm):
            return Route("chitchat")  # "lol my student just asked me if GPT wrote his thesis"
        return Route("capture", default=True)
    if w.FOREIGN.search(plain):
        return Route("assistant", (), True)  # someone else's data: never answered by the rules
    calls, partial = read_only_calls(parts, found, plain)
    return Route("assistant", calls, partial or cue is not None)  # a reminder too: add_todo
