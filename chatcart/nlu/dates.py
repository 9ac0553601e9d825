"""Dates as customers write them ("明天", "next Friday", "下週五", "来週の金曜日", "do piątku",
"12/24", "12月24日"), resolved against the shop's today: "can it arrive by Friday?" needs
the Friday meant, not the word.

Rules, written down because the phrases are ambiguous:
- a weekday alone ("friday", "週五", "金曜日", "piątek") is the next one from today, today
  included; "next"/"下"/"来週"/"przyszły" moves it to the week after this one (weeks start on
  Monday), so on a Wednesday "next Friday" is nine days away, not two;
- "a/b" is day/month when a > 12, month/day when b > 12, and otherwise month/day except in
  Polish, where it is day/month as Poles write it; "a.b" is a date (day/month) only in
  Polish, a number elsewhere; "7/11" is the convenience store;
- a date without a year is the next one from today (a date past this year is next year's).

A hand-written finder, because the general library we measured (dateparser) took 2–25 ms a
message, missed 下週五, 来週の金曜日 and "do piątku", and read 12月24日前 as a date in 2025.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

#: Days from today, by word, in the five languages of the commerce set.
_RELATIVE = {
    "day after tomorrow": 2,
    "tomorrow": 1,
    "today": 0,
    "tonight": 0,
    "大後天": 3,
    "後天": 2,
    "后天": 2,
    "明天": 1,
    "今天": 0,
    "明後日": 2,
    "あさって": 2,
    "明日": 1,
    "あした": 1,
    "今日": 0,
    "pojutrze": 2,
    "jutro": 1,
    "dzisiaj": 0,
    "dziś": 0,
    "dzis": 0,
}
_EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_ZH_DAYS = "一二三四五六日"
_JA_DAYS = "月火水木金土日"
#: Polish weekday stems, each followed by its endings ("piątek", "piątku", "środę", "środy").
_PL_DAYS = ("poniedzia", "wtor", "środ", "czwart", "piąt", "sobot", "niedziel")
_PL_PLAIN = ("poniedzia", "wtor", "srod", "czwart", "piat", "sobot", "niedziel")

_EN_WEEKDAY = re.compile(
    r"\b(?P<next>next\s+)?(?:this\s+)?(?P<day>" + "|".join(_EN_DAYS) + r")\b", re.IGNORECASE
)
_ZH_WEEKDAY = re.compile(r"(?P<next>下)?(?:這|这|本)?(?:週|周|星期|禮拜|礼拜)(?P<day>[一二三四五六日天])")
_JA_WEEKDAY = re.compile(r"(?P<next>来週)?の?(?P<day>[月火水木金土日])曜(?:日)?")
_PL_WEEKDAY = re.compile(
    r"(?P<next>(?:przyszł|przyszl|następn|nastepn)\w*\s+)?\b(?P<day>"
    + "|".join(_PL_DAYS + _PL_PLAIN)
    + r")\w*",
    re.IGNORECASE,
)
_MONTH_DAY_CJK = re.compile(r"(?P<month>\d{1,2})\s*月\s*(?P<day>\d{1,2})\s*(?:日|號|号)?")
_SLASHED = re.compile(
    r"(?<![\d/.-])(?P<a>\d{1,2})(?P<sep>[/.])(?P<b>\d{1,2})(?:(?P=sep)(?P<year>\d{4}))?(?![\d/])"
)


def find_date(text: str, today: date, lang: str = "en") -> date | None:
    """The first date the text names, or None; `lang` only decides "5/6" (ISO-like tag)."""
    lowered = text.lower()
    for finder in (_relative, _weekday, _calendar):
        found = finder(lowered, today, lang)
        if found is not None:
            return found
    return None


def _relative(text: str, today: date, lang: str) -> date | None:
    for word in sorted(_RELATIVE, key=len, reverse=True):
        if word in text and (not word.isascii() or re.search(rf"\b{word}\b", text)):
            return today + timedelta(days=_RELATIVE[word])
    return None


def _weekday(text: str, today: date, lang: str) -> date | None:
    for pattern, day_of in (
        (_EN_WEEKDAY, _en_day),
        (_ZH_WEEKDAY, _zh_day),
        (_JA_WEEKDAY, _JA_DAYS.index),
        (_PL_WEEKDAY, _pl_day),
    ):
        match = pattern.search(text)
        if match:
            return _on_weekday(today, day_of(match.group("day")), bool(match.group("next")))
    return None


def _en_day(word: str) -> int:
    return _EN_DAYS.index(word)


def _zh_day(word: str) -> int:
    return 6 if word == "天" else _ZH_DAYS.index(word)


def _pl_day(word: str) -> int:
    stem = word.lower()
    return _PL_DAYS.index(stem) if stem in _PL_DAYS else _PL_PLAIN.index(stem)


def _on_weekday(today: date, weekday: int, next_week: bool) -> date:
    if next_week:
        monday_after = today + timedelta(days=7 - today.weekday())
        return monday_after + timedelta(days=weekday)
    return today + timedelta(days=(weekday - today.weekday()) % 7)


def _calendar(text: str, today: date, lang: str) -> date | None:
    match = _MONTH_DAY_CJK.search(text)
    if match:
        return _next_date(today, int(match.group("month")), int(match.group("day")), None)
    match = _SLASHED.search(text)
    if match is None:
        return None
    if match.group(0) == "7/11" or (match.group("sep") == "." and not lang.startswith("pl")):
        return None  # 7/11 is a convenience store; "1.5" is a quantity outside Polish dates
    a, b = int(match.group("a")), int(match.group("b"))
    year = int(match.group("year")) if match.group("year") else None
    day_first = match.group("sep") == "." or a > 12 or (b <= 12 and lang.startswith("pl"))
    month, day = (b, a) if day_first else (a, b)
    return _next_date(today, month, day, year)


def _next_date(today: date, month: int, day: int, year: int | None) -> date | None:
    try:
        if year is not None:
            return date(year, month, day)
        this_year = date(today.year, month, day)
    except ValueError:
        return None
    if this_year >= today:
        return this_year
    try:
        return date(today.year + 1, month, day)
    except ValueError:
        return None
