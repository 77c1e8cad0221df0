"""The router's vocabulary of asking: times, reminder requests, questions and look-ups, the
owner's own data, injections (changes are in ``route_changes``, small talk in ``route_social``).

Each pattern names one *mechanism* (a reminder request, an indirect question, the owner's data
named as such), never one sentence: the words come from how people write to a personal
assistant in English and Chinese, and every pattern is unit-tested with phrasings of its own
(tests/agents/assistant/test_route.py). The decisions that combine them live in ``route``;
the read-only calls in ``route_calls``. Texts arrive normalized (``route_text.normalize``: NFKC,
lower case, straight quotes, single spaces).
"""

from __future__ import annotations

import re

LOOKUPS = frozenset({"question", "lookup", "data", "why"})  # signal names: asking
CHANGES = frozenset(
    {"complete", "snooze", "reschedule", "cancel", "accept", "block", "offer", "rate", "send",
     "add", "command", "settings", "item"}
)  # fmt: skip  # signal names: changing something (or acting outside the store)

DAY_EN = (
    r"(?:mon|monday|tue|tues|tuesday|wed|weds|wednesday|thu|thur|thurs|thursday|fri|friday|"
    r"sat|saturday|sun|sunday|weekday|weekend)"
)
DAY_ZH = (
    r"(?:今天|明天|后天|大后天|今儿|明儿|后儿|这周末|这周|本周|下下周|下周末|下周|周末|(?:这|下)?(?:周|星期|礼拜)[一二三四五六日天]|"
    r"\d+月\d+[日号]|\d+号)"
)
_ZH_NUM = r"[0-9一二两三四五六七八九十半]"
# A time or day the owner names (future or not): used for "move X to <time>" and vetoes.
TIME = re.compile(
    rf"\b(?:today|tonight|tomorrow|tmrw|tmr|tomorow|2moro|yesterday|{DAY_EN}s?\b|next|this (?:week|"
    r"morning|afternoon|evening|month)|noon|midnight|morning|afternoon|evening|later|eod|eow|"
    r"asap|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.? \d|"
    r"(?:the )?\d{1,2}(?:st|nd|rd|th)\b(?!\s+(?:paper|one|article|item|entry|task|to-?do|time|"
    r"place|floor|century|edition|author))|"
    r"\d{1,2}(?::\d\d)?\s*(?:am|pm|h)\b|\d{1,2}:\d\d|\d{4}-\d\d-\d\d|in (?:an?|\d+|a few|"
    r"half an?) (?:min|mins|minutes|hour|hours|hr|hrs|h|days?|weeks?)\b)"
    rf"|今天|今晚|明天|明早|明晚|后天|昨天|今儿|明儿|下周|下星期|下礼拜|这周|本周|周末|下个月|月底|年底|"
    rf"(?:周|星期|礼拜)[一二三四五六日天]|{_ZH_NUM}+\s*(?:点|号|日|小时|分钟)|上午|下午|晚上|早上|中午|"
    r"今早|待会|一会儿?|稍后"
)
# Words that put a to-do in the future: a report with them is a task, not a "done".
FUTURE = re.compile(
    rf"\b(?:tomorrow|tmrw|tmr|tonight|later|next|by|before|until|till|every|each|"
    rf"(?:daily|weekly)(?!\s+[a-z])|asap|soon|eod|eow|{DAY_EN}|in (?:an?|\d+)|at \d|"
    r"\d{1,2}(?::\d\d)?\s*(?:am|pm))\b"  # "the weekly report" names a thing, not a repeat
    r"|明天|明早|明晚|后天|下周|下个|下星期|(?:周|星期|礼拜)[一二三四五六日天]|之前|以前|前(?!天)|"
    r"之内|内(?!容)|月底|年底|月初|周末|这周|本周|每|今晚|晚上|早上|上午|下午|中午|\d+\s*点|[一二两三四五六七八九十]+点"
)

