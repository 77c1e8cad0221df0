"""The router's vocabulary: the cues that tell what a free text is, as regular expressions.

Each pattern names one *mechanism* (a reminder request, a question, a change to something
already stored, a reference to a stored item, a greeting), never one sentence: the words come
from how people write to a personal assistant in English and Chinese, and every pattern is
unit-tested with phrasings of its own (tests/agents/assistant/test_route.py). The decisions
that combine them live in ``route``; the read-only calls in ``route_calls``. Texts arrive
normalized (``route.normalize``: NFKC, lower case, straight quotes, single spaces).
"""

from __future__ import annotations

import re

LOOKUPS = frozenset({"question", "lookup", "data", "why"})  # signal names: asking
CHANGES = frozenset(
    {"complete", "snooze", "reschedule", "cancel", "accept", "block", "offer", "rate", "send",
     "add", "command", "settings", "item"}
)  # fmt: skip  # signal names: changing something (or acting outside the store)

_DAY_EN = (
    r"(?:mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|"
    r"sat|saturday|sun|sunday|weekday|weekend)"
)
_DAY_ZH = (
    r"(?:今天|明天|后天|大后天|今儿|明儿|后儿|这周末|这周|本周|下下周|下周末|下周|周末|(?:这|下)?(?:周|星期|礼拜)[一二三四五六日天]|"
    r"\d+月\d+[日号]|\d+号)"
)
_ZH_NUM = r"[0-9一二两三四五六七八九十半]"
# A time or day the owner names (future or not): used for "move X to <time>" and vetoes.
TIME = re.compile(
    rf"\b(?:today|tonight|tomorrow|tmrw|tmr|tomorow|2moro|yesterday|{_DAY_EN}|next|this (?:week|"
    r"morning|afternoon|evening|month)|noon|midnight|morning|afternoon|evening|later|eod|eow|"
    r"asap|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d|"
    r"\d{1,2}(?::\d\d)?\s*(?:am|pm|h)\b|\d{1,2}:\d\d|\d{4}-\d\d-\d\d|in (?:an?|\d+|a few|"
    r"half an?) (?:min|mins|minutes|hour|hours|hr|hrs|h|days?|weeks?)\b)"
    rf"|今天|今晚|明天|明早|明晚|后天|昨天|今儿|明儿|下周|下星期|下礼拜|这周|本周|周末|下个月|月底|年底|"
    rf"(?:周|星期|礼拜)[一二三四五六日天]|{_ZH_NUM}+\s*(?:点|号|日|小时|分钟)|上午|下午|晚上|早上|中午|"
    r"今早|待会|一会儿?|稍后"
)
# Words that put a to-do in the future: a report with them is a task, not a "done".
FUTURE = re.compile(
    rf"\b(?:tomorrow|tmrw|tmr|tonight|later|next|by|before|until|till|every|each|daily|weekly|"
    rf"asap|soon|eod|eow|{_DAY_EN}|in (?:an?|\d+)|at \d|\d{{1,2}}(?::\d\d)?\s*(?:am|pm))\b"
    r"|明天|明早|明晚|后天|下周|下个|下星期|(?:周|星期|礼拜)[一二三四五六日天]|之前|以前|前(?!天)|"
    r"之内|内(?!容)|月底|年底|每|今晚|晚上|早上|上午|下午|中午|\d+\s*点|[一二两三四五六七八九十]+点"
)

# A repeating task ("every monday", "每天早上"): a look-up in it is its content, not a question.
RECURRING = re.compile(
    r"\b(?:every|each)\s+(?:day|morning|evening|night|week|weekday|month|other|\d|"
    rf"{_DAY_EN[3:-1]})|\b(?:daily|weekly|monthly|biweekly)\b|每天|每周|每个|每晚|每早|每月|每隔|"
    r"每[一二三四五六日天]"
)

