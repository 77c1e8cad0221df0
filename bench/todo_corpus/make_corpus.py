# ruff: noqa: E501 -- a table of phrases: one case per line reads best
"""Writes dev.jsonl and heldout.jsonl: blind to-do phrases labelled by CONVENTIONS.md.

Data plus date arithmetic only (no project parser is imported). Each phrase carries its intended
*local* due as wall time ("2026-03-12 14:00", or "2026-03-12" for a date-only due) or as an exact
offset from ``now`` ("+90m", "+3h"); offsets are computed here with zoneinfo, nonexistent local
times moving forward by the DST gap and ambiguous ones taking the first occurrence. The script
checks itself before writing: each ``now`` has the local weekday and time its comment claims,
a due with a recurrence is the rule's first slot by the conventions, a due matches the one
weekday a phrase names, and no timed due lies in the past.

Run: ``.venv/bin/python -m bench.todo_corpus.make_corpus`` (or the file path).
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

BER, LON, NY, LA = "Europe/Berlin", "Europe/London", "America/New_York", "America/Los_Angeles"
SH, TYO, KOL, AKL = "Asia/Shanghai", "Asia/Tokyo", "Asia/Kolkata", "Pacific/Auckland"
WD = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"

# key: (UTC instant, zone it is meant for, local wall time and weekday it must be there)
NOWS: dict[str, tuple[str, str, str]] = {
    "BER_MON": ("2026-03-02T09:00:00+00:00", BER, "Mon 2026-03-02 10:00"),
    "BER_TUE": ("2026-03-10T07:15:00+00:00", BER, "Tue 2026-03-10 08:15"),
    "BER_WED_LATE": ("2026-03-11T21:30:00+00:00", BER, "Wed 2026-03-11 22:30"),
    "BER_FRI": ("2026-04-17T12:00:00+00:00", BER, "Fri 2026-04-17 14:00"),
    "BER_SUN": ("2026-06-07T09:00:00+00:00", BER, "Sun 2026-06-07 11:00"),
    "BER_DEC": ("2026-12-28T09:00:00+00:00", BER, "Mon 2026-12-28 10:00"),
    "BER_GAP": ("2026-03-28T12:00:00+00:00", BER, "Sat 2026-03-28 13:00"),  # springs forward Sun 02:00 -> 03:00
    "BER_GAPDAY": ("2026-03-29T00:30:00+00:00", BER, "Sun 2026-03-29 01:30"),  # 30 min before the gap
    "BER_OVERLAP": ("2026-10-24T12:00:00+00:00", BER, "Sat 2026-10-24 14:00"),  # falls back Sun 03:00 -> 02:00
    "LON_THU": ("2026-01-15T14:00:00+00:00", LON, "Thu 2026-01-15 14:00"),
    "LON_SAT_LATE": ("2026-06-13T21:10:00+00:00", LON, "Sat 2026-06-13 22:10"),
    "LON_MON": ("2026-09-07T07:30:00+00:00", LON, "Mon 2026-09-07 08:30"),
    "LON_GAP": ("2026-03-28T18:00:00+00:00", LON, "Sat 2026-03-28 18:00"),  # springs forward Sun 01:00 -> 02:00
    "LON_OVERLAP": ("2026-10-24T17:00:00+00:00", LON, "Sat 2026-10-24 18:00"),  # falls back Sun 02:00 -> 01:00
    "NY_THU": ("2026-03-19T14:00:00+00:00", NY, "Thu 2026-03-19 10:00"),
    "NY_FRI_LATE": ("2026-03-14T03:15:00+00:00", NY, "Fri 2026-03-13 23:15"),
    "NY_WED": ("2026-09-16T17:00:00+00:00", NY, "Wed 2026-09-16 13:00"),
    "NY_NOV": ("2026-11-09T14:00:00+00:00", NY, "Mon 2026-11-09 09:00"),
    "NY_GAP": ("2026-03-07T15:00:00+00:00", NY, "Sat 2026-03-07 10:00"),  # springs forward Sun 02:00 -> 03:00
    "NY_OVERLAP": ("2026-10-31T15:00:00+00:00", NY, "Sat 2026-10-31 11:00"),  # falls back Sun 02:00 -> 01:00
    "LA_TUE": ("2026-04-14T15:00:00+00:00", LA, "Tue 2026-04-14 08:00"),
    "LA_SUN": ("2026-02-09T00:00:00+00:00", LA, "Sun 2026-02-08 16:00"),
    "LA_GAP": ("2026-03-07T20:00:00+00:00", LA, "Sat 2026-03-07 12:00"),
    "LA_OVERLAP": ("2026-10-31T19:00:00+00:00", LA, "Sat 2026-10-31 12:00"),
    "SH_MON": ("2026-03-02T09:00:00+00:00", SH, "Mon 2026-03-02 17:00"),
    "SH_THU": ("2026-03-05T01:30:00+00:00", SH, "Thu 2026-03-05 09:30"),
    "SH_SUN_LATE": ("2026-03-15T14:00:00+00:00", SH, "Sun 2026-03-15 22:00"),
    "SH_WED": ("2026-04-22T07:00:00+00:00", SH, "Wed 2026-04-22 15:00"),
    "SH_FRI": ("2026-05-08T00:00:00+00:00", SH, "Fri 2026-05-08 08:00"),
    "SH_SAT": ("2026-09-19T02:00:00+00:00", SH, "Sat 2026-09-19 10:00"),
    "SH_DEC": ("2026-12-15T06:00:00+00:00", SH, "Tue 2026-12-15 14:00"),
    "TYO_SAT": ("2026-05-16T01:00:00+00:00", TYO, "Sat 2026-05-16 10:00"),
    "TYO_THU_LATE": ("2026-05-21T12:45:00+00:00", TYO, "Thu 2026-05-21 21:45"),
    "KOL_TUE_LATE": ("2026-03-10T17:30:00+00:00", KOL, "Tue 2026-03-10 23:00"),
    "KOL_FRI": ("2026-08-14T05:30:00+00:00", KOL, "Fri 2026-08-14 11:00"),
    "AKL_WED": ("2026-07-07T23:00:00+00:00", AKL, "Wed 2026-07-08 11:00"),
    "AKL_SUN_LATE": ("2026-11-22T08:30:00+00:00", AKL, "Sun 2026-11-22 21:30"),
    "AKL_GAP": ("2026-09-26T00:00:00+00:00", AKL, "Sat 2026-09-26 12:00"),  # springs forward Sun 02:00 -> 03:00
    "AKL_OVERLAP": ("2026-04-04T00:00:00+00:00", AKL, "Sat 2026-04-04 13:00"),  # falls back Sun 03:00 -> 02:00
}  # fmt: skip


@dataclass(frozen=True)
class P:
    """One phrase: due is local wall time, a date, an offset from now ("+90m"), or None."""

    text: str
    tz: str
    now: str
    title: str
    due: str | None = None
    rrule: str | None = None
    p: int = 4
    ask: bool = False
    error: bool = False


def ERR(text: str, tz: str, now: str) -> P:
    return P(text, tz, now, "", error=True)


def ASK(text: str, tz: str, now: str, title: str, p: int = 4) -> P:
    return P(text, tz, now, title, p=p, ask=True)


SECTIONS: dict[str, list[P]] = {
    # short, abbreviated and misspelt weekdays and relative days
    "weekday_short": [
        P("send invoice thu", BER, "BER_TUE", "Send invoice", "2026-03-12"),
        P("grant report draft thurs", BER, "BER_TUE", "Grant report draft", "2026-03-12"),
        P("call the vet fri", BER, "BER_TUE", "Call the vet", "2026-03-13"),
        P("tomorow pick up dry cleaning", BER, "BER_TUE", "Pick up dry cleaning", "2026-03-11"),
        P("2moro 10am lab meeting", BER, "BER_TUE", "Lab meeting", "2026-03-11 10:00"),
        P("tmrw email reviewer 2", BER, "BER_TUE", "Email reviewer 2", "2026-03-11"),
        P("tmr renew library books", BER, "BER_TUE", "Renew library books", "2026-03-11"),
        P("wednesay seminar prep", BER, "BER_TUE", "Seminar prep", "2026-03-11"),
        P("sat farmers market", BER, "BER_TUE", "Farmers market", "2026-03-14"),
        P("call parents sun", BER, "BER_TUE", "Call parents", "2026-03-15"),
        P("tues team lunch", BER, "BER_MON", "Team lunch", "2026-03-03"),
        P("book flights mon", NY, "NY_THU", "Book flights", "2026-03-23"),
        P("weds 3pm office hours", NY, "NY_THU", "Office hours", "2026-03-25 15:00"),
        P("frday submit expense report", NY, "NY_THU", "Submit expense report", "2026-03-20"),
        P("tommorrow lunch with Priya at 12:30", NY, "NY_THU", "Lunch with Priya", "2026-03-20 12:30"),
        P("tmrw am gym", NY, "NY_THU", "Gym", "2026-03-20 09:00"),
        P("satuday haircut", NY, "NY_THU", "Haircut", "2026-03-21"),
        P("tues 9am dentist", NY, "NY_THU", "Dentist", "2026-03-24 09:00"),
        P("day after tmrw pay electricity", NY, "NY_THU", "Pay electricity", "2026-03-21"),
        P("tmorrow call supplier", SH, "SH_MON", "Call supplier", "2026-03-03"),
        P("wed. 2pm review PR", SH, "SH_MON", "Review PR", "2026-03-04 14:00"),
        P("thur pick up parcel", SH, "SH_MON", "Pick up parcel", "2026-03-05"),
        P("fri 11am supervision", LON, "LON_THU", "Supervision", "2026-01-16 11:00"),
        P("tomrrow buy printer ink", LON, "LON_THU", "Buy printer ink", "2026-01-16"),
        P("on mon send slides to Tom", LON, "LON_THU", "Send slides to Tom", "2026-01-19"),
        P("next tue pay council tax", LON, "LON_THU", "Pay council tax", "2026-01-20"),
        P("2mrw 8am train to Leeds", LON, "LON_THU", "Train to Leeds", "2026-01-16 08:00"),
        P("thrusday yoga 6pm", AKL, "AKL_WED", "Yoga", "2026-07-09 18:00"),
        P("tmrw 7am surf check", AKL, "AKL_WED", "Surf check", "2026-07-09 07:00"),
        P("BBQ at Jo's fri 5pm", AKL, "AKL_WED", "BBQ at Jo's", "2026-07-10 17:00"),
        P("mon renew rego", AKL, "AKL_WED", "Renew rego", "2026-07-13"),
        P("tmrw morning call grandma", TYO, "TYO_SAT", "Call grandma", "2026-05-17 09:00"),
        P("wed 19:30 badminton", TYO, "TYO_SAT", "Badminton", "2026-05-20 19:30"),
        P("monday pay phone bill", TYO, "TYO_SAT", "Pay phone bill", "2026-05-18"),
        P("tmw laundry", TYO, "TYO_SAT", "Laundry", "2026-05-17"),
        P("tue 4pm viva rehearsal", KOL, "KOL_FRI", "Viva rehearsal", "2026-08-18 16:00"),
        P("day after tomorrow collect passport", KOL, "KOL_FRI", "Collect passport", "2026-08-16"),
        P("sat 10am cricket", KOL, "KOL_FRI", "Cricket", "2026-08-15 10:00"),
        P("tomorrw send the reimbursement form", KOL, "KOL_FRI", "Send the reimbursement form", "2026-08-15"),
        P("mon 8:30 standup notes", LA, "LA_SUN", "Standup notes", "2026-02-09 08:30"),
        P("thurs eve dinner w/ Kai", LA, "LA_SUN", "Dinner w/ Kai", "2026-02-12 19:00"),
        P("2moro return rental car", LA, "LA_SUN", "Return rental car", "2026-02-09"),
    ],
    # a weekday said on that same weekday: ask (unless this/next week/today settles it)
    "same_weekday": [
        ASK("fri drinks with lab", BER, "BER_FRI", "Drinks with lab"),
        ASK("friday 5pm send newsletter", BER, "BER_FRI", "Send newsletter"),
        ASK("on friday return library books", KOL, "KOL_FRI", "Return library books"),
        ASK("周五 交周报", SH, "SH_FRI", "交周报"),
        ASK("星期五下午3点开组会", SH, "SH_FRI", "开组会"),
        ASK("thursday call landlord", NY, "NY_THU", "Call landlord"),
        ASK("thu 4pm seminar", LON, "LON_THU", "Seminar"),
        ASK("周四 取快递", SH, "SH_THU", "取快递"),
        ASK("礼拜四 还书", SH, "SH_THU", "还书"),
        ASK("tuesday pay parking ticket", BER, "BER_TUE", "Pay parking ticket"),
        ASK("next tuesday review budget", LA, "LA_TUE", "Review budget"),
        ASK("wed standup notes", NY, "NY_WED", "Standup notes"),
        ASK("星期三晚上 健身", SH, "SH_WED", "健身"),
        ASK("weds coffee w/ Hana", AKL, "AKL_WED", "Coffee w/ Hana"),
        ASK("sat laundry", TYO, "TYO_SAT", "Laundry"),
        ASK("周六 大扫除", SH, "SH_SAT", "大扫除"),
        ASK("sunday meal prep", BER, "BER_SUN", "Meal prep"),
        ASK("next sunday brunch", LA, "LA_SUN", "Brunch"),
        ASK("monday submit timesheet", LON, "LON_MON", "Submit timesheet"),
        ASK("周一 交报销", SH, "SH_MON", "交报销"),
        ASK("by friday finish reviews", SH, "SH_FRI", "Finish reviews"),
        P("this friday clean bike", KOL, "KOL_FRI", "Clean bike", "2026-08-14"),
        P("friday next week dentist", BER, "BER_FRI", "Dentist", "2026-04-24"),
        P("下周四 组会", SH, "SH_THU", "组会", "2026-03-12"),
        P("本周三 提交材料", SH, "SH_WED", "提交材料", "2026-04-22"),
        P("today at 6pm gym", NY, "NY_WED", "Gym", "2026-09-16 18:00"),
        P("this thu 5pm drinks", NY, "NY_THU", "Drinks", "2026-03-19 17:00"),
        P("next week sat hiking", TYO, "TYO_SAT", "Hiking", "2026-05-23"),
        P("this sunday at 6pm call nana", LA, "LA_SUN", "Call nana", "2026-02-08 18:00"),
        P("monday next week renew visa", NY, "NY_NOV", "Renew visa", "2026-11-16"),
    ],
    # clock phrases: half past, quarter to, o'clock, -ish, 24-hour, 7p/9a
    "clock": [
        P("call the bank at quarter past 2 this afternoon", BER, "BER_MON", "Call the bank", "2026-03-02 14:15"),
        P("half past 10 tonight take meds", BER, "BER_MON", "Take meds", "2026-03-02 22:30"),
        ASK("at 5 o'clock pick up Lena", BER, "BER_MON", "Pick up Lena"),
        P("5 o'clock tomorrow afternoon tea with Jo", BER, "BER_MON", "Tea with Jo", "2026-03-03 17:00"),
        P("call Max at noonish", BER, "BER_MON", "Call Max", "2026-03-02 12:00"),
        ASK("ring the garage at 9ish", BER, "BER_MON", "Ring the garage"),
        P("ten to 6 pm catch the bus", BER, "BER_MON", "Catch the bus", "2026-03-02 17:50"),
        P("twenty past 8 tomorrow morning call Ines", BER, "BER_MON", "Call Ines", "2026-03-03 08:20"),
        P("17:45 pick up parcel", BER, "BER_MON", "Pick up parcel", "2026-03-02 17:45"),
        P("at 1730 football", BER, "BER_MON", "Football", "2026-03-02 17:30"),
        P("12:30 lunch with Dev", NY, "NY_THU", "Lunch with Dev", "2026-03-19 12:30"),
        P("call pharmacy at 4:45pm", NY, "NY_THU", "Call pharmacy", "2026-03-19 16:45"),
        P("at 11 o'clock tonight lock the shed", NY, "NY_THU", "Lock the shed", "2026-03-19 23:00"),
        P("quarter past 7 tomorrow morning jog", NY, "NY_THU", "Jog", "2026-03-20 07:15"),
        P("7p dinner at Luca's", NY, "NY_THU", "Dinner at Luca's", "2026-03-19 19:00"),
        P("9a call with Boston team", NY, "NY_THU", "Call with Boston team", "2026-03-20 09:00"),
        P("around 3pm water the ficus", NY, "NY_THU", "Water the ficus", "2026-03-19 15:00"),
        P("at 12am renew parking permit", NY, "NY_THU", "Renew parking permit", "2026-03-20 00:00"),
        P("at 12pm sandwich run", NY, "NY_THU", "Sandwich run", "2026-03-19 12:00"),
        P("6.15pm yoga", NY, "NY_THU", "Yoga", "2026-03-19 18:15"),
        P("half 7 tonight pub quiz w/ flatmates", LON, "LON_THU", "Pub quiz w/ flatmates", "2026-01-15 19:30"),
        ASK("half 3 collect prescription", LON, "LON_THU", "Collect prescription"),
        ASK("quarter to 4 call GP surgery", LON, "LON_THU", "Call GP surgery"),
        P("at 4:15pm tutorial", LON, "LON_THU", "Tutorial", "2026-01-15 16:15"),
        P("twenty to 9 tomorrow morning bus to uni", LON, "LON_THU", "Bus to uni", "2026-01-16 08:40"),
        P("at midnight submit the form", LON, "LON_THU", "Submit the form", "2026-01-15 23:59"),
        P("half past midnight check the bread maker", LON, "LON_THU", "Check the bread maker", "2026-01-16 00:30"),
        P("at 8 o'clock in the evening call Sam", LON, "LON_THU", "Call Sam", "2026-01-15 20:00"),
        P("at 16:20 call the courier", SH, "SH_WED", "Call the courier", "2026-04-22 16:20"),
        P("quarter past 5 this evening gym", SH, "SH_WED", "Gym", "2026-04-22 17:15"),
        P("9ish tomorrow morning team call", SH, "SH_WED", "Team call", "2026-04-23 09:00"),
        P("at 11:45 brunch", TYO, "TYO_SAT", "Brunch", "2026-05-16 11:45"),
        P("noon-ish farmers market", TYO, "TYO_SAT", "Farmers market", "2026-05-16 12:00"),
        ASK("at 2 call mom", TYO, "TYO_SAT", "Call mom"),
        ASK("team dinner at 6 o'clock", TYO, "TYO_SAT", "Team dinner"),
        P("at half past eleven tonight call London", AKL, "AKL_WED", "Call London", "2026-07-08 23:30"),
        P("at quarter to noon pick up keys", AKL, "AKL_WED", "Pick up keys", "2026-07-08 11:45"),
        P("at 14:05 dentist", AKL, "AKL_WED", "Dentist", "2026-07-08 14:05"),
        P("call Arjun at 5:30 pm", KOL, "KOL_FRI", "Call Arjun", "2026-08-14 17:30"),
        P("at 21.15 call the bank", KOL, "KOL_FRI", "Call the bank", "2026-08-14 21:15"),
    ],
    # am/pm settled by a context word (morning, afternoon, evening, tonight, night)
    "ampm_context": [
        P("call mom at 6 this evening", BER, "BER_TUE", "Call mom", "2026-03-10 18:00"),
        P("tonight at 9 finish the review", BER, "BER_TUE", "Finish the review", "2026-03-10 21:00"),
        P("tomorrow morning at 8 blood test", BER, "BER_TUE", "Blood test", "2026-03-11 08:00"),
        P("at 4 in the afternoon seminar", BER, "BER_TUE", "Seminar", "2026-03-10 16:00"),
        P("this morning at 11 reply to Prof Lee", BER, "BER_TUE", "Reply to Prof Lee", "2026-03-10 11:00"),
        P("tomorrow evening call Jana", BER, "BER_TUE", "Call Jana", "2026-03-11 19:00"),
        P("every evening at 8 practise piano", BER, "BER_TUE", "Practise piano", "2026-03-10 20:00", "FREQ=DAILY;BYHOUR=20;BYMINUTE=0"),
        P("tonight 10 call Tokyo", BER, "BER_TUE", "Call Tokyo", "2026-03-10 22:00"),
        P("at 7 tonight book club", NY, "NY_WED", "Book club", "2026-09-16 19:00"),
        P("tomorrow at 6 in the morning airport run", NY, "NY_WED", "Airport run", "2026-09-17 06:00"),
        P("this afternoon at 3 call insurance", NY, "NY_WED", "Call insurance", "2026-09-16 15:00"),
        P("fri evening at 7 date night", NY, "NY_WED", "Date night", "2026-09-18 19:00"),
        P("tonight pack for conference", NY, "NY_WED", "Pack for conference", "2026-09-16 20:00"),
        P("sat morning soccer at 9", NY, "NY_WED", "Soccer", "2026-09-19 09:00"),
        P("tomorrow night watch the debate", NY, "NY_WED", "Watch the debate", "2026-09-17 20:00"),
        P("at 5 this afternoon send draft", NY, "NY_WED", "Send draft", "2026-09-16 17:00"),
        P("call Rosa at 10 this morning", LA, "LA_TUE", "Call Rosa", "2026-04-14 10:00"),
        P("at 8 tonight rehearsal", LA, "LA_TUE", "Rehearsal", "2026-04-14 20:00"),
        P("every morning at 6:30 run", LA, "LA_TUE", "Run", "2026-04-15 06:30", "FREQ=DAILY;BYHOUR=6;BYMINUTE=30"),
        P("thursday at 3 in the afternoon vet appt", LA, "LA_TUE", "Vet appt", "2026-04-16 15:00"),
        P("tomorrow at 11 in the morning interview", LA, "LA_TUE", "Interview", "2026-04-15 11:00"),
        P("tonight at 11 call NYC office", SH, "SH_THU", "Call NYC office", "2026-03-05 23:00"),
        P("this evening at 7:30 yoga", SH, "SH_THU", "Yoga", "2026-03-05 19:30"),
        P("tomorrow evening 6 dinner with Wei", SH, "SH_THU", "Dinner with Wei", "2026-03-06 18:00"),
        P("at 2 this afternoon PhD meeting", LON, "LON_MON", "PhD meeting", "2026-09-07 14:00"),
        P("half 6 this evening squash", LON, "LON_MON", "Squash", "2026-09-07 18:30"),
        P("wed morning 10 dentist", LON, "LON_MON", "Dentist", "2026-09-09 10:00"),
        P("tomorrow evening at 9 call Aus", LON, "LON_MON", "Call Aus", "2026-09-08 21:00"),
        P("every weekday evening at 6 walk the dog", LON, "LON_MON", "Walk the dog", "2026-09-07 18:00", WD + ";BYHOUR=18;BYMINUTE=0"),
        P("this evening 7 puja", KOL, "KOL_FRI", "Puja", "2026-08-14 19:00"),
        P("tomorrow morning 7 yoga class", KOL, "KOL_FRI", "Yoga class", "2026-08-15 07:00"),
        P("sunday evening at 8 call parents", KOL, "KOL_FRI", "Call parents", "2026-08-16 20:00"),
        P("in the afternoon at 4 pick up dry cleaning", KOL, "KOL_FRI", "Pick up dry cleaning", "2026-08-14 16:00"),
        P("tonight at 9:30 call mum", AKL, "AKL_WED", "Call mum", "2026-07-08 21:30"),
        P("tomorrow morning feed the chooks", AKL, "AKL_WED", "Feed the chooks", "2026-07-09 09:00"),
    ],
    # recurrence: nth/last weekday, lists of days, several month days, counts, until, quarter, fortnight
    "recurrence": [
        P("every tue and thu at 8am swim", BER, "BER_MON", "Swim", "2026-03-03 08:00", "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=8;BYMINUTE=0"),
        P("lab meeting every 2nd and 4th wednesday at 2pm", BER, "BER_MON", "Lab meeting", "2026-03-11 14:00", "FREQ=MONTHLY;BYDAY=+2WE,+4WE;BYHOUR=14;BYMINUTE=0"),
        P("last thursday of every month team social", BER, "BER_MON", "Team social", "2026-03-26", "FREQ=MONTHLY;BYDAY=-1TH"),
        P("first monday of each month at 9am pay invoices", BER, "BER_MON", "Pay invoices", "2026-04-06 09:00", "FREQ=MONTHLY;BYDAY=+1MO;BYHOUR=9;BYMINUTE=0"),
        P("every mon thu sat 7am run", BER, "BER_MON", "Run", "2026-03-05 07:00", "FREQ=WEEKLY;BYDAY=MO,TH,SA;BYHOUR=7;BYMINUTE=0"),
        P("water orchids on the 1st and 15th", BER, "BER_MON", "Water orchids", "2026-03-15", "FREQ=MONTHLY;BYMONTHDAY=1,15"),
        P("take antibiotics every day for 10 days", BER, "BER_MON", "Take antibiotics", "2026-03-02", "FREQ=DAILY;COUNT=10"),
        P("physio exercises every morning for 2 weeks", BER, "BER_MON", "Physio exercises", "2026-03-03 09:00", "FREQ=DAILY;BYHOUR=9;BYMINUTE=0;COUNT=14"),
        P("every quarter check backups", BER, "BER_MON", "Check backups", "2026-03-02", "FREQ=MONTHLY;INTERVAL=3"),
        P("every fortnight on thursday clean gutters", BER, "BER_MON", "Clean gutters", "2026-03-05", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TH"),
        P("vitamin D daily until april 30", BER, "BER_MON", "Vitamin D", "2026-03-02", "FREQ=DAILY;UNTIL=20260430T235959"),
        P("farmers market every sat 9am for 4 weeks", BER, "BER_MON", "Farmers market", "2026-03-07 09:00", "FREQ=WEEKLY;BYDAY=SA;BYHOUR=9;BYMINUTE=0;COUNT=4"),
        P("seminar every thursday at 4pm until may 28", BER, "BER_MON", "Seminar", "2026-03-05 16:00", "FREQ=WEEKLY;BYDAY=TH;BYHOUR=16;BYMINUTE=0;UNTIL=20260528T235959"),
        P("pay quarterly taxes every 3 months on the 15th", BER, "BER_MON", "Pay quarterly taxes", "2026-03-15", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=15"),
        P("every 2 months on the 10th haircut", BER, "BER_MON", "Haircut", "2026-03-10", "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=10"),
        ASK("biweekly sync with Anna", BER, "BER_MON", "Sync with Anna"),
        P("every tuesday and friday at 6pm climbing", NY, "NY_THU", "Climbing", "2026-03-20 18:00", "FREQ=WEEKLY;BYDAY=TU,FR;BYHOUR=18;BYMINUTE=0"),
        P("trash out every wednesday night at 9", NY, "NY_THU", "Trash out", "2026-03-25 21:00", "FREQ=WEEKLY;BYDAY=WE;BYHOUR=21;BYMINUTE=0"),
        P("last friday of each month payroll check", NY, "NY_THU", "Payroll check", "2026-03-27", "FREQ=MONTHLY;BYDAY=-1FR"),
        P("every 1st and 3rd monday at 7pm HOA meeting", NY, "NY_THU", "HOA meeting", "2026-04-06 19:00", "FREQ=MONTHLY;BYDAY=+1MO,+3MO;BYHOUR=19;BYMINUTE=0"),
        P("every weekday at 7:45 am take the train", NY, "NY_THU", "Take the train", "2026-03-20 07:45", WD + ";BYHOUR=7;BYMINUTE=45"),
        P("stretch every 2 days at 7pm", NY, "NY_THU", "Stretch", "2026-03-19 19:00", "FREQ=DAILY;INTERVAL=2;BYHOUR=19;BYMINUTE=0"),
        P("piano lesson every monday at 4pm, 10 times", NY, "NY_THU", "Piano lesson", "2026-03-23 16:00", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=16;BYMINUTE=0;COUNT=10"),
        P("every other friday payday", NY, "NY_THU", "Payday", "2026-03-20", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        P("dentist cleaning every 6 months", NY, "NY_THU", "Dentist cleaning", "2026-03-19", "FREQ=MONTHLY;INTERVAL=6"),
        ASK("send newsletter bimonthly", NY, "NY_THU", "Send newsletter"),
        P("every mon/wed/fri at 5:30pm spin class", LA, "LA_TUE", "Spin class", "2026-04-15 17:30", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=17;BYMINUTE=30"),
        P("2nd tuesday of every month 6pm board mtg", LA, "LA_TUE", "Board mtg", "2026-04-14 18:00", "FREQ=MONTHLY;BYDAY=+2TU;BYHOUR=18;BYMINUTE=0"),
        P("last sunday of the month call grandpa", LA, "LA_TUE", "Call grandpa", "2026-04-26", "FREQ=MONTHLY;BYDAY=-1SU"),
        P("meds every day at 9pm for 30 days", LA, "LA_TUE", "Meds", "2026-04-14 21:00", "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;COUNT=30"),
        P("every june 1 renew car registration", LA, "LA_TUE", "Renew car registration", "2026-06-01", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1"),
        P("log hours every weekday until may 1", LA, "LA_TUE", "Log hours", "2026-04-14", WD + ";UNTIL=20260501T235959"),
        P("every fortnight clean the oven", LON, "LON_MON", "Clean the oven", "2026-09-07", "FREQ=WEEKLY;INTERVAL=2"),
        P("every 3rd wednesday of the month book club at 7pm", LON, "LON_MON", "Book club", "2026-09-16 19:00", "FREQ=MONTHLY;BYDAY=+3WE;BYHOUR=19;BYMINUTE=0"),
        P("quarterly on the 1st submit VAT return", LON, "LON_MON", "Submit VAT return", "2026-10-01", "FREQ=MONTHLY;INTERVAL=3;BYMONTHDAY=1"),
        P("bins out every tuesday evening", LON, "LON_MON", "Bins out", "2026-09-08 19:00", "FREQ=WEEKLY;BYDAY=TU;BYHOUR=19;BYMINUTE=0"),
        P("floss every night at 10pm for a week", LON, "LON_MON", "Floss", "2026-09-07 22:00", "FREQ=DAILY;BYHOUR=22;BYMINUTE=0;COUNT=7"),
        P("every year on 14 feb book restaurant", LON, "LON_MON", "Book restaurant", "2027-02-14", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=14"),
        P("every thu & sun 6am run club", AKL, "AKL_WED", "Run club", "2026-07-09 06:00", "FREQ=WEEKLY;BYDAY=TH,SU;BYHOUR=6;BYMINUTE=0"),
        P("pay rates on the 20th of every month", AKL, "AKL_WED", "Pay rates", "2026-07-20", "FREQ=MONTHLY;BYMONTHDAY=20"),
        P("every 4 weeks on monday team retro", AKL, "AKL_WED", "Team retro", "2026-07-13", "FREQ=WEEKLY;INTERVAL=4;BYDAY=MO"),
        P("every day until friday check the traps", AKL, "AKL_WED", "Check the traps", "2026-07-08", "FREQ=DAILY;UNTIL=20260710T235959"),
        P("every 5th and 20th pay EMI", KOL, "KOL_FRI", "Pay EMI", "2026-08-20", "FREQ=MONTHLY;BYMONTHDAY=5,20"),
        P("every saturday 7am for 8 weeks badminton coaching", KOL, "KOL_FRI", "Badminton coaching", "2026-08-15 07:00", "FREQ=WEEKLY;BYDAY=SA;BYHOUR=7;BYMINUTE=0;COUNT=8"),
        P("every 4th saturday society meeting", KOL, "KOL_FRI", "Society meeting", "2026-08-22", "FREQ=MONTHLY;BYDAY=+4SA"),
        P("every evening water the tulsi", KOL, "KOL_FRI", "Water the tulsi", "2026-08-14 19:00", "FREQ=DAILY;BYHOUR=19;BYMINUTE=0"),
        P("every sunday and wednesday at 8pm language exchange", TYO, "TYO_SAT", "Language exchange", "2026-05-17 20:00", "FREQ=WEEKLY;BYDAY=WE,SU;BYHOUR=20;BYMINUTE=0"),
        P("last day of every month back up photos", TYO, "TYO_SAT", "Back up photos", "2026-05-31", "FREQ=MONTHLY;BYMONTHDAY=-1"),
        P("every 10 days change water filter", TYO, "TYO_SAT", "Change water filter", "2026-05-16", "FREQ=DAILY;INTERVAL=10"),
        P("every monday and thursday 10am journal club", SH, "SH_WED", "Journal club", "2026-04-23 10:00", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10;BYMINUTE=0"),
        P("every 2nd friday of the month at 3pm seminar", SH, "SH_WED", "Seminar", "2026-05-08 15:00", "FREQ=MONTHLY;BYDAY=+2FR;BYHOUR=15;BYMINUTE=0"),
        P("every weekday 8:30 check inbox", BER, "BER_SUN", "Check inbox", "2026-06-08 08:30", WD + ";BYHOUR=8;BYMINUTE=30"),
        P("each month on the last friday submit timesheet", BER, "BER_SUN", "Submit timesheet", "2026-06-26", "FREQ=MONTHLY;BYDAY=-1FR"),
        P("every other sunday at 4pm call Oma", BER, "BER_SUN", "Call Oma", "2026-06-07 16:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SU;BYHOUR=16;BYMINUTE=0"),
        P("feed the neighbour's cat every day at 7:15 for 5 days", BER, "BER_SUN", "Feed the neighbour's cat", "2026-06-08 07:15", "FREQ=DAILY;BYHOUR=7;BYMINUTE=15;COUNT=5"),
        P("every 3 weeks on saturday mow the lawn", BER, "BER_SUN", "Mow the lawn", "2026-06-13", "FREQ=WEEKLY;INTERVAL=3;BYDAY=SA"),
        P("every tue thu 12:30 lunch run", NY, "NY_WED", "Lunch run", "2026-09-17 12:30", "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=12;BYMINUTE=30"),
        P("every month on the 10th and 25th pay nanny", NY, "NY_WED", "Pay nanny", "2026-09-25", "FREQ=MONTHLY;BYMONTHDAY=10,25"),
        P("every thursday for 3 weeks at 6pm choir", NY, "NY_WED", "Choir", "2026-09-17 18:00", "FREQ=WEEKLY;BYDAY=TH;BYHOUR=18;BYMINUTE=0;COUNT=3"),
        P("daily standup 9:45 until oct 30", NY, "NY_WED", "Standup", "2026-09-17 09:45", "FREQ=DAILY;BYHOUR=9;BYMINUTE=45;UNTIL=20261030T235959"),
    ],
    # numeric dates: M/D in US (and China/Japan) zones, D/M in UK/India/NZ, D.M. with dots, ISO
    "numeric_date": [
        P("4/7 dentist cleaning", NY, "NY_THU", "Dentist cleaning", "2026-04-07"),
        P("submit IRB amendment by 5/1", NY, "NY_THU", "Submit IRB amendment", "2026-05-01"),
        P("6/30 3pm contract renewal call", NY, "NY_THU", "Contract renewal call", "2026-06-30 15:00"),
        P("1/15 renew lease", NY, "NY_THU", "Renew lease", "2027-01-15"),
        P("11/3 vote", NY, "NY_THU", "Vote", "2026-11-03"),
        P("3/25 10am grant webinar", NY, "NY_THU", "Grant webinar", "2026-03-25 10:00"),
        P("2026-04-09 flight to Denver", NY, "NY_THU", "Flight to Denver", "2026-04-09"),
        P("5/12 pay property tax", LA, "LA_TUE", "Pay property tax", "2026-05-12"),
        P("call recruiter 4/20 at 11am", LA, "LA_TUE", "Call recruiter", "2026-04-20 11:00"),
        P("buy bbq supplies by 7/3", LA, "LA_TUE", "Buy bbq supplies", "2026-07-03"),
        P("4/14 at 5pm send invoice", LA, "LA_TUE", "Send invoice", "2026-04-14 17:00"),
        P("on 9/1/2026 start new job", LA, "LA_TUE", "Start new job", "2026-09-01"),
        P("14.3. pick up new glasses", BER, "BER_TUE", "Pick up new glasses", "2026-03-14"),
        P("hand in application by 20.3.", BER, "BER_TUE", "Hand in application", "2026-03-20"),
        P("dentist 24.04. 10:30", BER, "BER_TUE", "Dentist", "2026-04-24 10:30"),
        P("1.4. tax appointment", BER, "BER_TUE", "Tax appointment", "2026-04-01"),
        P("07.05.2026 conference talk", BER, "BER_TUE", "Conference talk", "2026-05-07"),
        P("renew ID 3.2.", BER, "BER_TUE", "Renew ID", "2027-02-03"),
        ASK("4/5 lunch with Karl", BER, "BER_TUE", "Lunch with Karl"),
        P("17/3 parent meeting", BER, "BER_TUE", "Parent meeting", "2026-03-17"),
        P("2026-03-27 14:00 defense rehearsal", BER, "BER_TUE", "Defense rehearsal", "2026-03-27 14:00"),
        P("4/2 pay tuition", LON, "LON_THU", "Pay tuition", "2026-02-04"),
        P("28/1 viva", LON, "LON_THU", "Viva", "2026-01-28"),
        P("12.2. book MOT", LON, "LON_THU", "Book MOT", "2026-02-12"),
        P("submit chapter 3 by 30/01", LON, "LON_THU", "Submit chapter 3", "2026-01-30"),
        P("5/6 体检", SH, "SH_WED", "体检", "2026-05-06"),
        P("2026/5/20 纪念日", SH, "SH_WED", "纪念日", "2026-05-20"),
        P("6/1 儿童节礼物", SH, "SH_WED", "儿童节礼物", "2026-06-01"),
        P("5/25 call the landlord", TYO, "TYO_SAT", "Call the landlord", "2026-05-25"),
        P("6/3 14:00 eye doctor", TYO, "TYO_SAT", "Eye doctor", "2026-06-03 14:00"),
        P("25/08 visa interview 9am", KOL, "KOL_FRI", "Visa interview", "2026-08-25 09:00"),
        P("2/9 pay school fees", KOL, "KOL_FRI", "Pay school fees", "2026-09-02"),
        P("15-09-2026 submit thesis", KOL, "KOL_FRI", "Submit thesis", "2026-09-15"),
        P("10/7 warrant of fitness", AKL, "AKL_WED", "Warrant of fitness", "2026-07-10"),
        P("31/7 rent review", AKL, "AKL_WED", "Rent review", "2026-07-31"),
        P("10/2 midterm grades due", NY, "NY_WED", "Midterm grades", "2026-10-02"),
        P("12/1 at 9am flu shot", NY, "NY_WED", "Flu shot", "2026-12-01 09:00"),
    ],
    # relative offsets: exact for minutes/hours, calendar days (midnight) for days/weeks/months
    "relative_offset": [
        P("in 3h call the lab", BER, "BER_MON", "Call the lab", "+3h"),
        P("in a week follow up with editor", BER, "BER_MON", "Follow up with editor", "2026-03-09"),
        P("in 10 days pay deposit", BER, "BER_MON", "Pay deposit", "2026-03-12"),
        P("in half an hour take the cake out", BER, "BER_MON", "Take the cake out", "+30m"),
        P("in 45 mins join call", BER, "BER_MON", "Join call", "+45m"),
        P("in 2 days at 9am dentist", BER, "BER_MON", "Dentist", "2026-03-04 09:00"),
        P("a week from today submit review", BER, "BER_MON", "Submit review", "2026-03-09"),
        P("in a month check on visa", BER, "BER_MON", "Check on visa", "2026-04-02"),
        P("in 1.5 hours leave for the airport", BER, "BER_MON", "Leave for the airport", "+90m"),
        P("in 2 weeks follow up with HR", NY, "NY_THU", "Follow up with HR", "2026-04-02"),
        P("in an hour call back Mike", NY, "NY_THU", "Call back Mike", "+1h"),
        P("in 20 min move the car", NY, "NY_THU", "Move the car", "+20m"),
        P("in 4 days send rent", NY, "NY_THU", "Send rent", "2026-03-23"),
        P("in 3 months dentist checkup", NY, "NY_THU", "Dentist checkup", "2026-06-19"),
        P("a week from friday demo", NY, "NY_THU", "Demo", "2026-03-27"),
        P("in two hours start dinner", LA, "LA_SUN", "Start dinner", "+2h"),
        P("in 5 days return the jacket", LA, "LA_SUN", "Return the jacket", "2026-02-13"),
        P("a fortnight from now renew prescription", LA, "LA_SUN", "Renew prescription", "2026-02-22"),
        P("in 36 hours pick up results", LA, "LA_SUN", "Pick up results", "+36h"),
        P("in 90 mins check the dough", LON, "LON_SAT_LATE", "Check the dough", "+90m"),
        P("in 3 hours take out the bread", LON, "LON_SAT_LATE", "Take out the bread", "+3h"),
        P("in 6 weeks book follow-up", LON, "LON_SAT_LATE", "Book follow-up", "2026-07-25"),
        P("in 8 days submit camera-ready", SH, "SH_WED", "Submit camera-ready", "2026-04-30"),
        P("in 30 min shower", TYO, "TYO_THU_LATE", "Shower", "+30m"),
        P("in 2 hours 15 minutes check laundry", TYO, "TYO_THU_LATE", "Check laundry", "+135m"),
        P("in 3 weeks renew residence card", TYO, "TYO_THU_LATE", "Renew residence card", "2026-06-11"),
        P("in 2 hours call Seattle", KOL, "KOL_TUE_LATE", "Call Seattle", "+2h"),
        P("in 2 days courier the documents", KOL, "KOL_TUE_LATE", "Courier the documents", "2026-03-12"),
        P("in 1 week send invoice", AKL, "AKL_WED", "Send invoice", "2026-07-15"),
        P("in 3 hrs pick up Ava", AKL, "AKL_WED", "Pick up Ava", "+3h"),
        P("in 45 minutes take melatonin", NY, "NY_FRI_LATE", "Take melatonin", "+45m"),
        P("2 weeks from now call the insurer", NY, "NY_FRI_LATE", "Call the insurer", "2026-03-27"),
    ],
    # holidays with fixed dates (lunar ones are left out); the zone picks the country's holiday
    "holiday": [
        P("christmas eve wrap presents", BER, "BER_MON", "Wrap presents", "2026-12-24"),
        P("new year's eve party prep", BER, "BER_MON", "Party prep", "2026-12-31"),
        P("call grandma on christmas day", BER, "BER_MON", "Call grandma", "2026-12-25"),
        P("NYE fireworks with the kids", BER, "BER_DEC", "Fireworks with the kids", "2026-12-31"),
        P("new year's day brunch at 11am", BER, "BER_DEC", "Brunch", "2027-01-01 11:00"),
        P("thanksgiving call aunt Jo", NY, "NY_NOV", "Call aunt Jo", "2026-11-26"),
        P("day before thanksgiving buy turkey", NY, "NY_NOV", "Buy turkey", "2026-11-25"),
        P("christmas morning open stockings", NY, "NY_NOV", "Open stockings", "2026-12-25 09:00"),
        P("元旦 回家", SH, "SH_DEC", "回家", "2027-01-01"),
        P("平安夜 买苹果", SH, "SH_DEC", "买苹果", "2026-12-24"),
        P("圣诞节 交换礼物", SH, "SH_DEC", "交换礼物", "2026-12-25"),
        P("元旦前 交年终总结", SH, "SH_DEC", "交年终总结", "2027-01-01"),
        P("五一 去杭州", SH, "SH_WED", "去杭州", "2026-05-01"),
        P("国庆节 出去玩", SH, "SH_WED", "出去玩", "2026-10-01"),
        P("劳动节前 订酒店", SH, "SH_WED", "订酒店", "2026-05-01"),
        P("valentine's day book dinner", LON, "LON_THU", "Book dinner", "2026-02-14"),
        P("halloween carve pumpkins", LON, "LON_THU", "Carve pumpkins", "2026-10-31"),
        P("new year's eve dinner reservation at 8pm", NY, "NY_WED", "Dinner reservation", "2026-12-31 20:00"),
        P("christmas eve 5pm church", NY, "NY_WED", "Church", "2026-12-24 17:00"),
        P("4th of july BBQ at Sam's", LA, "LA_TUE", "BBQ at Sam's", "2026-07-04"),
        P("independence day flag hoisting at 8am", KOL, "KOL_FRI", "Flag hoisting", "2026-08-15 08:00"),
    ],
    # "<weekday> next week", "next week <weekday>" (weeks run Monday to Sunday)
    "next_week": [
        P("wednesday next week dentist", BER, "BER_MON", "Dentist", "2026-03-11"),
        P("next week thursday conference call", BER, "BER_MON", "Conference call", "2026-03-12"),
        P("next week fri at 3pm review meeting", BER, "BER_MON", "Review meeting", "2026-03-13 15:00"),
        P("tuesday next week 9am workshop", BER, "BER_MON", "Workshop", "2026-03-10 09:00"),
        P("thu nxt week journal club", NY, "NY_THU", "Journal club", "2026-03-26"),
        P("mon next week call accountant", NY, "NY_THU", "Call accountant", "2026-03-23"),
        P("next week wednesday 2pm sync with design", NY, "NY_THU", "Sync with design", "2026-03-25 14:00"),
        P("the week after next on tuesday ship v2", NY, "NY_THU", "Ship v2", "2026-03-31"),
        P("sometime next week clean the garage", NY, "NY_THU", "Clean the garage", "2026-03-23"),
        P("fri next week leaving drinks", LON, "LON_MON", "Leaving drinks", "2026-09-18"),
        P("next week tues 10am supervision", LON, "LON_MON", "Supervision", "2026-09-15 10:00"),
        P("next week sat half marathon", LON, "LON_MON", "Half marathon", "2026-09-19"),
        P("next week monday deadline for reimbursement", SH, "SH_WED", "Deadline for reimbursement", "2026-04-27"),
        P("thursday of next week 4pm defense", SH, "SH_WED", "Defense", "2026-04-30 16:00"),
        P("wed of next week hike Takao", TYO, "TYO_SAT", "Hike Takao", "2026-05-20"),
        P("next week thu 7pm izakaya with team", TYO, "TYO_SAT", "Izakaya with team", "2026-05-21 19:00"),
        P("next week monday submit synopsis", KOL, "KOL_FRI", "Submit synopsis", "2026-08-17"),
        P("wednesday next week at 11 am doctor", KOL, "KOL_FRI", "Doctor", "2026-08-19 11:00"),
        P("next week wed catch up with Tama", AKL, "AKL_WED", "Catch up with Tama", "2026-07-15"),
        P("tue next wk 8am physio", AKL, "AKL_WED", "Physio", "2026-07-14 08:00"),
        ASK("tuesday next week dentist", LA, "LA_SUN", "Dentist"),  # said on a Sunday: US weeks start on Sunday
    ],
    # titles holding words that only look like dates, times or repeats
    "title_datelike": [
        P("finish reading 1984", BER, "BER_MON", "Finish reading 1984"),
        P("plan Friday Harbor trip", BER, "BER_MON", "Plan Friday Harbor trip"),
        P("meeting in room B4 at 3pm", BER, "BER_MON", "Meeting in room B4", "2026-03-02 15:00"),
        P("b4 fri send slides to Ana", BER, "BER_MON", "Send slides to Ana", "2026-03-06"),
        P("review section 3.2 of the draft", BER, "BER_MON", "Review section 3.2 of the draft"),
        P("buy christmas lights", BER, "BER_MON", "Buy christmas lights"),
        P("call May tomorrow about the March report", BER, "BER_MON", "Call May about the March report", "2026-03-03"),
        P("pay $12.50 parking fine", BER, "BER_MON", "Pay $12.50 parking fine"),
        P("grab snacks at 7-Eleven", BER, "BER_MON", "Grab snacks at 7-Eleven"),
        P("buy tickets for Sunday in the Park with George", BER, "BER_MON", "Buy tickets for Sunday in the Park with George"),
        P("email April about the grant", NY, "NY_THU", "Email April about the grant"),
        P("return Tuesdays with Morrie to the library", NY, "NY_THU", "Return Tuesdays with Morrie to the library"),
        P("Q3 planning doc fri", NY, "NY_THU", "Q3 planning doc", "2026-03-20"),
        P("fix the 404 on the 2024 archive page", NY, "NY_THU", "Fix the 404 on the 2024 archive page"),
        P("read chapter 11 tonight", NY, "NY_THU", "Read chapter 11", "2026-03-19 20:00"),
        P("call August re: lease tomorrow", NY, "NY_THU", "Call August re: lease", "2026-03-20"),
        P("listen to September by Earth Wind & Fire", NY, "NY_THU", "Listen to September by Earth Wind & Fire"),
        P("写周报", SH, "SH_WED", "写周报"),
        P("准备月度汇报 周五", SH, "SH_WED", "准备月度汇报", "2026-04-24"),
        P("整理2025年的照片", SH, "SH_WED", "整理2025年的照片"),
        P("买五一的火车票", SH, "SH_WED", "买五一的火车票"),
        P("订国庆回家的机票 明天", SH, "SH_WED", "订国庆回家的机票", "2026-04-23"),
        P("年会节目排练 周四晚上7点", SH, "SH_WED", "年会节目排练", "2026-04-23 19:00"),
        P("cook sunday roast sat", LON, "LON_THU", "Cook sunday roast", "2026-01-17"),
        P("book the Boxing Day match tickets", LON, "LON_THU", "Book the Boxing Day match tickets"),
        P("finish May's performance review fri", LON, "LON_THU", "Finish May's performance review", "2026-01-16"),
        P("watch 2001: A Space Odyssey tonight", TYO, "TYO_SAT", "Watch 2001: A Space Odyssey", "2026-05-16 20:00"),
        P("buy 24 eggs", TYO, "TYO_SAT", "Buy 24 eggs"),
        P("Diwali shopping list", KOL, "KOL_FRI", "Diwali shopping list"),
        P("prep slides for the 10 min talk tomorrow", KOL, "KOL_FRI", "Prep slides for the 10 min talk", "2026-08-15"),
        P("renew the 6 month parking permit", AKL, "AKL_WED", "Renew the 6 month parking permit"),
        P("weekly report for Anke due thu", BER, "BER_TUE", "Weekly report for Anke", "2026-03-12"),
        P("daily planner refill", BER, "BER_TUE", "Daily planner refill"),
        P("每周 review 的 slides 改一下", SH, "SH_WED", "每周 review 的 slides 改一下"),
    ],
    # priorities: p1..p4, urgent/asap/!! = 1, important = 2, 紧急 = 1, 重要 = 2
    "priority": [
        P("p1 submit grant tonight", BER, "BER_MON", "Submit grant", "2026-03-02 20:00", p=1),
        P("P2 update CV", BER, "BER_MON", "Update CV", p=2),
        P("urgent: call the plumber", BER, "BER_MON", "Call the plumber", p=1),
        P("!! renew passport", BER, "BER_MON", "Renew passport", p=1),
        P("important email dean by thu", BER, "BER_MON", "Email dean", "2026-03-05", p=2),
        P("asap fix login bug", BER, "BER_MON", "Fix login bug", p=1),
        P("book dentist p3", BER, "BER_MON", "Book dentist", p=3),
        P("priority 2 clean up repo", BER, "BER_MON", "Clean up repo", p=2),
        P("URGENT pay the electric bill today", NY, "NY_THU", "Pay the electric bill", "2026-03-19", p=1),
        P("p1 call insurance tomorrow 9am", NY, "NY_THU", "Call insurance", "2026-03-20 09:00", p=1),
        P("send reimbursement form p2 fri", NY, "NY_THU", "Send reimbursement form", "2026-03-20", p=2),
        P("water plants every sunday p3", NY, "NY_THU", "Water plants", "2026-03-22", "FREQ=WEEKLY;BYDAY=SU", p=3),
        P("important - prepare tax docs", NY, "NY_THU", "Prepare tax docs", p=2),
        P("紧急 明天上午9点交报告", SH, "SH_WED", "交报告", "2026-04-23 09:00", p=1),
        P("重要：周五前完成评审", SH, "SH_WED", "完成评审", "2026-04-24", p=2),
        P("p1 修复登录bug", SH, "SH_WED", "修复登录bug", p=1),
        P("重要 每周一 组会准备", SH, "SH_WED", "组会准备", "2026-04-27", "FREQ=WEEKLY;BYDAY=MO", p=2),
        P("asap reply to the editor", LON, "LON_MON", "Reply to the editor", p=1),
        P("p4 sort photos", LON, "LON_MON", "Sort photos"),
        P("urgent!! call the bank at 2pm", LON, "LON_MON", "Call the bank", "2026-09-07 14:00", p=1),
        P("p2 prepare viva slides by monday", KOL, "KOL_FRI", "Prepare viva slides", "2026-08-17", p=2),
        P("important: renew passport next month", KOL, "KOL_FRI", "Renew passport", "2026-09-01", p=2),
        P("p3 tidy the shed sat", AKL, "AKL_WED", "Tidy the shed", "2026-07-11", p=3),
        P("asap book flights to Sydney", AKL, "AKL_WED", "Book flights to Sydney", p=1),
        P("P1 pay rent tomorrow", TYO, "TYO_SAT", "Pay rent", "2026-05-17", p=1),
        P("call landlord !! at 6pm", TYO, "TYO_SAT", "Call landlord", "2026-05-16 18:00", p=1),
    ],
    # Chinese: 周/星期/礼拜, 上午/下午/晚上, 点/点半/刻, 号/日, 明早, 后天, 下下周, 每周/每月/每年, 连续N天
    "chinese": [
        P("明早8点 去医院", SH, "SH_MON", "去医院", "2026-03-03 08:00"),
        P("后天晚上7点 聚餐", SH, "SH_MON", "聚餐", "2026-03-04 19:00"),
        P("下下周三 交论文初稿", SH, "SH_MON", "交论文初稿", "2026-03-18"),
        P("3月20号下午2点 答辩", SH, "SH_MON", "答辩", "2026-03-20 14:00"),
        P("4月1日 交房租", SH, "SH_MON", "交房租", "2026-04-01"),
        P("20号 还花呗", SH, "SH_MON", "还花呗", "2026-03-20"),
        P("两周后 复查", SH, "SH_MON", "复查", "2026-03-16"),
        P("一小时后 提醒我喝水", SH, "SH_MON", "喝水", "+1h"),
        P("半小时后 下楼取外卖", SH, "SH_MON", "下楼取外卖", "+30m"),
        P("星期四 上午十点半 面试", SH, "SH_MON", "面试", "2026-03-05 10:30"),
        P("礼拜天 去教堂", SH, "SH_MON", "去教堂", "2026-03-08"),
        P("周三下午三点一刻 开会", SH, "SH_MON", "开会", "2026-03-04 15:15"),
        P("每周二四晚上8点 打羽毛球", SH, "SH_MON", "打羽毛球", "2026-03-03 20:00", "FREQ=WEEKLY;BYDAY=TU,TH;BYHOUR=20;BYMINUTE=0"),
        P("每月5号和20号 交水电费", SH, "SH_MON", "交水电费", "2026-03-05", "FREQ=MONTHLY;BYMONTHDAY=5,20"),
        P("每年6月1日 给孩子买礼物", SH, "SH_MON", "给孩子买礼物", "2026-06-01", "FREQ=YEARLY;BYMONTH=6;BYMONTHDAY=1"),
        P("连续10天每天早上8点 吃药", SH, "SH_MON", "吃药", "2026-03-03 08:00", "FREQ=DAILY;BYHOUR=8;BYMINUTE=0;COUNT=10"),
        P("每个月最后一个周五 团建", SH, "SH_MON", "团建", "2026-03-27", "FREQ=MONTHLY;BYDAY=-1FR"),
        P("每季度 写总结", SH, "SH_MON", "写总结", "2026-03-02", "FREQ=MONTHLY;INTERVAL=3"),
        P("下个月5号 交电费", SH, "SH_MON", "交电费", "2026-04-05"),
        P("明天晚上 给爸爸打电话", SH, "SH_MON", "给爸爸打电话", "2026-03-03 20:00"),
        P("今晚九点半 看直播", SH, "SH_MON", "看直播", "2026-03-02 21:30"),
        P("这周五下午4点 组会", SH, "SH_MON", "组会", "2026-03-06 16:00"),
        ASK("8点 开会", SH, "SH_MON", "开会"),
        ASK("明天10点 组会", SH, "SH_MON", "组会"),
        P("下周二 交作业", SH, "SH_MON", "交作业", "2026-03-10"),
        P("3天后下午3点 拿体检报告", SH, "SH_MON", "拿体检报告", "2026-03-05 15:00"),
        P("礼拜六下午两点 带孩子打疫苗", SH, "SH_MON", "带孩子打疫苗", "2026-03-07 14:00"),
        P("每天中午12点半 午休", SH, "SH_MON", "午休", "2026-03-03 12:30", "FREQ=DAILY;BYHOUR=12;BYMINUTE=30"),
        P("明天中午 跟导师吃饭", SH, "SH_THU", "跟导师吃饭", "2026-03-06 12:00"),
        P("周六早上9点 爬山", SH, "SH_THU", "爬山", "2026-03-07 09:00"),
        P("星期日晚上8点 打扫", SH, "SH_THU", "打扫", "2026-03-08 20:00"),
        P("下周一早上 交周报", SH, "SH_THU", "交周报", "2026-03-09 09:00"),
        P("每周一三五 早上7点 跑步", SH, "SH_THU", "跑步", "2026-03-06 07:00", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=7;BYMINUTE=0"),
        P("每两周周五 理发", SH, "SH_THU", "理发", "2026-03-06", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR"),
        P("每天晚上11点 关电脑", SH, "SH_THU", "关电脑", "2026-03-05 23:00", "FREQ=DAILY;BYHOUR=23;BYMINUTE=0"),
        P("3月10日前 提交报销", SH, "SH_THU", "提交报销", "2026-03-10"),
        P("10分钟后 去接孩子", SH, "SH_THU", "去接孩子", "+10m"),
        P("下午4点45 开组会", SH, "SH_THU", "开组会", "2026-03-05 16:45"),
        P("晚上7点 健身", SH, "SH_THU", "健身", "2026-03-05 19:00"),
        P("凌晨1点 看欧冠", SH, "SH_THU", "看欧冠", "2026-03-06 01:00"),
        P("明天下午两点半 见客户", SH, "SH_THU", "见客户", "2026-03-06 14:30"),
        P("每个月1号 交房租", SH, "SH_THU", "交房租", "2026-04-01", "FREQ=MONTHLY;BYMONTHDAY=1"),
        P("明早 交材料", SH, "SH_SUN_LATE", "交材料", "2026-03-16 09:00"),
        P("明天早上7点半 赶火车", SH, "SH_SUN_LATE", "赶火车", "2026-03-16 07:30"),
        P("今晚11点 写日记", SH, "SH_SUN_LATE", "写日记", "2026-03-15 23:00"),
        P("下周三 组会汇报", SH, "SH_SUN_LATE", "组会汇报", "2026-03-18"),
        P("周一 交报告", SH, "SH_SUN_LATE", "交报告", "2026-03-16"),
        P("一周后 复诊", SH, "SH_SUN_LATE", "复诊", "2026-03-22"),
        P("2小时后 收衣服", SH, "SH_SUN_LATE", "收衣服", "+2h"),
        P("周五下午3点半 开会", SH, "SH_WED", "开会", "2026-04-24 15:30"),
        P("大后天 取护照", SH, "SH_WED", "取护照", "2026-04-25"),
        P("下个月 续签", SH, "SH_WED", "续签", "2026-05-01"),
        P("每周三晚上7点半 读书会", SH, "SH_WED", "读书会", "2026-04-22 19:30", "FREQ=WEEKLY;BYDAY=WE;BYHOUR=19;BYMINUTE=30"),
        P("每月第二个周二 开例会", SH, "SH_WED", "开例会", "2026-05-12", "FREQ=MONTHLY;BYDAY=+2TU"),
        P("每个工作日早上8点半 打卡", SH, "SH_WED", "打卡", "2026-04-23 08:30", WD + ";BYHOUR=8;BYMINUTE=30"),
        ASK("3点一刻 开会", SH, "SH_WED", "开会"),
        P("5月3号 上午9点 出发", SH, "SH_WED", "出发", "2026-05-03 09:00"),
        P("明天上午 交表", SH, "SH_WED", "交表", "2026-04-23 09:00"),
        P("星期一上午 开会", SH, "SH_SAT", "开会", "2026-09-21 09:00"),
        P("下周日 看电影", SH, "SH_SAT", "看电影", "2026-09-27"),
        P("明天下午5点 打球", SH, "SH_SAT", "打球", "2026-09-20 17:00"),
        P("这周日 回家", SH, "SH_SAT", "回家", "2026-09-20"),
        P("每周六上午10点 上钢琴课", SH, "SH_SAT", "上钢琴课", "2026-09-26 10:00", "FREQ=WEEKLY;BYDAY=SA;BYHOUR=10;BYMINUTE=0"),
        P("10月8号 交开题报告", SH, "SH_SAT", "交开题报告", "2026-10-08"),
        P("连续5天 每天晚上9点 敷面膜", SH, "SH_SAT", "敷面膜", "2026-09-19 21:00", "FREQ=DAILY;BYHOUR=21;BYMINUTE=0;COUNT=5"),
        P("1月5号 交成绩", SH, "SH_DEC", "交成绩", "2027-01-05"),
        P("下周四下午3点 考试", SH, "SH_DEC", "考试", "2026-12-24 15:00"),
        P("每周五下午5点 写周报", SH, "SH_DEC", "写周报", "2026-12-18 17:00", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=17;BYMINUTE=0"),
        P("年底前 交年度总结", SH, "SH_DEC", "交年度总结", "2026-12-31"),
        P("下周一 交报告", TYO, "TYO_SAT", "交报告", "2026-05-18"),
        P("明晚7点 吃饭", TYO, "TYO_SAT", "吃饭", "2026-05-17 19:00"),
        P("周四下午3点 组会", BER, "BER_TUE", "组会", "2026-03-12 15:00"),
        P("今天晚上8点 和家人视频", BER, "BER_TUE", "和家人视频", "2026-03-10 20:00"),
        P("后天 还车", NY, "NY_THU", "还车", "2026-03-21"),
        P("每周日晚上9点 给家里打电话", NY, "NY_THU", "给家里打电话", "2026-03-22 21:00", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=21;BYMINUTE=0"),
        P("下周三 上午11点 见导师", NY, "NY_THU", "见导师", "2026-03-25 11:00"),
    ],
    # bad input: nothing may be saved
    "bad_input": [
        ERR("pay rent on april 31", BER, "BER_MON"),
        ERR("dentist at 24:30", NY, "NY_THU"),
        ERR("13/25 exam", NY, "NY_THU"),
        ERR("31.02. deadline", BER, "BER_TUE"),
        ERR("every 0 months check smoke alarm", LON, "LON_THU"),
        ERR("6月31号 体检", SH, "SH_WED"),
        ERR("25点 开会", SH, "SH_MON"),
        ERR("meet at 13pm", KOL, "KOL_FRI"),
        ERR("call at 9:75", AKL, "AKL_WED"),
        ERR("p1 tomorrow", TYO, "TYO_SAT"),
        ERR("tomorrow 5pm", TYO, "TYO_SAT"),
        ERR("every monday at 9am", LA, "LA_TUE"),
        ERR("明天下午3点", SH, "SH_THU"),
        ERR("call mom friday", "Europe/Atlantis", "BER_MON"),
        ERR("standup call at 9am", "America/Gotham", "NY_THU"),
        ERR("每0个月 交房租", SH, "SH_WED"),
        ERR("2/30 dentist", LA, "LA_TUE"),
        ERR("submit form 2026-13-01", BER, "BER_MON"),
        ERR("next friday at noon", NY, "NY_WED"),
        ERR("30.2. pay fine", LON, "LON_THU"),
        ERR("每月32号 交费", SH, "SH_MON"),
        ERR("gym at 7:60pm", BER, "BER_SUN"),
        ERR("明天 开会", "Asia/Beijing", "SH_MON"),
    ],
    # DST days: gaps move forward by the gap, overlaps take the first occurrence, hours are exact
    "dst": [
        P("sunday 2:15am start backup job", BER, "BER_GAP", "Start backup job", "2026-03-29 02:15"),
        P("tomorrow 3am check server", BER, "BER_GAP", "Check server", "2026-03-29 03:00"),
        P("in 48 hours renew parking", BER, "BER_GAP", "Renew parking", "+48h"),
        P("in 2 days call the bank", BER, "BER_GAP", "Call the bank", "2026-03-30"),
        P("明天凌晨两点 看流星雨", BER, "BER_GAP", "看流星雨", "2026-03-29 02:00"),
        P("in 2 hours take bread out", BER, "BER_GAPDAY", "Take bread out", "+2h"),
        P("at 2:30 feed the baby", BER, "BER_GAPDAY", "Feed the baby", "2026-03-29 02:30"),
        P("every day at 2:30am check sensor", BER, "BER_GAPDAY", "Check sensor", "2026-03-29 02:30", "FREQ=DAILY;BYHOUR=2;BYMINUTE=30"),
        P("tomorrow 2:45am switch heating schedule", BER, "BER_OVERLAP", "Switch heating schedule", "2026-10-25 02:45"),
        P("in 24h check the clocks", BER, "BER_OVERLAP", "Check the clocks", "+24h"),
        P("sunday at 3am start batch job", BER, "BER_OVERLAP", "Start batch job", "2026-10-25 03:00"),
        P("sunday 1:15am night feed", LON, "LON_GAP", "Night feed", "2026-03-29 01:15"),
        P("tomorrow 9am parkrun", LON, "LON_GAP", "Parkrun", "2026-03-29 09:00"),
        P("tomorrow 1:20am call Sydney", LON, "LON_OVERLAP", "Call Sydney", "2026-10-25 01:20"),
        P("in 12 hours pick up the car", LON, "LON_OVERLAP", "Pick up the car", "+12h"),
        P("sun 2:20am push deploy", NY, "NY_GAP", "Push deploy", "2026-03-08 02:20"),
        P("every sunday at 2am backup photos", NY, "NY_GAP", "Backup photos", "2026-03-08 02:00", "FREQ=WEEKLY;BYDAY=SU;BYHOUR=2;BYMINUTE=0"),
        P("tomorrow at 2:10am feed the fish", LA, "LA_GAP", "Feed the fish", "2026-03-08 02:10"),
        P("every day at 2:45am run sprinklers", LA, "LA_GAP", "Run sprinklers", "2026-03-08 02:45", "FREQ=DAILY;BYHOUR=2;BYMINUTE=45"),
        P("tomorrow 1:45am log temperatures", LA, "LA_OVERLAP", "Log temperatures", "2026-11-01 01:45"),
        P("in 24 hours call Mom", LA, "LA_OVERLAP", "Call Mom", "+24h"),
        P("sunday 1:10am check the boiler", NY, "NY_OVERLAP", "Check the boiler", "2026-11-01 01:10"),
        P("sunday 2:40am start the upload", AKL, "AKL_GAP", "Start the upload", "2026-09-27 02:40"),
        P("tomorrow 2:05am check on lambs", AKL, "AKL_OVERLAP", "Check on lambs", "2026-04-05 02:05"),
        P("in 30 hours ring the vet", AKL, "AKL_OVERLAP", "Ring the vet", "+30h"),
    ],
    # said late in the evening (after 21:00 local): passed times roll to tomorrow
    "late_evening": [
        P("at 9pm call Lea", BER, "BER_WED_LATE", "Call Lea", "2026-03-12 21:00"),
        P("tomorrow morning submit the review", BER, "BER_WED_LATE", "Submit the review", "2026-03-12 09:00"),
        P("tonight at 11 send the draft", BER, "BER_WED_LATE", "Send the draft", "2026-03-11 23:00"),
        P("at 23:45 turn off the router", BER, "BER_WED_LATE", "Turn off the router", "2026-03-11 23:45"),
        P("every night at 10pm read 20 pages", BER, "BER_WED_LATE", "Read 20 pages", "2026-03-12 22:00", "FREQ=DAILY;BYHOUR=22;BYMINUTE=0"),
        P("thu 8am gym", BER, "BER_WED_LATE", "Gym", "2026-03-12 08:00"),
        P("tomorrow brunch with Jess at 11am", NY, "NY_FRI_LATE", "Brunch with Jess", "2026-03-14 11:00"),
        P("at midnight lock the door", NY, "NY_FRI_LATE", "Lock the door", "2026-03-13 23:59"),
        P("at noon call Grandma", NY, "NY_FRI_LATE", "Call Grandma", "2026-03-14 12:00"),
        P("in 30 minutes go to bed", NY, "NY_FRI_LATE", "Go to bed", "+30m"),
        P("write in journal every day at 11pm", NY, "NY_FRI_LATE", "Write in journal", "2026-03-14 23:00", "FREQ=DAILY;BYHOUR=23;BYMINUTE=0"),
        P("at 7am run", SH, "SH_SUN_LATE", "Run", "2026-03-16 07:00"),
        P("tmrw 10am call the CA", KOL, "KOL_TUE_LATE", "Call the CA", "2026-03-11 10:00"),
        P("at 11:30pm switch off geyser", KOL, "KOL_TUE_LATE", "Switch off geyser", "2026-03-10 23:30"),
        P("wed evening 6 pm badminton", KOL, "KOL_TUE_LATE", "Badminton", "2026-03-11 18:00"),
        P("at 10pm stretch", TYO, "TYO_THU_LATE", "Stretch", "2026-05-21 22:00"),
        P("at 9pm call Osaka office", TYO, "TYO_THU_LATE", "Call Osaka office", "2026-05-22 21:00"),
        P("tomorrow night 8:30pm karaoke", TYO, "TYO_THU_LATE", "Karaoke", "2026-05-22 20:30"),
        P("tomorrow morning at 8 long run", LON, "LON_SAT_LATE", "Long run", "2026-06-14 08:00"),
        P("mon 9am call the surgery", LON, "LON_SAT_LATE", "Call the surgery", "2026-06-15 09:00"),
        P("quarter past 11 tonight take out the bins", LON, "LON_SAT_LATE", "Take out the bins", "2026-06-13 23:15"),
        P("tmrw 7:30am school run", AKL, "AKL_SUN_LATE", "School run", "2026-11-23 07:30"),
        P("at 10 tonight call mum", AKL, "AKL_SUN_LATE", "Call mum", "2026-11-22 22:00"),
        P("every weekday at 6am gym", AKL, "AKL_SUN_LATE", "Gym", "2026-11-23 06:00", WD + ";BYHOUR=6;BYMINUTE=0"),
    ],
}  # fmt: skip

HERE = Path(__file__).resolve().parent
OFFSET = re.compile(r"^\+(\d+)([mh])$")
RRULE_ORDER = (
    "FREQ",
    "INTERVAL",
    "BYMONTH",
    "BYMONTHDAY",
    "BYDAY",
    "BYHOUR",
    "BYMINUTE",
    "COUNT",
    "UNTIL",
)
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_WORDS = {
    0: ("mon", "monday"),
    1: ("tue", "tues", "tuesday"),
    2: ("wed", "weds", "wednesday", "wednesay"),
    3: ("thu", "thur", "thurs", "thursday", "thrusday"),
    4: ("fri", "friday", "frday"),
    5: ("sat", "saturday", "satuday"),
    6: ("sun", "sunday"),
}
ZH_DAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
# The issue's own examples: a phrase may use the pattern but must not copy these fragments.
ISSUE_FRAGMENTS = (
    "half past 4 this afternoon", "quarter to 11", "at half past 9 tonight", "every evening at 9",
    "every 2nd and 4th tuesday", "monthly on the 2nd tuesday", "last friday of every month",
    "every mon wed fri", "1号和15号", "for 7 days", "for 6 weeks", "连续7天", "3/14", "12/20",
    "31.12.", "in 2h", "in a fortnight", "wed next week", "每 review", "前交作业",
)  # fmt: skip


def _local(wall: str, tz: ZoneInfo) -> datetime:
    """Wall time in tz; fold=0 gives the first of two ambiguous times, and a time in a DST gap
    takes the offset before the gap, so the UTC round trip moves it forward by the gap."""
    naive = datetime.fromisoformat(wall if " " in wall else wall + " 00:00")
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)


def _now(key: str) -> datetime:
    return datetime.fromisoformat(NOWS[key][0])


def _due(p: P) -> datetime | None:
    if p.due is None:
        return None
    tz = ZoneInfo(p.tz)
    if m := OFFSET.match(p.due):
        n = int(m.group(1))
        delta = timedelta(minutes=n) if m.group(2) == "m" else timedelta(hours=n)
        return (_now(p.now) + delta).astimezone(tz)
    return _local(p.due, tz)


def _first_slot(rule: str, now_local: datetime) -> datetime:
    """The convention's first occurrence: a timed rule's first slot strictly after now, a
    date-only rule's first day from today on (today counts); INTERVAL/COUNT/UNTIL start there."""
    parts = [x for x in rule.split(";") if not x.startswith(("INTERVAL=", "COUNT=", "UNTIL="))]
    wall_now = now_local.replace(tzinfo=None)
    start = wall_now.replace(hour=0, minute=0, second=0, microsecond=0)
    rule_set = rrulestr(";".join(parts), dtstart=start)
    timed = "BYHOUR=" in rule
    occ = rule_set.after(wall_now, inc=False) if timed else rule_set.after(start, inc=True)
    assert occ is not None, rule
    return _local(occ.isoformat(sep=" ", timespec="minutes"), now_local.tzinfo)  # type: ignore[arg-type]


