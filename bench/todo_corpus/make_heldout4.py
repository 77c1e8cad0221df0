# ruff: noqa: E501, T201 -- a table of phrases: one case per line reads best
"""Writes heldout4.jsonl: a fourth blind held-out set of to-do phrases (issue #14).

Written without looking at the parser, the other corpus files or the tests; labelled by
CONVENTIONS.md only. Each phrase carries its intended *local* date/time; this script turns it
into the zone's offset with zoneinfo (gap -> moved forward, overlap -> first occurrence),
turns elapsed offsets into UTC arithmetic, and self-checks weekdays, rrule first occurrences
(dateutil), key order and that nothing timed lies in the past.

Run: .venv/bin/python -m bench.todo_corpus.make_heldout4
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

BER, NY, LA, SH, KOL, AKL = (
    "Europe/Berlin",
    "America/New_York",
    "America/Los_Angeles",
    "Asia/Shanghai",
    "Asia/Kolkata",
    "Pacific/Auckland",
)
LON, TYO, MAD, CHI, SGP = (
    "Europe/London",
    "Asia/Tokyo",
    "Europe/Madrid",
    "America/Chicago",
    "Asia/Singapore",
)
WD = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"

# (zone, local wall time of `now`) -- every weekday, mornings, late evenings, 2026 DST days
NOWS: dict[str, tuple[str, str]] = {
    "B1": (BER, "2026-03-16 08:40"),  # Mon
    "B2": (BER, "2026-03-28 21:30"),  # Sat, Berlin springs forward tonight (02:00 -> 03:00)
    "B3": (BER, "2026-03-29 10:00"),  # Sun, DST day (CEST)
    "B4": (BER, "2026-10-25 09:00"),  # Sun, fall-back day (CET again)
    "B5": (BER, "2026-06-11 23:10"),  # Thu late evening
    "N1": (NY, "2026-04-22 07:15"),  # Wed
    "N2": (NY, "2026-03-07 22:45"),  # Sat, New York springs forward tonight
    "N3": (NY, "2026-03-08 11:00"),  # Sun, DST day
    "N4": (NY, "2026-10-31 20:00"),  # Sat, falls back tonight (02:00 -> 01:00)
    "N5": (NY, "2026-11-10 18:30"),  # Tue evening
    "L1": (LA, "2026-05-15 23:20"),  # Fri late evening
    "L2": (LA, "2026-03-08 09:30"),  # Sun, DST day
    "L3": (LA, "2026-09-01 06:50"),  # Tue early
    "L4": (LA, "2026-07-12 13:00"),  # Sun
    "S1": (SH, "2026-04-14 08:05"),  # Tue
    "S2": (SH, "2026-05-10 22:40"),  # Sun late evening
    "S3": (SH, "2026-09-24 13:30"),  # Thu
    "S4": (SH, "2026-12-18 23:30"),  # Fri late evening
    "K1": (KOL, "2026-07-29 10:00"),  # Wed
    "K2": (KOL, "2026-08-08 19:00"),  # Sat evening
    "A1": (AKL, "2026-04-04 21:00"),  # Sat, Auckland falls back tonight (03:00 -> 02:00)
    "A2": (AKL, "2026-09-27 08:00"),  # Sun, Auckland sprang forward at 02:00
    "A3": (AKL, "2026-11-23 22:15"),  # Mon late evening
    "G1": (LON, "2026-02-03 09:30"),  # Tue
    "G2": (LON, "2026-10-24 23:05"),  # Sat late, London falls back tonight
    "G3": (LON, "2026-03-26 12:00"),  # Thu (GMT; BST from Sun 29th)
    "T1": (TYO, "2026-06-29 07:30"),  # Mon early
    "T2": (TYO, "2026-10-09 22:50"),  # Fri late evening
    "M1": (MAD, "2026-01-14 16:00"),  # Wed
    "M2": (MAD, "2026-03-29 20:00"),  # Sun, DST day
    "C1": (CHI, "2026-02-12 12:20"),  # Thu
    "C2": (CHI, "2026-11-01 07:30"),  # Sun, fall-back day (CST)
    "C3": (CHI, "2026-08-31 23:40"),  # Mon late evening
    "P1": (SGP, "2026-07-03 09:10"),  # Fri
    "P2": (SGP, "2026-12-29 21:45"),  # Tue evening
}


@dataclass(frozen=True)
class P:
    cat: str
    text: str
    now: str  # key of NOWS
    title: str = ""
    due: str | None = None  # local "YYYY-MM-DD" (midnight) or "YYYY-MM-DD HH:MM"
    rrule: str | None = None
    pri: int = 4
    ask: bool = False
    err: bool = False
    rel: timedelta | None = None  # elapsed offset (UTC arithmetic) instead of `due`
    wd: str | None = None  # weekday the due must fall on (self-check)
    tz: str | None = None  # zone override (unknown zones for errors)


def E(cat: str, text: str, now: str, tz: str | None = None) -> P:
    return P(cat, text, now, err=True, tz=tz)


def A(cat: str, text: str, now: str, title: str, pri: int = 4) -> P:
    return P(cat, text, now, title, ask=True, pri=pri)


H = timedelta(hours=1)
MIN = timedelta(minutes=1)

PHRASES: list[P] = [
    # ---- Berlin, Mon 16 Mar 08:40 (PhD student, fast; lab manager)
    P("weekday_short", "thu submit ethics form", "B1", "Submit ethics form", "2026-03-19", wd="TH"),
    A("same_weekday", "mon group mtg w/ Katrin", "B1", "Group mtg w/ Katrin"),
    A("slash_date_ambiguous", "6/4 send poster to print shop", "B1", "Send poster to print shop"),
    P("title_datelike", "defense rehearsal in room 2.14 on 24.04. at 13:00", "B1", "Defense rehearsal in room 2.14", "2026-04-24 13:00"),
    P("recurrence_nth", "every 2nd and last wed of the month lab safety walk", "B1", "Lab safety walk", "2026-03-25", "FREQ=MONTHLY;BYDAY=+2WE,-1WE", wd="WE"),
    P("title_datelike", "call with Dr. Friday re grant at 15:30", "B1", "Call with Dr. Friday re grant", "2026-03-16 15:30"),
    P("mixed", "下周三 跟导师 meeting 下午2点", "B1", "跟导师 meeting", "2026-03-25 14:00", wd="WE"),
    P("pi_dictation", "important remind me to email the dean's office about the space allocation for room 3.104 by friday", "B1", "Email the dean's office about the space allocation for room 3.104", "2026-03-20", pri=2, wd="FR"),
    P("priority", "order pipette tips p2", "B1", "Order pipette tips", pri=2),
    P("chinese", "后天早上9点 送样品", "B1", "送样品", "2026-03-18 09:00"),
    P("chinese", "每周五下午5点 整理实验记录", "B1", "整理实验记录", "2026-03-20 17:00", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=0", wd="FR"),
    # ---- Berlin, Sat 28 Mar 21:30, the night the clocks spring forward
    P("dst_gap", "tmrw 2:30 am check freezer alarm log", "B2", "Check freezer alarm log", "2026-03-29 02:30"),
    P("chinese", "明天凌晨2点15 看一下液氮", "B2", "看一下液氮", "2026-03-29 02:15"),
    # ---- Berlin, Sun 29 Mar 10:00 (DST day)
    A("next_week_sunday", "next week tuesday dentist", "B3", "Dentist"),
    P("recurrence", "every sunday 10am church choir", "B3", "Church choir", "2026-04-05 10:00", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=10;BYMINUTE=0", wd="SU"),
    A("recurrence_ambiguous", "biweekly 1:1 with Omar", "B3", "1:1 with Omar"),
    # ---- Berlin, Sun 25 Oct 09:00 (fall-back day)
    P("relative_offset", "in 2 hours 30 minutes pick up Paul from Hbf", "B4", "Pick up Paul from Hbf", rel=150 * MIN),
    P("title_datelike", "order halloween costumes for kids", "B4", "Order halloween costumes for kids"),
    P("recurrence", "chemical inventory update every quarter", "B4", "Chemical inventory update", "2026-10-25", "FREQ=MONTHLY;INTERVAL=3"),
    # ---- Berlin, Thu 11 Jun 23:10
    P("relative_day", "2mrw 9 am renew library books", "B5", "Renew library books", "2026-06-12 09:00"),
    P("late_evening", "at 23:00 log off", "B5", "Log off", "2026-06-12 23:00"),
    P("clock", "half past midnight switch off the server", "B5", "Switch off the server", "2026-06-12 00:30"),
    P("weekday", "next tuesday renew Anmeldung", "B5", "Renew Anmeldung", "2026-06-16", wd="TU"),
    P("next_week", "sometime next week get bike serviced", "B5", "Get bike serviced", "2026-06-15", wd="MO"),
    P("mixed", "明天 submit 第二版 manuscript", "B5", "Submit 第二版 manuscript", "2026-06-12"),
    E("error", "31.02. tax appointment", "B5"),
    # ---- New York, Wed 22 Apr 07:15 (PI dictating; student texting)
    P("weekday_short", "fri 5p farewell drinks for Ana", "N1", "Farewell drinks for Ana", "2026-04-24 17:00", wd="FR"),
    P("title_datelike", "5/3 pay quarterly estimated tax", "N1", "Pay quarterly estimated tax", "2026-05-03"),
    A("same_weekday", "weds grant call w/ NIH PO", "N1", "Grant call w/ NIH PO"),
    P("recurrence_until", "every tues and thurs at 8:30am TA office hours until may 28", "N1", "TA office hours", "2026-04-23 08:30", "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=8;BYMINUTE=30;UNTIL=20260528T235959", wd="TH"),
    P("title_datelike", "read Q3 report draft by thursday", "N1", "Read Q3 report draft", "2026-04-23", wd="TH"),
    P("holiday", "on the 4th of july call grandpa Joe", "N1", "Call grandpa Joe", "2026-07-04"),
    P("pi_dictation", "remind me to call Professor Martinez about the R01 resubmission on monday at 10 in the morning", "N1", "Call Professor Martinez about the R01 resubmission", "2026-04-27 10:00", wd="MO"),
    P("title_datelike", "return 'The 4-Hour Workweek' to library tues", "N1", "Return 'The 4-Hour Workweek' to library", "2026-04-28", wd="TU"),
    P("mixed", "thu 交 reimbursement form", "N1", "交 reimbursement form", "2026-04-23", wd="TH"),
    P("chinese", "明天晚上8点 给爸妈打视频", "N1", "给爸妈打视频", "2026-04-23 20:00"),
    P("chinese", "5月10号 给妈妈订花", "N1", "给妈妈订花", "2026-05-10"),
    E("error", "standup at 9:75", "N1"),
    # ---- New York, Sat 7 Mar 22:45, the night the clocks spring forward
    P("dst_gap", "in 48 hours return rental car", "N2", "Return rental car", rel=48 * H),
    # ---- New York, Sun 8 Mar 11:00 (DST day)
    P("relative_offset", "a week from friday pick up tux", "N3", "Pick up tux", "2026-03-20", wd="FR"),
    P("recurrence_interval", "every other sunday at 1pm clean the fish tank", "N3", "Clean the fish tank", "2026-03-08 13:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;BYHOUR=13;BYMINUTE=0", wd="SU"),
    A("same_weekday", "next sunday brunch with the Hendersons", "N3", "Brunch with the Hendersons"),
    # ---- New York, Sat 31 Oct 20:00, the night the clocks fall back
    P("dst_overlap", "tomorrow 1:45am run the db migration", "N4", "Run the db migration", "2026-11-01 01:45"),
    P("holiday", "thanksgiving call aunt Ruth", "N4", "Call aunt Ruth", "2026-11-26", wd="TH"),
    P("chinese", "明天凌晨1点半 检查实验", "N4", "检查实验", "2026-11-01 01:30"),
    # ---- New York, Tue 10 Nov 18:30
    P("priority", "URGENT reviewer response due thu 9am", "N5", "Reviewer response", "2026-11-12 09:00", pri=1, wd="TH"),
    P("recurrence_nth", "every last friday of the month lab cleanup at 3pm", "N5", "Lab cleanup", "2026-11-27 15:00", "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=15;BYMINUTE=0", wd="FR"),
    P("clock", "twenty past 8 tonight call Jen", "N5", "Call Jen", "2026-11-10 20:20"),
    P("chinese", "每月1号 交房租", "N5", "交房租", "2026-12-01", "FREQ=MONTHLY;BYMONTHDAY=1"),
    P("mixed", "每周三 lab meeting 下午1点", "N5", "Lab meeting", "2026-11-11 13:00", "FREQ=WEEKLY;BYDAY=WE;BYHOUR=13;BYMINUTE=0", wd="WE"),
    # ---- Los Angeles, Fri 15 May 23:20
    A("same_weekday", "frday submit expenses", "L1", "Submit expenses"),
    P("clock", "at 9a drop car at the shop", "L1", "Drop car at the shop", "2026-05-16 09:00"),
    P("clock", "tmrw noonish lunch w Priya", "L1", "Lunch w Priya", "2026-05-16 12:00"),
    P("recurrence_count", "every day for a week 10pm stretch", "L1", "Stretch", "2026-05-16 22:00", "FREQ=DAILY;BYHOUR=22;BYMINUTE=0;COUNT=7"),
    # ---- Los Angeles, Sun 8 Mar 09:30 (DST day)
    # ---- Los Angeles, Tue 1 Sep 06:50
    P("title_datelike", "book Friday Harbor ferry by 9/12", "L3", "Book Friday Harbor ferry", "2026-09-12"),
    P("recurrence_until", "every weekday 7:15 am standup until sept 30", "L3", "Standup", "2026-09-01 07:15", WD + ";BYHOUR=7;BYMINUTE=15;UNTIL=20260930T235959", wd="TU"),
    A("ambiguous_time", "quarter to 4 pick up Maya from school", "L3", "Pick up Maya from school"),
    P("pi_dictation", "urgent remind me to go over the chapter 2 revisions with Hannah tomorrow at 2 in the afternoon", "L3", "Go over the chapter 2 revisions with Hannah", "2026-09-02 14:00", pri=1),
    P("chinese", "每周一三五 早上7点 跑步", "L3", "跑步", "2026-09-02 07:00", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=7;BYMINUTE=0", wd="WE"),
    P("mixed", "tmr 下午3点 group meeting", "L3", "Group meeting", "2026-09-02 15:00"),
    # ---- Los Angeles, Sun 12 Jul 13:00
    P("this_weekday", "this sunday 6pm water the lawn", "L4", "Water the lawn", "2026-07-12 18:00", wd="SU"),
    A("next_week_sunday", "sometime next wk sort out car insurance", "L4", "Sort out car insurance"),
    P("mixed", "隔周四 1:1 with Prof. Lee", "L4", "1:1 with Prof. Lee", "2026-07-16", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", wd="TH"),
    # ---- Shanghai, Tue 14 Apr 08:05
    P("chinese", "周四下午3点半 组会汇报", "S1", "组会汇报", "2026-04-16 15:30", wd="TH"),
    A("same_weekday", "周二 交周报", "S1", "交周报"),
    P("holiday", "五一前 买五一的火车票", "S1", "买五一的火车票", "2026-05-01"),
    P("recurrence_monthdays", "每月5号和20号 交电费", "S1", "交电费", "2026-04-20", "FREQ=MONTHLY;BYMONTHDAY=5,20"),
    P("numeric_date", "4/30 提交中期报告", "S1", "提交中期报告", "2026-04-30"),
    P("chinese", "两周后 复查", "S1", "复查", "2026-04-28"),
    P("chinese", "每周一 9:00 核对订单", "S1", "核对订单", "2026-04-20 09:00", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0", wd="MO"),
    P("chinese", "下周六上午 搬家", "S1", "搬家", "2026-04-25 09:00", wd="SA"),
    P("chinese", "每两个月 换滤芯", "S1", "换滤芯", "2026-04-14", "FREQ=MONTHLY;INTERVAL=2"),
    P("mixed", "p2 周五前 把 figure 3 改好", "S1", "把 figure 3 改好", "2026-04-17", pri=2, wd="FR"),
    E("error", "每0周 清洗水浴锅", "S1"),
    # ---- Shanghai, Sun 10 May 22:40 (Chinese weeks start Monday)
    P("next_week", "下周一 开组会", "S2", "开组会", "2026-05-11", wd="MO"),
    A("same_weekday", "周日 打扫实验室", "S2", "打扫实验室"),
    P("relative_offset", "半小时后 关掉离心机", "S2", "关掉离心机", rel=30 * MIN),
    P("next_week", "下下周三 答辩", "S2", "答辩", "2026-05-20", wd="WE"),
    P("recurrence_count", "每天晚上11点 关电脑 连续10天", "S2", "关电脑", "2026-05-10 23:00", "FREQ=DAILY;BYHOUR=23;BYMINUTE=0;COUNT=10"),
    P("mixed", "明天 交 ICML rebuttal 紧急", "S2", "交 ICML rebuttal", "2026-05-11", pri=1),
    # ---- Shanghai, Thu 24 Sep 13:30
    P("holiday", "国庆节前 提交基金本子", "S3", "提交基金本子", "2026-10-01"),
    P("chinese", "每周二四 下午4点 带本科生实验", "S3", "带本科生实验", "2026-09-24 16:00", "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=16;BYMINUTE=0", wd="TH"),
    P("recurrence", "每季度 检查液氮罐", "S3", "检查液氮罐", "2026-09-24", "FREQ=MONTHLY;INTERVAL=3"),
    A("ambiguous_time", "3点 跟 Kevin 对一下数据", "S3", "跟 Kevin 对一下数据"),
    P("chinese", "大后天 上午10点 体检", "S3", "体检", "2026-09-27 10:00"),
    P("recurrence_nth", "每月最后一个周五 聚餐", "S3", "聚餐", "2026-09-25", "FREQ=MONTHLY;BYDAY=-1FR", wd="FR"),
    P("recurrence_until", "每月15号还房贷 直到12月31日", "S3", "还房贷", "2026-10-15", "FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20261231T235959"),
    P("chinese", "周六早上 带孩子去公园", "S3", "带孩子去公园", "2026-09-26 09:00", wd="SA"),
    E("error", "6月31号 交材料", "S3"),
    # ---- Shanghai, Fri 18 Dec 23:30
    P("holiday", "圣诞节 给Tom寄卡片", "S4", "给Tom寄卡片", "2026-12-25"),
    P("holiday", "元旦前 把 review 写完", "S4", "把 review 写完", "2027-01-01"),
    P("mixed", "今晚11点50 提交 camera-ready", "S4", "提交 camera-ready", "2026-12-18 23:50"),
    P("chinese", "年底前 报销", "S4", "报销", "2026-12-31"),
    P("next_week", "下周 整理数据", "S4", "整理数据", "2026-12-21", wd="MO"),
    P("holiday", "平安夜 买苹果", "S4", "买苹果", "2026-12-24"),
    A("ambiguous_time", "8点 给老板回邮件", "S4", "给老板回邮件"),
    # ---- Kolkata, Wed 29 Jul 10:00
    P("numeric_date", "5/8 submit visa docs", "K1", "Submit visa docs", "2026-08-05"),
    P("holiday", "independence day flag hoisting at 8am", "K1", "Flag hoisting", "2026-08-15 08:00"),
    P("title_datelike", "diwali shopping list", "K1", "Diwali shopping list"),
    P("weekday_misspelled", "thrusday client demo 4pm", "K1", "Client demo", "2026-07-30 16:00", wd="TH"),
    P("pi_dictation", "remind me to review version 2.3 of the proposal day after tomorrow at 11 am", "K1", "Review version 2.3 of the proposal", "2026-07-31 11:00"),
    P("recurrence_count", "physio exercises every day at 6pm 10 times", "K1", "Physio exercises", "2026-07-29 18:00", "FREQ=DAILY;BYHOUR=18;BYMINUTE=0;COUNT=10"),
    P("relative_offset", "一小时后 打电话给房东", "K1", "打电话给房东", rel=1 * H),
    P("mixed", "every monday 跟 India team sync 10am", "K1", "跟 India team sync", "2026-08-03 10:00", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0", wd="MO"),
    # ---- Kolkata, Sat 8 Aug 19:00
    A("ambiguous_time", "call Ravi around 8", "K2", "Call Ravi"),
    P("chinese", "下个月 续签证", "K2", "续签证", "2026-09-01"),
    P("mixed", "每天 8am 吃药 for 10 days", "K2", "吃药", "2026-08-09 08:00", "FREQ=DAILY;BYHOUR=8;BYMINUTE=0;COUNT=10"),
    # ---- Auckland, Sat 4 Apr 21:00, the night the clocks fall back (03:00 -> 02:00)
    P("dst_overlap", "tomorrow 2:30am check the bread maker", "A1", "Check the bread maker", "2026-04-05 02:30"),
    P("numeric_date", "4/5 pay water bill", "A1", "Pay water bill", "2026-05-04"),
    P("recurrence_count", "eye drops every morning for 2 weeks", "A1", "Eye drops", "2026-04-05 09:00", "FREQ=DAILY;BYHOUR=9;BYMINUTE=0;COUNT=14"),
    P("mixed", "下周一 send the slides to 老板", "A1", "Send the slides to 老板", "2026-04-06", wd="MO"),
    # ---- Auckland, Sun 27 Sep 08:00 (DST day)
    P("ampm_context", "tonight 9 call mum", "A2", "Call mum", "2026-09-27 21:00"),
    # ---- Auckland, Mon 23 Nov 22:15
    P("recurrence_interval", "every fortnight on wed bin day", "A3", "Bin day", "2026-11-25", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", wd="WE"),
    P("chinese", "每周日晚上8点 给家里打电话", "A3", "给家里打电话", "2026-11-29 20:00", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=20;BYMINUTE=0", wd="SU"),
    # ---- London, Tue 3 Feb 09:30
    A("ambiguous_time", "half 5 pick up dry cleaning", "G1", "Pick up dry cleaning"),
    P("next_week", "tues next week supervision meeting", "G1", "Supervision meeting", "2026-02-10", wd="TU"),
    P("recurrence_nth", "book club 1st and 3rd thursdays 7pm", "G1", "Book club", "2026-02-05 19:00", "FREQ=MONTHLY;BYDAY=+1TH,+3TH;BYHOUR=19;BYMINUTE=0", wd="TH"),
    P("chinese", "下周三上午10点 导师见面", "G1", "导师见面", "2026-02-11 10:00", wd="WE"),
    P("mixed", "每周五 journal club 4pm", "G1", "Journal club", "2026-02-06 16:00", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=16;BYMINUTE=0", wd="FR"),
    # ---- London, Sat 24 Oct 23:05, the night the clocks fall back
    P("dst_overlap", "in 3h feed the sourdough starter", "G2", "Feed the sourdough starter", rel=3 * H),
    P("mixed", "明天 call 房东 about the heating", "G2", "Call 房东 about the heating", "2026-10-25"),
    # ---- London, Thu 26 Mar 12:00
    P("clock", "ten to 6 pm call the letting agent", "G3", "Call the letting agent", "2026-03-26 17:50"),
    P("dst_gap", "29/3 1:30am check the heating timer", "G3", "Check the heating timer", "2026-03-29 01:30"),
    P("pi_dictation", "remind me to book the seminar room for the visiting speaker from Oxford next week wednesday", "G3", "Book the seminar room for the visiting speaker from Oxford", "2026-04-01", wd="WE"),
    P("recurrence", "last day of every month submit timesheet", "G3", "Submit timesheet", "2026-03-31", "FREQ=MONTHLY;BYMONTHDAY=-1"),
    P("relative_offset", "3天后下午3点 取护照", "G3", "取护照", "2026-03-29 15:00"),
    E("error", "p1 tomorrow 9am", "G3"),
    # ---- Tokyo, Mon 29 Jun 07:30
    P("numeric_date", "7/7 tanabata party prep", "T1", "Tanabata party prep", "2026-07-07"),
    P("mixed", "every weekday 8am 朝会", "T1", "朝会", "2026-06-29 08:00", WD + ";BYHOUR=8;BYMINUTE=0", wd="MO"),
    P("chinese", "明天下午3点一刻 跟客户开会", "T1", "跟客户开会", "2026-06-30 15:15"),
    P("title_datelike", "upgrade to python 3.12 by fri", "T1", "Upgrade to python 3.12", "2026-07-03", wd="FR"),
    P("next_month", "next month cancel gym trial", "T1", "Cancel gym trial", "2026-07-01"),
    # ---- Tokyo, Fri 9 Oct 22:50
    P("priority", "紧急 明天上午 交签证材料", "T2", "交签证材料", "2026-10-10 09:00", pri=1),
    P("mixed", "下周二 visa appointment 上午10点", "T2", "Visa appointment", "2026-10-13 10:00", wd="TU"),
    E("error", "25点 开会", "T2"),
    # ---- Madrid, Wed 14 Jan 16:00
    P("numeric_date", "25/1 Lucia's birthday dinner", "M1", "Lucia's birthday dinner", "2026-01-25"),
    P("recurrence_until", "every mon 19:30 padel until feb 23", "M1", "Padel", "2026-01-19 19:30", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=19;BYMINUTE=30;UNTIL=20260223T235959", wd="MO"),
    P("clock", "21.15 call with Seoul", "M1", "Call with Seoul", "2026-01-14 21:15"),
    P("relative_offset", "a fortnight from now dentist recall", "M1", "Dentist recall", "2026-01-28"),
    P("mixed", "周五 pick up 快递 from Correos", "M1", "Pick up 快递 from Correos", "2026-01-16", wd="FR"),
    # ---- Madrid, Sun 29 Mar 20:00 (DST day)
    P("next_week", "下周二 交论文初稿", "M2", "交论文初稿", "2026-03-31", wd="TU"),
    # ---- Chicago, Thu 12 Feb 12:20
    P("priority", "p1 fix prod outage writeup by tmrw noon", "C1", "Fix prod outage writeup", "2026-02-13 12:00", pri=1),
    P("dst_gap", "march 8 2am set clocks forward", "C1", "Set clocks forward", "2026-03-08 02:00"),
    P("pi_dictation", "remind me to renew the IACUC protocol every year on march 1", "C1", "Renew the IACUC protocol", "2026-03-01", "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1"),
    P("weekday_misspelled", "wednesay 3pm budget sync", "C1", "Budget sync", "2026-02-18 15:00", wd="WE"),
    P("holiday", "五一 去纽约玩", "C1", "去纽约玩", "2026-05-01"),
    P("mixed", "下周一下午2点 TA office hours", "C1", "TA office hours", "2026-02-16 14:00", wd="MO"),
    E("error", "2/30 file W-2 copies", "C1"),
    # ---- Chicago, Sun 1 Nov 07:30 (fall-back day)
    P("ampm_context", "at 8 in the evening book club", "C2", "Book club", "2026-11-01 20:00"),
    # ---- Chicago, Mon 31 Aug 23:40
    P("mixed", "urgent 明天早上 fix the pipeline", "C3", "Fix the pipeline", "2026-09-01 09:00", pri=1),
    # ---- Singapore, Fri 3 Jul 09:10
    P("mixed", "下周五 交 progress report", "P1", "交 progress report", "2026-07-10", wd="FR"),
    P("iso_date", "2026-07-20 9:30 vaccination", "P1", "Vaccination", "2026-07-20 09:30"),
    P("weekday_misspelled", "tomrrow 14:00 condo viewing", "P1", "Condo viewing", "2026-07-04 14:00"),
    P("recurrence", "重要 每周三晚上 读论文", "P1", "读论文", "2026-07-08 20:00", "FREQ=WEEKLY;BYDAY=WE;BYHOUR=20;BYMINUTE=0", pri=2, wd="WE"),
    E("error", "call mom tomorrow", "P1", tz="Asia/Beijing"),
    # ---- Singapore, Tue 29 Dec 21:45
    P("holiday", "NYE countdown party at Marina", "P2", "Countdown party at Marina", "2026-12-31"),
    P("recurrence_count", "每天早上7点半 背单词 连续21天", "P2", "背单词", "2026-12-30 07:30", "FREQ=DAILY;BYHOUR=7;BYMINUTE=30;COUNT=21"),
    A("ambiguous_time", "5 o'clock call the bank", "P2", "Call the bank"),
    P("chinese", "每个工作日下午6点 打卡", "P2", "打卡", "2026-12-30 18:00", WD + ";BYHOUR=18;BYMINUTE=0", wd="WE"),
    P("mixed", "明天 review PR #42", "P2", "Review PR #42", "2026-12-30"),
]  # fmt: skip

KEYS = [
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
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def aware(naive: datetime, zone: ZoneInfo) -> datetime:
    """Local wall time -> aware: a gap moves forward by its length, an overlap takes fold 0."""
    first = naive.replace(tzinfo=zone, fold=0)
    return first.astimezone(UTC).astimezone(zone)


def parse_local(s: str) -> tuple[datetime, bool]:
    if len(s) == 10:
        return datetime.fromisoformat(s + " 00:00"), False
    return datetime.fromisoformat(s), True


def check_rrule(
    p: P, rule: str, due_naive: datetime, timed: bool, now_local: datetime, zone: ZoneInfo
) -> None:
    parts = [kv.split("=", 1) for kv in rule.split(";")]
    keys = [k for k, _ in parts]
    assert keys[0] == "FREQ" and keys == sorted(keys, key=KEYS.index), (p.text, keys)
    assert ("BYHOUR" in keys) == timed, (p.text, "timed rule must carry BYHOUR/BYMINUTE")
    for k, v in parts:
        if k == "BYDAY":
            plain = [re.sub(r"^[+-]?\d", "", d) for d in v.split(",")]
            if all(re.fullmatch(r"[A-Z]{2}", d) for d in v.split(",")):
                assert plain == sorted(plain, key=DAYS.index), (p.text, v)
        if k == "BYMONTHDAY" and "-" not in v:
            nums = [int(x) for x in v.split(",")]
            assert nums == sorted(nums), (p.text, v)
    # first occurrence, ignoring INTERVAL/COUNT/UNTIL (INTERVAL counts from the first occurrence)
    base = ";".join(f"{k}={v}" for k, v in parts if k not in ("INTERVAL", "COUNT", "UNTIL"))
    start = now_local.replace(second=0, microsecond=0)
    if timed:
        first = rrulestr(base, dtstart=start).after(start, inc=False)
    else:
        today = start.replace(hour=0, minute=0)
        first = rrulestr(base, dtstart=today).after(today, inc=True)
    assert first == due_naive, (p.text, first, due_naive)
    # the full rule anchored at the due starts at the due
    full = rrulestr(rule, dtstart=due_naive)
    assert full[0] == due_naive, (p.text, full[0])
    assert aware(first, zone) == aware(due_naive, zone)


def build() -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for i, p in enumerate(PHRASES, 1):
        ztz, nloc = NOWS[p.now]
        zone = ZoneInfo(ztz)
        now_local = aware(datetime.fromisoformat(nloc), zone)
        assert now_local.strftime("%Y-%m-%d %H:%M") == nloc, (p.text, "now lies in a gap")
        now_utc = now_local.astimezone(UTC)
        due: str | None = None
        if p.err:
            assert not p.title and p.due is None and p.rrule is None and p.pri == 4 and not p.ask
        elif p.ask:
            assert p.due is None and p.rrule is None and p.title
        elif p.rel is not None:
            d = (now_utc + p.rel).astimezone(zone)
            due = d.isoformat()
        elif p.due is not None:
            naive, timed = parse_local(p.due)
            d = aware(naive, zone)
            if timed:
                assert d > now_local, (p.text, "timed due in the past")
            else:
                assert naive.date() >= now_local.date(), (p.text, "date in the past")
            if p.wd:
                assert DAYS[naive.weekday()] == p.wd, (p.text, DAYS[naive.weekday()], p.wd)
            if p.rrule:
                check_rrule(p, p.rrule, naive, timed, now_local.replace(tzinfo=None), zone)
            due = d.isoformat()
        assert p.rrule is None or due is not None, p.text
        assert p.title == p.title.strip(), p.text
        if p.title and p.title[0].isascii() and p.title[0].isalpha():
            assert p.title[0].isupper(), (p.text, "title starts lower-case")
        rows.append(
            {
                "id": f"f{i:04d}",
                "category": p.cat,
                "text": p.text,
                "timezone": p.tz or ztz,
                "now": now_utc.isoformat(),
                "title": p.title,
                "due": due,
                "rrule": p.rrule,
                "priority": p.pri,
                "ask": p.ask,
                "error": p.err,
            }
        )
    return rows


def main() -> None:
    rows = build()
    out = Path(__file__).with_name("heldout4.jsonl")
    with out.open("w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} phrases to {out}")


if __name__ == "__main__":
    main()
