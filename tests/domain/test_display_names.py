"""Names a customer reads in their own language while the stored value stays put: sizes
named by the shop per product, carriers named by the translation catalogue."""

from __future__ import annotations

import pytest

from chatcart.commerce.catalog import Product, Variant
from chatcart.commerce.shipping import FAMILYMART, SEVEN_ELEVEN, default_shipping_options
from chatcart.core.money import Money
from chatcart.i18n.catalogue import Translator

PINEAPPLE_CAKES = Product(
    id="TEA-004",
    category_id="tea-snacks",
    title={"en": "Pineapple Cake Gift Box", "zh-TW": "土鳳梨酥禮盒"},
    price=Money.of(450, "TWD"),
    variants=(Variant("TEA-004-10P", 5, "10-pack"), Variant("TEA-004-20P", 5, "20-pack")),
    size_names={"20-pack": {"zh-TW": "20入"}, "10-pack": {"en": "Box of 10", "zh-TW": "10入"}},
)


@pytest.mark.parametrize("lang", ["zh-TW", "zh-HK"])
def test_a_named_size_reads_in_traditional_chinese(lang: str) -> None:
    assert PINEAPPLE_CAKES.size_in("20-pack", lang) == "20入"


def test_a_size_without_a_name_in_the_language_reads_as_stored() -> None:
    assert PINEAPPLE_CAKES.size_in("20-pack", "en") == "20-pack"
    assert PINEAPPLE_CAKES.size_in("20-pack", "ja") == "20-pack", "never another language's name"


def test_an_english_name_replaces_the_stored_value_in_english_only() -> None:
    assert PINEAPPLE_CAKES.size_in("10-pack", "en") == "Box of 10"
    assert PINEAPPLE_CAKES.size_in("10-pack", "pl") == "10-pack"


def test_a_size_the_shop_never_named_reads_as_stored() -> None:
    assert PINEAPPLE_CAKES.size_in("M", "zh-TW") == "M"


def test_naming_sizes_leaves_the_stored_values_that_skus_and_postbacks_use() -> None:
    assert PINEAPPLE_CAKES.sizes == ("10-pack", "20-pack")
    assert [v.sku for v in PINEAPPLE_CAKES.matching_variants(size="20-pack")] == ["TEA-004-20P"]


@pytest.mark.parametrize(
    ("lang", "expected"), [("zh-TW", "全家"), ("zh-HK", "全家"), ("zh-CN", "全家"), ("en", "FamilyMart")]
)
def test_familymart_is_named_in_the_customer_s_language(lang: str, expected: str) -> None:
    assert Translator(lang)(FAMILYMART) == expected


@pytest.mark.parametrize("lang", ["zh-TW", "zh-CN", "en"])
def test_seven_eleven_keeps_its_own_name(lang: str) -> None:
    assert Translator(lang)(SEVEN_ELEVEN) == "7-ELEVEN"


def test_familymart_store_pickup_reads_in_traditional_chinese() -> None:
    tr = Translator("zh-TW")
    family = next(o for o in default_shipping_options("TWD") if o.id == "store-family")

    label = tr("{carrier} store pickup", carrier=tr(family.carrier))

    assert "全家" in label and "FamilyMart" not in label, label
    assert family.carrier == "FamilyMart", "the stored carrier stays the stable English key"
