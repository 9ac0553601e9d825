"""Entities a shop conversation needs, found with patterns that work in English and Chinese."""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from chatcart.nlu.interface import Entities
from chatcart.nlu.text import contains_term

_CN = "一二兩三四五六七八九十百千萬"
#: Digits, read whole: "1,000," is 1000, and "500g" never shrinks to 50 to slip past `_NOT_MONEY`.
_DIGITS = r"\d(?:[\d,]*\d)?(?:\.\d+)?(?!\d)"
#: An amount in a price phrase: digits, "1.5k", "2千", "3萬", or Chinese numerals (五百, 一千五).
_AMOUNT = rf"({_DIGITS}(?:\s*(?:k|千|萬)(?![a-z]))?|[{_CN}]+(?![{_CN}]))"
#: Currency written around an amount ("NT$600", "1000元", "200 zł"), taken out with the phrase.
_BEFORE = r"(?:(?<![a-z])(?:nt\$|us\$|\$|ntd|twd|nt|usd|rmb|¥)\s*)?"
_AFTER = r"(?:\s*(?:元|塊錢|塊|dollars?|bucks|ntd|twd|nt|zł|zl|pln|złotych|zlotych)(?![a-z]))?"
#: What an amount counting something else is followed by: "最多兩個" is two items, "under
#: 500g" a weight, "8折" a discount, "3天內" a delivery time.
_NOT_MONEY = (
    r"(?!\s*(?:個|件|份|瓶|盒|包|組|條|支|雙|杯|罐|入|天|日|週|周|月|年|小時|分|歲|號|折|%|公克|克|毫升|公斤"
    r"|g\b|ml\b|kg\b|cm\b|mm\b|x\b|h\b|hrs?\b|pcs|pieces?\b|items?\b|packs?\b|days?\b|hours?\b"
    r"|weeks?\b|months?\b|szt))"
)
_PRICE = rf"{_BEFORE}{_AMOUNT}{_AFTER}{_NOT_MONEY}"
_MAX_PATTERNS = [
    re.compile(p)
    for p in [
        rf"(?:under|below|less than|cheaper than|up to|no more than|not more than|at most|max(?:imum)?|within"
        rf"|budget(?: of| is)?|poniżej|mniej niż|nie więcej niż|maks(?:ymalnie)?|<=|<|≤)\s*{_PRICE}",
        rf"{_PRICE}\s*(?:以下|以內|之內|內|or less|or under|or below|and under|max\b)",
        rf"(?:低於|少於|不超過|不要超過|不到|小於|預算|最多|頂多)\s*{_PRICE}",
        #: Polish "do 200 zł" (up to 200): with a currency, or a number of two digits or more.
        rf"(?<![a-z])do\s+(?:{_BEFORE}{_AMOUNT}\s*(?:zł|zl|pln|złotych|zlotych)|(\d[\d,]*\d){_NOT_MONEY}(?!\s*[a-z]))",
    ]
]
_MIN_PATTERNS = [
    re.compile(p)
    for p in [
        rf"(?:over|above|more than|at least|from|powyżej|ponad|więcej niż|>=|>|≥)\s*{_PRICE}",
        rf"(?<![a-z])od\s+{_PRICE}",
        rf"{_PRICE}\s*(?:以上|or more|and up|and above)",
        rf"(?:高於|超過|大於|至少)\s*{_PRICE}",
    ]
]
_ARABIC_PRICE = rf"{_BEFORE}({_DIGITS}(?:\s*(?:k|千|萬)(?![a-z]))?){_AFTER}"
#: Two bounds. Only digits: "一到兩個" is a quantity, not a price from 1 to 2.
_RANGES = [
    re.compile(p)
    for p in [
        rf"between\s+{_ARABIC_PRICE}\s*(?:and|-|to)\s*{_ARABIC_PRICE}{_NOT_MONEY}",
        rf"(?<![a-z])od\s+{_ARABIC_PRICE}\s*do\s+{_ARABIC_PRICE}{_NOT_MONEY}",
        rf"(?:介於\s*)?{_ARABIC_PRICE}\s*(?:-|~|～|to|到|至)\s*{_ARABIC_PRICE}{_NOT_MONEY}",
    ]
]
_CHINESE_NUMERALS = {
    "零": 0,
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
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000, "萬": 10000}
_MULTIPLIERS = {"k": 1000, "千": 1000, "萬": 10000}
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
#: Counted things: one to ten ("兩包", "十個"); none is not a quantity.
#: One to ten as single Chinese characters (a count, a position: 兩包, 第二個).
CHINESE_DIGITS = {**{word: n for word, n in _CHINESE_NUMERALS.items() if n}, "十": 10}
_CHINESE_QUANTITY = re.compile(r"([一二兩三四五六七八九十])\s*(?:個|件|份|瓶|盒|包|組|條|支|雙|杯|罐|入)")
#: An e-mail address, taken out before the phone so its digits are not read as one.
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+")
_PHONE = re.compile(r"(?:\+?\d[\d\s-]{7,}\d)")


