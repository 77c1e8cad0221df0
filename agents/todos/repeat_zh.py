"""Chinese repeat phrases: 每天, 每个工作日, 每周一三五, 隔周五, 每月1号和15号, 每月第二个周二,
每月最后一天, 每年3月8日, 每季度, 每隔一天; bounds 共10次, 连续7天 (a COUNT), 直到3月31日."""

from __future__ import annotations

import re
from datetime import date

from agents.todos.model import Found
from agents.todos.repeat_en import take_bound
from agents.todos.scanner import Scanner, make_date
from agents.todos.words_en import BYDAY
from agents.todos.zh_words import WD, WEEK, WEEKDAY, N, cn_number
from store.errors import InvalidInput

_R_DAILY = re.compile(r"(?:每天|每日|天天|日日)")
_R_DAILY_PART = re.compile(r"每个?(?=早上|早晨|晚上|晚|早|夜里|中午|下午|上午|傍晚)")
_R_WORKDAY = re.compile(r"(?:每个?|)工作日(?:每天)?")
_R_WEEKEND = re.compile(r"每个?周末")
_R_DAYS = re.compile(
    r"(每个?|隔)" + WEEK + r"(" + WD + r"(?:[、，,和及与跟到至\-~]?" + WEEK + r"?" + WD + r")*)"
)
_R_SPAN = re.compile(r"()" + WEEK + "(" + WD + "[到至~-]" + WEEK + "?" + WD + ")")  # 周一到周五
_R_EVERY_N = re.compile(r"每(隔)?(" + N + r"|半)个?(天|日|周|星期|礼拜|月|年|季度)")
_R_OTHER_DAY = re.compile(r"(?<!每)隔一?天")
_R_MONTH_LAST = re.compile(r"每个?月(?:的)?(?:最后一天|月底|末)")
_R_MONTH_NTH = re.compile(
    r"每个?月(?:的)?((?:第" + N + r"个?[、，,和及与]?)+|最后一个)" + WEEK + "(" + WD + ")"
)
_R_MONTH_DAYS = re.compile(r"每个?月(?:的)?(" + N + r"[号日]?(?:[、，,和及与跟]" + N + r")*)[号日]")
_R_YEAR_DAY = re.compile(r"每年(?:的)?(" + N + r")月(" + N + r")[号日]")
_R_THEN_DAY = re.compile(r"\s*的?" + WEEK + "(" + WD + ")")
_R_QUARTER = re.compile(r"每(?:个)?季度|每三个月")
_R_UNIT = re.compile(r"每(周|星期|礼拜|个?月|年)")
_R_COUNT = re.compile(r"(共|一共|总共)?(" + N + r")次")
_R_RUN = re.compile(r"(?:连续|持续|坚持)(" + N + r")(天|周|个?星期|个?月)")
_R_UNTIL = re.compile(r"(?:直到|一直到|到|截止到?)")
_FREQ = {"天": "DAILY", "日": "DAILY", "周": "WEEKLY", "星期": "WEEKLY", "礼拜": "WEEKLY",
         "月": "MONTHLY", "年": "YEARLY"}  # fmt: skip
_SPAN_UNIT = {"天": "day", "周": "week", "星期": "week", "个星期": "week", "月": "month",
              "个月": "month"}  # fmt: skip


