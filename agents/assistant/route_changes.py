"""The router's vocabulary of changes: what asks to change something stored (done, snooze,
move, cancel, accept, block, offer, rate), to act outside the store (send, settings), or names
a stored item. Like ``route_words``, each pattern is a mechanism with phrasings of its own in
tests/agents/assistant/test_route.py; ``route.signals`` names a clause by them.
"""

from __future__ import annotations

import re

from agents.assistant.route_words import DAY_EN, DAY_ZH, TIME

_ITEM = (
    r"(?:#\d+|\b(?:it|that|this|them|those|both)\s*[.!]*$|"
    r"\b(?:the|my|that|this)\s+(?:(?:[\w'-]+|\"…\")\s+){0,3}(?:reminder|to-?do|task|todo)s?\b|"
    r"\b(?:the|my|that|this|tomorrow's|"
    r"today's|tmrw's|\w+'s)\s+(?!(?:hotel|flight|restaurant|table|car|train|airbnb|rental)\b)"
    r"(?:(?:[\w'-]+|\"…\")\s+){0,3}(?:one|thing|reminder|reminders|to-?do|"
    r"to-?dos|todos|task|tasks|item|items|meeting|meetings|call|booking|bookings|request|"
    r"requests|appointment|appt|event|slot|block|entry|list|session|sync|1:1)\b|"
    r"\bmy \d{1,2}(?::\d\d)?\s*(?:am|pm)?\b|\ball\b|\beverything\b|"
    r"\b(?:every|each|any)\s+(?:[\w'-]+\s+){0,2}(?:to-?dos?|todos|tasks?|reminders?|items?|"
    r"meetings?|bookings?|requests?)\b)"
)
ITEM_ZH = (
    r"(?:会(?![员计费话])|会议|组会|例会|meeting|预约|约|提醒|待办|任务|todo|清单|"
    r"那个|这个|那条|这条|#\d|全部|所有|都)"
)
COMPLETE = re.compile(
    r"\bmark(?:ed)?\b.*\b(?:done|complete|completed|finished)\b|"
    r"\b(?:tick|check|cross|strike)(?:ed)?\s+(?:off|out)\b|\b(?:tick|cross|strike)(?:ed)?\s.*\boff\b|"
    r"\b(?:is|are|'s|was|were|all|now|just|already|finally)\s+(?:done|finished|complete|"
    r"completed|sorted|handled|taken care of|dealt with|out of the way)\b|"
    r"^(?:#?\d+(?:\s*(?:,|and|&|\+)\s*#?\d+)*)\s*(?:is |are )?(?:done|finished|complete|"
    r"completed|✅|✔)|\bdone(?:\s+(?:now|already|finally|at last))?\s*[!.✅✔]*$|"
    r"^(?:done|finished|completed)\s*(?:with|:|-)|"
    r"\b(?:finished|completed|done) with\b|✅\s*$|^(?:✅|✔️?|☑️?)\s*\S|"
    r"^(?:mark|tick|check)\s+(?:it|that|this|them|both)(?:\s+off)?\s*[.!]*$"
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
_PARTICIPLE = (
    r"sent|submitted|paid|called|emailed|mailed|bought|picked up|dropped off|returned|booked|"
    r"ordered|renewed|fixed|cleaned|washed|watered|fed|filed|signed|answered|written|reviewed|"
    r"graded|printed|uploaded|posted|published|scheduled|installed|updated|deployed|merged|"
    r"prepared|registered|delivered|shipped|collected|handled|sorted|wrapped up|turned in|"
    r"handed in|packed|drafted|edited|revised|taken|made|replied to|backed up|cleared"
)
# "invoice sent", "the poster is printed", "rent's paid": a done report in the passive.
PASSIVE_DONE = re.compile(
    rf"^(?!.*\b(?:whether|if)\s).*\b(?:is|are|was|were|'s|got|been|all|now|finally|already)\s+"
    rf"(?:{_PARTICIPLE})\b|"  # "ask X whether the heating is fixed": the question is the to-do's
    rf"^(?:the |my )?[\w'#-]+(?:\s+[\w'#-]+){{0,3}}\s+(?:{_PARTICIPLE})\s*[!.✅✔]*$"
)
PAST_REPORT = re.compile(
    r"^(?:(?:ok|okay|so|yay|finally|just|already|also|and|i|we|i'?ve|we'?ve|i have|we have|"
    r"have|all|both|phew|whew|woo|yes|yep|ha)\s+)*"
    rf"(?:{_PAST})\b(?!\s+to\b)(?!(?<=got)\s+(?:it|that|you|ya|u)\s*[!.]*$)"
)  # "got it": an acknowledgement
DONE_ZH = re.compile(
    r"标记(?:为|成)?(?:已)?(?:完成|做完|done)|标(?:成|为)(?:已)?完成|划掉|勾掉|打(?:个)?勾|搞定了|做完了|"
    r"弄完了|办完了|完成了|已完成|#\d+\s*(?:完成|搞定|做完|弄完|结束)|已经(?:做|弄|办|交|搞)|"
    r"(?:已经|刚刚|刚才|终于|总算|刚(?![好要需才]))\s*.*了|(?:刚刚?|刚才|已经)\s*[^\s好]{1,3}?[完好]"
)  # a plain report that something is done
COMPLETE_ZH = re.compile(
    r"搞定|(?:完|(?<![太真那还])好|过|掉|定|(?<=[取拿买找领订抢借])到)(?:了|啦|喽|咯)|"
    r"(?:交|付|缴|买|发|回|还|取|拿|寄|签|订|提交|报名|打卡|打了电话|倒|扔|洗|修|剪|换|拖|擦|喂|遛|浇|退|"
    r"充|打扫|收拾|整理|办)了\s*[吧啦呀~!。.]*$|"
    r"(?:寄|发|交|送|递|还|退|扔|搬|提交)(?:出去|出|过去|回去|上去|上|掉)了\s*[吧啦呀~!。.]*$|"
    r"(?:发|交|寄|送|递|转|还|传)给\S{1,8}了\s*[吧啦呀~!。.]*$|"  # "PPT 发给老板了"
    r"\b(?:submit(?:ted)?|sen[dt]|finish(?:ed)?|review(?:ed)?|book(?:ed)?|pa(?:y|id)|call(?:ed)?|"
    r"email(?:ed)?|fix(?:ed)?|merged?|upload(?:ed)?|print(?:ed)?|sign(?:ed)?|ship(?:ped)?|"
    r"deploy(?:ed)?|order(?:ed)?|repl(?:y|ied)|push(?:ed)?)\s*(?:完|好)?了"
)  # "…了": done, unless it is a task with a deadline ("这周内把审稿意见回了")
ALREADY_ZH = re.compile(r"已经|刚刚|刚才|终于|总算")
# "30 min", "an hour", "1h", "两小时", "一小时": how long a reminder is put off.
_DURATION = (
    r"(?:(?:\d+(?:\.\d+)?|an?|one|two|half an?|a few|a couple of)\s*(?:min|mins|minutes|m|hour|"
    r"hours|hr|hrs|h|days?)\b|[\d一二两三四五六七八九十半]+\s*(?:个)?(?:小时|钟头|分钟|天))"
)
SNOOZE = re.compile(
    r"\bsnooze|\b(?:remind|ping|nudge|bug)\s+(?:me|us)\s+(?:about|of)\s+(?:the|that|this|my)\s+"
    r"(?:[\w'-]+\s+){0,3}(?:one|thing|reminder|to-?do|task|item)\b|\b(?:remind|ping|nudge|ask|bug)\s+(?:me|us)\s+(?:again|later)\b|"
    r"\bnot (?:now|yet|today|right now)\b.*\b(?:remind|ping|nudge|bug|nag|poke)\s+(?:me|us)\b|"
    r"\b(?:remind|ping|nudge|bug|ask|nag|poke|buzz|hassle|pester)\s+(?:me|us)\b.*"
    r"\b(?:again|once more)\b|"
    r"\bbring\b.*\bup\b.*\bagain\b|\bbring up\b.*\bagain\b|"
    rf"\b(?:push|bump|delay|defer|postpone|shift|snooze)\s+(?:(?:it|that|this|them)\s+)?"
    rf"(?:back\s+|out\s+)?(?:by\s+|for\s+)?{_DURATION}|"
    r"\b(?:push|bump|delay|shift)\s+(?:it|that|this|them)\s+(?:back\s+)?(?:by\s+)?\d{1,2}\s*[.!]*$|"
    r"^(?:later|not now|tomorrow|tmrw|tonight)\s+(?:on|for|with)\s+(?:the|that|this|my)\s+\S|"
    r"^(?:not now|not yet|not right now)\s*[.!]*$|(?:那个|这个)\s*(?:later|晚点|稍后)|"
    r"再\s*remind|再\s*(?:ping|nudge)\s*(?:一下\s*)?我|再(?:叫|喊|催)(?:一下)?我|"
    r"\b(?:remind|ping|nudge|bug)\s+(?:me|us)\s+(?:about|of)\s+.*\blater\b|"
    r"推迟|延后|晚点(?:再)?提醒|稍后(?:再)?提醒|过(?:一)?会儿?(?:再)?提醒|再提醒|等会儿?(?:再)?提醒|"
    r"晚些(?:再)?提醒|snooze|(?:那个|这个|提醒|#\d).*(?:晚点|回头|之后|等会儿?|过会儿?|稍后|明天|下午|"
    r"晚上|下周)再(?:说|提醒|弄|做|看)"
)
_MOVE = (
    r"move|moved|push|pushed|shift|bump|reschedule|postpone|delay|defer|punt|slide|switch|swap|"
    r"put off|push back|move back|move up|bring forward|change|pull(?=.*\bforward\b)"
)
RESCHEDULE = re.compile(
    rf"\b(?:{_MOVE})\b(?!\s+(?:out|in|house|home|apartments?|flats?|office|on)\b)"
    rf".*\b(?:to|till|til|until|into|over to|back to)\s+(?:the\s+)?(?:{TIME.pattern})|"
    rf"\b(?:{_MOVE})\s+{_ITEM}|\b(?:postpone|push|delay|defer|reschedule|bump)\b.*\b(?:to|till|until)\s+"
    r"after\b|"
    rf"\b(?:{_MOVE})\b.*\bto\s+\d{{1,2}}(?::\d\d)?\s*[.!]*$|"
    rf"\binstead\b.*(?:{TIME.pattern})|(?:{TIME.pattern}).*\binstead\b|"
    rf"(?:#\d+|{_ITEM})\s*(?:→|->|=>|⇒|➡️?)\s*(?:the\s+)?(?:{TIME.pattern})|"  # "#12 → fri"
    rf"^#\d+\s+(?:to\s+)?(?:{TIME.pattern})\s*[.!]*$|"  # "#12 tomorrow"
    r"(?:改到|挪到|移到|推到|延到|换到|调到|改成|改在)(?!了)|挪一下|往后(?:挪|推|移|延)|提前到|推迟到|顺延|延期|"
    r"改期|换个时间|改个时间|改时间|"
    r"\b(?:move|push|shift|bump|reschedule|postpone|delay|snooze)\b\s*(?:到|至)|"
    r"\b(?:wait|hold off|on hold|park|leave)\b.*\b(?:till|until|til)\s+(?:the\s+)?"
    rf"(?:{TIME.pattern})"
)
_EXTERNAL = (
    r"subscriptions?|memberships?|orders?|reservations?|accounts?|plans?|cards?|insurance|"
    r"contracts?|polic(?:y|ies)|flights?|tickets?|hotel|newsletters?|services?|phone|"
    r"registrations?|netflix|spotify|gym|trip|visa|course|class(?:es)?|deliver(?:y|ies)|newspapers?|"
    r"cleaners?|cleaning|lessons?|internet|wifi|utilities|bills?"
)  # what one cancels as a chore ("cancel the gym membership"), not a stored item
_EXTERNAL_ZH = (
    r"会员|订阅|套餐|账号|订单|快递|外卖|机票|车票|火车票|高铁|航班|酒店|民宿|门票|保险|课(?!题)|"
    r"健身|瑜伽|挂号|预订|宽带|信用卡"
)  # "取消下周的健身课": a chore
CANCEL = re.compile(
    rf"^(?:pls |please |ok |so )?(?:cancel|call off|scrap|scratch|nix|ditch|forget(?: about)?)\s+"
    rf"(?!to\b)(?!.*\b(?:{_EXTERNAL})\b)\S|"  # "forget the milk, we have some"
    r"\bno more (?:reminders?|pings|nags|nagging|notifications?) (?:about|for|on)\b|"
    r"\b(?:stop|quit) (?:reminding|pinging|nagging|bugging|nudging) (?:me|us)\b|"
    r"\b(?:cancel|cancelled|canceled|delete|remove|drop(?!\s+(?:off|by|in|out))|scratch|nuke|"
    r"kill|ditch|scrap|never ?mind|"
    r"call off|clear|clear out|wipe|get rid of|forget about|forget|pull the plug on)\b"
    rf"(?:.*{_ITEM}|\s+(?:it|that|this|them)\b)|"
    rf"\b(?:cancel|call off|scrap)\b(?!.*\b(?:{_EXTERNAL})\b)"
    rf".*(?:{DAY_EN}|\btomorrow|\btmrw|\btonight)\b|"
    rf"^(?!.*(?:{_EXTERNAL_ZH}))(?:.*取消.*{DAY_ZH}|.*{DAY_ZH}.*取消)|"
    rf"{_ITEM}\s+(?:can go|can be dropped|is off|isn't needed|is not needed|is obsolete|"
    r"(?:is )?no longer (?:needed|relevant)|not needed anymore)\b|"
    r"^(?!.*(?:会员|订阅|套餐|账号|订单|快递))(?=.*[\u4e00-\u9fff]).*\b(?:cancel|delete|remove|drop|scrap|"
    r"kill)\s*(?:掉|了|一下|下|吧)|"
    rf"(?:取消|删掉|删除|删了|去掉|撤销|作废|不要了|算了).*{ITEM_ZH}|{ITEM_ZH}.*(?:取消|删掉|删除|删了|"
    r"去掉|撤销|作废|不要了|算了|(?:别|不用|不要)再?提醒)"
)
ACCEPT = re.compile(
    r"\b(?:approve|accept|decline|reject|turn down)\s+\w+\s*[.!]*$|"
    r"\blet\b.*\b(?:request|booking)\b.*\bthrough\b|"
    rf"\b(?:accept|approve|decline|reject|deny|turn down|say (?:no|yes) to)\b"
    rf"(?!.*\bby (?:{DAY_EN}|tomorrow|tmrw|the|end|eod|eow|next|\d))"  # a deadline: a to-do
    r".*\b(?:booking|"
    r"bookings|request|"
    r"requests|meeting|(?<!wedding )(?<!party )(?<!birthday )(?<!dinner )(?<!linkedin )"
    r"(?<!reviewer )(?<!review )(?<!reviewing )(?<!conference )(?<!panel )(?<!committee )"
    r"(?<!speaker )(?<!talk )(?<!job )(?<!workshop )(?<!keynote )"
    r"(?:invite|invitation)|slot|appointment)\b|"
    r"\bconfirm\s+(?:the\s+|\w+'s\s+)?(?:booking|request)s?\b|"
    rf"\b(?:confirm|accept|approve)\s+(?!the\b|my\b|an?\b)\w+\s+for\s+(?:{DAY_EN}|tomorrow|tmrw|"
    r"today|next)\b|"  # "pls confirm Ana for wed"
    r"\b(?:accept|approve|decline|reject|turn down)\s+"
    r"(?:whoever|whomever|anyone who|everyone who)\b|"
    r"\b(?:accept|approve|decline|reject)\s+(?:him|her|them|it|that|all|\w+'s|(?:the|that|this)"
    r"(?: \w+){0,3} ones?)\b|"
    r"(?:接受|同意|批准|通过|拒绝|拒掉|拒了|婉拒|回绝|推掉|答应).*(?:预约|请求|申请|邀请|会|约|booking|"
    r"request)|(?:预约|请求|申请|邀请|booking|request).*(?:接受|同意|批准|通过|拒绝|拒掉|拒了|婉拒|回绝|"
    r"推掉|答应|\b(?:accept|approve|decline|reject)\s*(?:掉|一下|下|吧)?\s*[.!。！]*$)"
)
# Not "out"/"off": "block out the noise" is no span.
_SPAN_WORDS = r"(?:time|slot|calendar|hours?|morning|afternoon|evening|day)"
BLOCK = re.compile(
    rf"\bblock\b.*(?:{TIME.pattern}|\b{_SPAN_WORDS}\b)|\bblock (?:it|that|this|them)\b|"
    rf"(?:{TIME.pattern}).*\b(?:block|hold)\s*(?:掉|住|一下|下|起来|$)|"
    rf"\b(?:hold|reserve|protect|save|keep|clear)\s+(?:out\s+|off\s+)?(?:some\s+)?"
    rf"(?:time\s+)?(?:on\s+|for\s+|from\s+)?(?:my\s+)?(?:{TIME.pattern})|"
    rf"\b(?:carve(?: out)?|set aside|ring-?fence|earmark|wall off|fence off)\s+(?:some\s+)?"
    rf"(?:time\s+|(?:an?|\d+|two|three) (?:hours?|hrs?|h)\s+)?(?:on\s+|for\s+|from\s+)?(?:my\s+)?"
    rf"(?:{TIME.pattern})(?![a-z])|"
    r"\b(?:hold|reserve|protect|block|keep)\s+(?:from\s+)?\d{1,2}(?::\d\d)?\s*(?:am|pm)?\s*(?:-|–|to)\s*"
    rf"\d{{1,2}}(?::\d\d)?\s*(?:am|pm)?\b.*(?:{TIME.pattern})|"
    r"\bkeep\b.*\b(?:free|open|clear)\b|\bno (?:meetings|calls|bookings)\b|"
    rf"\b(?:mark|make|set)\b(?=.*(?:{TIME.pattern})).*\b(?:unavailable|unbookable|off-?limits|"
    r"blocked)\b|\block (?:it|that) in\b|"
    rf"\b(?:focus|deep work|heads-?down) (?:time|block|hours?)\b.*(?:{TIME.pattern})|"
    r"\b(?:don'?t|do not) let (?:anyone|anybody|people|guests) book\b|"
    r"\b(?:nobody|no one|noone) (?:can |should )?books?\b|"
    r"\b(?:mark|make|set) me (?:as )?(?:busy|out|away|unavailable|"
    r"ooo)\b|\b(?:i'?m|i am|i'll be) (?:unavailable|out of (?:the )?office|ooo|away|off|out)\b.*"
    rf"(?:{TIME.pattern})|"
    r"(?:给我|帮我)(?:安排|预留|留出?|腾出?)(?:一个|个|一段|段|几个)?.{0,16}(?:小时|时间|时段)$|"
    rf"(?:{TIME.pattern}).*(?:帮我|给我)?(?:留着|留好|空着)|预留.{{0,4}}(?:{TIME.pattern})|"
    rf"(?:{TIME.pattern}).{{0,6}}留(?:给|出来)|"  # "把周五下午留给写作"
    r"占住|占用|占一下|占(?:(?:个|一个|一段)?(?:时间|时段|slot)|[\d一二两三四五六七八九十半]+\s*个?(?:小时|钟头)|"
    r"一?(?:上午|下午|晚上)|一整天)|空出|留出|屏蔽|锁定|挡住|不接受预约|不能约|不可以约|别让人约|不要让人约|不要安排|别安排|不约|"
    rf"(?:{TIME.pattern}).*锁(?:住|起来|上|一下)"
)
OFFER = re.compile(
    r"\b(?:give|send|offer)\s+(?:him|her|them)\s+(?:something|some times?|a time|a slot|options)\b|"
    r"\b(?:can|could|should|let)\s+(?!i\b|we\b|you\b|u\b|me\b)\w+\s+(?:have|get|grab|book|pick)\s+"
    r"(?:a|one|some|an)\s+(?:slot|time|spot|appointment|meeting)\b|"
    rf"\boffer\s+(?!to\b|a\b|the\b|my\b)\w+\s+(?:some\s+time\s+)?(?:on\s+)?(?:{DAY_EN}|"
    r"tomorrow|tmrw|next week|this week)\b|"
    r"\b(?:offer|send|give|propose|suggest|share|email|mail|text)\b.*\b(?:times|slots|"
    r"time slots|options|availability|available times|free times|openings|windows|"
    r"booking link|my link|some time|a time|a slot|slot)\b|\blink to book\b|"
    r"(?:给|跟|和|向)(?!.*(?:邮件|消息|微信|短信|问))"  # "给X发邮件问下时间" is a to-do
    r".{1,30}(?:发|推荐|推(?![迟后到])|提供|给)(?:几个|一些|些|个)?.{0,24}"
    r"(?:时间|时段|空档|空闲|slot|slots|available)|"
    r"(?:发|提供|推荐)(?:几个|一些|些).{0,12}(?:时间|时段|空档)|"
    r"给\s*(?!自己|我)\S{1,10}留(?:个|一个|几个|些|一些)?.{0,16}(?:时间|时段|空档|slot)|"
    r"(?:时间|时段|slots?).{0,12}(?:让|叫)\s*(?!我)\S{1,6}(?:自己)?(?:挑|选|定)|"
    r"\b(?:tell|let)\s+(?!me\b|us\b)\S+(?:\s+that)?\s+(?:she|he|they)\s+can\s+(?:pick|choose|select|"
    r"grab|book)\s+(?:a |one |some |any )?(?:time|slot|times|slots)\b|"
    r"\b(?:let|have)\s+(?!me\b|us\b)\S+(?:\s+\S+)?\s+(?:pick|choose|select|grab)\s+"
    r"(?:a |one |some )?(?:time|slot|times|slots)\b|"
    r"(?:让|叫)\s*(?!我)\S.{0,24}(?:挑|选|定)(?:个|一个|几个)?\s*.{0,8}(?:时间|时段|slot|time)|"
    r"(?:时间|时段|空档|空闲|slots?|availability).{0,12}(?:发给|给)\s*\S"
)
_ORDINAL = (
    r"(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|last|top|"
    r"\d+(?:st|nd|rd|th))"
)
_PAPER = (
    r"#\d+\b|\b(?:papers?|articles?|preprints?|abstract|number \d+|no\.? ?\d+)\b|"
    rf"\b(?:the|that|this) (?:[\w-]+ ){{0,4}}ones?\b|\b{_ORDINAL}(?: one)?\b|"
    r"第\s*[\d一二三四五六七八九十]+\s*篇|那篇|这篇|论文|篇|paper"
)
_RATING = (
    r"(?<!would )(?<!'d )(?<!look )(?<!looks )(?<!feel )\blike(?! to\b)|\brate\b|"
    r"\bstop (?:sending|showing|recommending|suggesting)\b|\bno more\b|"
    r"\b(?:more|less|fewer)\s+(?:[\w-]+\s+){0,3}(?=papers?\b)|"
    r"\b(?:liked|love|loved|dislike|disliked|hate|hated|enjoy|enjoyed|upvote|downvote|"
    r"thumbs (?:up|down)|boring|irrelevant|useless|meh|trash|garbage|not interested|great|"
    r"awesome|amazing|excellent|terrible|interesting|fascinating|solid|weak|dull|lame|fire|"
    r"relevant|useful|helpful|promising|spot on|on point|"
    r"not relevant|not for me|not (?:really )?into|not a fan of|"
    r"more (?:of|like) (?:that|this|these|those)|(?:less|fewer) "
    r"(?:of|like) (?:that|this|these|those))\b|👍|👎|💯|🔥|❤️|♥️|😍|🙌|👏|🗑️|💩|😴|🙄|"
    r"不喜欢|喜欢|讨厌|不感兴趣|感兴趣|没意思|无聊|水|不错|很好|挺好|好看|有意思|有趣|一般|垃圾|没用|有用|"
    r"多推|少推|别推|不要推|不要再推|别再推|不想看|类似的"
)
# "the papers I liked": which papers, not a rating.
RATED_BEFORE = re.compile(
    r"(?:(?<=papers )|(?<=paper )|(?<=ones )|(?<=one )|(?<=articles )|(?<=preprints ))"
    r"(?:that |which )?(?:i|i've|i have|we) (?:liked|loved|disliked|upvoted|downvoted)\b"
)
RATE = re.compile(
    rf"(?:{_RATING}).*(?:{_PAPER})|(?:{_PAPER}).*(?:{_RATING})|(?:👍|👎)\s*\d|\d\s*(?:👍|👎)|"
    r"点\s*(?:👍|👎)|(?:多|少|别|不要再?)推(?:点|些|一些)?.*(?:相关|类似|这种|这类|的)"
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
    rf"^(?!.*(?:{TIME.pattern})).*"  # with a time of its own, telling someone is a to-do
    r"\b(?:email|e-mail|mail|text|message|msg|tell|notify|inform|write to|let)\s+(?!me\b)\S+"
    r".*\b(?:that|saying|to say|telling|know)\s+(?:i|i'm|i'll|i've|i'd|we|we're|we'll|he|she|"
    r"they|it|the|my|our)\b|"
    r"\bsend (?:an? )?(?:email|e-mail|mail|message|text|note|reply) to\b|"
    rf"^(?!.*(?:{TIME.pattern}))(?:email|e-mail|text|message|tell|notify|inform|respond to|"
    r"reply to|write to|announce to)\s+(?!me\b).+\bthat\s+(?:[\w'-]+\s+){1,3}(?:is|are|was|were|"
    r"has|have|will|got)\b|"  # "tell the group that the room is booked"; with a time: a to-do
    r"^(?:email|e-mail|mail|forward)\s+(?:(?!the\b|my\b)\w+\s+)?(?:the|my|this|that|these|"
    r"those|our)\s+(?!.*\b(?:about|re|regarding)\b)(?!.*(?<!from )(?:"
    rf"{TIME.pattern}))|"  # "email the agenda to my co-authors"; with a time it is a to-do
    r"\b(?:tell|text|email|message|let)\s+(?!me\b)\w+\s+(?:i|i'm|i'll|i've|i'd|we're|we'll)\b|"
    rf"\b(?:summari[sz]e|summary of|tl;?dr|explain|translate)\b.*(?:{_PAPER})|"
    r"\b(?:export|download|dump|sync|forward)\b.*\b(?:to-?dos|todos|tasks|list|calendar|"
    r"schedule|meetings|bookings|papers|data|e-?mails?|mails?|messages|contacts)\b|"
    r"\b(?:call|email|text|book|order|buy|pay|send|reply to|write to)\b.*\bfor me\s*[.!?]*$|"
    r"\b(?:reply|respond|answer|write back)\b.*\b(?:booking|request|guest)\b|"
    r"(?:总结|概括|摘要|解释|翻译).*(?:论文|篇|paper)|导出|export|发我|发给我|给我发|"
    r"^(?:帮我|给我|替我)(?:订|预订|叫)(?:一|两|个|张|间|辆|份|桌)|"  # "帮我订一张票": asks the bot
    r"^帮我(?:给|跟|向)\S{1,10}(?:发|回|写)(?:个|一封|条|一条)?(?:邮件|email|消息|微信|短信)|"
    r"^帮我(?:回复|回覆|回信给?)\s*\S{1,12}\s*(?:说|:|：)"  # "幫我回覆 Hiroshi 說週四可以"
)
# The bot's own settings ("change my timezone", "turn off the briefing"): no tool, the assistant.
SETTINGS = re.compile(
    r"\b(?:turn|switch) (?:off|on)\b|\b(?:disable|enable|mute|unmute|pause|resume|unsubscribe|"
    r"subscribe)\b|\b(?:set|change|update|switch|adjust)\s+(?:my\s+|the\s+)?(?:time ?zone|"
    r"working hours|work hours|office hours|hours|availability|language|settings|defaults?|"
    r"briefing|digest|notifications?)\b|\bstop (?:the |my )?(?:daily |morning |evening )?"
    r"(?:digest|briefing|notifications?|reminders|emails|messages|pings)\b|\brename\b|"
    r"改名|重命名|时区|简报|(?:别|不要|不用)(?:再)?(?:发|推送|推)(?!给)|关掉|关闭|打开|开启|暂停|退订|"
    r"取消订阅|设置|(?:语言|language).{0,6}(?:设|改|换|调)|(?:设|改|换|调)(?:成|为|到)\s*(?:中文|英文|英语)|(?:回复|回答|回)我?.{0,4}(?:用|说)\s*(?:中文|英文|英语|繁体|简体|日语)|"
    r"\b(?:reply|answer|respond|talk|write)(?: to me)? in (?:english|chinese|mandarin|"
    r"traditional|simplified)\b"
)
# A stored item named by number ("#12", "paper 3", "the 2nd paper", "第三篇"), or edited.
ITEM_REF = re.compile(
    r"(?<!pr )(?<!pr)(?<!issue )(?<!ticket )(?<!bug )(?<!room )(?<!no)(?<!step )#\d+\b|"
    rf"\bpapers? ?#?\d{{1,2}}\b|\b{_ORDINAL} (?:paper|article|one in the digest)\b|"
    r"第\s*[\d一二三四五六七八九十]+\s*篇|"
    r"\b(?:update|fix|correct|change) (?:it|that|this|that one)\s*[.!]*$|"  # "…, update it"
    r"^(?:make|set|turn|edit|rename|tag|label|flag|prioriti[sz]e|star|pin)\b.*\b(?:the\s+[\w'-]+\s+"
    r"(?:one|thing)|it)\b|"
    r"\b(?:save|bookmark|keep|star|pin|stash)\s+(?:this|that|the)\s+(?:[\w-]+\s+){0,3}(?:paper|"
    r"article|preprint)s?\b|\bmark(?:ed)?\b.*\b(?:paper|article|preprint|one)\b.*\bas read\b"
)  # "save this paper for later", "mark the Mamba paper as read": the reading list
# "I read the Mamba paper": a report that a reading to-do is done ("read X tonight" is a task).
READ_REPORT = re.compile(
    r"^(?:(?:ok|so|yay|also|and)\s+)*(?:i|we)(?:'ve| have)?\s+"
    r"(?:(?:just|finally|already|actually)\s+)?(?:read|skimmed|finished reading)\b"
    r"(?!\s+(?:that|if|whether|somewhere|about)\b)"
)
# A lone command word ("cancel", "undo", "取消"): the owner means something stored.
COMMAND = re.compile(
    r"^(?:undo|revert|roll back)\s+(?:that|it|this|the last (?:one|change|thing))\s*[!.]*$|"
    r"^(?:cancel|undo|stop|delete|remove|snooze|postpone|block|list|show|clear|reset|"
    r"取消|撤销|撤回|删除|删掉|推迟|完成|列出来)\s*[!.。！]*$|"
    r"^(?:no\s+|nope\s+|sorry\s+|oops\s+|wait\s+)?i meant\b|"
    r"\bthat'?s (?:wrong|not right|incorrect|a mistake)\b|"
    r"^(?:不是|不对)?\s*我(?:是说|指的是|的意思是)|^(?:no,?\s+)?not (?:that|this) one\b"
)  # a correction of what was just said ("no I meant thursday"): about a stored item
ADD = re.compile(
    r"\b(?:stick|pop|throw|put|slot)\s+\"…\"\s+(?:on|for|in|into)\b|"  # "stick 'X' on sunday"
    r"\badd\b.*(?:\bto (?:my )?(?:list|to-?dos?|todos|to-?do list|tasks|calendar|agenda)\b|"
    r"\bas an? (?:to-?do|task|reminder)\b|['\"].+['\"])|"
    r"(?:加|添加|新增|加上)(?:个|一个|一条)?(?:待办|todo|任务|提醒)|帮我加|"
    r"把.{1,30}(?:加|添|放)(?:到|进|在)"
)