@cache
def color_words() -> dict[str, list[str]]:
    raw = yaml.safe_load((Path(__file__).parent / "colors.yaml").read_text(encoding="utf-8"))
    return {str(key): [str(w) for w in words] for key, words in raw.items()}


def _amount(raw: str) -> Decimal:
    """The amount a price phrase names: "1,200", "1.5k", "2千", "五百", "一千五" (1,500)."""
    raw = raw.replace(",", "").replace(" ", "")
    if raw[:1] in _CHINESE_NUMERALS or raw[:1] in _CHINESE_UNITS:
        return Decimal(_chinese_amount(raw))
    multiplier = _MULTIPLIERS.get(raw[-1:], 1)
    amount = Decimal(raw.rstrip("k千萬")) * multiplier
    return amount.to_integral_value() if amount == amount.to_integral_value() else amount


def _chinese_amount(raw: str) -> int:
    """Chinese numerals as people write prices: 五百 500, 一千 1000, 兩千五 2500 (a digit after
    the last unit counts in the unit below it), 三萬 30000, 十 10."""
    total = current = 0
    digit: int | None = None
    last_unit = 1
    for character in raw:
        if character in _CHINESE_NUMERALS:
            digit = _CHINESE_NUMERALS[character]
            continue
        unit = _CHINESE_UNITS[character]
        if unit == 10000:
            total += (current + (digit or 0)) * unit
            current = 0
        else:
            current += (1 if digit is None else digit) * unit
        last_unit, digit = unit, None
    if digit is not None:
        current += digit * (last_unit // 10 if last_unit >= 100 else 1)
    return total + current


def _first_amount(match: re.Match[str]) -> Decimal:
    """The amount of a pattern whose alternatives each capture it in a group of their own."""
    return _amount(next(group for group in match.groups() if group))


def _bounds(match: re.Match[str]) -> tuple[Decimal, Decimal]:
    first, second = (group for group in match.groups() if group)
    low, high = sorted((_amount(first), _amount(second)))
    return low, high


def price_range(text: str) -> tuple[Decimal | None, Decimal | None, str]:
    """(min, max, text without the price phrases): "under 1000", "1000元以內", "500以下",
    "不超過800", "less than NT$600", "do 200 zł", "between 500 and 900", "五百以上", in English,
    Chinese (either script, once normalised) and Polish. The currency written around the
    amount goes with the phrase, so it is not searched for."""
    for pattern in _RANGES:
        if match := pattern.search(text):
            return (*_bounds(match), text.replace(match.group(0), " "))
    high, text = _bound(_MAX_PATTERNS, text)
    low, text = _bound(_MIN_PATTERNS, text)
    return low, high, text


def _bound(patterns: list[re.Pattern[str]], text: str) -> tuple[Decimal | None, str]:
    """The amount of the first pattern found, and the text without its phrase."""
    for pattern in patterns:
        if match := pattern.search(text):
            return _first_amount(match), text.replace(match.group(0), " ")
    return None, text


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
        return CHINESE_DIGITS[match.group(1)], match.group(0)
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
    email = _EMAIL.search(text)
    if email:
        text = text.replace(email.group(0), " ")
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
        email=email.group(0) if email else None,
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
