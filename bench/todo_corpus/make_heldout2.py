# ruff: noqa: E501 -- a table of phrases: one case per line reads best
"""Write ``heldout2.jsonl``: a second blind held-out set of to-do phrases (issue #14).

Written from ``CONVENTIONS.md`` and the label style of ``bench/todos_labelled.py`` only, without
looking at the parser, the tests or the other corpus files. Each phrase carries its intended
*local* wall time; offsets come from zoneinfo, relative offsets from UTC arithmetic, and the
self-checks below (named weekdays, rrule first occurrences via dateutil, no timed due in the
past, DST gap/overlap handling) must pass before the file is written.

Run: ``.venv/bin/python -m bench.todo_corpus.make_heldout2``
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dateutil.rrule import rrulestr

OUT = Path(__file__).with_name("heldout2.jsonl")

# fmt: off
BER, NY, LA, SH, KOL, AKL = "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Shanghai", "Asia/Kolkata", "Pacific/Auckland"
LON, TYO, CHI, SYD = "Europe/London", "Asia/Tokyo", "America/Chicago", "Australia/Sydney"

# The moments the phrases are said, as local wall time in their zone (weekday in the comment).
NOWS: dict[str, tuple[str, str]] = {
    "A": (BER, "2026-03-10 08:15"),  # Tue morning
    "B": (NY, "2026-04-15 07:40"),  # Wed morning
    "C": (LA, "2026-05-21 22:50"),  # Thu late evening (UTC is already Fri)
    "D": (SH, "2026-06-12 09:30"),  # Fri morning
    "E": (KOL, "2026-07-18 11:00"),  # Sat late morning
    "F": (AKL, "2026-08-09 20:00"),  # Sun evening
    "G": (LON, "2026-09-14 08:00"),  # Mon morning
    "H": (TYO, "2026-10-13 23:10"),  # Tue late evening
    "I": (CHI, "2026-11-18 18:20"),  # Wed evening
    "J": (SYD, "2026-01-22 07:05"),  # Thu early morning (UTC is still Wed)
    "K": (SH, "2026-03-15 21:40"),  # Sun late evening
    "L": (SH, "2026-05-04 23:30"),  # Mon late evening
    "M": (KOL, "2026-12-30 22:00"),  # Wed late evening, year end
    "N": (TYO, "2026-02-13 06:30"),  # Fri early morning (UTC is still Thu)
    "O": (NY, "2026-12-10 23:45"),  # Thu late evening
    "P": (BER, "2026-06-21 10:00"),  # Sun morning
    "Q": (LA, "2026-09-19 14:00"),  # Sat afternoon
    "R": (CHI, "2026-02-02 12:10"),  # Mon noon
    "S": (SH, "2026-09-09 15:00"),  # Wed afternoon
    "T": (SH, "2026-11-26 08:00"),  # Thu morning
    "U": (LON, "2026-05-15 17:30"),  # Fri late afternoon
    "V": (SYD, "2026-08-04 19:00"),  # Tue evening
    "W": (AKL, "2026-03-18 07:00"),  # Wed morning
    "X": (TYO, "2026-04-25 13:00"),  # Sat afternoon
    "Y": (KOL, "2026-10-19 09:00"),  # Mon morning
    "Z": (BER, "2026-11-13 16:45"),  # Fri afternoon
    # the same wall times as S, K, T, D, L for Chinese speakers living elsewhere
    "S2": (SYD, "2026-09-09 15:00"),  # Wed afternoon
    "S3": (TYO, "2026-09-09 15:00"),  # Wed afternoon
    "K2": (BER, "2026-03-15 21:40"),  # Sun late evening
    "T2": (NY, "2026-11-26 08:00"),  # Thu morning (Thanksgiving)
    "DLA": (LA, "2026-06-12 09:30"),  # Fri morning
    "L2": (AKL, "2026-05-04 23:30"),  # Mon late evening
    # DST days of 2026
    "D1": (BER, "2026-03-28 18:00"),  # Sat; Berlin springs forward Sun 29 Mar 02:00 -> 03:00
    "D2": (BER, "2026-03-29 01:30"),  # Sun, half an hour before the gap
    "D3": (LA, "2026-03-08 01:30"),  # Sun, LA springs forward at 02:00
    "D4": (NY, "2026-03-07 21:00"),  # Sat night before New York springs forward
    "D5": (LON, "2026-10-24 19:00"),  # Sat; London falls back Sun 25 Oct 02:00 -> 01:00
    "D6": (CHI, "2026-10-31 22:00"),  # Sat; Chicago falls back Sun 1 Nov 02:00 -> 01:00
    "D7": (SYD, "2026-10-03 12:00"),  # Sat; Sydney springs forward Sun 4 Oct 02:00 -> 03:00
    "D8": (SYD, "2026-04-04 12:00"),  # Sat; Sydney falls back Sun 5 Apr 03:00 -> 02:00
    "D9": (AKL, "2026-09-26 21:00"),  # Sat; Auckland springs forward Sun 27 Sep 02:00 -> 03:00
    "D10": (AKL, "2026-04-04 09:00"),  # Sat; Auckland falls back Sun 5 Apr 03:00 -> 02:00
    "D11": (NY, "2026-11-01 00:40"),  # Sun 00:40 EDT, New York falls back at 02:00 EDT
    "D12": (LON, "2026-03-28 11:00"),  # Sat; London springs forward Sun 29 Mar 01:00 -> 02:00
}

WD = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"
ROWS: list[dict[str, Any]] = []


def t(cat: str, lang: str, text: str, now: str, title: str, due: str | None = None, rrule: str | None = None,
      prio: int = 4, *, ask: bool = False, wd: str | None = None, gap: bool = False, fold: bool = False) -> None:
    """One phrase. ``due``: 'YYYY-MM-DD' (midnight), 'YYYY-MM-DD HH:MM' (wall time) or '+N' minutes from now."""
    ROWS.append({"cat": cat, "lang": lang, "text": text, "now": now, "tz": NOWS[now][0], "title": title, "due": due,
                 "rrule": rrule, "prio": prio, "ask": ask, "error": False, "wd": wd, "gap": gap, "fold": fold})


def q(cat: str, lang: str, text: str, now: str, title: str, prio: int = 4) -> None:
    """An ambiguous phrase: the answer is a question."""
    t(cat, lang, text, now, title, None, None, prio, ask=True)


def e(lang: str, text: str, now: str, tz: str | None = None) -> None:
    """Bad input: nothing may be saved."""
    ROWS.append({"cat": "error", "lang": lang, "text": text, "now": now, "tz": tz or NOWS[now][0], "title": "", "due": None,
                 "rrule": None, "prio": 4, "ask": False, "error": True, "wd": None, "gap": False, "fold": False})


# ---- weekdays and relative days, incl. misspellings and abbreviations
t("weekday_rel", "en", "submit reimbursement form thursdy", "A", "Submit reimbursement form", "2026-03-12", wd="TH")
t("weekday_rel", "en", "tmw pick up reagents from stores", "B", "Pick up reagents from stores", "2026-04-16", wd="TH")
t("weekday_rel", "en", "day after tmrw: send referee report", "G", "Send referee report", "2026-09-16", wd="WE")
t("weekday_rel", "en", "satuday clean out the lab fridge", "U", "Clean out the lab fridge", "2026-05-16", wd="SA")
t("weekday_rel", "en", "fridya send draft to Marta", "V", "Send draft to Marta", "2026-08-07", wd="FR")
t("weekday_rel", "en", "tomorow morning water the tomatoes", "Y", "Water the tomatoes", "2026-10-20 09:00", wd="TU")
t("weekday_rel", "en", "wknd: fix the bike", "Y", "Fix the bike", "2026-10-24", wd="SA")
t("weekday_rel", "en", "today 6pm hand in the timesheet", "N", "Hand in the timesheet", "2026-02-13 18:00", wd="FR")
t("weekday_rel", "en", "order cake for Lena's bday fri 🎂", "X", "Order cake for Lena's bday 🎂", "2026-05-01", wd="FR")
t("weekday_rel", "zh", "后天 去邮局寄论文", "DLA", "去邮局寄论文", "2026-06-14", wd="SU")
t("weekday_rel", "zh", "大后天上午 拿体检报告", "S", "拿体检报告", "2026-09-12 09:00", wd="SA")
t("weekday_rel", "zh", "礼拜三 还图书馆的书", "T", "还图书馆的书", "2026-12-02", wd="WE")
t("weekday_rel", "zh", "明早 交实验记录", "K", "交实验记录", "2026-03-16 09:00", wd="MO")
t("weekday_rel", "mixed", "明天 call the insurance guy", "X", "Call the insurance guy", "2026-04-26", wd="SU")
t("weekday_rel", "mixed", "ICML rebuttal due 周四", "I", "ICML rebuttal", "2026-11-19", wd="TH")
t("weekday_rel", "mixed", "周三 meeting with 导师 at 3pm", "R", "Meeting with 导师", "2026-02-04 15:00", wd="WE")

# ---- a weekday said on that same weekday
q("same_weekday", "en", "thursday: ship the poster to the printer", "J", "Ship the poster to the printer")
q("same_weekday", "en", "next tues dinner w/ Ravi", "A", "Dinner w/ Ravi")
q("same_weekday", "en", "by saturday finish the reviews", "E", "Finish the reviews")
q("same_weekday", "en", "monday 10am standup notes to Jo", "G", "Standup notes to Jo")
t("same_weekday", "en", "this sunday meal prep", "F", "Meal prep", "2026-08-09", wd="SU")
q("same_weekday", "zh", "周三 组会汇报", "S", "组会汇报")
q("same_weekday", "zh", "星期五下午三点 跟导师开会", "D", "跟导师开会")
t("same_weekday", "zh", "这个礼拜五 把周报发给老板", "D", "把周报发给老板", "2026-06-12", wd="FR")
t("same_weekday", "zh", "下周五 组里聚餐", "D", "组里聚餐", "2026-06-19", wd="FR")
q("same_weekday", "mixed", "周六 brunch with 小林", "X", "Brunch with 小林")

# ---- clock phrases
t("clock", "en", "tea with the dept head at half past four this afternoon", "B", "Tea with the dept head", "2026-04-15 16:30")
t("clock", "en", "quarter past 9 tmrw morning call the bank", "A", "Call the bank", "2026-03-11 09:15", wd="WE")
t("clock", "en", "yoga 1930", "U", "Yoga", "2026-05-15 19:30")
t("clock", "en", "meet Hanna 18.45 at the station", "Z", "Meet Hanna at the station", "2026-11-13 18:45")
t("clock", "en", "tmrw catch the 6:40 train to Hamburg", "G", "Catch the train to Hamburg", "2026-09-15 06:40", wd="TU")
t("clock", "en", "~4pm call Dad back", "Q", "Call Dad back", "2026-09-19 16:00")
t("clock", "en", "9a fri - sign lease", "R", "Sign lease", "2026-02-06 09:00", wd="FR")
t("clock", "en", "order pizza for the team 7p", "U", "Order pizza for the team", "2026-05-15 19:00")
t("clock", "en", "at 12 lunch seminar", "A", "Lunch seminar", "2026-03-10 12:00")
t("clock", "en", "around 10ish tmrw morning book the shuttle", "Y", "Book the shuttle", "2026-10-20 10:00", wd="TU")
t("clock", "en", "half 6 this evening pick up the kids", "G", "Pick up the kids", "2026-09-14 18:30")
t("clock", "en", "twenty to 3 pm vet appt", "V", "Vet appt", "2026-08-05 14:40")
t("clock", "en", "remind me to call the electrician tomorrow at 4 in the afternoon about the fuse box", "V", "Call the electrician about the fuse box", "2026-08-05 16:00", wd="WE")
t("clock", "zh", "下午三点一刻 复印材料", "S", "复印材料", "2026-09-09 15:15")
t("clock", "zh", "晚上8点半 跑步", "K2", "跑步", "2026-03-16 20:30")
t("clock", "zh", "早上七点三刻 叫醒室友", "T2", "叫醒室友", "2026-11-27 07:45")
t("clock", "zh", "凌晨1点 收集数据", "S", "收集数据", "2026-09-10 01:00")
t("clock", "mixed", "3pm 跟 Alex 对一下 slides", "D", "跟 Alex 对一下 slides", "2026-06-12 15:00")
t("clock", "mixed", "下午4点 dentist appt", "B", "Dentist appt", "2026-04-15 16:00")

# ---- recurrence
t("recurrence", "en", "journal club every 1st & 3rd thurs 2pm", "B", "Journal club", "2026-04-16 14:00", "FREQ=MONTHLY;BYDAY=+1TH,+3TH;BYHOUR=14;BYMINUTE=0", wd="TH")
t("recurrence", "en", "last sunday of every month call grandpa", "A", "Call grandpa", "2026-03-29", "FREQ=MONTHLY;BYDAY=-1SU", wd="SU")
t("recurrence", "en", "pay the cleaner on the 1st and 15th of each month", "G", "Pay the cleaner", "2026-09-15", "FREQ=MONTHLY;BYMONTHDAY=1,15")
t("recurrence", "en", "water ferns every tue/thu/sat", "W", "Water ferns", "2026-03-19", "FREQ=WEEKLY;BYDAY=TU,TH,SA", wd="TH")
t("recurrence", "en", "every other fri check payroll", "R", "Check payroll", "2026-02-06", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", wd="FR")
t("recurrence", "en", "meds 8am daily for 5 days", "C", "Meds", "2026-05-22 08:00", "FREQ=DAILY;BYHOUR=8;BYMINUTE=0;COUNT=5")
t("recurrence", "en", "every morning for a week do the physio exercises", "J", "Do the physio exercises", "2026-01-22 09:00", "FREQ=DAILY;BYHOUR=9;BYMINUTE=0;COUNT=7")
t("recurrence", "en", "stretch every evening until apr 30", "X", "Stretch", "2026-04-25 19:00", "FREQ=DAILY;BYHOUR=19;BYMINUTE=0;UNTIL=20260430T235959")
t("recurrence", "en", "fortnightly 1:1 with Priya tues 11:00", "Y", "1:1 with Priya", "2026-10-20 11:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU;BYHOUR=11;BYMINUTE=0", wd="TU")
t("recurrence", "en", "test the smoke alarms every quarter", "V", "Test the smoke alarms", "2026-08-04", "FREQ=MONTHLY;INTERVAL=3")
t("recurrence", "en", "every sept 1 renew car insurance", "H", "Renew car insurance", "2027-09-01", "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=1")
t("recurrence", "en", "leave for the bus every weekday 7:45", "I", "Leave for the bus", "2026-11-19 07:45", WD + ";BYHOUR=7;BYMINUTE=45")
t("recurrence", "en", "farmers market every sat morning for 4 weeks", "U", "Farmers market", "2026-05-16 09:00", "FREQ=WEEKLY;BYDAY=SA;BYHOUR=9;BYMINUTE=0;COUNT=4", wd="SA")
t("recurrence", "en", "every 2nd wed of the month grant office hours 4:30pm", "S", "Grant office hours", "2026-09-09 16:30", "FREQ=MONTHLY;BYDAY=+2WE;BYHOUR=16;BYMINUTE=30", wd="WE")
t("recurrence", "en", "every two months check tire pressure", "O", "Check tire pressure", "2026-12-10", "FREQ=MONTHLY;INTERVAL=2")
t("recurrence", "en", "practice piano every evening at 9pm, 10 times", "F", "Practice piano", "2026-08-09 21:00", "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;COUNT=10")
t("recurrence", "en", "swim class every tue and thu 6pm until june 30", "B", "Swim class", "2026-04-16 18:00", "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=18;BYMINUTE=0;UNTIL=20260630T235959", wd="TH")
t("recurrence", "zh", "每月8号和23号 对账", "K", "对账", "2026-03-23", "FREQ=MONTHLY;BYMONTHDAY=8,23")
t("recurrence", "zh", "每周二、四上午10点 组会", "D", "组会", "2026-06-16 10:00", "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=10;BYMINUTE=0", wd="TU")
t("recurrence", "zh", "每月最后一个周五 团建", "T", "团建", "2026-11-27", "FREQ=MONTHLY;BYDAY=-1FR", wd="FR")
t("recurrence", "zh", "每季度 更新简历", "L", "更新简历", "2026-05-04", "FREQ=MONTHLY;INTERVAL=3")
t("recurrence", "zh", "连续7天 背单词打卡", "S", "背单词打卡", "2026-09-09", "FREQ=DAILY;COUNT=7")
t("recurrence", "zh", "每年9月10号 给老师发祝福", "S", "给老师发祝福", "2026-09-10", "FREQ=YEARLY;BYMONTH=9;BYMONTHDAY=10")
t("recurrence", "zh", "每天晚上吃药 直到5月31日", "X", "吃药", "2026-04-25 20:00", "FREQ=DAILY;BYHOUR=20;BYMINUTE=0;UNTIL=20260531T235959")
t("recurrence", "mixed", "每隔一周的周五下午4点 reading group", "D", "Reading group", "2026-06-12 16:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=16;BYMINUTE=0", wd="FR")
t("recurrence", "mixed", "每个工作日早上9:30 check Slack", "G", "Check Slack", "2026-09-14 09:30", WD + ";BYHOUR=9;BYMINUTE=30")
t("recurrence", "mixed", "每周一 9am group meeting", "W", "Group meeting", "2026-03-23 09:00", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", wd="MO")
t("recurrence", "mixed", "every 周五 4pm 组会", "B", "组会", "2026-04-17 16:00", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0", wd="FR")

# ---- numeric and European dates, by zone
t("numeric_date", "en", "9/4 lab inspection", "B", "Lab inspection", "2026-09-04")
t("numeric_date", "en", "5/6 pay council tax", "U", "Pay council tax", "2026-06-05")
q("numeric_date", "en", "3/4 renew visa", "A", "Renew visa")
t("numeric_date", "en", "23/4 abstract deadline", "A", "Abstract deadline", "2026-04-23")
t("numeric_date", "en", "2/9 Onam leave application", "E", "Onam leave application", "2026-09-02")
t("numeric_date", "en", "by 11/10 submit visa docs", "H", "Submit visa docs", "2026-11-10")
t("numeric_date", "en", "11/10 flu shot", "W", "Flu shot", "2026-10-11")
t("numeric_date", "en", "car rego due 25/2", "J", "Car rego", "2026-02-25")
t("numeric_date", "en", "2026-07-03 visa appointment 8:30", "R", "Visa appointment", "2026-07-03 08:30")
t("numeric_date", "en", "07.05.2026 file the tax return", "A", "File the tax return", "2026-05-07")
t("numeric_date", "en", "return rental bike 2.4.", "A", "Return rental bike", "2026-04-02")
t("numeric_date", "en", "thesis defense 15-09-2026 10:00", "G", "Thesis defense", "2026-09-15 10:00")
t("numeric_date", "en", "pay rent 💸 on the 1st", "A", "Pay rent 💸", "2026-04-01")
t("numeric_date", "zh", "下个月5号 交房租", "L", "交房租", "2026-06-05")
t("numeric_date", "zh", "12月1日前 提交年度总结", "T", "提交年度总结", "2026-12-01")
t("numeric_date", "zh", "3号 交水电费", "L", "交水电费", "2026-06-03")
t("numeric_date", "zh", "3月28号下午3点 论文答辩", "K", "论文答辩", "2026-03-28 15:00")
t("numeric_date", "mixed", "5/20 前交 proposal", "K", "交 proposal", "2026-05-20")
t("numeric_date", "mixed", "10/15 前 submit 签证材料", "S", "Submit 签证材料", "2026-10-15")

# ---- relative offsets
t("relative", "en", "in 20 min take the bread out", "Q", "Take the bread out", "+20")
t("relative", "en", "90 mins from now check the gel", "S", "Check the gel", "+90")
t("relative", "en", "in an hour and a half ping Chris", "G", "Ping Chris", "+90")
t("relative", "en", "in 3 wks dentist recall", "V", "Dentist recall", "2026-08-25")
t("relative", "en", "in two months renew gym membership", "R", "Renew gym membership", "2026-04-02")
t("relative", "en", "a week from thursday return the tux", "B", "Return the tux", "2026-04-23", wd="TH")
t("relative", "zh", "45分钟后 关烤箱", "D", "关烤箱", "+45")
t("relative", "zh", "10天后 复查", "L", "复查", "2026-05-14")
t("relative", "zh", "一个月后 续签合同", "K", "续签合同", "2026-04-15")
t("relative", "zh", "两天后下午4点 答辩彩排", "S", "答辩彩排", "2026-09-11 16:00")
t("relative", "mixed", "半小时后 call back 王老师", "X", "Call back 王老师", "+30")
t("relative", "mixed", "3天后 follow up on the PR", "H", "Follow up on the PR", "2026-10-16")

# ---- holidays
t("holiday", "en", "by thanksgiving order the turkey", "I", "Order the turkey", "2026-11-26", wd="TH")
t("holiday", "en", "NYE party prep", "O", "Party prep", "2026-12-31")
t("holiday", "en", "valentines day book a table", "N", "Book a table", "2026-02-14")
t("holiday", "en", "by 4th of july buy bbq supplies", "R", "Buy bbq supplies", "2026-07-04")
t("holiday", "en", "independence day flag hoisting at office 8am", "E", "Flag hoisting at office", "2026-08-15 08:00")
t("holiday", "en", "new years day call the grandparents", "M", "Call the grandparents", "2027-01-01")
t("holiday", "zh", "元旦前 交课程论文", "T", "交课程论文", "2027-01-01")
t("holiday", "zh", "平安夜 买苹果", "T", "买苹果", "2026-12-24")
t("holiday", "zh", "国庆节 回老家", "S", "回老家", "2026-10-01")
t("holiday", "zh", "劳动节 去爬泰山", "K", "去爬泰山", "2026-05-01")
t("holiday", "mixed", "圣诞节 send cards to the lab", "H", "Send cards to the lab", "2026-12-25")

# ---- next-week forms
t("next_week", "en", "thursday next week send slides to Ana", "A", "Send slides to Ana", "2026-03-19", wd="TH")
t("next_week", "en", "sometime next wk clean the fume hood", "R", "Clean the fume hood", "2026-02-09", wd="MO")
t("next_week", "en", "next month: update the CV", "E", "Update the CV", "2026-08-01")
q("next_week", "en", "tue next week dentist", "P", "Dentist")
q("next_week", "en", "wed next wk 3pm PhD committee", "F", "PhD committee")
t("next_week", "en", "remind me next tuesday at 10 in the morning to renew my parking permit", "Q", "Renew my parking permit", "2026-09-22 10:00", wd="TU")
t("next_week", "zh", "下下周三 交开题报告", "D", "交开题报告", "2026-06-24", wd="WE")
t("next_week", "zh", "下周 整理实验数据", "K", "整理实验数据", "2026-03-16", wd="MO")
t("next_week", "zh", "下礼拜二上午 见导师", "T", "见导师", "2026-12-01 09:00", wd="TU")
t("next_week", "zh", "下个月 换护照", "S", "换护照", "2026-10-01")
t("next_week", "mixed", "下周四 submit the revision", "L", "Submit the revision", "2026-05-14", wd="TH")

# ---- titles holding words that only look like dates or times
t("title_dateword", "en", "fix issue #1230 tmrw", "B", "Fix issue #1230", "2026-04-16")
t("title_dateword", "en", "watch Friday Night Lights finale tonight", "U", "Watch Friday Night Lights finale", "2026-05-15 20:00")
t("title_dateword", "en", "email June about the reagent order mon", "Q", "Email June about the reagent order", "2026-09-21", wd="MO")
t("title_dateword", "en", "read chapter 12 by tues", "I", "Read chapter 12", "2026-11-24", wd="TU")
t("title_dateword", "en", "pay quarterly VAT return fri", "G", "Pay quarterly VAT return", "2026-09-18", wd="FR")
t("title_dateword", "en", "print 24 copies of the handout at 10:00", "A", "Print 24 copies of the handout", "2026-03-10 10:00")
t("title_dateword", "en", "make banner for the March for Science tmrw", "R", "Make banner for the March for Science", "2026-02-03")
t("title_dateword", "en", "call Dr. Monday re results", "B", "Call Dr. Monday re results")
t("title_dateword", "en", "buy christmas cards + stamps", "O", "Buy christmas cards + stamps")
t("title_dateword", "zh", "整理三月的发票 下周一", "L", "整理三月的发票", "2026-05-11", wd="MO")
t("title_dateword", "zh", "买中秋月饼 周六", "S", "买中秋月饼", "2026-09-12", wd="SA")
t("title_dateword", "mixed", "周五前 review the 2024 annual report", "T", "Review the 2024 annual report", "2026-11-27", wd="FR")

# ---- priorities
t("priority", "en", "URGENT!! renew the server certificate today", "C", "Renew the server certificate", "2026-05-21", prio=1)
t("priority", "en", "p2 call the landlord about the boiler tmrw 9am", "U", "Call the landlord about the boiler", "2026-05-16 09:00", prio=2)
t("priority", "en", "priority 3 tidy the bibliography", "E", "Tidy the bibliography", prio=3)
t("priority", "en", "important - send the ethics amendment by friday", "Y", "Send the ethics amendment", "2026-10-23", prio=2, wd="FR")
t("priority", "en", "send rebuttal letter P1", "W", "Send rebuttal letter", prio=1)
t("priority", "en", "!! pay the conference fee b4 thurs", "X", "Pay the conference fee", "2026-04-30", prio=1, wd="TH")
t("priority", "zh", "紧急！明天上午10点前 提交报销单", "D", "提交报销单", "2026-06-13 10:00", prio=1)
t("priority", "zh", "重要 下周一 开题答辩", "K", "开题答辩", "2026-03-16", prio=2, wd="MO")
t("priority", "mixed", "p1 修复 login bug 今晚", "S", "修复 login bug", "2026-09-09 20:00", prio=1)

# ---- Chinese forms
t("chinese", "zh", "周四晚上 给家里打视频", "S2", "给家里打视频", "2026-09-10 20:00", wd="TH")
t("chinese", "zh", "明早8点 去机场接人", "L2", "去机场接人", "2026-05-05 08:00")
t("chinese", "zh", "下午5点前 把报告发给王老师", "DLA", "把报告发给王老师", "2026-06-12 17:00")
t("chinese", "zh", "礼拜天上午十点 去教堂", "T2", "去教堂", "2026-11-29 10:00", wd="SU")
t("chinese", "zh", "年底前 把年假休完", "S", "把年假休完", "2026-12-31")
t("chinese", "zh", "周五晚上9点 跟朋友打游戏", "L", "跟朋友打游戏", "2026-05-08 21:00", wd="FR")
t("chinese", "zh", "提醒我后天早上6点起床赶飞机", "K", "起床赶飞机", "2026-03-17 06:00")
t("chinese", "zh", "星期4下午4点 开会", "S", "开会", "2026-09-10 16:00", wd="TH")
t("chinese", "zh", "提醒我明天下午三点半去快递站拿包裹", "S3", "去快递站拿包裹", "2026-09-10 15:30")
t("chinese", "zh", "周六给小王过生日🎉", "D", "给小王过生日🎉", "2026-06-13", wd="SA")
t("chinese", "mixed", "明晚 dinner w/ Chen", "B", "Dinner w/ Chen", "2026-04-16 20:00")

# ---- ambiguous: ask
q("ask", "en", "ring Bea at 8", "A", "Ring Bea")
q("ask", "en", "standup every weekday at 8", "G", "Standup")
q("ask", "en", "biweekly sync w/ Tom", "I", "Sync w/ Tom")
q("ask", "en", "bimonthly newsletter draft", "V", "Newsletter draft")
q("ask", "en", "half 3 call the plumber", "U", "Call the plumber")
q("ask", "en", "quarter to 10 tmrw pick up dry cleaning", "Y", "Pick up dry cleaning")
q("ask", "zh", "明天两点半 去银行", "D", "去银行")
q("ask", "zh", "周四 3点一刻 交稿", "K", "交稿")
q("ask", "zh", "4点45 接孩子", "D", "接孩子")
q("ask", "mixed", "明天 4 点 call Mike", "X", "Call Mike")

# ---- said late in the evening (or early, when the UTC date differs)
t("late_now", "en", "tmr 2pm dentist", "O", "Dentist", "2026-12-11 14:00", wd="FR")
t("late_now", "en", "call Lea at 10pm", "O", "Call Lea", "2026-12-11 22:00")
t("late_now", "en", "tomorrow morning email the editor", "C", "Email the editor", "2026-05-22 09:00", wd="FR")
t("late_now", "en", "2mrw 7am run w/ Sam", "C", "Run w/ Sam", "2026-05-22 07:00", wd="FR")
t("late_now", "en", "at 7:30 bake bread", "H", "Bake bread", "2026-10-14 07:30")
t("late_now", "en", "in 30 mins turn off the heater", "M", "Turn off the heater", "+30")
t("late_now", "en", "sat 8am pottery class", "N", "Pottery class", "2026-02-14 08:00", wd="SA")
t("late_now", "zh", "后天 去大使馆", "L", "去大使馆", "2026-05-06", wd="WE")
t("late_now", "zh", "明天 交实习周记", "K2", "交实习周记", "2026-03-16", wd="MO")
t("late_now", "zh", "今晚十一点 提交代码", "K", "提交代码", "2026-03-15 23:00")

# ---- DST days
t("dst", "en", "every sun 2:30am rotate logs", "D7", "Rotate logs", "2026-10-04 02:30", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=30", wd="SU", gap=True)
t("dst", "en", "tmrw 2:15am check the cryostat", "D8", "Check the cryostat", "2026-04-05 02:15", wd="SU", fold=True)
t("dst", "en", "in 2 hours feed the starter", "D3", "Feed the starter", "+120")
t("dst", "en", "in 48h check the cell counts", "D1", "Check the cell counts", "+2880")
t("dst", "en", "tomorrow 1:30am swap the backup drives", "D5", "Swap the backup drives", "2026-10-25 01:30", wd="SU", fold=True)
t("dst", "en", "tmrw 1:40am check the server", "D12", "Check the server", "2026-03-29 01:40", wd="SU", gap=True)
t("dst", "en", "in 3 days dentist", "D10", "Dentist", "2026-04-07")
t("dst", "en", "every day 1:30am nightly build", "D11", "Nightly build", "2026-11-01 01:30", "FREQ=DAILY;BYHOUR=1;BYMINUTE=30", fold=True)
t("dst", "en", "in 90 minutes restart the pump", "D11", "Restart the pump", "+90")
t("dst", "en", "at 2:30am rerun failed jobs", "D2", "Rerun failed jobs", "2026-03-29 02:30", gap=True)
t("dst", "zh", "明天凌晨2点15 备份服务器", "D9", "备份服务器", "2026-09-27 02:15", wd="SU", gap=True)
t("dst", "zh", "明天上午9点 组会", "D4", "组会", "2026-03-08 09:00", wd="SU")

# ---- bad input: nothing may be saved
e("en", "dentist 6/31", "B")
e("en", "submit grant 31.04.", "A")
e("en", "call Bea at 19:65", "G")
e("en", "every 0 mo renew parking", "R")
e("en", "p2 tmrw 8am", "U")
e("en", "renew visa fri", "B", tz="America/Boston")
e("en", "2026-02-29 file the report", "N")
e("zh", "9月31号 交材料", "S")
e("zh", "每0周 打扫卫生", "T")
e("zh", "下周三上午10点", "L")

# fmt: on

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def now_utc(key: str) -> datetime:
    tz, wall = NOWS[key]
    return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(tz)).astimezone(UTC)


def resolve(wall: datetime, tz: ZoneInfo) -> datetime:
    """Wall time -> aware: a time in a gap moves forward by the gap, an ambiguous one takes its first occurrence."""
    return wall.replace(tzinfo=tz, fold=0).astimezone(UTC).astimezone(tz)


def is_ambiguous(wall: datetime, tz: ZoneInfo) -> bool:
    """A wall time that happens twice (fall-back overlap); gap times differ by fold too but do not round-trip."""
    differs = (
        wall.replace(tzinfo=tz, fold=0).utcoffset() != wall.replace(tzinfo=tz, fold=1).utcoffset()
    )
    return differs and resolve(wall, tz).replace(tzinfo=None) == wall


def first_occurrence(rule: str, now: datetime, tz: ZoneInfo, timed: bool) -> datetime:
    """The rule's first slot: strictly after ``now`` if timed, else the first day from today on.

    INTERVAL counts from that first occurrence and COUNT/UNTIL only end the series, so they
    are left out when looking for it.
    """
    parts = [p for p in rule.split(";") if p.split("=")[0] not in ("INTERVAL", "COUNT", "UNTIL")]
    today = now.astimezone(tz).replace(tzinfo=None, hour=0, minute=0, second=0, microsecond=0)
    for occ in rrulestr(";".join(parts), dtstart=today):
        aware = resolve(occ, tz)
        if not timed or aware > now:
            return aware
    raise AssertionError(rule)


def build() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    texts: set[tuple[str, str]] = set()
    for i, r in enumerate(ROWS, 1):
        now = now_utc(r["now"])
        assert (r["text"], r["tz"]) not in texts, r["text"]
        texts.add((r["text"], r["tz"]))
        due: datetime | None = None
        if r["error"]:
            assert (
                r["title"] == ""
                and r["due"] is None
                and r["rrule"] is None
                and r["prio"] == 4
                and not r["ask"]
            )
        else:
            tz = ZoneInfo(r["tz"])
            assert r["title"] and r["title"] == r["title"].strip(), r
            first = r["title"][0]
            assert not (first.isascii() and first.isalpha() and first.islower()), (
                f"capitalize: {r['title']}"
            )
            if r["ask"]:
                assert r["due"] is None and r["rrule"] is None
            spec = r["due"]
            timed = False
            if spec is not None and spec.startswith("+"):
                timed = True
                due = (now + timedelta(minutes=int(spec[1:]))).astimezone(tz)
            elif spec is not None:
                timed = " " in spec
                wall = datetime.fromisoformat(spec)
                due = resolve(wall, tz)
                shifted = due.replace(tzinfo=None) != wall
                assert shifted == r["gap"], f"gap expectation wrong: {r['text']} -> {due}"
                assert is_ambiguous(wall, tz) == r["fold"], f"fold expectation wrong: {r['text']}"
            if due is not None:
                local_today = now.astimezone(tz).date()
                if timed:
                    assert due > now, (
                        f"timed due in the past: {r['text']} {due} <= {now.astimezone(tz)}"
                    )
                else:
                    assert due.date() >= local_today, f"date in the past: {r['text']}"
                assert due.date() <= local_today + timedelta(days=550), r["text"]
                if r["wd"]:
                    assert WEEKDAYS[due.weekday()] == r["wd"], (
                        f"weekday: {r['text']} -> {due:%a %Y-%m-%d}"
                    )
            if r["rrule"]:
                rule = r["rrule"]
                keys = [p.split("=")[0] for p in rule.split(";")]
                order = [
                    "FREQ",
                    "INTERVAL",
                    "BYMONTH",
                    "BYMONTHDAY",
                    "BYDAY",
                    "BYHOUR",
                    "BYMINUTE",
                    "COUNT",
                    "UNTIL",
                ]
                assert keys == sorted(keys, key=order.index), rule
                assert ("BYHOUR" in keys) == timed == ("BYMINUTE" in keys), rule
                assert due is not None
                occ = first_occurrence(rule, now, tz, timed)
                assert occ == due, f"rrule first occurrence {occ} != due {due}: {r['text']}"
                for p in rule.split(";"):
                    if p.startswith("UNTIL="):
                        datetime.strptime(p[6:] + "Z", "%Y%m%dT235959%z")
                    if p.startswith("BYDAY="):
                        days = p[6:].split(",")
                        assert days == sorted(
                            days,
                            key=lambda d: (
                                d.lstrip("+-0123456789") != d and int(d[:-2]) % 32,
                                WEEKDAYS.index(d[-2:]),
                            ),
                        ), rule
                    if p.startswith("BYMONTHDAY="):
                        nums = [int(x) for x in p[11:].split(",")]
                        assert nums == sorted(nums) or nums == [-1], rule
        records.append(
            {
                "id": f"d{i:04d}",
                "category": r["cat"],
                "text": r["text"],
                "timezone": r["tz"],
                "now": now.isoformat(),
                "title": r["title"],
                "due": due.isoformat() if due is not None else None,
                "rrule": r["rrule"],
                "priority": r["prio"],
                "ask": r["ask"],
                "error": r["error"],
            }
        )
    return records


def main() -> None:
    # the deliberately broken zone really is unknown
    try:
        ZoneInfo("America/Boston")
        raise AssertionError("America/Boston exists")
    except ZoneInfoNotFoundError:
        pass
    assert date(2026, 3, 2).weekday() == 0
    records = build()
    with OUT.open("w", encoding="utf-8") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    cats = Counter(r["cat"] for r in ROWS)
    langs = Counter(r["lang"] for r in ROWS)
    print(f"wrote {len(records)} records to {OUT}")  # noqa: T201 -- a script run by hand
    print("categories:", dict(cats))  # noqa: T201 -- a script run by hand
    print("languages:", dict(langs))  # noqa: T201 -- a script run by hand
    print("ask:", sum(r["ask"] for r in ROWS), "error:", sum(r["error"] for r in ROWS))  # noqa: T201 -- a script run by hand
    print("zones:", dict(Counter(r["tz"] for r in ROWS)))  # noqa: T201 -- a script run by hand


if __name__ == "__main__":
    main()