# A repeating task ("every monday", "每天早上"): a look-up in it is its content, not a question.
RECURRING = re.compile(
    r"\b(?:every|each)\s+(?:day|morning|evening|night|week|weekday|month|other|\d|"
    rf"{DAY_EN[3:-1]})|\b(?:daily|weekly|monthly|biweekly)\b|每天|每周|每个|每晚|每早|每月|每隔|"
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
    r"(?:remind(?:ing)?|ping|nudge|buzz)\s+(?:me|us)\b(?!\s+(?:what|of what|when(?!\s+(?:i|we)"
    r"(?:'m|'re|\s+(?:get|"
    r"arrive|land|leave|wake|finish|come|reach|go|head|am|are)))|where|which|who|whom|how|"
    r"whether|if i\b|if there|again|later(?!.*\bto\s+[a-z]))|\s+(?:about|of)\s+(?:the|my|that|"
    r"this)\s+(?:[\w'-]+\s+){0,3}(?:one|thing|reminder|to-?do|task|item)\b|"
    r".*\b(?:again|later\b(?!.*\bto\s+[a-z])))"
    r"|(?:set|add|create|make|put|schedule)\s+(?:up\s+)?(?:me\s+)?(?:an?\s+|one\s+)?"
    r"(?:reminder|alarm|to-?do|task)\b"
    r"|(?:note|memo|reminder|to-?do|task)\s*(?:to self)?\s*:"
    r"|(?:add|put|stick|pop)\s+\"…\"\s+(?:for|on|to|onto)\b"  # "add 'X' for saturday"
    r"|(?:add|put)\s+.+\s+(?:to|on|in|onto)\s+(?:my\s+|the\s+)?(?:list|to-?dos?|todos|to-?do list|"
    r"tasks|task list|reminders)(?:\s+(?:for|on|by)\s+\S+(?:\s+\S+)?)?\s*[.!]*$|"
    r"new (?:to-?do|task|reminder)\b"
    r"|note to self|don'?t (?:let me )?forget|remember to\b|make sure (?:i|to)\b"
    r"|(?:(?:is it|would it be|will it be|is there any way|any way)\s+(?:possible\s+)?"
    r"(?:to|for me to)|"
    r"(?:can|could|may|might) (?:i|we)|i'?d (?:like|love)(?: to)?|i (?:want|need)(?: to)?)\s+"
    r"(?:get|have|set(?: up)?|receive)\s+(?:me\s+)?(?:an?\s+|one\s+|some\s+)?(?:(?:quick|little|"
    r"daily|weekly|short)\s+)?(?:reminder|ping|nudge|alarm|notification|heads-?up|"
    r"reminded|pinged|nudged|notified)\b(?!\s+(?:about|of)\s+(?:the|that|this|my)\s+(?:[\w'-]+\s+)"
    r"{0,3}(?:one|thing|reminder|to-?do|task|item)\b)"
    r"|(?:jot|write|put|note|save|log|take)\s+(?:that|this|it)\s+down\b"
    r"|(?:add|save|put|note)\s+(?:that|this|it)\b(?!\s+(?:to|on)\s+\S+\s+(?:instead|again))"
    r"(?!\s+(?:paper|article|preprint|one)\b)"
    r")"
)
# A confirmation after the to-do ("… yeah put that down"): the owner wants it saved.
SAVE_THAT = re.compile(
    r"\b(?:put|jot|write|note|save|log|take)\s+(?:that|this|it)\s+down\b|"
    r"\b(?:add|save)\s+(?:that|this|it)(?:\s+(?:to|on)\s+(?:my\s+)?(?:list|to-?dos?|tasks))?\s*"
    r"[.!]*$|记下来|记一下吧|帮我记下|记上"
)
CAPTURE_ZH = re.compile(
    r"(?<!谢你)(?<!谢您)(?<!谢谢)(?<!一直)(?:提醒我|帮我记)|"  # "谢谢你提醒我" thanks
    r"提醒一下我|叫我|喊我|别忘了|不要忘了|别忘记|不要忘记|记一下|记下|记着|记住|"
    r"(?:^|\s)记得(?!吗)|(?:今天|今晚|明天|明早|明晚|后天|大后天|下周\S?|这周\S?|周末|早上|晚上|上午|下午|中午|"
    r"(?:周|星期|礼拜)[一二三四五六日天])\s*记得(?!吗)|(?:设|定|加)(?:个|一个)?(?:提醒|闹钟)|(?:加|添加|新增|建)(?:个|一个|一条)?(?:待办|todo|任务)"
)
# Inside a reminder request, a question about the agenda is a look-up ("提醒我一下明天有啥").
AGENDA_ASK_ZH = re.compile(
    r"有啥|有什么|有哪些|都有|什么安排|啥安排|的安排|日程|忙不忙|忙吗|有空吗|有没有空"
)