# --- Capture: the owner asks for a reminder or states a to-do ---------------------------------
_POLITE = r"(?:(?:hey|ok|okay|so|oh|and|also|um|uh|pls|please|plz|kindly|yo)[\s,]+)*"
_ASK = (
    r"(?:(?:can|could|would|will|pls|please)\s+(?:you|u|ya)\s+(?:mind\s+|possibly\s+|kindly\s+)?|"
    r"(?:do|would) (?:you|u) mind\s+)?(?:please\s+|pls\s+|plz\s+)?"
)
CAPTURE_EN = re.compile(
    rf"^{_POLITE}{_ASK}(?:"
    r"remind(?:ing)?\s+(?:me|us)\b(?!\s+(?:what|of what|when(?!\s+(?:i|we)(?:'m|'re|\s+(?:get|"
    r"arrive|land|leave|wake|finish|come|reach|go|head|am|are)))|where|which|who|whom|how|"
    r"whether|if i\b|if there|again|later)|\s+(?:about|of)\s+(?:the|my|that|this)\s+"
    r"(?:[\w'-]+\s+){0,3}(?:one|thing|reminder|to-?do|task|item)\b|.*\b(?:again|later)\b)"
    r"|(?:set|add|create|make|put|schedule)\s+(?:up\s+)?(?:me\s+)?(?:an?\s+|one\s+)?"
    r"(?:reminder|alarm|to-?do|task)\b"
    r"|(?:note|memo|reminder|to-?do|task)\s*(?:to self)?\s*:"
    r"|(?:add|put)\s+.+\s+(?:to|on|in|onto)\s+(?:my\s+)?(?:list|to-?dos?|todos|to-?do list|"
    r"tasks|task list|reminders)\s*[.!]*$|new (?:to-?do|task|reminder)\b"
    r"|note to self|don'?t (?:let me )?forget|remember to\b|make sure (?:i|to)\b"
    r"|(?:jot|write|put|note|save|log|take)\s+(?:that|this|it)\s+down\b"
    r"|(?:add|save|put|note)\s+(?:that|this|it)\b(?!\s+(?:to|on)\s+\S+\s+(?:instead|again))"
    r")"
)
# A confirmation after the to-do ("… yeah put that down"): the owner wants it saved.
SAVE_THAT = re.compile(
    r"\b(?:put|jot|write|note|save|log|take)\s+(?:that|this|it)\s+down\b|"
    r"\b(?:add|save)\s+(?:that|this|it)(?:\s+(?:to|on)\s+(?:my\s+)?(?:list|to-?dos?|tasks))?\s*"
    r"[.!]*$|记下来|记一下吧|帮我记下|记上"
)
CAPTURE_ZH = re.compile(
    r"提醒我|提醒一下我|叫我|喊我|别忘了|不要忘了|别忘记|不要忘记|帮我记|记一下|记下|记着|记住|"
    r"^记得|(?:设|定|加)(?:个|一个)?(?:提醒|闹钟)|(?:加|添加|新增|建)(?:个|一个|一条)?(?:待办|todo|任务)"
)
# Inside a reminder request, a question about the agenda is a look-up ("提醒我一下明天有啥").
AGENDA_ASK_ZH = re.compile(
    r"有啥|有什么|有哪些|都有|什么安排|啥安排|的安排|日程|忙不忙|忙吗|有空吗|有没有空"
)