def _check_rrule(rule: str) -> None:
    keys = [x.split("=")[0] for x in rule.split(";")]
    assert keys == sorted(keys, key=RRULE_ORDER.index), rule
    fields = dict(x.split("=") for x in rule.split(";"))
    if "BYDAY" in fields:
        days = [re.sub(r"^[+-]\d", "", d) for d in fields["BYDAY"].split(",")]
        assert days == sorted(days, key=DAY_CODES.index), rule
    if "UNTIL" in fields:
        assert re.fullmatch(r"\d{8}T235959", fields["UNTIL"]), rule
    if "COUNT" in fields:
        assert int(fields["COUNT"]) > 0, rule


def _weekdays_named(p: P) -> set[int]:
    """Weekdays the phrase names outside its title (so 'cook sunday roast sat' names Saturday)."""
    rest = p.text.lower().replace(p.title.lower(), " ")
    found = {d for d, words in WEEKDAY_WORDS.items() for w in words if re.search(rf"\b{w}\b", rest)}
    found |= {ZH_DAYS[c] for c in re.findall(r"(?:周|星期|礼拜)([一二三四五六日天])", rest)}
    return found


def check(phrases: list[tuple[str, P]]) -> None:
    for key, (utc, zone, claim) in NOWS.items():
        local = datetime.fromisoformat(utc).astimezone(ZoneInfo(zone))
        assert local.strftime("%a %Y-%m-%d %H:%M") == claim, (key, local)
    from bench.todos_labelled import CASES

    old = {c.text.strip().lower() for c in CASES}
    seen: set[tuple[str, str, str]] = set()
    for cat, p in phrases:
        where = f"{cat}: {p.text!r}"
        assert (p.text, p.tz, p.now) not in seen, where
        seen.add((p.text, p.tz, p.now))
        assert p.text.strip().lower() not in old, where
        assert not any(
            re.search(rf"(?<!\w){re.escape(f)}(?!\w)", p.text.lower()) for f in ISSUE_FRAGMENTS
        ), where
        assert 1 <= p.p <= 4, where
        if p.error:
            assert p.title == "" and p.due is None and p.rrule is None and not p.ask, where
            continue
        assert p.tz == NOWS[p.now][1], where
        assert p.title and (
            not p.title[0].isascii() or not p.title[0].isalpha() or p.title[0].isupper()
        ), where
        if p.ask:
            assert p.due is None and p.rrule is None, where
            continue
        due, now = _due(p), _now(p.now).astimezone(ZoneInfo(p.tz))
        if p.rrule is not None:
            _check_rrule(p.rrule)
            assert due == _first_slot(p.rrule, now), (where, due, _first_slot(p.rrule, now))
            continue
        if due is None:
            continue
        named = _weekdays_named(p)
        if len(named) == 1:
            assert due.weekday() in named, (where, due.strftime("%a"))
        if (due.hour, due.minute) == (0, 0) and p.due is not None and not p.due.startswith("+"):
            assert due.date() >= now.date(), where
        else:
            assert due > now, where