# --- Questions and look-ups ----------------------------------------------------------------
LEAD = re.compile(
    r"^(?:(?:(?:so|ok|okay|well|also|and|then|plus|btw|oh|hey|hi|hello|yo|um|uh|erm|actually|"
    r"quick question|question|quick one|real quick|just|anyway|alright|right|pls|please|hm+|wait|"
    r"tbh|honestly|like(?=\s+(?:is|are|what|whats|what's|when|where|who|how|do|does|did|can|"
    r"could|any|anything)\b)|"
    r"hold on|hang on|one sec)\b|那个啥|那啥|"
    r"这个啥|怎么说呢|咋说呢|那(?![条个篇件次场位])|那么|对了|话说|顺便|然后|另外|嗯|呃|哦|啊|请问|请|麻烦)[\s,:]*)+"
)
QUESTION_EN = re.compile(
    r"^(?:what(?! to (?!do\b))(?! an? )|whats|what's|wats|wat|wut|what're|"  # "what a day" exclaims
    r"when(?!\s+(?:i|we|you|u)\b)|whens|when's|"
    r"where|wheres|where's|which|who|whos|who's|whom|whose|why|whys|why'd|how(?! to\b)|hows|"
    r"how's|howz|"
    r"(?:do|did|have|had|am|don'?t|didn'?t|haven'?t|hadn'?t|won'?t|can'?t|aren'?t|wasn'?t|weren'?t)\s+"
    r"(?:i|you|u|we|they|he|she)\b|"
    r"(?:does|has|was|were|can|could|will|would|should|shall|may|might)\s+"
    r"(?:i|you|u|we|there|it|that|this|anything|anyone|anybody|my|the|any|he|she|they)\b|"
    r"is|are|isn'?t|aren'?t|am i|any|anything|anyone|anybody|got anything|"
    r"(?:has|hasn'?t|does|doesn'?t|was|wasn'?t|were|weren'?t)\s+"
    r"(?!(?:told|asked|supposed|invited|meant|reminded)\s+to\b)\w+|"  # "was told to X": a to-do
    r"did(?:n't)?\s+(?:the|my|our|that|this)\s+(?:[\w'/-]+\s+){1,4}(?:get|go|happen|work|arrive|"
    r"come|land|pass|end|start|finish|move|change|ship|end up)\b|"
    r"did(?:n't)?\s+(?:anyone|anybody|someone|somebody|any\w*|\w+\s+(?:ever|already|finally|"
    r"actually|really|even|not|never|just|get|got|confirm|reply|respond|answer|accept|book|"
    r"cancel|send|sign|pay|call|email|write|show|come|say|ask|finish|submit|decline|agree))\b|"
    r"i wonder|wonder|wondering|i'm wondering|curious|not sure (?:if|whether|what|when)|"
    r"no idea (?:if|whether|what|when)|do you know|"
    r"(?:show|list|find|fetch|pull up|bring up|give|get|tell|send)\s+(?:me|us)\b|"
    r"(?:find|search(?: for)?|look (?:for|up)|dig up|pull up)\s+(?:me\s+)?(?:the |that |a |any |"
    r"some |my |all )?(?:[\w-]+\s+){0,3}(?:papers?|articles?|preprints?|bookings?|meetings?|"
    r"to-?dos?|tasks?|reminders?)\b|"
    r"(?:show|list)\s+(?:my|all|what|everything|today|tomorrow|upcoming|pending|open|overdue|"
    r"today's|the\s+(?:[\w'-]+\s+)?(?:list|agenda|schedule|calendar|plans?|digest|papers?|"
    r"requests?|bookings?|meetings?|to-?dos?|tasks?|reminders?|week|weekend|day|slots?))\b|"
    r"let me know|lemme know|lmk|let me see|lemme see|can i see|i'?d (?:like|love) to (?:see|know)|"
    r"i (?:want|need|wanna) (?:to )?(?:see|know|check)\b|need to know|"
    r"(?:catch|fill|brief|update)\s+me\b|walk me|run me|"
    rf"pull up(?!.*(?:{TIME.pattern}))|"  # "pull up the GNN stuff"; "pull up weeds sat" is a to-do
    r"remind (?:me|us) (?:what|of what|when|where|which|who|whom|how|whether|if)|"
    r"check (?:my|what'?s (?:on|due|left|happening|planned|next)|(?:if|whether) (?:i|i'm|i've|"
    r"there'?s any|there are any|anything)|the (?:calendar|schedule|agenda|list)|on my)|"
    r"how many|how much)\b"
)
# Look-ups phrased as statements, anywhere in a clause.
LOOKUP_EN = re.compile(
    r"\bwhat(?:'s| is|s)? (?:on|happening|going on|up (?:for|on|today|tomorrow|tmrw|this|next))\b|"
    r"\bwhat (?:do|have|did) i (?:have|got|get)\b|\bwhat i(?:'ve| have)? got\b|"
    r"\b(?:give|show|tell|send|get)\s+me\s+(?:the|a|my|an|[\w-]+'s)?\s*(?:rundown|overview|summary|list|"
    r"agenda|schedule|plan|plans|lineup|line-up|update|status)\b|"
    r"\b(?:rundown|run-down|overview|recap|preview|lowdown|heads-?up|summary|breakdown)\s+"
    r"(?:of|for|on)\s+(?:my\s+|the\s+)?"
    rf"(?:today|tonight|tomorrow|tmrw|this week|next week|week|weekend|day|{DAY_EN})\b|"
    r"\b(?:on my plate|on deck|in store for|on the agenda|on my (?:calendar|schedule|list|agenda)|"
    r"in my (?:calendar|schedule|digest))\b|"
    r"\blook(?:s|ing)? like\b|\bshaping up\b|\b(?:today|tomorrow|tmrw|week|weekend|"
    rf"{DAY_EN})(?:'s| is)? look(?:s|ing) (?:rough|busy|packed|full|light|heavy|bad|good|ok|okay|"
    r"crazy|hectic|free|clear|tight)\b|\b(?:list|rundown) of (?:my |the |all )?(?:overdue|pending|"
    r"open|unfinished|outstanding|undone)\b|\bam i (?:free|busy|available|booked|around)\b|"
    r"\b(?:free|open) (?:slot|slots|time|times|window|windows|spot|spots)\b|\bavailability\b|"
    r"\b(?:need|want|looking for)\s+(?:an?|some)\s+(?:[\w-]+\s+)?(?:slot|window|gap|opening)s?\b|"
    r"\bany (?:gaps?|slots?|openings?|windows?|time|plans?|meetings?|bookings?|requests?|"
    r"to-?dos?|tasks?|reminders?|papers?|appointments?|calls?|events?)\b|"
    r"\b(?:recommend|suggest)\s+(?:me\s+)?(?:some|a|any|something|papers?|reading|more)\b|"
    r"\b(?:throw|give|send|find|recommend|suggest|got)\s+(?:me\s+)?(?:something|anything|stuff)\s+"
    r"(?:good\s+)?(?:to read|worth reading|on|about)\b|"
    r"\b(?:don'?t|do not|can'?t|cannot|couldn'?t) (?:remember|recall)\b|"
    r"^(?:check|search|scan|skim|look through|go through|dig through)\s+(?:my\s+|the\s+)?(?:arxiv|"
    r"digest)\b(?!.*\b(?:tonight|tomorrow|tmrw|later|every|each|before|by)\b)|"  # papers
    r"\b(?:my|the|all)\s+(?:overdue|pending|unfinished|outstanding|open|undone)\s+(?:stuff|things|"
    r"items|ones|bits|list)\b|"
    r"\bforgot (?:what|when|if|whether|who|where|which|how)\b|"
    r"\b(?:i'?m|am i) (?:forgetting|missing|overlooking) (?:something|anything)\b|"
    r"\b(?:not sure|no idea|idk|dunno|(?:i )?don'?t know|wondering|i wonder) (?:if|whether|what|"
    r"when|who|where|which)\b(?! to\b)|"
    r"\b(?:can|could|would) (?:you|u) (?:check|look|see|find out)\b|\bcheck for me\b|"
    r"\b(?:let me know|lemme know|lmk|tell me|told me) (?:if|whether|what|when|which|who|how)\b|"
    r"\bwhat (?:(?:should|shall|do) i|i should) (?:prioriti[sz]e|focus on|do first|tackle|"
    r"start with|work on)\b|"
    r"\b(?:check|look|see) (?:if|whether) (?:i|i'm|i've|there'?s|anyone|anybody)\b|"
    r"\b(?:check|see) (?:if|whether) (?:the|my) (?:[\w-]+ ){0,2}(?:booking|request|meeting|"
    r"appointment|reminder|to-?do|task)s? (?:went through|got (?:accepted|approved|confirmed|done)|"
    r"(?:is|was|has been) (?:accepted|approved|confirmed|done|booked))\b"
)
# The owner's own stored data named as such ("my todos", "today's plan", "meetings tomorrow").
DATA_EN = re.compile(
    r"\b(?:my|today's|tomorrow's|tmrw's|this week's|next week's|the week's|upcoming|pending|"
    r"overdue|all my|the|accepted|confirmed|new|open)\s+(?:to-?dos|todo list|to-?do list|tasks|"
    r"task list|reminders|agenda|"
    r"schedule|calendar|plans?|meetings|bookings|booking requests|requests|appointments|calls|"
    r"papers|digest|recommendations)\b(?!\s+(?:folder|file|files|app|sync|spreadsheet|sheet|"
    r"settings|template|page|doc|export|backup|invite|link)|\s*(?::|is\b|was\b))|"  # "plan is: X"
    r"^(?:to-?dos?|tasks|meetings|bookings|requests|agenda|papers|digest)\b(?!\s+to\s+[a-z])|"
    rf"^(?:today|tonight|tomorrow|tmrw|tmr|this week|next week|(?:this |the )?weekend|"
    rf"(?:this |next )?{DAY_EN}|todo list|to-?do list|reminders|calendar|schedule|meeting|"
    r"booking|overdue)\s*(?:pls|please|plz)?\s*[?!.]*$|"
    r"^(?:pull up|bring up|open|check|see|show|show me|gimme|give me|look at)\s+(?:my\s+|the\s+)?"
    rf"(?:today|tonight|tomorrow|tmrw|tmr|tomorow|this week|next week|the week|(?:this |the )?"
    rf"weekend|(?:this |next )?{DAY_EN})(?:'s)?\s*(?:schedule|agenda|plans?|calendar)?\s*"
    r"(?:pls|please|plz|for me)?\s*[?!.]*$|"
    r"^(?:list|show)\s+(?:to-?dos|tasks|meetings|bookings|papers|reminders|everything|all|stuff|"
    r"overdue|requests)\b|"
    r"^(?:my\s+|the\s+)?(?:day|schedule|calendar|agenda|plans?|to-?dos?|tasks|meetings|everything|all)\s+(?:for\s+|on\s+)?(?:today|"
    rf"tonight|tomorrow|tmrw|this week|next week|the week|the weekend|{DAY_EN})\s*"
    r"(?:pls|please|plz|thx|thanks)?\s*$"
)
QUESTION_ZH = re.compile(
    r"吗|嘛\s*$|呢\s*$|么\s*$|没\s*$|没有\s*$|什么|啥|哪|谁|几(?:点|号|个|天|次|篇|时|场|件|项|条)|多少|多久|"
    r"怎么|为什么|为啥|凭什么|干嘛|干啥|来着|有没有|是不是|有木有|有无|是.{1,12}还是|(.)不\1|不\s*$|咋|怎样|如何|是否|难道"
)
DATA_ZH = re.compile(
    r"(?:先做|先干|先弄|优先(?:做|处理)?)(?:哪|什么|啥)|"  # "你觉得我该先做哪个": the to-dos
    r"(?:(?:给我|帮我)推荐|推荐(?:点|些|一些|几篇)(?!.*给(?!我))).{0,20}(?:论文|paper|文章)|"
    r"(?:没人|有人|没有人)(?:来)?约(?:了)?我|"  # "最近都没人约我啊": about their bookings
    r"我的\s*(?:待办|todo|to-?do|任务|清单|日程|安排|计划|会|会议|meeting|预约|论文|paper|"
    r"calendar|schedule|list|agenda)|"
    r"^(?:帮我|给我)?(?:看看|看下|看一下|看一眼|瞅瞅|瞅一眼|瞧瞧|查查|查一下|查下)\s*(?:我)?(?:的)?\s*"
    rf"{DAY_ZH}\s*(?:上午|下午|晚上|早上|中午)?\s*(?:的)?\s*(?:安排|日程)?\s*[?？]?$|"
    rf"^(?:{DAY_ZH}|待办|任务|日程|安排|会议|预约|论文|推荐|今日推荐)\s*[?？!！。.]*$|"
    r"^(?:我的|今天|明天|本周|这周)?(?:到期|过期|逾期|没做完|未完成|已完成|做完|待确认|待处理|新|新来)的\s*"
    r"(?:待办|任务|预约|会议|会|todo|todos|请求)\s*[?？!！。.]*$|"
    rf"^(?:我)?{DAY_ZH}(?:的\s*(?:schedule|"
    r"agenda|安排|日程|待办|todo|todos|会|meeting|meetings|计划|plan|任务)|\s*(?:要做的事|要干的事|"
    r"要干啥|有啥事|的事))\s*[?？!。.]*$|"
    r"(?:看看|看下|看一下|看一眼|看一看|瞅瞅|瞅一眼|瞧瞧|查查|查一下|查一查|查下|帮我查|帮我看|帮我找|搜一下|搜搜|"
    r"check\s*(?:一下|下)|帮我\s*check|look\s*一下|"
    r"找一下|列一下|列出|给我看|整理一下|"
    r"告诉我|说一下|给我(?:念|读|报|说|讲|列|过)).*(?:安排|日程|待办|todo|任务|要做的事|会议|meeting|预约|论文|paper|空|推荐|schedule|"
    r"calendar|agenda|slots?|free)|"
    r"(?:安排|日程|待办|任务|预约|论文|会议|的会|摘要|简报|推荐|digest|meetings?|schedule|calendar|agenda|"
    r"to-?dos?|todos).*(?:给我看|看看|看一下|列一下|发我|过一遍|过一下|过下|捋一捋|"
    r"捋一下|捋捋|理一理|理一下|梳理|说说|讲讲|念一下|念念)|"
    r"(?:列|看|查|给我|发我|告诉我).*(?:没做完|没完成|未完成|没弄完|过期|逾期|到期|已完成|做完|"
    r"待确认|待处理)的\s*(?:待办|任务|事|事情|那些|todo|todos)?\s*[?？!！。.]*$|"
    r"^(?:帮我)?(?:搜|搜索|搜搜|找找|查查)(?:一下|下)?\s*[a-z][a-z0-9 '-]*[?？]?$|"
    r"(?:找|搜|翻|查)(?:一下|下|找|搜|翻|查|一找|一搜|一翻|一查)\s*\S.*(?:的|相关|有关|关于)\s*(?:论文|"
    r"paper|papers|文章|preprint)"
)

