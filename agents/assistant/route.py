"""Rules first: decide what a free text is before anything (or anyone) acts on it.

Four routes: ``capture`` (a task to save: the to-do capture flow, as before), ``assistant`` (a
question or a request about stored meetings, to-dos or papers), ``chitchat`` (greetings,
thanks, "who are you") and ``unclear`` (gibberish, fillers, a lone emoji). The rules also name
the read-only call for the common questions ("what's on tomorrow?" -> ``agenda(tomorrow)``),
so those are answered with no LLM at all. Cheap: a few regular expressions per message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from agents.assistant.ranges import find_range

RouteKind = Literal["capture", "assistant", "chitchat", "unclear"]


@dataclass(frozen=True)
class ToolCall:
    """One typed tool call: a tool's name and its canonical arguments."""

    name: str
    args: dict[str, str | int] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    kind: RouteKind
    calls: tuple[ToolCall, ...] = ()  # read-only calls the rules are sure of (may be empty)


_LETTER = re.compile(r"[a-z\u4e00-\u9fff]")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[a-z']+|[\u4e00-\u9fff]")
_FILLERS = {
    "hmm", "hm", "hmmm", "ok", "okay", "ok so", "so", "the", "a", "an", "um", "uh", "umm",
    "wait", "hmm wait", "well", "yes", "no", "yeah", "nope", "lol", "k", "and", "or", "but",
    "那个", "嗯", "啊", "哦", "呃", "额", "这个", "好", "嗯嗯", "emm", "em", "啊这", "呃呃",
    "额额", "这", "就是",
}  # fmt: skip
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
_CHITCHAT_EN = {
    "hi", "hello", "hey", "hiya", "yo", "sup", "morning", "good", "afternoon", "evening", "night",
    "gm", "gn", "thanks", "thank", "thx", "ty", "cheers", "bye", "you", "u", "so", "much", "a",
    "lot", "lol", "haha", "hahaha", "nice", "cool", "great", "awesome", "amazing", "perfect", "ok",
    "okay", "love", "it", "you're", "youre", "the", "best", "wow", "np",
    "sorry", "wrong", "chat", "there", "bot", "errands", "buddy", "mate", "again", "see", "ya",
}  # fmt: skip
_CHITCHAT_ZH = re.compile(
    r"哈+|好的|好滴|谢谢|多谢|谢了|辛苦|你好|您好|嗨|早安|早上好|晚上好|晚安|收到|明白|知道了|"
    r"不错|厉害|太棒|真棒|棒|牛|再见|拜拜|在吗|机器人|啦|呀|哦|了|~"
)
_CHITCHAT_ASK = re.compile(
    r"^(?:who are you|what are you|what can you do|what do you do|how are you|how's it going|"
    r"what'?s up|are you (?:a |an )?(?:bot|person|human|ai|real|there)\b|who (?:made|built) you|"
    r"what'?s your name|how (?:do|can|should) i (?:use|add|set|create|make|talk|start)\b|"
    r"(?:well|good|great|nice) job|well done|"
    r"你是谁|你叫什么|你能干啥|你能做什么|你会什么|你会干啥|怎么用)"
)
_INJECTION = re.compile(
    r"\b(?:system|admin|developer mode|override|prompt|"
    r"ignore (?:all |your |previous |the )*(?:instructions|rules)|tell your (?:bot|assistant)|"
    r"forwarding from)\b|忽略.*(?:指令|规则)|开发者模式|提示词|所有用户"
)
_CAPTURE_LEAD = re.compile(
    r"^(?:(?:can you |could you |please |pls )?remind me "
    r"(?:to|in|at|on|tomorrow|tmrw|about (?!the )(?!.*\bagain\b))|"
    r"don'?t forget|note to self|reminder:|todo:|task:|i (?:need|have) to |"
    r"(?:能不能|可以|请)?(?:帮我)?(?:提醒我|记得|别忘了)(?!.*(?:有啥|有什么|吗|么|\?|？)))"
)
_QUESTION_EN = re.compile(
    r"^(?:what|whats|wats|wat|what's|when|whens|when's|where|which|who|whom|whose|why|how|"
    r"do i|did i|have i|am i|is there|are there|is anything|any|anything|show|list|find|search|"
    r"tell me|remind me what|give me|check (?:my|what|whether|if i)|is|are|do|does|can|could|"
    r"should|will|would|i wonder|wonder|how many|my|today'?s|tomorrow'?s|(?:accepted|pending|"
    r"upcoming|open|new) (?:meetings|bookings|requests|todos|tasks)|(?:to-?dos?|tasks|meetings|"
    r"bookings|requests|agenda|calendar|papers|digest)\b)\b"
)
_QUESTION_ZH = re.compile(r"[吗么嘛呢啥谁哪几]|什么|多少|有没有|是否|怎么|为什么|为啥|[？?]\s*$")
_COMMAND_EN = re.compile(
    r"\b(?:mark(?:ed)? .*\b(?:done|complete|finished)|(?:is|are) done|snooze|postpone|"
    r"push .* to|move .* to|reschedule|block (?:out |off )?|offer .*(?:times|slots)|"
    r"send .*(?:slots|times)|remind me about .* again|(?:dis)?like (?:the )?(?:\w+ )?paper|"
    r"rate |free (?:slot|time)|\bfree\b.*\?|\bbusy\b|agenda|overdue|what'?s left|"
    r"delete (?:all|the|my)|remove (?:the|my)|cancel (?:the|my)|accept .*booking|"
    r"(?:finished|completed|done with) (?:the|my)|\bdone\s*[!.✅]*$|my (?:to-?dos|tasks|meetings)|"
    r"\btell me\b|\bsummari[sz]e\b|\bsend (?:an? )?(?:e-?mail|mail|message)\b|"
    r"\b(?:loved|liked|hated|disliked)\b.*\b(?:one|paper)\b|more (?:of|like) (?:that|this)|"
    r"\b(?:available|free) times\b)"
)
_COMMAND_ZH = re.compile(
    r"标记|完成了|做完了|搞定了|删掉|删除|取消|清单|推迟|延后|改到|挪到|移到|占住|占用|空出|不喜欢|喜欢|第.篇|"
    r"(?:那篇|这篇).*(?:感兴趣|喜欢|为什么|为啥|👍|👎)|推荐|感兴趣|搜一下|搜搜|查一下|查查|帮我查|帮我搜|帮我找|available|slots?\b|"
    r"预约|接受|拒绝|安排|待办|要做的事|没做完|有空|忙|日程|(?<!^)schedule|agenda"
)
_THUMBS = re.compile(r"(?:👍|👎)\s*\d|\d\s*(?:👍|👎)|点\s*(?:👍|👎)")


def normalize(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).lower().split())