def take_repeat(scan: Scanner, found: Found, today: date) -> None:
    rule = found.rule
    if scan.first(_R_WORKDAY):
        rule.update(FREQ="WEEKLY", BYDAY="MO,TU,WE,TH,FR")
    elif scan.first(_R_WEEKEND):
        rule.update(FREQ="WEEKLY", BYDAY="SA,SU")
    elif scan.first(_R_DAILY) or scan.first(_R_DAILY_PART):
        rule["FREQ"] = "DAILY"
    elif m := scan.first(_R_MONTH_LAST):
        rule.update(FREQ="MONTHLY", BYMONTHDAY="-1")
    elif m := scan.first(_R_MONTH_NTH):
        code = BYDAY[WEEKDAY[m.group(2)]]
        if m.group(1) == "最后一个":
            rule.update(FREQ="MONTHLY", BYDAY=f"-1{code}")
        else:
            positions = [cn_number(p) for p in re.findall(r"第(" + N + ")", m.group(1))]
            if any(not 1 <= p <= 5 for p in positions):
                raise InvalidInput("一个月里同一个星期几最多有五个。")
            rule.update(FREQ="MONTHLY", BYDAY=",".join(f"+{p}{code}" for p in positions))
    elif m := scan.first(_R_MONTH_DAYS):
        days = [cn_number(d) for d in re.findall(N, m.group(1))]
        for day in days:
            if not 1 <= day <= 31:
                raise InvalidInput(f"每月没有{day}号。")
        rule.update(FREQ="MONTHLY", BYMONTHDAY=",".join(str(d) for d in dict.fromkeys(days)))
    elif m := scan.first(_R_YEAR_DAY):
        month, day = cn_number(m.group(1)), cn_number(m.group(2))
        make_date(2024, month, day)
        rule.update(FREQ="YEARLY", BYMONTH=str(month), BYMONTHDAY=str(day))
    elif m := scan.first(_R_DAYS) or scan.first(_R_SPAN):
        _days(rule, m)
    elif scan.first(_R_QUARTER):
        rule.update(FREQ="MONTHLY", INTERVAL="3")
    elif scan.first(_R_OTHER_DAY):
        rule.update(FREQ="DAILY", INTERVAL="2")
    elif m := scan.first(_R_EVERY_N):
        _every_n(rule, m)
        if rule["FREQ"] == "WEEKLY" and (then := _R_THEN_DAY.match(scan.work, m.end())):
            rule["BYDAY"] = BYDAY[WEEKDAY[then.group(1)]]  # 每两周周五
            scan.consume(then.start(), then.end())
    elif m := scan.first(_R_UNIT):
        rule["FREQ"] = _FREQ[m.group(1).removeprefix("个")]
    _bounds(scan, found, today)


def _days(rule: dict[str, str], m: re.Match[str]) -> None:
    text = re.sub(WEEK, "", m.group(2))
    span = re.fullmatch(r"(" + WD + r")[到至\-~](" + WD + r")", text)
    if span:
        first, last = WEEKDAY[span.group(1)], WEEKDAY[span.group(2)]
        codes = list(range(first, last + 1)) if first <= last else []
    else:
        codes = sorted({WEEKDAY[c] for c in re.findall(WD, text)})
    rule.update(FREQ="WEEKLY", BYDAY=",".join(BYDAY[c] for c in codes))
    if m.group(1) == "隔":
        rule["INTERVAL"] = "2"


def _every_n(rule: dict[str, str], m: re.Match[str]) -> None:
    unit = m.group(3)
    if m.group(2) == "半":
        if unit != "年":
            raise InvalidInput(f"“{m.group(0)}”：请说具体的间隔。")
        rule.update(FREQ="MONTHLY", INTERVAL="6")
        return
    n = cn_number(m.group(2)) + (1 if m.group(1) else 0)
    if n == 0 or (m.group(1) and n == 1):
        raise InvalidInput(f"“{m.group(0)}”不会重复：间隔至少为 1。")
    if unit == "季度":
        rule.update(FREQ="MONTHLY", INTERVAL=str(3 * n))
        return
    rule["FREQ"] = _FREQ[unit]
    if n > 1:
        rule["INTERVAL"] = str(n)


def _bounds(scan: Scanner, found: Found, today: date) -> None:
    from agents.todos.grammar_zh import take_date

    run = scan.first(_R_RUN)
    if run is not None:
        n, unit = cn_number(run.group(1)), run.group(2)
        if not found.rule and unit == "天":
            found.rule["FREQ"] = "DAILY"
        found.span = (n, _SPAN_UNIT[unit])
    if not found.rule:
        return
    if found.span is None and (c := scan.first(_R_COUNT)):
        n = cn_number(c.group(2))
        if n == 0:
            raise InvalidInput("重复次数至少为 1。")
        if n > 1 or c.group(1):  # 每两周一次 is "once every two weeks", not one time in all
            found.count = n
    if u := _R_UNTIL.search(scan.work):
        found.until = take_bound(scan, u, today, take_date)
