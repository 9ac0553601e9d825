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
_SIZE = re.compile(
    r"(?<![a-z'’])(xxl|xl|xs|s|m|l|\d+\s?(?:ml|g|kg|cm|公克|克|毫升|公斤))(?![a-z])", re.IGNORECASE
)
#: Chinese units written for sizes, folded to the Latin ones catalogs use ("300克" is 300g).
_SIZE_UNITS = (("公克", "g"), ("克", "g"), ("毫升", "ml"), ("公斤", "kg"))
_UNITS = (
    r"(?:pcs|pieces|piece|items|item|packs|pack|bags|bag|boxes|box|bottles|bottle|tins|tin|sets|set"
    r"|個|件|份|瓶|盒|包|組|條|支|雙|杯|罐|入)"
)
_QUANTITY = [
    re.compile(r"^\s*(\d{1,6})\s*$"),
    re.compile(
        r"(?:(?<![a-z])x|×|qty|quantity|買|要)\s*(\d{1,6})(?!\s*(?:ml|g|kg|cm|克|公克|毫升))", re.IGNORECASE
    ),
    re.compile(rf"(-?\d{{1,6}})\s*{_UNITS}", re.IGNORECASE),
    #: "make it 3", "can I get 3 of the…", "改成3": a number right after the verb that asks for it.
    re.compile(
        r"(?:make (?:it|that|them)|get|want|need|order|take|only|just|改成|改為|換成)\s*(\d{1,3})"
        r"(?!\s*(?:ml|g|kg|cm|克|公克|毫升|\d))",
        re.IGNORECASE,
    ),
    re.compile(r"(?<![\d.])(\d{1,3})\s+of\b", re.IGNORECASE),
    #: "2 dong ding 300g": a small number opening the message, before a word.
    re.compile(r"^\s*(\d{1,2})\s+(?!(?:ml|g|kg|cm)\b)(?=[^\d\s])", re.IGNORECASE),
]
_ENGLISH_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "a couple of": 2}
_ENGLISH_QUANTITY = re.compile(rf"\b(one|two|three|four|five|six|a couple of)\s+(?:more\s+)?{_UNITS}")
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
_CHINESE_QUANTITY = re.compile(r"([一二兩三四五六七八九十])\s*(?:個|件|份|瓶|盒|包|組|條|支|雙|杯|罐|入)")
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
    return _quantity(text)[0]


def _quantity(text: str) -> tuple[int | None, str]:
    """The quantity asked for, and the words that said it (taken out of the search text)."""
    for pattern in _QUANTITY:
        if match := pattern.search(text):
            return int(match.group(1)), match.group(0)
    if match := _CHINESE_QUANTITY.search(text):
        return _CHINESE_DIGITS[match.group(1)], match.group(0)
    if match := _ENGLISH_QUANTITY.search(text):
        return _ENGLISH_NUMBERS[match.group(1)], match.group(0)
    return None, ""


def _size(found: re.Match[str] | None) -> str | None:
    if found is None:
        return None
    size = found.group(1).replace(" ", "")
    for chinese, latin in _SIZE_UNITS:
        size = size.replace(chinese, latin)
    return size.upper()


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
    # The colour word stays in the search text: it may be part of a name ("black tea").
    color, _ = find_color(rest)
    size = _SIZE.search(rest)
    quantity, said = _quantity(rest)
    if said:
        rest = rest.replace(said, " ", 1)
    entities = Entities(
        quantity=quantity,
        color=color,
        size=_size(size),
        price_min=low,
        price_max=high,
        order_number=order.group(0).upper() if order else None,
        phone=phone,
    )
    return entities, " ".join(rest.split())


_FILLERS = re.compile(
    r"^(?:(?:her|his|my|the)\s+)?(?:name\s+is|name|phone|tel|mobile|recipient|is|to|for|"
    r"收件人|姓名|電話|手機|給|寄給|送給)\s*[:：]?\s*",
    re.IGNORECASE,
)
_NAME_SPLIT = re.compile(r"[,，、:：;；\n]|\bsend it to\b|寄給|送給")


def name_before(text: str, phone: str) -> str | None:
    """The name written just before a phone number ("…寄給我媽，王媽媽 0988123456",
    "her home: Mrs Wang 0988123456"): the last short phrase before it, without fillers."""
    head = text.split(phone, 1)[0] if phone in text else ""
    parts = [p.strip() for p in _NAME_SPLIT.split(head) if p.strip()]
    if not parts:
        return None
    name = _FILLERS.sub("", parts[-1]).strip(" .-")
    words = name.split()
    if not name or len(words) > 4 or any(ch.isdigit() for ch in name):
        return None
    return name