def _is_mash(word: str) -> bool:
    """A keyboard run or one repeated letter ("asdfgh", "qwe", "jjjjj")."""
    if len(set(word)) == 1 and len(word) >= 3:
        return True
    return len(word) >= 3 and any(word in row for row in _KEY_ROWS)


def _unclear(norm: str) -> bool:
    if _THUMBS.search(norm):
        return False
    if not _LETTER.search(norm):
        return True  # punctuation, digits, emoji only
    bare = re.sub(r"[^\w\s\u4e00-\u9fff']", "", norm).strip()
    if bare in _FILLERS:
        return True
    words = bare.split()
    return len(words) == 1 and not _CJK.search(bare) and _is_mash(bare)


def _chitchat(norm: str) -> bool:
    """Greetings, thanks, reactions and questions about the bot itself: nothing to look up."""
    if _CHITCHAT_ASK.match(norm):
        return True
    rest = _CHITCHAT_ZH.sub(" ", norm)
    rest = re.sub(r"[^\w\s']", " ", rest)  # punctuation and emoji
    words = rest.split()
    return bool(words or rest != norm) and all(w in _CHITCHAT_EN for w in words)


def classify(text: str) -> Route:
    """The route of one free text (rules only; never the network)."""
    norm = normalize(text)
    if _unclear(norm):
        return Route("unclear")
    if _chitchat(norm):
        return Route("chitchat")
    if _CAPTURE_LEAD.match(norm):
        return Route("capture")
    if _INJECTION.search(norm):
        return Route("assistant")
    asking = (
        norm.endswith(("?", "？"))
        or _QUESTION_EN.match(norm) is not None
        or _QUESTION_ZH.search(norm) is not None
        or _COMMAND_EN.search(norm) is not None
        or _COMMAND_ZH.search(norm) is not None
        or _THUMBS.search(norm) is not None
    )
    if not asking:
        return Route("capture")
    return Route("assistant", _read_only_calls(norm))


_TODO_WORDS = re.compile(r"overdue|to-?dos?|tasks?|left|待办|要做的事|没做完|逾期|过期")
_FREE_WORDS = re.compile(r"\bfree\b|有空|空闲|空档")
_BOOKING_WORDS = re.compile(r"request|booking|预约|谁约")
_AGENDA_WORDS = re.compile(
    r"what'?s on|whats on|wats on|what do i have|anything|agenda|schedule|busy|plans?|"
    r"安排|日程|有啥|有什么|忙"
)


_CHANGES = re.compile(
    r"\b(?:mark|done|finished|completed|snooze|postpone|move|push|reschedule|block|offer|send|"
    r"like|dislike|loved|rate|add|delete|remove|cancel|accept|decline)\b|取消|删|标记|完成|做完|"
    r"搞定|推迟|延后|改到|挪到|移到|占住|占用|喜欢|感兴趣|接受|拒绝|👍|👎"
)


def _read_only_calls(norm: str) -> tuple[ToolCall, ...]:
    """The one read-only call a common question needs, when the rules can tell it."""
    if _CHANGES.search(norm):
        return ()  # a request to change something: never answered by the rules alone
    span = find_range(norm)
    if _BOOKING_WORDS.search(norm):
        args: dict[str, str | int] = {"range": span or "upcoming"}
        if re.search(r"waiting|pending|new|新的|待处理", norm):
            args["status"] = "pending"
        return (ToolCall("list_bookings", args),)
    if _FREE_WORDS.search(norm) and span:
        return (ToolCall("free_slots", {"range": span}),)
    if _TODO_WORDS.search(norm):
        kind = "today" if span == "today" else "open"
        if re.search(r"overdue|逾期|过期", norm):
            kind = "overdue"
        return (ToolCall("list_todos", {"filter": kind}),)
    if span and (_AGENDA_WORDS.search(norm) or len(norm) <= 12):
        return (ToolCall("agenda", {"range": span}),)
    return ()
