"""The demo shop's written content agrees with what the shop computes: sizes a customer
reads have names in the shop's language, and every amount in the FAQ is written the way the
bot writes money, with the values the shop actually charges."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chatcart.commerce.shipping import default_shipping_options
from chatcart.core.money import Money
from chatcart.demo.loader import read_demo

DEMO = read_demo()
CURRENCY: str = DEMO["workspace"]["currency"]
SHOP_LANG: str = DEMO["workspace"]["lang"]
#: Sizes every language writes alike: measures (150g, 0.8L, 45x45cm) and clothing letters.
UNIVERSAL_SIZE = re.compile(r"\d+(\.\d+)?(g|ml|mm|cm|L)|\d+x\d+cm|XS|S|M|L|XL")
#: An amount as a customer might read it: a currency sign (any), then digits.
AMOUNT = re.compile(r"(?:NT|US|HK)?\$\s?[\d,]+(?:\.\d+)?")


def _sizes() -> set[str]:
    return {v["size"] for p in DEMO["products"] for v in p["variants"] if v.get("size")}


def _answers() -> list[tuple[str, str, str]]:
    return [(faq["id"], lang, text) for faq in DEMO["faq"] for lang, text in faq["answer"].items()]


def _answer(faq_id: str, lang: str) -> str:
    return next(text for found, answer_lang, text in _answers() if (found, answer_lang) == (faq_id, lang))


def _written(amount: int | str, lang: str) -> str:
    return Money.of(amount, CURRENCY).format(lang)


def test_every_size_a_language_would_write_differently_has_a_name_in_the_shop_s_language() -> None:
    names: dict[str, dict[str, str]] = DEMO["size_names"]
    worded = {size for size in _sizes() if not UNIVERSAL_SIZE.fullmatch(size)}

    unnamed = sorted(size for size in worded if not names.get(size, {}).get(SHOP_LANG))
    assert worded, "the demo has sizes in words (packs, sets)"
    assert not unnamed, f"sizes without a {SHOP_LANG} name: {unnamed}"


def test_every_size_name_belongs_to_a_size_the_demo_sells() -> None:
    assert set(DEMO["size_names"]) <= _sizes()


def test_a_twenty_pack_reads_twenty_ru_in_traditional_chinese() -> None:
    assert DEMO["size_names"]["20-pack"]["zh-TW"] == "20入"


@pytest.mark.parametrize(
    ("faq_id", "lang", "text"), [pytest.param(*a, id=f"{a[0]}-{a[1]}") for a in _answers()]
)
def test_faq_amounts_are_written_as_the_bot_writes_money(faq_id: str, lang: str, text: str) -> None:
    for written in AMOUNT.findall(text):
        digits = re.sub(r"[^\d.]", "", written)
        assert written == _written(digits, lang), f"{faq_id} ({lang}) writes {written!r}"


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_shipping_answer_quotes_what_checkout_charges(lang: str) -> None:
    home, seven, family = default_shipping_options(CURRENCY)
    answer = _answer("shipping-fee", lang)

    assert family.fee == seven.fee, "both convenience stores charge the same"
    for amount in (home.fee, seven.fee, home.free_over):
        assert amount is not None
        assert amount.format(lang) in answer, f"{amount.format(lang)} missing from: {answer}"


@pytest.mark.parametrize("lang", ["en", "zh-TW"])
def test_the_coupon_answer_quotes_the_welcome_coupon_it_names(lang: str) -> None:
    welcome: dict[str, Any] = next(c for c in DEMO["coupons"] if c["code"] == "WELCOME100")
    answer = _answer("coupons", lang)

    assert "WELCOME100" in answer
    assert _written(welcome["value"], lang) in answer and _written(welcome["min_spend"], lang) in answer, (
        answer
    )