# Looking something up in the world ("查一下附近哪家修手机便宜"): a to-do, when nothing in it is
# the owner's (their day, meetings, to-dos, papers, "我").
WORLD_INQUIRY_ZH = re.compile(
    rf"^(?:(?:{TIME.pattern})\s*)*(?:帮我)?(?:查|打听|了解|check)(?:\s*(?:一下|下|查|一查))?"
    r"(?!.*(?:我|安排|日程|会|约|空|忙|待办|任务|todo|"
    rf"提醒|论文|文章|paper|推荐|摘要|简报|digest|#\d|{DAY_ZH}|上午|下午|晚上|早上))(?=.*[^\x00-\x7f查下一])"
)

# Checking on something in the world (a room, tickets, a table) is the to-do's, whatever day it
# names ("check if there are tickets left for saturday", "看下周四有没有空的会议室").
WORLD_CHECK = re.compile(
    r"^(?:(?:pls|please|gotta|need to|have to|must)\s+)?(?:check|see|find out|look up|look into|"
    r"ask)\b(?!.*\bmy (?:calendar|schedule|agenda|day|week|bookings?|meetings?|to-?dos?|tasks))"
    r".*\b(?:tickets?|seats?|tables?|(?:meeting |conference |seminar |lecture |class)?rooms?|"
    r"parking|venues?|flights?|trains?|buses|hotels?)\b|"
    r"^(?:帮我)?(?:看|查|问|check|搜|找)(?:一下|下|看|查|问|搜|找)?(?!.*(?:我的|我有|我\s*(?:今天|明天|"
    r"这周|下周)))(?=.*(?:会议室|教室|场地|报告厅|房间|机票|车票|门票|座位|车位|酒店|航班))"
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