# --- Questions and look-ups ----------------------------------------------------------------
LEAD = re.compile(
    r"^(?:(?:so|ok|okay|well|also|and|then|plus|btw|oh|hey|hi|hello|yo|um|uh|erm|actually|"
    r"quick question|question|just|anyway|alright|right|pls|please|hmm|wait|那|那么|对了|话说|"
    r"顺便|然后|另外|嗯|呃|哦|啊|请问|请|麻烦)[\s,:]*)+"
)
QUESTION_EN = re.compile(
    r"^(?:what|whats|what's|wats|wat|wut|what're|when(?!\s+(?:i|we|you|u)\b)|whens|when's|"
    r"where|wheres|where's|which|who|whos|who's|whom|whose|why|whys|why'd|how(?! to\b)|hows|"
    r"how's|howz|"
    r"(?:do|did|have|had|am)\s+(?:i|you|u|we|they|he|she)\b|"
    r"(?:does|has|was|were|can|could|will|would|should|shall|may|might)\s+"
    r"(?:i|you|u|we|there|it|that|this|anything|anyone|anybody|my|the|any|he|she|they)\b|"
    r"is|are|isn't|aren't|am i|any|anything|anyone|anybody|got anything|"
    r"(?:has|hasn't|does|doesn't|was|wasn't|were|weren't)\s+\w+|"
    r"i wonder|wonder|wondering|i'm wondering|curious|not sure (?:if|whether|what|when)|"
    r"no idea (?:if|whether|what|when)|do you know|"
    r"(?:show|list|find|fetch|pull up|bring up|give|get|tell|send)\s+(?:me|us)\b|"
    r"(?:find|search(?: for)?|look (?:for|up)|dig up|pull up)\s+(?:me\s+)?(?:the |that |a |any |"
    r"some |my |all )?(?:papers?|articles?|preprints?|bookings?|meetings?|to-?dos?|tasks?|"
    r"reminders?)\b|"
    r"show\s+(?:my|all|what|everything|the|today|tomorrow|upcoming|pending|open|overdue)\b|"
    r"list\s+(?:my|all|what|everything|the|open|pending|overdue|today|upcoming|today's)\b|"
    r"let me know|lemme know|let me see|lemme see|can i see|i'd like to (?:see|know)|"
    r"i (?:want|need|wanna) (?:to )?(?:see|know|check)\b|need to know|"
    r"(?:catch|fill|brief|update)\s+me\b|walk me|run me|"
    r"remind (?:me|us) (?:what|of what|when|where|which|who|whom|how|whether|if)|"
    r"check (?:my|what'?s (?:on|due|left|happening|planned|next)|(?:if|whether) (?:i|i'm|i've|"
    r"there'?s any|there are any|anything)|the (?:calendar|schedule|agenda|list)|on my)|"
    r"how many|how much)\b"
)
# Look-ups phrased as statements, anywhere in a clause.
LOOKUP_EN = re.compile(
    r"\bwhat(?:'s| is|s)? (?:on|happening|going on|up (?:for|on|today|tomorrow|tmrw|this|next))\b|"
    r"\bwhat (?:do|have|did) i (?:have|got|get)\b|\bwhat i(?:'ve| have)? got\b|"
    r"\b(?:give|show|tell|send|get)\s+me\s+(?:the|a|my|an)?\s*(?:rundown|overview|summary|list|"
    r"agenda|schedule|plan|plans|lineup|line-up|update|status)\b|"
    r"\b(?:on my plate|on deck|in store for|on the agenda|on my (?:calendar|schedule|list|agenda)|"
    r"in my (?:calendar|schedule|digest))\b|"
    r"\blook(?:s|ing)? like\b|\bshaping up\b|\bam i (?:free|busy|available|booked|around)\b|"
    r"\b(?:free|open) (?:slot|slots|time|times|window|windows|spot|spots)\b|\bavailability\b|"
    r"\bany (?:gaps?|slots?|openings?|windows?|time|plans?|meetings?|bookings?|requests?|"
    r"to-?dos?|tasks?|reminders?|papers?|appointments?|calls?|events?)\b|"
    r"\b(?:recommend|suggest)\s+(?:me\s+)?(?:some|a|any|something|papers?|reading|more)\b|"
    r"\b(?:don'?t|do not|can'?t|cannot|couldn'?t) (?:remember|recall)\b|"
    r"\bforgot (?:what|when|if|whether|who|where|which|how)\b|"
    r"\b(?:not sure|no idea|wondering|i wonder) (?:if|whether|what|when|who|where|which)\b|"
    r"\b(?:can|could|would) (?:you|u) (?:check|look|see|find out)\b|\bcheck for me\b|"
    r"\b(?:check|look|see) (?:if|whether) (?:i|i'm|i've|there'?s|anyone|anybody)\b"
)
# The owner's own stored data named as such ("my todos", "today's plan", "meetings tomorrow").
DATA_EN = re.compile(
    r"\b(?:my|today's|tomorrow's|tmrw's|this week's|next week's|the week's|upcoming|pending|"
    r"overdue|all my|the|accepted|confirmed|new|open)\s+(?:to-?dos|todo list|to-?do list|tasks|"
    r"task list|reminders|agenda|"
    r"schedule|calendar|plans?|meetings|bookings|booking requests|requests|appointments|calls|"
    r"papers|digest|recommendations)\b(?!\s+(?:folder|file|files|app|sync|spreadsheet|sheet|"
    r"settings|template|page|doc|export|backup|invite|link))|"
    r"^(?:to-?dos?|tasks|meetings|bookings|requests|agenda|papers|digest)\b|"
    rf"^(?:today|tonight|tomorrow|tmrw|tmr|this week|next week|(?:this |the )?weekend|"
    rf"(?:this |next )?{_DAY_EN}|todo list|to-?do list|reminders|calendar|schedule|meeting|"
    r"booking|overdue)\s*(?:pls|please|plz)?\s*[?!.]*$|"
    r"^(?:list|show)\s+(?:to-?dos|tasks|meetings|bookings|papers|reminders|everything|all|"
    r"overdue|requests)\b|"
    r"^(?:schedule|calendar|agenda|plans?|to-?dos?|tasks|meetings)\s+(?:for\s+|on\s+)?(?:today|"
    rf"tonight|tomorrow|tmrw|this week|next week|the week|the weekend|{_DAY_EN})\s*"
    r"(?:pls|please|plz|thx|thanks)?\s*$"
)
QUESTION_ZH = re.compile(
    r"吗|嘛\s*$|呢\s*$|么\s*$|没\s*$|没有\s*$|什么|啥|哪|谁|几(?:点|号|个|天|次|篇|时|场)|多少|多久|"
    r"怎么|为什么|为啥|凭什么|有没有|是不是|有木有|有无|(.)不\1|不\s*$|咋|怎样|如何|是否|难道"
)
DATA_ZH = re.compile(
    r"我的\s*(?:待办|todo|to-?do|任务|清单|日程|安排|计划|会|会议|meeting|预约|论文|paper|"
    r"calendar|schedule|list|agenda)|"
    rf"^(?:帮我)?(?:看看|看下|看一下|看一眼|瞅瞅|瞅一眼|瞧瞧|查查|查一下|查下)\s*(?:我)?(?:的)?\s*{_DAY_ZH}\s*(?:的)?\s*(?:安排|日程)?"
    r"\s*[?？]?$|"
    rf"^(?:{_DAY_ZH}|待办|任务|日程|安排|会议|预约|论文|推荐|今日推荐)\s*[?？!！。.]*$|"
    rf"^(?:我)?{_DAY_ZH}(?:的\s*(?:schedule|"
    r"agenda|安排|日程|待办|todo|todos|会|meeting|meetings|计划|plan|任务)|\s*(?:要做的事|要干的事|"
    r"要干啥|有啥事|的事))\s*[?？!。.]*$|"
    r"(?:看看|看下|看一下|看一眼|看一看|瞅瞅|瞅一眼|瞧瞧|查查|查一下|查一查|查下|帮我查|帮我看|帮我找|搜一下|搜搜|"
    r"check\s*(?:一下|下)|帮我\s*check|look\s*一下|"
    r"找一下|列一下|列出|给我看|"
    r"告诉我|说一下).*(?:安排|日程|待办|todo|任务|会议|meeting|预约|论文|paper|空|推荐|schedule|"
    r"calendar|agenda|slots?|free)|"
    r"(?:安排|日程|待办|任务|预约|论文).*(?:给我看|看看|看一下|列一下|发我)"
)

