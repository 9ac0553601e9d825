"""Product search and FAQ retrieval over a small catalog written in English and Traditional Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chatcart.commerce.catalog import Category, Need, Product, Variant
from chatcart.commerce.content import FaqEntry
from chatcart.core.money import Money
from chatcart.nlu.faq import MATCH_THRESHOLD, best_faq
from chatcart.nlu.search import CatalogIndex, SearchQuery


def product(
    product_id: str,
    en: str,
    zh: str,
    *,
    category: str = "skincare",
    price: int = 500,
    keywords: tuple[str, ...] = (),
    needs: tuple[str, ...] = (),
    colors: tuple[str, ...] = (),
    stock: int = 10,
    brand: str = "",
) -> Product:
    variants = tuple(Variant(f"{product_id}-{c}", stock=stock, color=c) for c in colors) or (
        Variant(f"{product_id}-1", stock=stock),
    )
    return Product(
        id=product_id,
        category_id=category,
        title={"en": en, "zh-TW": zh},
        price=Money.of(price, "TWD"),
        variants=variants,
        needs=needs,
        keywords=keywords,
        brand=brand,
    )


CATEGORIES = [
    Category(
        "skincare",
        {"en": "Skincare", "zh-TW": "保養"},
        (
            Need("moisturising", {"en": "Moisturising", "zh-TW": "保濕"}),
            Need("sun", {"en": "Sun protection", "zh-TW": "防曬"}),
        ),
    ),
    Category(
        "apparel", {"en": "Apparel", "zh-TW": "服飾"}, (Need("office", {"en": "Office", "zh-TW": "上班"}),)
    ),
    Category("tea", {"en": "Tea", "zh-TW": "茶葉"}),
]

HYDRATING_BALM = product(
    "LIP-HYD",
    "Rose Lip Balm",
    "玫瑰潤色護唇",
    price=390,
    keywords=("lipstick", "lip balm", "唇膏", "口紅"),
    needs=("moisturising",),
    colors=("pink",),
)
MATTE_LIPSTICK = product(
    "LIP-MAT",
    "Velvet Matte Colour",
    "絲絨霧面彩",
    price=450,
    keywords=("lipstick", "唇膏", "口紅"),
    colors=("red",),
)
SUNSCREEN = product(
    "SUN-1",
    "Daily Sunscreen SPF50",
    "每日防曬乳",
    price=680,
    keywords=("sunscreen", "spf"),
    needs=("sun",),
)
SHIRT = product(
    "SHIRT-1",
    "Linen Office Shirt",
    "亞麻襯衫",
    category="apparel",
    price=1290,
    keywords=("shirt", "blouse", "襯衫"),
    needs=("office",),
    colors=("white", "blue"),
)
OOLONG = product(
    "TEA-1",
    "Alishan Oolong Tea",
    "阿里山烏龍茶",
    category="tea",
    price=880,
    keywords=("oolong", "烏龍"),
)

CATALOG = [HYDRATING_BALM, MATTE_LIPSTICK, SUNSCREEN, SHIRT, OOLONG]


def search(text: str, catalog: list[Product] | None = None, **filters: object) -> list[str]:
    index = CatalogIndex(catalog if catalog is not None else CATALOG, CATEGORIES)
    return [p.id for p in index.search(SearchQuery(text, **filters))]  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- ranking


def test_an_english_word_finds_its_product_first() -> None:
    found = search("sunscreen")

    assert found[:1] == ["SUN-1"], f"got {found}"


@pytest.mark.parametrize(
    "query",
    ["do you have ruby black tea?", "Sun Moon Lake", "有紅玉嗎", "日月潭紅玉", "日月潭 ruby", "日月潭红玉"],
)
def test_a_title_mixing_chinese_and_english_in_one_field_is_found_by_either(query: str) -> None:
    """Feeds often carry one title with both languages: "日月潭紅玉紅茶 Sun Moon Lake Ruby Black Tea"."""
    mixed = Product(
        id="TEA-RUBY",
        category_id="tea",
        title={"zh-TW": "日月潭紅玉紅茶 Sun Moon Lake Ruby Black Tea"},
        price=Money.of(520, "TWD"),
        variants=(Variant("TEA-RUBY-100", stock=5),),
    )

    assert search(query, [*CATALOG, mixed])[:1] == ["TEA-RUBY"]


def test_an_english_title_word_outranks_everything_else() -> None:
    assert search("do you have oolong tea")[0] == "TEA-1"
    assert search("a linen shirt for the office")[0] == "SHIRT-1"


def test_a_chinese_query_without_spaces_prefers_the_product_with_the_need_and_the_keyword() -> None:
    found = search("我想買保濕唇膏")

    assert found[:2] == ["LIP-HYD", "LIP-MAT"], (
        f"保濕 (need) + 唇膏 (keyword) should beat 唇膏 alone, got {found}"
    )


def test_a_chinese_title_piece_is_enough() -> None:
    assert search("有烏龍茶嗎")[0] == "TEA-1"
    assert search("防曬")[0] == "SUN-1"


def test_a_typo_still_finds_the_product() -> None:
    found = search("lipstik")

    assert set(found[:2]) == {"LIP-HYD", "LIP-MAT"}, f"'lipstik' should find both lipsticks, got {found}"
    assert "SUN-1" not in found


def test_simplified_input_meets_the_traditional_catalog() -> None:
    found = search("我想买口红")

    assert set(found[:2]) == {"LIP-HYD", "LIP-MAT"}, f"口红 should meet 口紅, got {found}"
    assert search("乌龙茶")[0] == "TEA-1"


def test_full_width_and_upper_case_input_meet_the_catalog() -> None:
    assert search("ＳＵＮＳＣＲＥＥＮ")[0] == "SUN-1"


def test_unrelated_products_are_left_out() -> None:
    found = search("oolong")

    assert found == ["TEA-1"], f"only the oolong tea mentions oolong, got {found}"


def test_the_limit_caps_the_results() -> None:
    index = CatalogIndex(CATALOG, CATEGORIES)

    assert len(index.search(SearchQuery("lipstick"), limit=1)) == 1


# ----------------------------------------------------------------------------- filters


def test_a_colour_filter_excludes_products_without_that_colour() -> None:
    found = search("lipstick", color="red")

    assert found == ["LIP-MAT"], f"only the matte lipstick comes in red, got {found}"


def test_a_maximum_price_excludes_dearer_products() -> None:
    found = search("lipstick", price_max=Decimal(400))

    assert found == ["LIP-HYD"], f"NT$450 is over a NT$400 budget, got {found}"


def test_a_minimum_price_excludes_cheaper_products() -> None:
    assert search("lipstick", price_min=Decimal(400)) == ["LIP-MAT"]


def test_a_price_at_the_bound_is_inside_the_range() -> None:
    assert search("lipstick", price_min=Decimal(390), price_max=Decimal(390)) == ["LIP-HYD"]


def test_category_and_need_filters() -> None:
    assert search("shirt", category_id="skincare") == []
    assert search("lipstick", need="moisturising") == ["LIP-HYD"]


def test_a_filter_alone_lists_every_product_that_passes_it() -> None:
    found = search("", price_max=Decimal(500))

    assert found == ["LIP-HYD", "LIP-MAT"], f"with no words, the filter decides; got {found}"


def test_a_colour_filter_with_no_words_lists_that_colour() -> None:
    assert search("", color="blue") == ["SHIRT-1"]


# ----------------------------------------------------------------------------- stock and empty queries


def test_an_out_of_stock_product_ranks_after_an_in_stock_one_of_equal_score() -> None:
    sold_out = product("TWIN-A", "Twin Lipstick", "雙子唇膏", keywords=("lipstick",), stock=0)
    available = product("TWIN-B", "Twin Lipstick", "雙子唇膏", keywords=("lipstick",), stock=3)

    found = search("twin lipstick", [sold_out, available])

    assert found == ["TWIN-B", "TWIN-A"], f"in stock should come first among equals, got {found}"


def test_an_out_of_stock_product_is_still_found() -> None:
    sold_out = product("GONE", "Rare Oolong", "稀有烏龍", category="tea", keywords=("oolong",), stock=0)

    assert search("oolong", [sold_out]) == ["GONE"]


@pytest.mark.parametrize("text", ["", "   ", "the", "please", "a the of"])
def test_an_empty_or_meaningless_query_without_filters_finds_nothing(text: str) -> None:
    assert search(text) == []


def test_a_query_about_nothing_in_the_catalog_finds_nothing() -> None:
    assert search("kayak paddle") == []


# ----------------------------------------------------------------------------- FAQ

SHIPPING_FEE = FaqEntry(
    "shipping-fee",
    {
        "en": ["how much is shipping", "shipping fee", "is shipping free"],
        "zh-TW": ["運費多少", "運費怎麼算", "有免運嗎"],
    },
    {"en": "Free over NT$1,000.", "zh-TW": "滿 NT$1,000 免運。"},
)
RETURNS = FaqEntry(
    "returns",
    {"en": ["can I return an item", "return policy"], "zh-TW": ["可以退貨嗎", "退換貨怎麼辦"]},
    {"en": "Within 7 days.", "zh-TW": "7 天內。"},
)
FAQS = [SHIPPING_FEE, RETURNS]


@pytest.mark.parametrize(
    ("text", "entry_id"),
    [
        ("How much is shipping?", "shipping-fee"),
        ("what is your return policy", "returns"),
        ("運費多少錢？", "shipping-fee"),
        ("运费怎么算", "shipping-fee"),
        ("請問可以退貨嗎", "returns"),
    ],
)
def test_faq_questions_match_in_english_and_chinese(text: str, entry_id: str) -> None:
    entry, score = best_faq(text, FAQS)

    assert entry is not None, f"{text!r} matched nothing (best score {score:.2f})"
    assert entry.id == entry_id
    assert score >= MATCH_THRESHOLD


@pytest.mark.parametrize("text", ["我想買一件紅色洋裝", "do you sell red dresses", "天氣真好"])
def test_an_unrelated_text_matches_no_faq(text: str) -> None:
    entry, score = best_faq(text, FAQS)

    assert entry is None, f"{text!r} should not match {entry.id if entry else None} (score {score:.2f})"
    assert score < MATCH_THRESHOLD


def test_no_faq_entries_means_no_match() -> None:
    assert best_faq("how much is shipping", []) == (None, 0.0)
