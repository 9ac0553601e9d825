"""Price limits as customers write them, in English, Traditional and Simplified Chinese and
Polish: the bounds are found, their phrase (currency included) leaves the search words, and
numbers that count something else are not read as prices."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chatcart.nlu.entities import price_range
from chatcart.nlu.text import normalise


def bounds(text: str) -> tuple[Decimal | None, Decimal | None, str]:
    low, high, rest = price_range(normalise(text))
    return low, high, " ".join(rest.split())


@pytest.mark.parametrize(
    ("text", "high", "words"),
    [
        ("linen dress under 1000", 1000, "linen dress"),
        ("a gift for my dad under 1000", 1000, "a gift for my dad"),
        ("tea below 500", 500, "tea"),
        ("tea less than NT$600", 600, "tea"),
        ("under $30", 30, ""),
        ("under 1k", 1000, ""),
        ("mugs 1000 or less", 1000, "mugs"),
        ("budget 800", 800, ""),
        ("at most 1,200 dollars", 1200, ""),
        ("送禮 1000元以內", 1000, "送禮"),
        ("500以下", 500, ""),
        ("不超過800的茶", 800, "的茶"),
        ("NT$1,200以下", 1200, ""),
        ("500塊以內", 500, ""),
        ("五百以下", 500, ""),
        ("一千五以內", 1500, ""),
        ("預算兩千", 2000, ""),
        ("送礼 1000元以内", 1000, "送禮"),
        ("不超过800的乌龙茶", 800, "的烏龍茶"),
        ("预算800", 800, ""),
        ("do 200 zł", 200, ""),
        ("sukienka do 200", 200, "sukienka"),
        ("poniżej 150 zł", 150, ""),
        ("mniej niż 80 zł", 80, ""),
    ],
)
def test_a_maximum_price(text: str, high: int, words: str) -> None:
    assert bounds(text) == (None, Decimal(high), words)


@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("1000元以上的包包", 1000, None),
        ("over 1000", 1000, None),
        ("od 100 zł", 100, None),
        ("dress 500-1,200", 500, 1200),
        ("between 500 and 900", 500, 900),
        ("od 100 do 200 zł", 100, 200),
        ("500到1000元", 500, 1000),
    ],
)
def test_a_minimum_or_both_bounds(text: str, low: int, high: int | None) -> None:
    found_low, found_high, _ = bounds(text)

    assert (found_low, found_high) == (Decimal(low), None if high is None else Decimal(high))


@pytest.mark.parametrize(
    "text",
    ["最多兩個", "under 500g", "3天內到貨", "2-3 days", "8折", "我要兩瓶", "十五個", "do you have 2 of them"],
    ids=[
        "two items",
        "a weight",
        "a delivery time",
        "days",
        "a discount",
        "bottles",
        "fifteen",
        "english do",
    ],
)
def test_a_number_that_counts_something_else_is_not_a_price(text: str) -> None:
    assert bounds(text)[:2] == (None, None)
