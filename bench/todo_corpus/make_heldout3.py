# ruff: noqa: E501 -- a table of phrases: one case per line reads best
"""Third blind held-out set for issue #14: writes ``heldout3.jsonl`` next to this file.

Written from CONVENTIONS.md and bench/todos_labelled.py only (no parser, no other corpus file).
Each phrase carries the intended *local* due (``YYYY-MM-DD`` = local midnight, ``YYYY-MM-DD HH:MM``,
or ``+N`` = N minutes of elapsed time after ``now``); zoneinfo turns it into an offset timestamp
(non-existent times move forward by the gap, ambiguous ones take the first occurrence).
Self-checks: named weekday, rrule first occurrence (dateutil) equals due, no due in the past,
rrule key order. Run: ``.venv/bin/python bench/todo_corpus/make_heldout3.py``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

# fmt: off
BER, NY, LA, SH, KOL, AKL = "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Shanghai", "Asia/Kolkata", "Pacific/Auckland"
LON, TOK, PAR, DEN = "Europe/London", "Asia/Tokyo", "Europe/Paris", "America/Denver"

# `now` values as local wall time in their zone (converted to a UTC instant below)
NOWS: dict[str, tuple[str, str]] = {
    "B1": (BER, "2026-03-10 07:15"),  # Tue morning
    "B2": (BER, "2026-03-28 21:30"),  # Sat evening before spring-forward
    "B3": (BER, "2026-10-24 18:00"),  # Sat before fall-back
    "B4": (BER, "2026-05-20 23:10"),  # Wed late evening
    "B5": (BER, "2026-06-11 13:00"),  # Thu midday
    "N1": (NY, "2026-03-08 10:00"),  # Sun, DST day (after the jump)
    "N2": (NY, "2026-04-16 08:05"),  # Thu morning
    "N3": (NY, "2026-10-31 23:20"),  # Sat late evening before fall-back
    "L1": (LA, "2026-05-17 09:00"),  # Sun morning
    "L2": (LA, "2026-03-07 22:00"),  # Sat late evening before spring-forward
    "L3": (LA, "2026-09-02 16:45"),  # Wed afternoon
    "S1": (SH, "2026-04-13 09:30"),  # Mon morning
    "S2": (SH, "2026-09-25 21:50"),  # Fri late evening
    "S3": (SH, "2026-06-14 11:00"),  # Sun
    "S4": (SH, "2026-12-16 08:00"),  # Wed morning
    "S5": (SH, "2026-04-30 19:00"),  # Thu evening before 五一
    "S6": (SH, "2026-05-09 10:00"),  # Sat morning
    "K1": (KOL, "2026-07-14 10:20"),  # Tue morning
    "K2": (KOL, "2026-08-08 22:15"),  # Sat late evening
    "A1": (AKL, "2026-04-04 20:00"),  # Sat evening before fall-back (5 Apr 03:00 -> 02:00)
    "A2": (AKL, "2026-09-26 21:00"),  # Sat evening before spring-forward (27 Sep 02:00 -> 03:00)
    "A3": (AKL, "2026-02-12 07:30"),  # Thu morning
    "O1": (LON, "2026-01-19 08:45"),  # Mon morning
    "O2": (LON, "2026-10-24 23:30"),  # Sat late evening before fall-back
    "O3": (LON, "2026-11-06 17:00"),  # Fri late afternoon
    "T1": (TOK, "2026-03-18 08:00"),  # Wed morning
    "T2": (TOK, "2026-12-01 23:00"),  # Tue late evening
    "P1": (PAR, "2026-02-05 09:10"),  # Thu morning
    "P2": (PAR, "2026-03-29 10:00"),  # Sun, DST day (after the jump)
    "P3": (PAR, "2026-07-06 18:30"),  # Mon evening
    "D1": (DEN, "2026-01-09 06:50"),  # Fri early morning
    "D2": (DEN, "2026-11-01 07:00"),  # Sun, DST day (after fall-back)
    "D3": (DEN, "2026-06-30 21:45"),  # Tue late evening
}

WD = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
ASK, ERR = "ask", "error"

# (category, text, now key, title, local due, rrule, priority, flag, weekday check)
Row = tuple[str, str, str, str, str | None, str | None, int, str, str]
TZ_OVERRIDE = {"meeting tomorrow 3pm": "Asia/Beijing"}  # unknown zone -> error

P: list[Row] = [
    # ---- weekdays / relative days
    ("weekday", "thrusday pick up dry cleaning", "B1", "Pick up dry cleaning", "2026-03-12", None, 4, "", "TH"),
    ("weekday", "tmrw 8:30 dentist w/ kids", "N2", "Dentist w/ kids", "2026-04-17 08:30", None, 4, "", "FR"),
    ("weekday", "weds send Priya the revised abstract", "O1", "Send Priya the revised abstract", "2026-01-21", None, 4, "", "WE"),
    ("weekday", "后天 还图书馆的书", "K1", "还图书馆的书", "2026-07-16", None, 4, "", "TH"),
    ("weekday", "2mrw renew gym card", "T1", "Renew gym card", "2026-03-19", None, 4, "", "TH"),
    ("weekday", "satuday farmers market w/ Lina", "P1", "Farmers market w/ Lina", "2026-02-07", None, 4, "", "SA"),
    ("weekday", "by frday finalise the budget sheet", "A3", "Finalise the budget sheet", "2026-02-13", None, 4, "", "FR"),
    ("weekday", "这周日 清理冰箱", "D3", "清理冰箱", "2026-07-05", None, 4, "", "SU"),
    ("weekday", "礼拜五 交房租", "S1", "交房租", "2026-04-17", None, 4, "", "FR"),
    ("weekday", "today: book train to Munich", "B1", "Book train to Munich", "2026-03-10", None, 4, "", "TU"),
    ("weekday", "明天 把 Tom 的 PR review 一下", "S1", "把 Tom 的 PR review 一下", "2026-04-14", None, 4, "", "TU"),
    ("weekday", "周日上午九点半 游泳", "S5", "游泳", "2026-05-03 09:30", None, 4, "", "SU"),
    # ---- same weekday (asks) and `this X` on X
    ("same_weekday", "thursday seminar slides to Anke", "B5", "Seminar slides to Anke", None, None, 4, ASK, ""),
    ("same_weekday", "next wednesday haircut", "L3", "Haircut", None, None, 4, ASK, ""),
    ("same_weekday", "周一前把问卷发给大家", "S1", "把问卷发给大家", None, None, 4, ASK, ""),
    ("same_weekday", "this saturday repot the basil", "L2", "Repot the basil", "2026-03-07", None, 4, "", "SA"),
    ("same_weekday", "by tuesday send the referee report", "K1", "Send the referee report", None, None, 4, ASK, ""),
    ("same_weekday", "星期六 带猫去打疫苗", "S6", "带猫去打疫苗", None, None, 4, ASK, ""),
    ("same_weekday", "sun get groceries for the week", "L1", "Get groceries for the week", None, None, 4, ASK, ""),
    ("same_weekday", "周五前 submit rebuttal", "S2", "Submit rebuttal", None, None, 4, ASK, ""),
    # ---- clock phrases
    ("clock", "at 1730 football w/ the postdocs", "B5", "Football w/ the postdocs", "2026-06-11 17:30", None, 4, "", ""),
    ("clock", "phone the landlord around 10", "N2", "Phone the landlord", None, None, 4, ASK, ""),
    ("clock", "21.15 call with Tokyo collaborators", "P3", "Call with Tokyo collaborators", "2026-07-06 21:15", None, 4, "", ""),
    ("clock", "quarter to 4 pm pick up Mia from daycare", "O3", "Pick up Mia from daycare", "2026-11-07 15:45", None, 4, "", ""),
    ("clock", "12am submit visa form", "K1", "Submit visa form", "2026-07-15 00:00", None, 4, "", ""),
    ("clock", "7p dinner at Nori's", "N2", "Dinner at Nori's", "2026-04-16 19:00", None, 4, "", ""),
    ("clock", "half past midnight start the long training run on the GPU box", "B1", "Start the long training run on the GPU box", "2026-03-11 00:30", None, 4, "", ""),
    ("clock", "call the landlord at half 3", "O1", "Call the landlord", None, None, 4, ASK, ""),
    ("clock", "明天8点半 打疫苗", "S1", "打疫苗", None, None, 4, ASK, ""),
    ("clock", "明天3点一刻 视频面试", "S4", "视频面试", None, None, 4, ASK, ""),
    ("clock", "下午4点45 去取快递", "S1", "去取快递", "2026-04-13 16:45", None, 4, "", ""),
    # ---- am/pm from context words
    ("ampm_context", "tutoring session at 4 this afternoon", "D1", "Tutoring session", "2026-01-09 16:00", None, 4, "", ""),
    ("ampm_context", "今晚 倒垃圾", "K1", "倒垃圾", "2026-07-14 20:00", None, 4, "", ""),
    ("ampm_context", "saturday evening at 8 BBQ at Jo's", "O3", "BBQ at Jo's", "2026-11-07 20:00", None, 4, "", "SA"),
    ("ampm_context", "twenty past 8 in the evening call Oma", "B4", "Call Oma", "2026-05-21 20:20", None, 4, "", ""),
    ("ampm_context", "tomorrow night at 11 upload the camera-ready", "N2", "Upload the camera-ready", "2026-04-17 23:00", None, 4, "", ""),
    ("ampm_context", "midnight tmrw submit the NSF report", "L3", "Submit the NSF report", "2026-09-03 23:59", None, 4, "", ""),
    ("ampm_context", "周四晚7点半 和室友吃火锅", "S1", "和室友吃火锅", "2026-04-16 19:30", None, 4, "", "TH"),
    ("ampm_context", "中午1点 和Lily吃饭", "S4", "和Lily吃饭", "2026-12-16 13:00", None, 4, "", ""),
    ("ampm_context", "tmrw 早上 call 妈妈", "S5", "Call 妈妈", "2026-05-01 09:00", None, 4, "", ""),
    ("ampm_context", "周三下午3点 group meeting", "S1", "Group meeting", "2026-04-15 15:00", None, 4, "", "WE"),
    # ---- recurrence
    ("recurrence", "lab meeting every 1st and 3rd wednesday at 2pm", "B1", "Lab meeting", "2026-03-18 14:00", "FREQ=MONTHLY;BYDAY=+1WE,+3WE;BYHOUR=14;BYMINUTE=0", 4, "", "WE"),
    ("recurrence", "last thursday of every month journal club", "N2", "Journal club", "2026-04-30", "FREQ=MONTHLY;BYDAY=-1TH", 4, "", "TH"),
    ("recurrence", "每周二、四、六 给兰花浇水", "O1", "给兰花浇水", "2026-01-20", "FREQ=WEEKLY;BYDAY=TU,TH,SA", 4, "", "TU"),
    ("recurrence", "pay the cleaner on the 5th and 20th of each month", "K1", "Pay the cleaner", "2026-07-20", "FREQ=MONTHLY;BYMONTHDAY=5,20", 4, "", ""),
    ("recurrence", "physio exercises every day at 7am for 3 weeks", "P1", "Physio exercises", "2026-02-06 07:00", "FREQ=DAILY;BYHOUR=7;BYMINUTE=0;COUNT=21", 4, "", ""),
    ("recurrence", "every 3 weeks on friday haircut at 5:30pm", "D1", "Haircut", "2026-01-09 17:30", "FREQ=WEEKLY;INTERVAL=3;BYDAY=FR;BYHOUR=17;BYMINUTE=30", 4, "", "FR"),
    ("recurrence", "back up laptop every sunday until june 30", "T1", "Back up laptop", "2026-03-22", "FREQ=WEEKLY;BYDAY=SU;UNTIL=20260630T235959", 4, "", "SU"),
    ("recurrence", "every other thursday 10am 1:1 with Marta", "L3", "1:1 with Marta", "2026-09-03 10:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH;BYHOUR=10;BYMINUTE=0", 4, "", "TH"),
    ("recurrence", "每月最后一个周五 交实验记录", "S4", "交实验记录", "2026-12-25", "FREQ=MONTHLY;BYDAY=-1FR", 4, "", "FR"),
    ("recurrence", "每周二四 晚上8点 羽毛球", "S1", "羽毛球", "2026-04-14 20:00", "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=20;BYMINUTE=0", 4, "", "TU"),
    ("recurrence", "连续7天 早上8点 吃维生素D", "S2", "吃维生素D", "2026-09-26 08:00", "FREQ=DAILY;BYHOUR=8;BYMINUTE=0;COUNT=7", 4, "", ""),
    ("recurrence", "每季度 检查服务器备份", "S3", "检查服务器备份", "2026-06-14", "FREQ=MONTHLY;INTERVAL=3", 4, "", ""),
    ("recurrence", "renew the domain every sept 12", "O3", "Renew the domain", "2027-09-12", "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=12", 4, "", ""),
    ("recurrence", "每个工作日下午3点 拉伸", "K2", "拉伸", "2026-08-10 15:00", WD + ";BYHOUR=15;BYMINUTE=0", 4, "", "MO"),
    ("recurrence", "every 2 months on the 10th invoice the client", "A3", "Invoice the client", "2026-03-10", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10", 4, "", ""),
    ("recurrence", "meds every evening for 10 days", "B4", "Meds", "2026-05-21 19:00", "FREQ=DAILY;BYHOUR=19;BYMINUTE=0;COUNT=10", 4, "", ""),
    ("recurrence", "standup every mon/wed/fri 9:45 until 31 july", "P3", "Standup", "2026-07-08 09:45", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=45;UNTIL=20260731T235959", 4, "", "WE"),
    ("recurrence", "biweekly sync with Jens", "B5", "Sync with Jens", None, None, 4, ASK, ""),
    ("recurrence", "every 2nd sunday of the month call aunt Ruth at 6pm", "D2", "Call aunt Ruth", "2026-11-08 18:00", "FREQ=MONTHLY;BYDAY=+2SU;BYHOUR=18;BYMINUTE=0", 4, "", "SU"),
    ("recurrence", "每年10月8号 给老爸过生日", "S2", "给老爸过生日", "2026-10-08", "FREQ=YEARLY;BYMONTH=10;BYMONTHDAY=8", 4, "", ""),
    ("recurrence", "每周一三五 早上6点半 跑步", "S4", "跑步", "2026-12-18 06:30", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=6;BYMINUTE=30", 4, "", "FR"),
    ("recurrence", "每周一 9am 组会", "S3", "组会", "2026-06-15 09:00", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", 4, "", "MO"),
    ("recurrence", "every friday 4pm 实验室大扫除", "S1", "实验室大扫除", "2026-04-17 16:00", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0", 4, "", "FR"),
    ("recurrence", "每天 8pm 背单词 for 30 days", "S6", "背单词", "2026-05-09 20:00", "FREQ=DAILY;BYHOUR=20;BYMINUTE=0;COUNT=30", 4, "", ""),
    # ---- numeric and European dates
    ("numeric_date", "5/6 pay tuition installment", "N2", "Pay tuition installment", "2026-05-06", None, 4, "", ""),
    ("numeric_date", "6/5 book venue for retreat", "O1", "Book venue for retreat", "2026-05-06", None, 4, "", ""),
    ("numeric_date", "3/4 reviewer meeting", "B5", "Reviewer meeting", None, None, 4, ASK, ""),
    ("numeric_date", "10/11 grant deadline", "B4", "Grant deadline", None, None, 4, ASK, ""),
    ("numeric_date", "14.11. grandma's bday", "B1", "Grandma's bday", "2026-11-14", None, 4, "", ""),
    ("numeric_date", "2/3 dentist check-up", "K1", "Dentist check-up", "2027-03-02", None, 4, "", ""),
    ("numeric_date", "ethics renewal due 2026-10-02", "P3", "Ethics renewal", "2026-10-02", None, 4, "", ""),
    ("numeric_date", "15-09-2026 submit thesis chapter 2", "A3", "Submit thesis chapter 2", "2026-09-15", None, 4, "", ""),
    ("numeric_date", "2026/5/20 交开题报告", "S1", "交开题报告", "2026-05-20", None, 4, "", ""),
    ("numeric_date", "11/4 dentist", "A3", "Dentist", "2026-04-11", None, 4, "", ""),
    ("numeric_date", "13/6 renew parking permit", "N2", "Renew parking permit", "2026-06-13", None, 4, "", ""),
    ("numeric_date", "28/2 send the tax docs to the accountant", "P1", "Send the tax docs to the accountant", "2026-02-28", None, 4, "", ""),
    ("numeric_date", "3/15 交 tax return", "L1", "交 tax return", "2027-03-15", None, 4, "", ""),
    # ---- relative offsets
    ("relative", "in 1.5 hrs call back the courier", "T1", "Call back the courier", "+90", None, 4, "", ""),
    ("relative", "in 10 days follow up on the job application", "D1", "Follow up on the job application", "2026-01-19", None, 4, "", ""),
    ("relative", "a week from friday book club", "B1", "Book club", "2026-03-20", None, 4, "", "FR"),
    ("relative", "半小时后 提醒我关烤箱", "S2", "关烤箱", "+30", None, 4, "", ""),
    ("relative", "两周后 复查", "S4", "复查", "2026-12-30", None, 4, "", ""),
    ("relative", "一个月后 续借图书", "K1", "续借图书", "2026-08-14", None, 4, "", ""),
    ("relative", "3天后下午3点 去实验室取样本", "S1", "去实验室取样本", "2026-04-16 15:00", None, 4, "", ""),
    ("relative", "in 2 hours 15 minutes move the car", "N1", "Move the car", "+135", None, 4, "", ""),
    ("relative", "in 2 hours 给 reviewer 回信", "T1", "给 reviewer 回信", "+120", None, 4, "", ""),
    # ---- holidays
    ("holiday", "thanksgiving pick up the turkey", "N2", "Pick up the turkey", "2026-11-26", None, 4, "", "TH"),
    ("holiday", "国庆节 回老家", "S1", "回老家", "2026-10-01", None, 4, "", ""),
    ("holiday", "平安夜 订餐厅", "S4", "订餐厅", "2026-12-24", None, 4, "", ""),
    ("holiday", "independence day put up the flag", "K1", "Put up the flag", "2026-08-15", None, 4, "", ""),
    ("holiday", "4th of july cookout at Dana's", "D3", "Cookout at Dana's", "2026-07-04", None, 4, "", ""),
    ("holiday", "元旦前 交年终总结", "S4", "交年终总结", "2027-01-01", None, 4, "", ""),
    ("holiday", "五一 去看外婆", "S5", "去看外婆", "2026-05-01", None, 4, "", ""),
    ("holiday", "圣诞节 寄贺卡给导师", "S4", "寄贺卡给导师", "2026-12-25", None, 4, "", ""),
    ("holiday", "年底前 把论文投出去", "T1", "把论文投出去", "2026-12-31", None, 4, "", ""),
    # ---- next-week forms
    ("next_week", "thu next week grant call w/ NIH", "D1", "Grant call w/ NIH", "2026-01-15", None, 4, "", "TH"),
    ("next_week", "next week friday pick up the poster", "B5", "Pick up the poster", "2026-06-19", None, 4, "", "FR"),
    ("next_week", "sometime next week tidy the shared drive", "T2", "Tidy the shared drive", "2026-12-07", None, 4, "", "MO"),
    ("next_week", "tuesday next week send slides to Ravi", "L1", "Send slides to Ravi", None, None, 4, ASK, ""),
    ("next_week", "下周三 下午两点 和导师开会", "S3", "和导师开会", "2026-06-17 14:00", None, 4, "", "WE"),
    ("next_week", "下下周一 交中期报告", "S1", "交中期报告", "2026-04-27", None, 4, "", "MO"),
    ("next_week", "下个月 换驾照", "T1", "换驾照", "2026-04-01", None, 4, "", ""),
    ("next_week", "next week monday 9am kickoff", "K2", "Kickoff", "2026-08-10 09:00", None, 4, "", "MO"),
    ("next_week", "下周四 dentist appt", "K1", "Dentist appt", "2026-07-23", None, 4, "", "TH"),
    # ---- titles with date-like words
    ("title_datewords", "email April re: the summer school budget fri", "P3", "Email April re: the summer school budget", "2026-07-10", None, 4, "", "FR"),
    ("title_datewords", "order halloween costume for Leo", "L3", "Order halloween costume for Leo", None, None, 4, "", ""),
    ("title_datewords", "review section 4.3 of Tim's thesis tomorrow", "B1", "Review section 4.3 of Tim's thesis", "2026-03-11", None, 4, "", ""),
    ("title_datewords", "book the Sunday River cabin", "D1", "Book the Sunday River cabin", None, None, 4, "", ""),
    ("title_datewords", "写月报 周四", "S1", "写月报", "2026-04-16", None, 4, "", "TH"),
    ("title_datewords", "pick up Dan at terminal 2 at 6:40pm", "N2", "Pick up Dan at terminal 2", "2026-04-16 18:40", None, 4, "", ""),
    ("title_datewords", "draft the weekly newsletter for the dept", "K1", "Draft the weekly newsletter for the dept", None, None, 4, "", ""),
    ("title_datewords", "buy May a birthday card by may 12", "O1", "Buy May a birthday card", "2026-05-12", None, 4, "", ""),
    ("title_datewords", "sun cream + hat for the march hike", "A3", "Sun cream + hat for the march hike", None, None, 4, "", ""),
    ("title_datewords", "整理2025年的发票 周五前", "S4", "整理2025年的发票", "2026-12-18", None, 4, "", "FR"),
    # ---- priorities
    ("priority", "URGENT fix the broken backup script tonight", "D1", "Fix the broken backup script", "2026-01-09 20:00", None, 1, "", ""),
    ("priority", "p2 revise intro paragraph by thurs", "L3", "Revise intro paragraph", "2026-09-03", None, 2, "", "TH"),
    ("priority", "!! renew passport", "B5", "Renew passport", None, None, 1, "", ""),
    ("priority", "紧急：明早9点前把数据发给王老师", "S2", "把数据发给王老师", "2026-09-26 09:00", None, 1, "", ""),
    ("priority", "priority 3 clean up zotero library sat", "N2", "Clean up zotero library", "2026-04-18", None, 3, "", "SA"),
    ("priority", "P1 重装实验室电脑 明天", "S1", "重装实验室电脑", "2026-04-14", None, 1, "", ""),
    ("priority", "重要 下周二前 改完PPT", "S2", "改完PPT", "2026-09-29", None, 2, "", "TU"),
    ("priority", "urgent 明天中午 回复 editor 邮件", "S6", "回复 editor 邮件", "2026-05-10 12:00", None, 1, "", ""),
    ("priority", "p2 下个月 update CV", "N2", "Update CV", "2026-05-01", None, 2, "", ""),
    # ---- DST days
    ("dst", "tomorrow 2:30am restart the cluster jobs", "L2", "Restart the cluster jobs", "2026-03-08 02:30", None, 4, "", ""),
    ("dst", "every day at 2:15 am sync the photo backup", "B2", "Sync the photo backup", "2026-03-29 02:15", "FREQ=DAILY;BYHOUR=2;BYMINUTE=15", 4, "", ""),
    ("dst", "in 24 hrs check the incubator", "B3", "Check the incubator", "+1440", None, 4, "", ""),
    ("dst", "明天凌晨1点半 收集实验数据", "O2", "收集实验数据", "2026-10-25 01:30", None, 4, "", ""),
    ("dst", "tmrw at 2:45am pull the sensor logs", "A1", "Pull the sensor logs", "2026-04-05 02:45", None, 4, "", ""),
    ("dst", "at 2:20am start the mirror sync", "A2", "Start the mirror sync", "2026-09-27 02:20", None, 4, "", ""),
    ("dst", "in 48 hours renew the parking", "L2", "Renew the parking", "+2880", None, 4, "", ""),
    ("dst", "1:30am tmrw swap the tape drive", "N3", "Swap the tape drive", "2026-11-01 01:30", None, 4, "", ""),
    ("dst", "every sunday at 2:30am run the db vacuum", "P2", "Run the db vacuum", "2026-04-05 02:30", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30", 4, "", "SU"),
    ("dst", "tmrw 8am drop off car at the shop", "D2", "Drop off car at the shop", "2026-11-02 08:00", None, 4, "", ""),
    # ---- late-evening now
    ("late_evening", "明早7点 值机", "T2", "值机", "2026-12-02 07:00", None, 4, "", ""),
    ("late_evening", "明天上午10点 组会", "S2", "组会", "2026-09-26 10:00", None, 4, "", ""),
    ("late_evening", "at 11:30pm take the laundry out", "K2", "Take the laundry out", "2026-08-08 23:30", None, 4, "", ""),
    ("late_evening", "noon tmrw lunch w/ Sofia", "N3", "Lunch w/ Sofia", "2026-11-01 12:00", None, 4, "", ""),
    ("late_evening", "at 6:30 pm yoga", "O2", "Yoga", "2026-10-25 18:30", None, 4, "", ""),
    ("late_evening", "明天凌晨5点 去机场", "S2", "去机场", "2026-09-26 05:00", None, 4, "", ""),
    ("late_evening", "今晚11点 push code 到 server", "S4", "Push code 到 server", "2026-12-16 23:00", None, 4, "", ""),
    ("late_evening", "后天 meet 张老师 at 3pm", "S2", "Meet 张老师", "2026-09-27 15:00", None, 4, "", ""),
    ("late_evening", "tmr 上午10点 交 paper draft", "S4", "交 paper draft", "2026-12-17 10:00", None, 4, "", ""),
    # ---- bad input
    ("error", "dentist april 31", "N2", "", None, None, 4, ERR, ""),
    ("error", "组会 每0周", "S1", "", None, None, 4, ERR, ""),
    ("error", "call lab 25:15 tmrw", "B1", "", None, None, 4, ERR, ""),
    ("error", "p1 next friday", "O1", "", None, None, 4, ERR, ""),
    ("error", "6月31号 交论文", "S4", "", None, None, 4, ERR, ""),
    ("error", "meeting tomorrow 3pm", "S1", "", None, None, 4, ERR, ""),
    ("error", "31.02. renew contract", "P1", "", None, None, 4, ERR, ""),
]

KEYS = ["FREQ", "INTERVAL", "BYMONTH", "BYMONTHDAY", "BYDAY", "BYHOUR", "BYMINUTE", "COUNT", "UNTIL"]
# fmt: on
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def aware(naive: datetime, zone: ZoneInfo) -> datetime:
    """Local wall time -> aware: gaps move forward by the gap, overlaps take the first occurrence."""
    return naive.replace(tzinfo=zone, fold=0).astimezone(UTC).astimezone(zone)


def build() -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for i, row in enumerate(P, 1):
        cat, text, key, title, due_s, rrule, prio, flag, wd = row
        ztz, now_local = NOWS[key]
        zone = ZoneInfo(ztz)
        now = aware(datetime.fromisoformat(now_local), zone)
        tz = TZ_OVERRIDE.get(text, ztz)
        due: datetime | None = None
        if due_s is None:
            pass
        elif due_s.startswith("+"):
            due = (now.astimezone(UTC) + timedelta(minutes=int(due_s[1:]))).astimezone(zone)
        else:
            due = aware(datetime.fromisoformat(due_s), zone)
        # ---- self-checks
        timed = due_s is not None and (due_s.startswith("+") or " " in due_s)
        if flag:
            assert due is None and rrule is None, text
        if flag == ERR:
            assert title == "" and prio == 4, text
        else:
            assert title and due_s != "", text
        if wd:
            assert due is not None and DAYS[due.weekday()] == wd, (text, due)
        if due is not None:
            if timed:
                assert due > now, (text, due, now)
            else:
                assert due.date() >= now.date() and (due.hour, due.minute) == (0, 0), (text, due)
        if rrule is not None:
            parts = [p.split("=", 1) for p in rrule.split(";")]
            names = [k for k, _ in parts]
            assert names == sorted(names, key=KEYS.index), rrule
            kv = dict(parts)
            assert ("BYHOUR" in kv) == timed, text
            if "BYDAY" in kv:
                ds = [d.lstrip("+-0123456789") for d in kv["BYDAY"].split(",")]
                assert [DAYS.index(d) for d in ds] == sorted(DAYS.index(d) for d in ds), rrule
            # first occurrence: INTERVAL counts from the first occurrence, so leave it out here
            probe = ";".join(f"{k}={v}" for k, v in parts if k != "INTERVAL")
            now_naive = now.replace(tzinfo=None)
            if "BYHOUR" in kv:
                first = rrulestr(probe, dtstart=now_naive.replace(second=0, microsecond=0)).after(
                    now_naive, inc=False
                )
            else:
                start = now_naive.replace(hour=0, minute=0, second=0, microsecond=0)
                first = rrulestr(probe, dtstart=start).after(start, inc=True)
            assert first is not None and aware(first, zone) == due, (text, first, due)
        out.append(
            {
                "id": f"e{i:04d}",
                "category": cat,
                "text": text,
                "timezone": tz,
                "now": now.astimezone(UTC).isoformat(),
                "title": title,
                "due": due.isoformat() if due is not None else None,
                "rrule": rrule,
                "priority": prio,
                "ask": flag == ASK,
                "error": flag == ERR,
            }
        )
    return out


def main() -> None:
    rows = build()
    path = Path(__file__).with_name("heldout3.jsonl")
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(f"{len(rows)} phrases -> {path}")  # noqa: T201


if __name__ == "__main__":
    main()
