"""Entities a shop conversation needs, found with patterns that work in English and Chinese."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from chatcart.nlu.interface import Entities
from chatcart.nlu.text import contains_term

_NUM = r"(\d[\d,]*(?:\.\d+)?)"
_MAX_PATTERNS = [
    rf"(?:under|below|less than|cheaper than|up to|max(?:imum)?|<|≤)\s*(?:nt\$|\$|twd)?\s*{_NUM}",
    rf"{_NUM}\s*(?:元|塊)?\s*(?:以下|以內|內|之內)",
    rf"(?:低於|少於|不超過|不到|小於|預算)\s*{_NUM}",
]
_MIN_PATTERNS = [
    rf"(?:over|above|more than|at least|from|>|≥)\s*(?:nt\$|\$|twd)?\s*{_NUM}",
    rf"{_NUM}\s*(?:元|塊)?\s*(?:以上)",
    rf"(?:高於|超過|大於)\s*{_NUM}",
]
_RANGE = rf"{_NUM}\s*(?:-|~|～|to|到|至)\s*{_NUM}\s*(?:元|塊|twd|nt\$)?"
_ORDER_NUMBER = re.compile(r"\bcc-?[3-9a-z]{3,7}-?[3-9a-z]{3,4}\b", re.IGNORECASE)
_SIZE = re.compile(r"(?<![a-z])(xxl|xl|xs|s|m|l|\d+\s?(?:ml|g|kg|cm))(?![a-z])", re.IGNORECASE)
_QUANTITY = [
    re.compile(r"^\s*(\d{1,6})\s*$"),
    re.compile(r"(?:(?<![a-z])x|×|qty|quantity|買|要)\s*(\d{1,6})", re.IGNORECASE),
    re.compile(r"(-?\d{1,6})\s*(?:pcs|pieces|items|個|件|份|瓶|盒|包|組|條|支|雙|杯)", re.IGNORECASE),
]
_CHINESE_DIGITS = {
    "一": 1,
    "二": 2,
    "兩": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_CHINESE_QUANTITY = re.compile(r"([一二兩三四五六七八九十])\s*(?:個|件|份|瓶|盒|包|組|條|支|雙|杯)")
_PHONE = re.compile(r"(?:\+?\d[\d\s-]{7,}\d)")


@cache
def color_words() -> dict[str, list[str]]:
    raw = yaml.safe_load((Path(__file__).parent / "colors.yaml").read_text(encoding="utf-8"))
    return {str(key): [str(w) for w in words] for key, words in raw.items()}


def _amount(raw: str) -> Decimal:
    return Decimal(raw.replace(",", ""))


def price_range(text: str) -> tuple[Decimal | None, Decimal | None, str]:
    """(min, max, text without the price phrase)."""
    low = high = None
    if match := re.search(_RANGE, text):
        low, high = sorted((_amount(match.group(1)), _amount(match.group(2))))
        return low, high, text.replace(match.group(0), " ")
    for pattern in _MAX_PATTERNS:
        if match := re.search(pattern, text):
            high = _amount(match.group(1))
            text = text.replace(match.group(0), " ")
            break
    for pattern in _MIN_PATTERNS:
        if match := re.search(pattern, text):
            low = _amount(match.group(1))
            text = text.replace(match.group(0), " ")
            break
    return low, high, text


def find_color(text: str) -> tuple[str | None, str]:
    """The colour key named in the text, longest word first (深藍 before 藍)."""
    words = sorted(((w, key) for key, ws in color_words().items() for w in ws), key=lambda p: -len(p[0]))
    for word, key in words:
        if contains_term(text, word):
            return key, text.replace(word, " ", 1)
    return None, text


def find_quantity(text: str) -> int | None:
    for pattern in _QUANTITY:
        if match := pattern.search(text):
            return int(match.group(1))
    if match := _CHINESE_QUANTITY.search(text):
        return _CHINESE_DIGITS[match.group(1)]
    return None


def _find_phone(text: str) -> str | None:
    """A run of 9–15 digits with spaces or dashes: long enough not to be a price range."""
    for match in _PHONE.finditer(text):
        digits = sum(ch.isdigit() for ch in match.group(0))
        if 9 <= digits <= 15:
            return match.group(0)
    return None


def extract(text: str) -> tuple[Entities, str]:
    """Entities in a normalised text, and the text left for search."""
    order = _ORDER_NUMBER.search(text)
    if order:
        text = text.replace(order.group(0), " ")
    phone = _find_phone(text)
    if phone:
        text = text.replace(phone, " ")
    low, high, rest = price_range(text)
    color, rest = find_color(rest)
    size = _SIZE.search(rest)
    entities = Entities(
        quantity=find_quantity(rest),
        color=color,
        size=size.group(1).upper() if size else None,
        price_min=low,
        price_max=high,
        order_number=order.group(0).upper() if order else None,
        phone=phone,
    )
    return entities, " ".join(rest.split())
