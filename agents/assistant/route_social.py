"""The router's small-talk and noise vocabulary: greetings, thanks, questions about the bot,
fillers and keyboard mashes (see ``route_words`` for what asks or changes something).

Chit-chat needs a social word *and* nothing to act on (``SUBSTANCE``): "thanks!" is small talk,
"thanks, move the dentist to friday" is not. Wishes ("周末愉快", "have a nice weekend") name
a day without asking about it, so they are taken out before that check.
"""

from __future__ import annotations

import re

# --- Chit-chat and noise ---------------------------------------------------------------------
# Questions about the bot itself: they need no data.
BOT_META = re.compile(
    r"^(?:(?:hey|hi|hello|so|ok|okay|um|uh|and|also|btw|yo)[\s,!]+)*(?:"
    r"did (?:you|u) (?:get|see|receive|read) (?:my|that|the) (?:last |previous |earlier )?"
    r"(?:message|msg|text|note)s?\s*[?!.]*$|"
    r"why (?:are|r|is|were) (?:you|u|it|this) (?:so |this |that |being )?(?:slow|quiet|weird|"
    r"broken|down|lagging|laggy|late)\b|"
    r"who (?:are|r) (?:you|u)|what (?:are|r) (?:you|u)\b(?! (?:doing|up to) (?:tomorrow|today|on))|"
    r"what(?: else| exactly| even| actually| really)? (?:can|could|do|will) (?:you|u)"
    r"(?: even| actually| really| exactly| else| possibly)? (?:do|help)|"
    r"what (?:kinds?|sorts?|types?) of (?:things|stuff|tasks|questions)|"
    r"what (?:are|r) (?:you|u) (?:able|good|for)|how (?:are|r) (?:you|u|ya)\b|"
    r"how(?:'s| is| has| was) (?:it going|your (?:day|week|morning|evening|night|weekend))|"
    r"how(?:'s| is) (?:life|everything|things)\b|"
    r"(?:what'?s (?:up|good)|wh?assup|whaddup|sup)\s*[?!.]*$|"
    r"(?:you|u) (?:still )?(?:there|around|awake|alive)\s*[?!.]*$|"
    r"(?:how|what) about (?:you|u)\s*[?!.]*$|"
    r"(?:are|r) (?:you|u) (?:a |an )?(?:bot|person|human|ai|real|there|alive|awake|ok|okay|"
    r"a robot|a machine|chatgpt|gpt|sentient|smart)\b|"
    r"(?:who|what) (?:made|built|created|wrote|programmed|trained) (?:you|u)|"
    r"what(?:'s| is) your name|do (?:you|u) have a name|"
    r"what(?:'s| is| are) your (?:favou?rites?|fave|fav)\b.*|"
    r"how (?:do|can|should) i (?:use|add|set|create|make|talk|start|get started|connect|link|"
    r"hook up|sync|import)\b|"
    r"how (?:does|do) (?:this|it|you|the (?:[\w-]+ )?(?:page|link|bot|digest|briefing|app|feed|"
    r"snooze|reminders?)) work|how (?:do|does|did) (?:you|u) (?:decide|choose|pick|"
    r"select|rank)\b(?!.*(?:\d|\b(?:today|yesterday|this|that|these|those|first|second|third|"
    r"last|one)\b)).*|tell me (?:a|another) (?:joke|story|fun fact)|"
    r"what can i (?:ask|say|do)\b|help(?: me| pls| please)?\s*[?!.]*$|"
    r"(?:well|good|great|nice) (?:job|work)|well done|"
    r"(?:do|are|did|have) (?:you|u)\b|(?:can|could|will|would) (?:you|u) (?:help|hear|understand|"
    r"speak|talk|read|see|learn)\b|"
    r"你(?:是)?(?:怎么|如何|咋)(?:挑|选|推荐|决定|排序?)(?!.*(?:第|这篇|那篇|今天|昨天|\d)).*|"
    r"(?:你|您)(?=.*(?:吗|呢|么|啥|什么|几|多|哪|谁|怎么|[?？]))|"
    r"(?:menu|start|settings|commands|options|/?help|about)\s*[?!.]*$|"
    r"(?:你)?(?:在吗|在不在|在嘛|还在吗)|你是谁|你叫什么|你能干(?:啥|嘛|什么)|你能做(?:什么|啥)|你会(?:做|干)?(?:什么|啥|嘛)|你是(?:不是)?"
    r"(?:机器人|ai|人|真人|bot|人工智能)|你(?:好吗|还好吗|在吗|在不在)|怎么用|你能帮我(?:做|干)?点?(?:什么|啥))"
)
SOCIAL = re.compile(
    r"\b(?:hi|hello|hey|heya|hiya|howdy|yo|sup|gm|gn|morning|evening|night|bye|goodbye|"
    r"cya|ttyl|later|thanks|thank|thx|thnx|thanx|ty|tysm|cheers|appreciate|appreciated|sorry|sry|"
    r"soz|(?:can'?t|cannot) talk|"
    r"apologies|oops|my bad|lol|lmao|rofl|haha\w*|hehe\w*|(?:ja|je){2,}|xd|nice|cool|great|"
    r"awesome|amazing|"
    r"perfect|wonderful|excellent|brilliant|sweet|neat|lovely|fantastic|wow|yay|woohoo|omg|"
    r"np|welcome|congrats|rock|rocks|legend|lifesaver|life saver|genius|cute|best|"
    r"love (?:it|you|u|this|ya)|miss (?:you|u)|happy|have a (?:nice|good|great|lovely)|"
    r"good (?:morning|night|evening|afternoon|day|job|work|bot)|see (?:you|ya|u)|"
    r"got it|gotcha|okey|okie|oki|okies|dokey|dokie|noted|understood|roger|all good|no worries|"
    r"no problem|fine|alright|okay|ok|"
    r"kk|k|nite|thnks|tnx|tks|thanx|bless|sounds (?:good|great|fine)|works for me|fair enough|"
    r"sure thing|you bet|no prob|of course|for sure|tgif|that'?s (?:it|all)|goodnight|g'?night|"
    r"xoxo|"
    r"good to know|"
    r"makes sense|will do|all set|good stuff|nice one|good one|ta|nvm|brb|gtg|g2g|afk|bbl|"
    r"never ?mind|helpful|useful|"
    r"smart|clever|goat|hero|star|"
    r"thankful|grateful|hilarious|funny|ridiculous|unbelievable|no way|not bad|interesting|"
    r"fascinating)\b|"
    r"哈{2,}|哈(?![?？])|嘿嘿|嘻嘻|呵呵|好的|好滴|好嘞|好哒|谢谢|多谢|谢了|感谢|辛苦|你好|您好|嗨|哈喽|早安|早上好|午安|"
    r"晚上好|晚安|收到|明白|知道了|不错|厉害|太棒|真棒|棒|牛|再见|拜拜|回见|在吗|可爱|愉快|快乐|抱歉|"
    r"不好意思|对不起|帮大忙|给力|靠谱|爱你|么么|"
    r"加油|冲{2,}|\blfg\b|\blet'?s go+\s*!*$|"  # cheering
    r"辛苦了|好吧|好哦|行吧|(?:新年|过年|节日|周末|中秋|春节|圣诞)(?:好|快乐|愉快)|^算了\W*$|👌|🙏|❤️|😊|😂|谢|"
    r"^早[啊呀哦安]?\W*$|天气(?:真|很|太|好|不错)|聪明|机智|好用|"
    r"\b(?:nice|lovely|beautiful|gorgeous|awful|terrible) (?:weather|day out)\b|"
    r"好累|累死|好困|困死|好烦|烦死|讨厌|下雨天|好热|好冷|太热|太冷|热死|冷死|"
    r"好饿|饿死|饿了|脑子(?:不转|转不动|不够用)|一团糟|乱七八糟|看不进去|(?:好|真)?想(?:放假|休息|睡觉|回家)|"
    r"下(?:雨|雪)了|那就这样|就这样吧|我也是|真的假的|不客气|没关系|"
    r"\b(?:so |really |super )?(?:tired|exhausted|sleepy|knackered|bored|hungry|starving|"
    r"stressed|overwhelmed|burnt out|burned out)\b|"
    r"\bbrain (?:is )?(?:not working|dead|fried|mush)\b|"
    r"\b(?:is|'s) (?:a (?:disaster|mess|nightmare|zoo)|chaos)\b|🎉|🥳"
)
# Personal news ("I just got tenure!!!", "我答辩通过了"): shared, not a task reported done.
NEWS = re.compile(
    r"\b(?:got|getting|gotten|been|am|i'm|was|we're|we are)\s+(?:tenure|tenured|promoted|married|"
    r"engaged|hired|a promotion|a raise|the job(?! done)|the position|the fellowship|pregnant)\b|"
    r"\bpassed (?:my|the) (?:defen[cs]e|quals?|viva|driving test|exams?)\b|\bgood news\b|"
    r"(?:\b(?:the|my|our)\s+)?(?:[\w'-]+\s+){0,2}(?:got|was|were|has been|is|are)\s+(?:funded|"
    r"awarded)\b|(?:\b(?:the|my|our)\s+)?(?:[\w'-]+\s+){0,2}(?:paper|grant|proposal|abstract|talk|"
    r"submission)s?\s+(?:got|was|were|has been|is)\s+accepted\b|"
    r"(?:刚刚?|终于|已经)?(?:拿到|评上)了?(?:终身教职|tenure|offer|教职|教授|副教授|奖学金)|升职了|(?:结婚|订婚)了|"
    r"答辩(?:通过|过)了|通过了?答辩"
)
# A story about someone else, told with a laugh ("lol my kid just called the cat sir").
STORY = re.compile(
    r"^(?=.*(?:\b(?:lol|lmao|lmfao|rofl|haha\w*|hehe\w*)\b|😂|🤣|哈哈)).*(?:"
    r"\b(?:my|our)\s+(?:[\w-]+\s+)?(?:student|kid|son|daughter|colleague|cat|dog|boss|advisor|"
    r"adviser|supervisor|postdoc|partner|wife|husband|friend|mom|mum|dad|neighbou?r|roommate|"
    r"reviewer|toddler|baby|officemate|co-?author|class|intern|phd student)s?\s+(?:just\s+|"
    r"literally\s+|actually\s+|once\s+)?(?:\w+ed|said|told|asked|thought|wrote|ate|drew|broke|"
    r"sent|made|took|threw|fell|ran|came|went|got|is|was|thinks|says)\b|"
    r"我(?:的)?(?:学生|孩子|儿子|女儿|同事|老板|导师|猫|狗|老婆|老公|朋友|妈|爸|室友)"
    r"(?:刚|刚才|刚刚|今天|居然|竟然|又)(?:.*了|.*说|问)"
    r")"
)
# Keys pressed by accident ("sorry pocket dial", "手滑"): noise. A message sent to the wrong
# chat was meant, for someone else: "sorry wrong chat" is an apology (small talk).
ACCIDENT = re.compile(
    r"\b(?:pocket|butt)[- ]?dial(?:l?ed|ing)?\b|\bfat[- ]?finger(?:ed)?\b|"
    r"\b(?:cat|kid|baby|toddler) (?:walked on|sat on|got) (?:the |my )?(?:keyboard|phone)\b|"
    r"\b(?:butt|pocket)[- ]?(?:text|typed|typing)\b|手滑|误触|按错了"
)
# Small talk about the weather ("will it rain tomorrow?", "天气怎么样"): no tool knows it.
WEATHER = re.compile(
    r"^(?:(?:so|hey|and|btw|ok)\s+)*(?:what'?s|what is|how'?s|how is|is it|will it|is it going to|"
    r"gonna|any)\b.*\b(?:weather|forecast|rain|raining|snow|snowing|sunny|temperature|humid)\b|"
    r"天气(?:怎么样|如何|咋样|好吗|好不好|预报)|(?:会|要)?下(?:雨|雪)(?:吗|不|么|没)|冷不冷|热不热|几度"
)
# A mood about a stretch of time ("so done with this week", "rough day"): said, not asked.
MOOD = re.compile(
    r"\b(?:(?:i )?(?:hate|love)|ugh|urgh|meh|yay|oh) (?:mondays?|fridays?|weekends?|mornings?)\b|"
    r"\b(?:monday|friday) again\b|\bmeh day\b|"
    # Where one is or how a thing went, said in passing ("at the airport now", "the talk went well")
    r"^(?:(?:ok|so|just|finally|now)\s+)*(?:on my way(?: to \w+)?|omw|"
    r"at the (?:airport|gym|station|"
    r"office|lab|dentist|doctor'?s?)(?: now)?|in a (?:meeting|call|taxi|cab|lecture|class)|"
    r"(?:home|back|landed|here)(?: now| at last)?)\s*[!.]*(?=,|$)|"
    r"\b(?:went|go(?:es)?|going) (?:well|great|ok|okay|badly|fine|smoothly)\b|"
    r"\bhad a (?:great|good|nice|terrible|rough|long|fun) (?:meeting|day|talk|time|call|week)\b|"
    r"\b(?:traffic|the commute|the flight|the train|the weather) (?:was|is) (?:insane|awful|"
    r"terrible|crazy|brutal|bad|horrible|nice|great)\b|"
    r"\btime flies\b|\b(?:this|the) (?:week|day|month|year) (?:flew|went) by\b|"
    r"\bcan'?t believe (?:it'?s|it is)\b|\b(?:getting|feel(?:ing)?) (?:sick|ill|awful|better|"
    r"terrible)\b|\b(?:nervous|anxious|excited) about\b|\b(?:has|have|got) (?:a )?(?:fever|cold|"
    r"flu|covid)\b|^(?:ugh|argh|damn|dang|oops)[,!]?\s+forgot (?:my|the) \w+\s*[!.]*$|"
    r"\bwill (?:check|look|reply|read)(?: (?:it|this|that))? later\b|"
    r"\b(?:(?:so|sooo+|totally|completely|just) (?:done|over)|fed up|sick|tired) (?:with|of) "
    r"(?:(?:this|the) (?:week|day|month|semester|term|year|morning)\b(?!')|today|everything|"
    r"it all)|^what an? (?:[\w-]+ )?(?:day|week|morning|night|month|year|mess|ride)\b|"
    r"\b(?:(?:really|so|badly) )?need (?:a |some )?(?:nap|vacation|holiday|break|sleep|"
    r"drink)\b|"
    r"\b(?:long|rough|crazy|hectic|brutal|tough|exhausting) "
    r"(?:day|week|morning|month|semester)\b(?!')|😩|😭|😫|🥲|崩溃|心累|不想干了|想躺平"
)
# Asking for advice on one's own life ("should I work from home tomorrow", "what's for dinner"):
# small talk, unless it names a booking, a to-do, a paper or a change.
ADVICE = re.compile(
    r"^(?:(?:hmm+|so|ok|okay|honestly|um)\s+)*(?:should i|do you think i should|what should i "
    r"(?:eat|cook|wear|watch|do for fun)|what'?s for (?:dinner|lunch|breakfast)|any idea how to|"
    r"how do (?:i|you) (?:cook|make|fix|get rid of|clean))\b(?!.*\b(?:accept|decline|approve|"
    r"reject|reply|respond|move|cancel|reschedule|book|offer|block|snooze|requests?|bookings?|"
    r"meetings?|papers?|to-?dos?|tasks?|remind|prioriti[sz]e|focus|first|tackle|start with|"
    r"deadlines?|free|busy|slots?|calendar|schedule)\b)|"
    r"^(?:要不要|该不该|应不应该)(?!.*(?:接受|拒绝|同意|预约|约|会|论文|待办|任务|提醒|取消|改|推迟|挪))|"
    r"(?:早饭|午饭|晚饭|中午|晚上)吃(?:啥|什么)|去哪(?:儿)?(?:玩|吃)|^在干(?:嘛|啥|什么)"
)
# Acknowledgements made of filler words ("sure thing", "of course"): small talk, not noise.
ACKNOWLEDGED = re.compile(
    r"\b(?:sure thing|you bet|of course|for sure|no prob)\b|^(?:好吧|行吧|好的吧|那就这样吧?)\W*$"
)
# Losing one's thread ("what was I gonna say", "我要说啥来着"): nothing said yet.
LOST_THREAD = re.compile(
    r"\bwhat (?:was|were) (?:i|we) (?:gonna|going to|about to) (?:say|ask|do)\b|"
    r"\bwhat was i saying\b|\bwhere was i\b|\bi forgot what i (?:wanted|was going|meant) to "
    r"(?:say|ask)\b|(?:我)?(?:要|想|刚才?要?)(?:说|问)(?:什么|啥)来着|忘了(?:要)?(?:说|问)(?:什么|啥)"
)
# Wishes name a day without asking anything about it ("周末愉快", "have a nice weekend").
WISH = re.compile(
    r"帮(?:了)?(?:我)?(?:个|一个)?大忙|\byou rock\b|\b(?:wish me luck|fingers crossed)\b[^,.;!?]*|"
    r"祝我(?:好运|顺利)|\bsee (?:you|ya|u) (?:later|tomorrow|soon)\b|"
    r"\b(?:talk|speak|chat)(?: to you| with you)? (?:tomorrow|tmrw|later|soon)\b|"
    r"\blet me think(?: about it)?\b|\b(?:i'?ll )?get back to (?:you|u)\b|(?:让我|我再)想想|"
    r"(?:算了|不用了)[,，\s]*没事了?|"
    r"\bhave a (?:nice|good|great|lovely) (?:\w+ )?(?:day|weekend|week|evening|night|one)\b|"
    r"\bgotta (?:run|go|bounce|dash)\b|\b(?:anyone|anybody) (?:there|around|home)\b|"
    r"\bhappy (?:\w+ )?(?:friday|monday|weekend|holidays?|new year|birthday|day)\b|"
    r"\b(?:enjoy|good) (?:your|the) (?:weekend|day|evening)\b|"
    r"(?:周末|节日|新年|生日|圣诞|春节|中秋|假期|国庆|过年)(?:愉快|快乐|好)|(?:早|晚|午)安|(?:早上|晚上|下午|中午)好|"
    r"(?:明天|明儿|回头|待会|一会|周一|下周|改天|下次)(?:再)?(?:见|聊)|"
    r"(?:今天|今晚|这周|这几天|最近)?(?:也)?辛苦(?:了|啦|你了)|(?:你)?吃(?:饭)?了(?:吗|没|么)"
)
# What the thanks are for is not a request ("thanks for the reminders today").
THANKS_FOR = re.compile(
    r"\b(?:thanks|thank you|thank u|thx|ty|grateful|appreciate it)\s+(?:so much\s+|a lot\s+)?"
    r"for\s+(?:the|your|all the|all your|my|this|that)?\s*[\w'-]+(?:\s+(?:today|earlier|again|"
    r"yesterday|this morning|this afternoon|this evening|last night))?|"
    r"(?:谢谢|多谢|感谢|谢了)(?:你|您)?(?:帮我|替我|给我|一直|这么|每天|提醒)[^,，。.!！?？]*"
)
SOFT_TIME = frozenset(
    {"today", "tonight", "morning", "afternoon", "evening", "later", "weekend", "noon", "midnight"}
    | {"今天", "今晚"}
)  # times in greetings ("good morning", "see you later"): not something to act on
# Something to act on or look up: a chit-chat marker next to one of these is not small talk.
TASK_VERB = (
    r"buy|get|pick|call|ring|phone|text|email|e-mail|mail|message|ping|send|pay|book|order|"
    r"renew|submit|finish|review|read|write|prepare|prep|fix|clean|wash|water|feed|take|bring|"
    r"return|drop|check|ask|tell|meet|visit|schedule|cancel|reply|respond|print|sign|file|"
    r"fill|update|upload|install|backup|grade|study|practice|apply|register|reserve|clear|"
    r"move|mark|snooze|remind|add|block|offer|push|rate|submit|draft|edit|revise|deliver|"
    r"ship|post|publish|present|attend|join|run|rerun|train|deploy|merge|show|list|find|"
    r"search|tell me|delete|remove|accept|decline|approve|reschedule|postpone"
)
SUBSTANCE = re.compile(
    rf"\b(?:{TASK_VERB})\b|\b(?:to-?dos?|tasks?|list|reminders?|agenda|schedule|calendar|"
    r"plans?|meetings?|bookings?|requests?|appointments?|appt|slots?|free|busy|papers?|"
    r"digest|deadline|dentist|doctor|gym|rent|milk|report|slides|grant|thesis)\b|"
    r"\d|#|待办|任务|清单|日程|安排|计划|会议|开会|组会|meeting|预约|论文|推荐|有空|空档|忙|提醒|记得|"
    r"别忘|买|交|打电话|发给|取消|改到|明天|后天|下周|周[一二三四五六日天]|星期|"
    r"[\d一二两三四五六七八九十]\s*点"  # a clock time; "干点啥" is "a bit"
)
FILLERS_ZH = re.compile(
    r"什么来着|啥来着|怎么说|怎么讲|咋说|咋讲|我?也?不知道|让我想想|想一想|我想想|等一下|等等|那个谁|那个|这个|就是说|"
    r"我是说|就是|然后|好像|什么|啥|嗯|啊|哦|呃|额|emm|em|这|那|"
    r"呢|吗|吧|呀|哼"
)  # a text of only these (and punctuation) says nothing yet
FILLERS = frozenset(
    {
        "hmm", "hm", "ok", "okay", "so", "the", "a", "an", "um", "uh", "umm", "erm", "er",
        "wait", "well", "yes", "no", "yeah", "yep", "nope", "k", "and", "or", "but", "also",
        "err", "uhh", "uhm", "ehh", "ahh", "ugh", "argh", "oof", "welp", "hmph", "pfft",
        "blah", "bleh", "both", "either", "neither", "then", "with", "of", "to", "for", "in",
        "on", "at", "thing", "things",
        "stuff", "that", "this", "it", "like", "just", "mean", "i", "actually", "anyway",
        "huh", "eh", "oh", "ah", "mm", "mhm", "what", "was", "test", "testing", "lorem", "ipsum",
        "sure", "maybe", "probably", "now", "again", "more", "next", "okok", "idk", "dunno",
        "why", "how", "who", "when", "where", "usual",
        "other", "whatever", "man", "dude", "bro",
        "meh", "sec", "second", "moment", "one", "let", "me", "think", "hold",
        "gr", "grr", "bah", "pf", "pff", "tsk", "ew", "eek", "oy",
        "好", "行", "对", "是", "是的", "哈", "诶", "欸",
        "随便", "等会", "等会儿", "稍等",
        "嗯", "啊", "哦", "呃", "额",
        "那个", "这个", "就是", "然后", "嗯嗯", "emm", "em", "啊这", "呃呃", "额额", "这",
        "好像", "那", "什么来着", "啥来着", "怎么说", "我想想", "等等", "等一下", "想想",
    }
)  # fmt: skip
_KEY_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")


def is_mash(word: str) -> bool:
    """A keyboard run, one repeated letter, or a long vowel-less token ("asdfjkl", "jjjjj")."""
    if not word.isascii() or not word.isalpha() or len(word) < 3:
        return False
    if len(set(word)) == 1 or any(word in row or word in row[::-1] for row in _KEY_ROWS):
        return True
    if len(word) >= 5 and not set(word) & set("aeiouy"):
        return True
    for row in _KEY_ROWS:
        if set(word) <= set(row) and len(word) >= 4:
            runs = [row[i : i + 3] for i in range(len(row) - 2)]
            runs += [r[::-1] for r in runs]
            if any(r in word for r in runs):
                return True
    return len(word) >= 4 and len(set(word)) <= 2 and not set(word) & set("aeiouy")