def rows() -> list[dict[str, object]]:
    phrases = [(cat, p) for cat, ps in SECTIONS.items() for p in ps]
    check(phrases)
    out: list[dict[str, object]] = []
    for n, (cat, p) in enumerate(phrases, 1):
        due = _due(p)
        out.append(
            {
                "id": f"c{n:04d}",
                "category": cat,
                "text": p.text,
                "timezone": p.tz,
                "now": NOWS[p.now][0],
                "title": p.title,
                "due": None if due is None else due.isoformat(),
                "rrule": p.rrule,
                "priority": p.p,
                "ask": p.ask,
                "error": p.error,
            }
        )
    return out


def split(all_rows: list[dict[str, object]]) -> dict[str, list[dict[str, object]]]:
    """Every third phrase of each category (positions 3, 6, 9, ...) is held out."""
    parts: dict[str, list[dict[str, object]]] = {"dev": [], "heldout": []}
    index: dict[object, int] = {}
    for row in all_rows:
        i = index[row["category"]] = index.get(row["category"], 0) + 1
        parts["heldout" if i % 3 == 0 else "dev"].append(row)
    return parts


def main() -> None:
    all_rows = rows()
    for name, part in split(all_rows).items():
        lines = [json.dumps(r, ensure_ascii=False) + "\n" for r in part]
        (HERE / f"{name}.jsonl").write_text("".join(lines), encoding="utf-8")
    counts: dict[str, dict[str, int]] = {}
    for name, part in split(all_rows).items():
        for r in part:
            counts.setdefault(str(r["category"]), {"dev": 0, "heldout": 0})[name] += 1
    for cat, c in counts.items():
        sys.stdout.write(f"{cat:16} dev {c['dev']:3}  heldout {c['heldout']:3}\n")
    sys.stdout.write(f"{'total':16} {len(all_rows)}\n")


if __name__ == "__main__":
    main()
