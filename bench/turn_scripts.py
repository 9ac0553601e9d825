"""The customer scripts of bench/turns_bench.py, filled in with words of the catalog at hand.

A script is a tuple of inputs in bench/run.py's notation: plain text is typed, `!PAYLOAD`
taps a fixed button, `?PREFIX` taps the first button of the previous reply whose payload
starts with PREFIX (skipped when the reply offered none). The same two scripts, one mostly
English and one mostly Chinese, run on every catalog; only the searched words change. They
are taken from the catalog's own titles and categories whatever generator wrote the feed:
a two-word English query, the same with a typo, a Chinese title, an English-Chinese mix, and
a category typed by name. The English customer buys what browsing a category (and, in the
demo shop, a need) shows, the Chinese one what its search found, so both reach the cart
even where a search finds nothing; both scripts end in a checkout paid cash on delivery.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: How many feed rows are read to choose the words (the catalog's first products).
ROWS_READ = 5000
#: Rows skipped first, so the words come from an ordinary product rather than the very first.
ROW_OFFSET = 100

ENGLISH = (
    "hi",
    "!BROWSE",
    "?CAT:",
    "?NEED:",
    "?BUY:",
    "?SIZE:",
    "?COLOR:",
    "?QTY:",
    "{en_query}",
    "{typo}",
    "!CART",
    "!CHECKOUT",
    "?SHIP:home",
    "No. 100, Songren Rd, Xinyi District, Taipei",
    "Amy Chen",
    "0912 345 678",
    "?COUPON_SKIP",
    "?PAY:cod",
    "?CONFIRM:",
    "thanks!",
)
CHINESE = (
    "你好",
    "{zh_query}",
    "?BUY:",
    "?SIZE:",
    "?COLOR:",
    "?QTY:",
    "{category}",
    "{mixed}",
    "購物車",
    "!CHECKOUT",
    "?SHIP:store-711",
    "信義松仁門市",
    "陳美玲",
    "0987654321",
    "?COUPON_SKIP",
    "?PAY:cod",
    "?CONFIRM:",
    "謝謝",
)

_LATIN = re.compile(r"[A-Za-z]{3,}")
_CJK = re.compile(r"[\u3400-\u9fff]+")


@dataclass(frozen=True)
class Words:
    """What the customers search for in one catalog."""

    en_query: str
    typo: str
    zh_query: str
    mixed: str
    category: str

    def fill(self, script: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(item.format(**vars(self)) if "{" in item else item for item in script)


#: The demo shop's words (chatcart/demo/shop.yaml): Linen Wrap Dress, 烏龍茶, 洋裝, 保養美妝.
DEMO_WORDS = Words(
    en_query="linen dress",
    typo="lnien dress",
    zh_query="烏龍茶",
    mixed="有沒有 silk 洋裝",
    category="保養美妝",
)


def scripts(words: Words) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(English, Chinese) script with the catalog's words."""
    return words.fill(ENGLISH), words.fill(CHINESE)


def feed_words(path: Path) -> Words:
    """Words chosen from a product feed's titles and `product_type` paths."""
    titles, categories = _read_feed(path)
    english = _first(titles, lambda t: len(_LATIN.findall(t)) >= 2) or "Linen Shirt"
    chinese = _first(titles, lambda t: bool(_CJK.search(t))) or "亞麻襯衫"
    en_query = " ".join(_LATIN.findall(english)[-2:]).lower()
    zh_query = max(_CJK.findall(chinese) or [chinese], key=len)
    return Words(
        en_query=en_query,
        typo=typo_of(en_query),
        zh_query=zh_query,
        mixed=f"有沒有 {en_query.split()[0]} {zh_query}",
        category=_first(categories, lambda c: bool(_CJK.search(c))) or (categories or ["Shirts"])[0],
    )


def typo_of(query: str) -> str:
    """The query with two letters of its longest word swapped (`linen` → `lnien`)."""
    words = query.split()
    longest = max(range(len(words)), key=lambda i: len(words[i]))
    word = words[longest]
    if len(word) >= 4:
        words[longest] = word[0] + word[2] + word[1] + word[3:]
    return " ".join(words)


def _first(values: list[str], keep: Callable[[str], bool]) -> str | None:
    """The first value that `keep` accepts, looking from ROW_OFFSET on and then wrapping."""
    start = ROW_OFFSET if len(values) > ROW_OFFSET else 0
    return next((v for v in values[start:] + values[:start] if keep(v)), None)


def _read_feed(path: Path) -> tuple[list[str], list[str]]:
    """(titles, distinct last segments of `product_type`) of the feed's first rows."""
    titles: list[str] = []
    categories: dict[str, None] = {}
    with path.open(encoding="utf-8-sig", newline="") as feed:
        sample = feed.readline()
        feed.seek(0)
        delimiter = "\t" if sample.count("\t") > sample.count(",") else ","
        for number, row in enumerate(csv.DictReader(feed, delimiter=delimiter)):
            if number >= ROWS_READ:
                break
            fields = {_column(k): (v or "").strip() for k, v in row.items() if k}
            if fields.get("title"):
                titles.append(fields["title"])
            segment = fields.get("product_type", "").split(">")[-1].strip()
            if segment:
                categories.setdefault(segment)
    return titles, list(categories)


def _column(name: str) -> str:
    lowered = name.strip().lower()
    return lowered[2:] if lowered.startswith("g:") else lowered
