"""Chinese numerals, weekday and day-part words shared by the Chinese grammars."""

from __future__ import annotations

from datetime import time

CN = "零〇一二两三四五六七八九十"
N = rf"(?:\d{{1,4}}|[{CN}]{{1,3}})"
WD = r"(?:[一二三四五六日天1-7])"
WEEK = r"(?:周|星期|礼拜)"
DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
          "七": 7, "八": 8, "九": 9}  # fmt: skip
WEEKDAY = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6,
           "1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6}  # fmt: skip
AM_WORDS = ("凌晨", "早上", "早晨", "清晨", "上午", "早")
PM_WORDS = ("下午", "傍晚", "晚上", "今晚", "明晚", "夜里", "晚")
PART_TIME = {"凌晨": time(5), "早上": time(9), "早晨": time(9), "清晨": time(7), "上午": time(9),
             "中午": time(12), "下午": time(15), "傍晚": time(18), "晚上": time(20),
             "夜里": time(22)}  # fmt: skip


def cn_number(text: str) -> int:
    """``"十二"`` -> 12, ``"二十"`` -> 20, ``"两"`` -> 2, ``"15"`` -> 15."""
    if text.isdigit():
        return int(text)
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (DIGITS[tens] if tens else 1) * 10 + (DIGITS[ones] if ones else 0)
    value = 0
    for ch in text:
        value = value * 10 + DIGITS[ch]
    return value