# --- Changes to what is stored ---------------------------------------------------------------
_ITEM = (
    r"(?:#\d+|\b(?:it|that|this|them|those|both)\s*[.!]*$|\b(?:the|my|that|this|tomorrow's|"
    r"today's|tmrw's|\w+'s)\s+(?:[\w'-]+\s+){0,3}(?:one|thing|reminder|reminders|to-?do|"
    r"to-?dos|todos|task|tasks|item|items|meeting|meetings|call|booking|bookings|request|"
    r"requests|appointment|appt|event|slot|block|entry|list|session|sync|1:1)\b|"
    r"\bmy \d{1,2}(?::\d\d)?\s*(?:am|pm)?\b|\ball\b|\beverything\b)"
)
ITEM_ZH = (
    r"(?:会|会议|组会|例会|meeting|预约|约|提醒|待办|任务|todo|清单|"
    r"那个|这个|那条|这条|#\d|全部|所有|都)"
)
COMPLETE = re.compile(
    r"\bmark(?:ed)?\b.*\b(?:done|complete|completed|finished)\b|"
    r"\b(?:tick|check|cross|strike)(?:ed)?\s+(?:off|out)\b|\b(?:tick|cross|strike)(?:ed)?\s.*\boff\b|"
    r"\b(?:is|are|'s|was|were|all|now|just|already|finally)\s+(?:done|finished|complete|"
    r"completed|sorted|handled|taken care of|dealt with|out of the way)\b|"
    r"^(?:#?\d+(?:\s*(?:,|and|&|\+)\s*#?\d+)*)\s*(?:is |are )?(?:done|finished|complete|"
    r"completed|✅|✔)|\bdone\s*[!.✅✔]*$|^(?:done|finished|completed)\s*(?:with|:|-)|"
    r"\b(?:finished|completed|done) with\b|✅\s*$|^(?:✅|✔️?|☑️?)\s*\S"
)
_PAST = (
    r"finished|completed|did|sent|submitted|paid|called|rang|phoned|texted|emailed|mailed|"
    r"messaged|pinged|bought|got|picked up|dropped off|returned|booked|ordered|renewed|fixed|"
    r"cleaned|washed|watered|fed|took|brought|handed in|filed|signed|replied to|replied|"
    r"responded to|answered|wrote|reviewed|graded|printed|uploaded|posted|published|cancelled|"
    r"canceled|scheduled|made|met|visited|went|saw|checked|backed up|installed|updated|deployed|"
    r"merged|ran|reran|prepared|practiced|studied|applied|registered|delivered|shipped|"
    r"collected|talked to|spoke to|spoke with|caught up with|followed up|handled|sorted|"
    r"wrapped up|knocked out|crossed off|turned in|cleared|tidied|packed|drafted|edited|revised"
)
PAST_REPORT = re.compile(
    r"^(?:(?:ok|okay|so|yay|finally|just|already|also|and|i|we|i've|we've|i have|we have|"
    r"have|all|both|phew|whew|woo|yes|yep|ha)\s+)*"
    rf"(?:{_PAST})\b(?!\s+to\b)"
)
DONE_ZH = re.compile(
    r"标记(?:为|成)?(?:已)?(?:完成|做完|done)|标(?:成|为)(?:已)?完成|划掉|勾掉|打(?:个)?勾|搞定了|做完了|"
    r"弄完了|办完了|完成了|已完成|#\d+\s*(?:完成|搞定|做完|弄完|结束)|已经(?:做|弄|办|交|搞)|(?:已经|刚刚|刚才|终于|总算).*了"
)  # a plain report that something is done
COMPLETE_ZH = re.compile(
    r"搞定|(?:完|(?<![太真那还])好|过|掉|定)(?:了|啦|喽|咯)|"
    r"(?:交|付|缴|买|发|回|还|取|拿|寄|签|订|提交|报名|打卡|打了电话)了\s*[吧啦呀~!。.]*$"
)  # "…了": done, unless it is a task with a deadline ("这周内把审稿意见回了")
ALREADY_ZH = re.compile(r"已经|刚刚|刚才|终于|总算")
SNOOZE = re.compile(
    r"\bsnooze|\b(?:remind|ping|nudge|bug)\s+(?:me|us)\s+(?:about|of)\s+(?:the|that|this|my)\s+"
    r"(?:[\w'-]+\s+){0,3}(?:one|thing|reminder|to-?do|task|item)\b|\b(?:remind|ping|nudge|ask|bug)\s+(?:me|us)\s+(?:again|later)\b|"
    r"\b(?:remind|ping|nudge|bug)\s+(?:me|us)\b.*\b(?:again|once more)\b|"
    r"\b(?:remind|ping|nudge|bug)\s+(?:me|us)\s+(?:about|of)\s+.*\blater\b|"
    r"推迟|延后|晚点(?:再)?提醒|稍后(?:再)?提醒|过(?:一)?会儿?(?:再)?提醒|再提醒|等会儿?(?:再)?提醒|"
    r"晚些(?:再)?提醒|snooze|(?:那个|这个|提醒|#\d).*(?:晚点|回头|之后|等会儿?|过会儿?|稍后|明天|下午|"
    r"晚上|下周)再(?:说|提醒|弄|做|看)"
)
_MOVE = (
    r"move|moved|push|pushed|shift|bump|reschedule|postpone|delay|defer|punt|slide|switch|"
    r"put off|push back|move back|move up|bring forward|change"
)
RESCHEDULE = re.compile(
    rf"\b(?:{_MOVE})\b(?!\s+(?:out|in|house|home|apartments?|flats?|office|on)\b)"
    rf".*\b(?:to|till|til|until|into|over to|back to)\s+(?:the\s+)?(?:{TIME.pattern})|"
    rf"\b(?:reschedule|postpone|defer)\b|\b(?:{_MOVE})\s+{_ITEM}|"
    rf"\binstead\b.*(?:{TIME.pattern})|(?:{TIME.pattern}).*\binstead\b|"
    r"改到|挪到|移到|推到|延到|换到|调到|改成|改在|挪一下|往后(?:挪|推|移|延)|提前到|推迟到|顺延|延期|"
    r"改期|换个时间|改个时间|改时间|"
    r"\b(?:move|push|shift|bump|reschedule|postpone|delay|snooze)\b\s*(?:到|至)|"
    rf"\b(?:wait|hold off|on hold|park|leave)\b.*\b(?:till|until|til)\s+(?:{TIME.pattern})"
)
CANCEL = re.compile(
    r"\b(?:cancel|cancelled|canceled|delete|remove|drop(?!\s+(?:off|by|in|out))|scratch|nuke|"
    r"kill|ditch|scrap|"
    r"call off|clear|clear out|wipe|get rid of|forget about|forget)\b"
    rf"(?:.*{_ITEM}|\s+(?:it|that|this|them)\b)|"
    rf"\b(?:cancel|call off|scrap)\b.*(?:{_DAY_EN}|\btomorrow|\btmrw|\btonight)\b|"
    rf"取消.*{_DAY_ZH}|{_DAY_ZH}.*取消|"
    rf"(?:取消|删掉|删除|删了|去掉|撤销|作废|不要了|算了).*{ITEM_ZH}|{ITEM_ZH}.*(?:取消|删掉|删除|删了|"
    r"去掉|撤销|作废|不要了|算了)"
)
ACCEPT = re.compile(
    r"\b(?:approve|accept|decline|reject|turn down)\s+\w+\s*[.!]*$|"
    r"\blet\b.*\b(?:request|booking)\b.*\bthrough\b|"
    r"\b(?:accept|approve|decline|reject|deny|turn down|say (?:no|yes) to)\b.*\b(?:booking|"
    r"bookings|request|"
    r"requests|meeting|invite|invitation|slot|appointment)\b|"
    r"\b(?:accept|approve|decline|reject)\s+(?:him|her|them|it|that|all|\w+'s|(?:the|that|this)"
    r"(?: \w+){0,3} ones?)\b|"
    r"(?:接受|同意|批准|通过|拒绝|拒掉|拒了|婉拒|回绝|推掉|答应).*(?:预约|请求|申请|邀请|会|约)|"
    r"(?:预约|请求|申请|邀请).*(?:接受|同意|批准|通过|拒绝|拒掉|拒了|婉拒|回绝|推掉|答应)"
)
_SPAN_WORDS = r"(?:time|slot|calendar|hours?|morning|afternoon|evening|day|out|off)"
BLOCK = re.compile(
    rf"\bblock\b.*(?:{TIME.pattern}|\b{_SPAN_WORDS}\b)|"
    rf"\b(?:hold|reserve|protect|save|keep|clear)\s+(?:out\s+|off\s+)?(?:some\s+)?"
    rf"(?:time\s+)?(?:on\s+|for\s+|from\s+)?(?:my\s+)?(?:{TIME.pattern})|"
    r"\bkeep\b.*\b(?:free|open|clear)\b|\bno (?:meetings|calls|bookings)\b|"
    r"\b(?:don'?t|do not) let (?:anyone|anybody|people|guests) book\b|"
    r"\bnobody (?:can |should )?book\b|\b(?:mark|make|set) me (?:as )?(?:busy|out|away|unavailable|"
    r"ooo)\b|\b(?:i'?m|i am|i'll be) (?:unavailable|out of (?:the )?office|ooo|away|off)\b.*"
    rf"(?:{TIME.pattern})|"
    r"占住|占用|占一下|空出|留出|屏蔽|锁定|挡住|不接受预约|别让人约|不要让人约|不要安排|别安排|不约"
)
OFFER = re.compile(
    r"\b(?:offer|send|give|propose|suggest|share|email|mail|text)\b.*\b(?:times|slots|"
    r"time slots|options|availability|available times|free times|openings|windows|"
    r"booking link|my link|some time|a time)\b|"
    r"(?:给|跟|和|向).{1,30}(?:发|推荐|提供|给)(?:几个|一些|些|个)?.{0,24}"
    r"(?:时间|时段|空档|空闲|slot|slots|available)|"
    r"(?:发|提供|推荐)(?:几个|一些|些).{0,12}(?:时间|时段|空档)"
)
_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|top|"
    r"\d+(?:st|nd|rd|th))"
)
_PAPER = (
    r"\b(?:papers?|articles?|preprints?|abstract|#\d+|number \d+|no\.? ?\d+)\b|"
    rf"\b(?:the|that|this) (?:[\w-]+ ){{0,4}}ones?\b|\b{_ORDINAL}(?: one)?\b|"
    r"第\s*[\d一二三四五六七八九十]+\s*篇|那篇|这篇|论文|篇|paper"
)
_RATING = (
    r"(?<!would )(?<!'d )(?<!look )(?<!looks )(?<!feel )\blike(?! to\b)|"
    r"\bstop (?:sending|showing|recommending|suggesting)\b|\bno more\b|"
    r"\b(?:more|less|fewer)\s+(?:[\w-]+\s+){0,3}(?=papers?\b)|"
    r"\b(?:liked|love|loved|dislike|disliked|hate|hated|enjoy|enjoyed|upvote|downvote|"
    r"thumbs (?:up|down)|boring|irrelevant|useless|meh|trash|garbage|not interested|great|"
    r"awesome|amazing|excellent|terrible|interesting|fascinating|solid|weak|dull|lame|fire|"
    r"not relevant|not for me|more (?:of|like) (?:that|this|these|those)|(?:less|fewer) "
    r"(?:of|like) (?:that|this|these|those))\b|👍|👎|💯|🔥|❤️|♥️|😍|🙌|👏|🗑️|💩|😴|🙄|"
    r"不喜欢|喜欢|不感兴趣|感兴趣|没意思|无聊|水|不错|很好|挺好|好看|有意思|有趣|一般|垃圾|没用|有用|"
    r"多推|少推|别推|不要推|不要再推|别再推|不想看|类似的"
)
RATE = re.compile(
    rf"(?:{_RATING}).*(?:{_PAPER})|(?:{_PAPER}).*(?:{_RATING})|(?:👍|👎)\s*\d|\d\s*(?:👍|👎)|"
    r"点\s*(?:👍|👎)"
)
THUMBS = re.compile(r"👍|👎")
WHY = re.compile(
    r"\bwhy\b.*\b(?:recommend|recommended|suggest|suggested|send|sent|show|showed|pick|picked|"
    r"include|included|choose|chose|rank|ranked|digest)\b|\bwhat made you (?:pick|recommend|"
    r"send|choose)\b|\bhow come\b|(?:为什么|为啥|凭什么|咋).*(?:推荐|推|给我|选|发)"
)
SEND = re.compile(
    r"^(?:please |pls |can you |could you |can u )?(?:book|order|buy|get|find|make|fetch|call)\s+"
    r"me\s+(?:a|an|some|the)\b(?!.*\b(?:slot|slots|time|times|paper|papers)\b)|"
    r"\b(?:email|e-mail|mail|text|message|msg|tell|notify|inform|write to|let)\s+(?!me\b)\S+"
    r".*\b(?:that|saying|to say|telling|know)\s+(?:i|i'm|i'll|i've|i'd|we|we're|we'll|he|she|"
    r"they|it|the|my|our)\b|"
    r"\bsend (?:an? )?(?:email|e-mail|mail|message|text|note|reply) to\b|"
    r"\b(?:tell|text|email|message|let)\s+(?!me\b)\w+\s+(?:i|i'm|i'll|i've|i'd|we're|we'll)\b|"
    rf"\b(?:summari[sz]e|summary of|tl;?dr|explain|translate)\b.*(?:{_PAPER})|"
    r"\b(?:export|download|dump|sync|forward)\b.*\b(?:to-?dos|todos|tasks|list|calendar|"
    r"schedule|meetings|bookings|papers|data|e-?mails?|mails?|messages|contacts)\b|"
    r"\b(?:call|email|text|book|order|buy|pay|send|reply to|write to)\b.*\bfor me\s*[.!?]*$|"
    r"\b(?:reply|respond|answer|write back)\b.*\b(?:booking|request|guest)\b|"
    r"(?:总结|概括|摘要|解释|翻译).*(?:论文|篇|paper)|导出|export|发我|发给我|给我发"
)
# The bot's own settings ("change my timezone", "turn off the briefing"): no tool, the assistant.
SETTINGS = re.compile(
    r"\b(?:turn|switch) (?:off|on)\b|\b(?:disable|enable|mute|unmute|pause|resume|unsubscribe|"
    r"subscribe)\b|\b(?:set|change|update|switch|adjust)\s+(?:my\s+|the\s+)?(?:time ?zone|"
    r"working hours|work hours|office hours|hours|availability|language|settings|defaults?|"
    r"briefing|digest|notifications?)\b|\bstop (?:the |my )?(?:daily |morning |evening )?"
    r"(?:digest|briefing|notifications?|reminders|emails|messages|pings)\b|\brename\b|"
    r"改名|重命名|时区|简报|(?:别|不要|不用)(?:再)?(?:发|推送|推)(?!给)|关掉|关闭|打开|开启|暂停|退订|"
    r"取消订阅|设置"
)
# A stored item named by number ("#12", "paper 3", "the 2nd paper", "第三篇"), or edited.
ITEM_REF = re.compile(
    r"(?<!pr )(?<!pr)(?<!issue )(?<!ticket )(?<!bug )(?<!room )(?<!no)(?<!step )#\d+\b|"
    rf"\bpapers? ?#?\d+\b|\b{_ORDINAL} (?:paper|article|one in the digest)\b|"
    r"第\s*[\d一二三四五六七八九十]+\s*篇|"
    r"^(?:make|set|turn|edit|rename|tag|label|flag|prioriti[sz]e|star|pin)\b.*\b(?:the\s+[\w'-]+\s+"
    r"(?:one|thing)|it)\b"
)
# A lone command word ("cancel", "undo", "取消"): the owner means something stored.
COMMAND = re.compile(
    r"^(?:cancel|undo|stop|delete|remove|snooze|postpone|block|list|show|clear|reset|"
    r"取消|撤销|撤回|删除|删掉|推迟|完成|列出来)\s*[!.。！]*$"
)
ADD = re.compile(
    r"\badd\b.*(?:\bto (?:my )?(?:list|to-?dos?|todos|to-?do list|tasks|calendar|agenda)\b|"
    r"\bas an? (?:to-?do|task|reminder)\b|['\"].+['\"])|"
    r"(?:加|添加|新增|加上)(?:个|一个|一条)?(?:待办|todo|任务|提醒)|帮我加"
)
# Someone else's to-dos or calendar ("Alice's todos", "王老师的日程"): not the owner's to read.
FOREIGN = re.compile(
    r"\b(?!(?:my|today|tomorrow|tmrw|this|next|week|weekend|monday|tuesday|wednesday|thursday|"
    r"friday|saturday|sunday|everyone|everybody|who|that|it|what|there|here|let)'s)\w+'s\s+"
    r"(?:to-?dos|todos|tasks|calendar|schedule|agenda|plans|reminders|papers|digest|data|emails?)\b|"
    r"(?:别人|其他人|他|她|他们|她们)的\s*(?:待办|日程|日历|任务|邮箱|数据|安排|todo)"
)
INJECTION = re.compile(
    r"^\W*system\b|\bsystem\s*(?::|override|message|mode|prompt|notice|instructions?)|"
    r"\badmin(?:istrator)?\s*(?::|mode|access|override|notice|command|rights)|#+\s*admin|"
    r"\b(?:developer|dev|debug|god) mode\b|\b(?:your|initial|original|hidden|secret) prompt\b|"
    r"\b(?:ignore|disregard|forget) (?:all |your |previous |prior |the |any |above )*"
    r"(?:instructions|rules|prompts?)\b|\boverride (?:your|the|all|previous) \w+|"
    r"\b(?:you are|you're) now\b|\bpretend (?:that|the|you|to be)\b|\bact as (?:an? )?(?:admin|"
    r"owner|system|developer|root)\b|\bnew (?:instructions|rules)\b|\bjailbreak\b|"
    r"\btell your (?:bot|assistant)\b|\bforwarding from\b|\b(?:all|other) users\b|"
    r"\bfull access\b|<\|(?:im_start|im_end|system|endoftext)\|>|\[/?inst\]|#+\s*instructions?\b|"
    r"\bskip (?:the |all |any )?confirm|\bwithout (?:asking|confirm)|"
    r"\bno need to (?:ask|confirm)\b|"
    r"\b(?:every|each|all|other) users?'?s?\b|\beveryone'?s\b|\bother people'?s\b|"
    r"\bdatabase\b|"
    r"</?\s*(?:system|user|assistant)\s*>|忽略.*(?:指令|规则|设定)|开发者模式|管理员|提示词|所有用户|"
    r"其他用户|新规则|系统(?:通知|指令|消息)"
)
