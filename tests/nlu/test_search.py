"""Product search and FAQ retrieval over small catalogs: one written in English and Traditional
Chinese, one titled the way Taiwanese shops write (Chinese and English in one field)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chatcart.commerce.catalog import Category, Need, Product, Variant
from chatcart.commerce.content import FaqEntry
from chatcart.core.money import Money
from chatcart.engine.skills.discovery import find_products
from chatcart.nlu.faq import MATCH_THRESHOLD, best_faq
from chatcart.nlu.interface import Entities
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


def search(
    text: str,
    catalog: list[Product] | None = None,
    categories: list[Category] | None = None,
    **filters: object,
) -> list[str]:
    index = CatalogIndex(catalog if catalog is not None else CATALOG, categories or CATEGORIES)
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


# ----------------------------------------------------------------------------- what kind of product


def mixed(product_id: str, title: str, category: str, price: int = 500, **extra: object) -> Product:
    """A product titled the way Taiwanese shops write it: Chinese and English in one field."""
    return Product(
        id=product_id,
        category_id=category,
        title={"zh-TW": title},
        price=Money.of(price, "TWD"),
        variants=(Variant(f"{product_id}-1", stock=5),),
        **extra,  # type: ignore[arg-type]
    )


HOME = [
    Category("apparel", {"en": "Apparel", "zh-TW": "服飾"}),
    Category("home", {"en": "Home", "zh-TW": "居家"}),
    Category("tea", {"en": "Tea", "zh-TW": "茶葉"}, (Need("gift", {"en": "Gifts", "zh-TW": "送禮"}),)),
    Category("ware", {"en": "Teaware", "zh-TW": "茶器"}),
]
LINEN_DRESS = mixed("DRESS", "亞麻洋裝 Linen Dress", "apparel", 980)
COTTON_DRESS = mixed("MAXI", "棉質長洋裝 Cotton Maxi Dress", "apparel", 1280)
LINEN_CUSHION = mixed("CUSHION", "亞麻抱枕套 Linen Cushion Cover", "home", 550)
BLACK_TEA = mixed("BLK", "日月潭紅茶 Sun Moon Lake Black Tea", "tea", 520, needs=("gift",))
OOLONG_TEA = mixed("DD", "凍頂烏龍茶 Dong Ding Oolong", "tea", 450)
TEA_CUPS = mixed("CUPS", "青瓷品茗杯 Celadon Tea Cups", "ware", 560)
TEAPOT = mixed("POT", "朱泥小茶壺 Zhuni Clay Pot", "ware", 2400)
MUG = mixed("MUG", "手作陶瓷馬克杯 Handmade Ceramic Mug", "home", 480)
HAT = mixed("HAT", "草編帽 Straw Hat", "apparel", 390)
SHOP = [LINEN_DRESS, COTTON_DRESS, LINEN_CUSHION, BLACK_TEA, OOLONG_TEA, TEA_CUPS, TEAPOT, MUG, HAT]


def find(text: str, **filters: object) -> list[str]:
    return search(text, SHOP, categories=HOME, **filters)


@pytest.mark.parametrize("text", ["linen dress", "亞麻洋裝", "亚麻连衣裙", "a dress in linen"])
def test_the_kind_of_product_named_decides_and_a_material_alone_is_not_enough(text: str) -> None:
    """ "linen dress": the customer wants a dress; the linen cushion cover is not one."""
    found = find(text)

    assert found[0] == "DRESS", found
    assert "CUSHION" not in found, f"a cushion is not a dress: {found}"
    assert "MAXI" in found, "another dress may follow"


def test_the_kind_named_before_what_it_is_for_decides() -> None:
    assert find("a mug for tea")[0] == "MUG"


def test_a_title_that_holds_two_of_the_words_ranks_before_one_that_holds_one() -> None:
    """Each word typed earns on its own: the tea cups hold "tea" and "cups"."""
    assert find("tea cups")[0] == "CUPS"


@pytest.mark.parametrize(
    ("text", "wanted"),
    [("连衣裙", {"DRESS", "MAXI"}), ("teapot", {"POT"}), ("茶杯", {"CUPS"}), ("禮物", {"BLK"})],
    ids=["mainland word", "english for a chinese-only name", "another chinese name", "a need's other name"],
)
def test_another_name_for_the_same_thing_finds_it(text: str, wanted: set[str]) -> None:
    assert set(find(text)[: len(wanted)]) == wanted, find(text)


def test_a_person_suggests_what_to_show_first_without_hiding_the_other_gifts() -> None:
    found = find("a gift for my dad")

    assert found[0] == "BLK", f"tea that is also a gift comes first for a father, got {found}"
    assert "DD" in found, "tea suits a father even when it is not marked as a gift"


def test_a_need_the_shop_does_not_know_with_a_budget_lists_what_fits_the_budget() -> None:
    """In a shop with no gifts, "送禮 1000元以內" still shows what costs up to 1000."""
    no_gifts = [p for p in SHOP if not p.needs]

    found = search("送禮", no_gifts, categories=HOME, price_max=Decimal(600))

    assert found == [p.id for p in no_gifts if p.price.amount <= 600], "all within it, in shop order"


def test_a_word_nothing_carries_with_a_budget_still_finds_nothing() -> None:
    assert find("kayak", price_max=Decimal(1000)) == []


def test_a_typo_may_stand_for_a_three_letter_word() -> None:
    assert find("mugg")[0] == "MUG"


def test_asking_words_are_not_typos_of_product_words() -> None:
    """ "what" is one letter from "hat", "have" two from "hat": neither is a hat."""
    assert "HAT" not in find("what teapot do you have")


def test_a_query_that_lists_two_things_shows_both() -> None:
    found = find("oolong and a mug")

    assert {"DD", "MUG"} <= set(found[:3]), found


def test_a_word_the_catalog_knows_is_not_a_typo_of_its_neighbour() -> None:
    """ "gaiwan" is one letter from "taiwan": typed as it is indexed, it means the gaiwan only."""
    gaiwan = mixed("GAIWAN", "白瓷蓋碗 Porcelain Gaiwan", "ware", 1200)
    gift_box = mixed("BOX", "台灣好茶禮盒 Taiwan Tea Gift Box", "tea", 1880)

    assert search("gaiwan", [gaiwan, gift_box], categories=HOME) == ["GAIWAN"]
    assert search("gaiwn", [gaiwan, gift_box], categories=HOME)[0] == "GAIWAN"


@pytest.mark.parametrize("text", ["茶", "的茶", "有茶嗎"])
def test_a_lone_chinese_character_finds_what_holds_it(text: str) -> None:
    found = find(text, price_max=Decimal(600))

    assert set(found[:2]) == {"BLK", "DD"}, found


@pytest.mark.parametrize("text", ["你好", "好的", "好", "謝謝"])
def test_chatter_finds_no_product_through_a_lone_character(text: str) -> None:
    """好 is in 好茶 (a need's name): a greeting must not list teas."""
    good_tea = [*SHOP, mixed("GOOD", "好茶 Good Tea", "tea", 300)]

    assert search(text, good_tea, categories=HOME) == []


# ----------------------------------------------------------------------------- what discovery shows


def shown(text: str, colour: str | None, products: list[Product] | None = None) -> list[str]:
    """What discovery shows for the words and a colour the understanding found in them."""
    index = CatalogIndex(products if products is not None else SHOP_WITH_COLOURS, HOME)
    entities = Entities(color=colour)
    return [p.id for p in find_products(lambda query: index.search(query), text, entities)]


SHOP_WITH_COLOURS = [
    *SHOP,
    product("RED-DRESS", "Red Party Dress", "紅色洋裝", category="apparel", colors=("red",)),
    product("BLUE-DRESS", "Summer Dress", "夏日洋裝", category="apparel", colors=("blue",)),
    product("BLACK-MUG", "Enamel Mug", "琺瑯杯", category="home", colors=("black",)),
    product("CREAM", "Camellia Hand Cream", "山茶花護手霜", colors=("white",)),
    product("BEIGE-BAG", "Canvas Tote", "帆布托特包", category="home", colors=("beige",)),
]


def test_a_colour_typed_with_a_kind_of_product_filters_by_colour() -> None:
    assert shown("red dress", "red") == ["RED-DRESS"]


@pytest.mark.parametrize(
    ("text", "colour", "wanted"),
    [("black tea", "black", "BLK"), ("hand cream", "beige", "CREAM")],
)
def test_a_colour_word_that_is_part_of_a_name_is_a_word_to_find(text: str, colour: str, wanted: str) -> None:
    found = shown(text, colour)

    assert found[0] == wanted, f"{text!r} names a product, not a colour: {found}"


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
