"""Dates as customers write them, in the five languages, resolved against the shop's today
(Wednesday 2 December 2026 here)."""

from __future__ import annotations

from datetime import date

import pytest

from chatcart.nlu.dates import find_date
from chatcart.nlu.interface import Context
from chatcart.nlu.keywords import KeywordUnderstander

WEDNESDAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("can it arrive tomorrow?", "en", date(2026, 12, 3)),
        ("day after tomorrow is fine", "en", date(2026, 12, 4)),
        ("can it arrive by friday", "en", date(2026, 12, 4)),
        ("next Friday please", "en", date(2026, 12, 11)),
        ("deliver on wednesday", "en", WEDNESDAY),
        ("明天會到嗎", "zh-TW", date(2026, 12, 3)),
        ("後天可以寄到嗎", "zh-TW", date(2026, 12, 4)),
        ("下週五前可以到嗎", "zh-TW", date(2026, 12, 11)),
        ("这周日能到吗", "zh-CN", date(2026, 12, 6)),
        ("星期天在家", "zh-TW", date(2026, 12, 6)),
        ("12月24日前能到吗", "zh-CN", date(2026, 12, 24)),
        ("1月5號出貨可以嗎", "zh-TW", date(2027, 1, 5)),
        ("来週の金曜日までに届きますか", "ja", date(2026, 12, 11)),
        ("明日届きますか", "ja", date(2026, 12, 3)),
        ("czy dojdzie do piątku?", "pl", date(2026, 12, 4)),
        ("czy dojdzie do piatku", "pl", date(2026, 12, 4)),
        ("w przyszły poniedziałek", "pl", date(2026, 12, 7)),
        ("jutro?", "pl", date(2026, 12, 3)),
        ("dostawa 24.12", "pl", date(2026, 12, 24)),
        ("deliver on 24/12 please", "en", date(2026, 12, 24)),
        ("deliver on 12/24 please", "en", date(2026, 12, 24)),
        ("5/6 delivery", "pl", date(2027, 6, 5)),
        ("5/6 delivery", "en", date(2027, 5, 6)),
    ],
)
def test_dates_are_resolved_against_today(text: str, lang: str, expected: date) -> None:
    assert find_date(text, WEDNESDAY, lang) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("I want 2 dresses", "en"),
        ("寄7/11", "zh-TW"),
        ("1.5 kg of rice", "en"),
        ("sun cream for the beach", "en"),
        ("週年慶有折扣嗎", "zh-TW"),
        ("31/02 delivery", "en"),
        ("今月のクーポン", "ja"),
    ],
)
def test_text_without_a_date_has_none(text: str, lang: str) -> None:
    assert find_date(text, WEDNESDAY, lang) is None


def test_the_understanding_carries_the_date_when_the_context_knows_today() -> None:
    understander = KeywordUnderstander()

    dated = understander.understand("can it arrive by friday?", Context("en", today=WEDNESDAY))
    undated = understander.understand("can it arrive by friday?", Context("en"))

    assert dated.entities.date == date(2026, 12, 4)
    assert undated.entities.date is None
