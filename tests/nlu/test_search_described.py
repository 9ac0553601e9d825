"""Product search over what products say about themselves: descriptions in every language the
shop wrote, and sizes. A description answers what the names do not say, in a lower voice than
the title: it reorders products the names rank alike and never lifts one over a product whose
title holds the word typed."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from rapidfuzz import fuzz, process

from chatcart.commerce.catalog import Category, Product, Variant
from chatcart.core.money import Money
from chatcart.engine.skills.discovery import find_products
from chatcart.nlu.interface import Entities
from chatcart.nlu.search import CatalogIndex, SearchQuery
from chatcart.nlu.search_described import Vocabulary, description_keys, rarity

CATEGORIES = [
    Category("tea", {"en": "Tea", "zh-TW": "茶葉"}),
    Category("ware", {"en": "Teaware", "zh-TW": "茶器"}),
    Category("care", {"en": "Care", "zh-TW": "保養"}),
    Category("apparel", {"en": "Apparel", "zh-TW": "服飾"}),
]


def item(
    product_id: str,
    title: str,
    category: str,
    description: dict[str, str] | None = None,
    *,
    price: int = 500,
    sizes: tuple[str, ...] = (),
    colors: tuple[str, ...] = (),
    keywords: tuple[str, ...] = (),
) -> Product:
    """A product titled as Taiwanese shops write it, with a description and variants."""
    variants = tuple(
        Variant(f"{product_id}-{size}-{color}", stock=5, size=size, color=color)
        for size in sizes or (None,)
        for color in colors or (None,)
    )
    return Product(
        id=product_id,
        category_id=category,
        title={"zh-TW": title},
        price=Money.of(price, "TWD"),
        variants=variants,
        description=description or {},
        keywords=keywords,
    )


BLACK = item(
    "BLK", "日月潭紅茶 Sun Moon Lake Black Tea", "tea", {"zh-TW": "麥芽香濃郁，加牛奶做奶茶也適合。"}
)
OOLONG = item(
    "DD",
    "凍頂烏龍茶 Dong Ding Oolong Tea",
    "tea",
    {"en": "A roasted oolong tea with a long sweet finish.", "zh-TW": "傳統焙火烏龍茶，回甘持久。"},
)
HERBAL = item(
    "HERBAL",
    "洋甘菊花草飲 Chamomile Herbal Infusion",
    "tea",
    {"zh-TW": "天然無咖啡因，睡前一杯幫助放鬆好眠。"},
)
ORGANIC = item(
    "BAOZHONG",
    "文山包種茶 Wenshan Baozhong",
    "tea",
    {"en": "From a certified organic tea garden: light and floral."},
)
MUG = item(
    "MUG",
    "手作陶瓷馬克杯 Handmade Ceramic Mug",
    "ware",
    {"en": "Wheel-thrown stoneware. Microwave and dishwasher safe.", "zh-TW": "可微波、可用洗碗機。"},
)
CUPS = item("CUPS", "青瓷品茗杯 Celadon Tea Cups", "ware", {"en": "Hand wash only, each glaze different."})
SERUM = item(
    "SERUM",
    "茶籽精華 Tea Seed Serum",
    "care",
    {"en": "Fragrance-free and hypoallergenic: kind to sensitive skin."},
    sizes=("30ml", "50ml"),
)
TEE = item("TEE", "純棉短T Cotton Tee", "apparel", {"en": "A 100% cotton T-shirt."}, sizes=("M", "L", "XL"))
SHOP = [BLACK, OOLONG, HERBAL, ORGANIC, MUG, CUPS, SERUM, TEE]


def find(text: str, products: list[Product] | None = None, **filters: object) -> list[str]:
    index = CatalogIndex(products if products is not None else SHOP, CATEGORIES)
    return [p.id for p in index.search(SearchQuery(text, **filters))]  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- descriptions answer


@pytest.mark.parametrize(
    ("text", "wanted"),
    [
        ("dishwasher safe", "MUG"),
        ("hypoallergenic", "SERUM"),
        ("100% cotton", "TEE"),
        ("洗碗機", "MUG"),
        ("可以微波的馬克杯", "MUG"),
        ("无咖啡因", "HERBAL"),
    ],
    ids=["english", "one rare word", "a number and a word", "chinese", "chinese, with a kind", "simplified"],
)
def test_a_description_finds_what_the_names_do_not_say(text: str, wanted: str) -> None:
    assert find(text)[0] == wanted, find(text)


def test_a_typo_of_a_description_word_is_forgiven() -> None:
    assert find("hypoalergenic")[0] == "SERUM"


@pytest.mark.parametrize(
    ("text", "wanted"),
    [("caffeine free", "HERBAL"), ("不含咖啡因", "HERBAL"), ("有機", "BAOZHONG"), ("睡前喝的", "HERBAL")],
    ids=[
        "english for a chinese description",
        "another chinese phrasing",
        "chinese for an english one",
        "sleep",
    ],
)
def test_a_property_is_found_in_the_language_the_shop_did_not_write(text: str, wanted: str) -> None:
    """search_words.yaml's properties: "caffeine free" is 無咖啡因, 有機 is "organic"."""
    assert find(text)[0] == wanted, find(text)


def test_a_property_reads_whole_chinese_words_not_their_pairs() -> None:
    """無咖啡因 holds 咖啡 (coffee, and 咖啡色, brown): a brown cup is not caffeine-free."""
    brown_cup = item("BROWN", "咖啡色馬克杯 Brown Mug", "ware", colors=("brown",))

    assert find("無咖啡因", [*SHOP, brown_cup])[0] == "HERBAL"


def test_among_products_of_the_kind_asked_for_the_description_decides() -> None:
    """Every tea is a tea; the one whose description says it helps sleep comes first, although
    only its category says tea and the others' titles do."""
    assert find("tea that helps me sleep")[0] == "HERBAL"
    assert find("organic tea")[0] == "BAOZHONG"


def test_a_description_never_lifts_a_product_over_one_whose_title_holds_the_word() -> None:
    """The cups' description says nothing of tea; a serum's says "tea" many times over: the
    titles that say tea still come first."""
    chatty = item(
        "CHATTY",
        "玫瑰護手霜 Rose Hand Cream",
        "care",
        {"en": "Tea lovers' tea-time treat: tea scented, tea inspired, made in a tea town."},
    )

    found = find("tea", [*SHOP, chatty])

    assert found.index("CHATTY") > max(found.index(p) for p in ("BLK", "DD", "CUPS")), found


def test_a_description_that_repeats_the_title_earns_nothing_more() -> None:
    """Both titles say oolong; the one whose description says it again is no more an oolong:
    shop order decides between them."""
    plain = item("PLAIN", "冷泡烏龍茶包 Cold Brew Oolong Tea Bags", "tea")
    cookie = item(
        "COOKIE", "烏龍茶餅乾 Oolong Tea Cookies", "tea", {"zh-TW": "以凍頂烏龍茶粉製作，烏龍茶香。"}
    )

    assert find("烏龍茶", [plain, cookie]) == ["PLAIN", "COOKIE"]


def test_chatter_in_a_description_does_not_hide_a_lone_character() -> None:
    """ "的茶" is in a description ("好喝的茶"); the customer asked for tea."""
    talking = item("TALK", "蜂蜜護唇膏 Honey Lip Balm", "care", {"zh-TW": "像喝一杯好喝的茶一樣滋潤。"})

    found = find("的茶", [*SHOP, talking], price_max=Decimal(600))

    assert found[0] in {"BLK", "DD", "HERBAL", "BAOZHONG"} and "TALK" not in found[:3], found


def test_a_property_nothing_has_with_a_budget_finds_nothing() -> None:
    """A property is not a need: "organic under 500" in a shop with nothing organic is not
    everything under 500."""
    assert find("hypoallergenic", [BLACK, OOLONG, MUG], price_max=Decimal(1000)) == []


# ----------------------------------------------------------------------------- sizes


def test_a_size_typed_finds_the_products_that_come_in_it() -> None:
    assert find("xl")[0] == "TEE"
    assert find("serum 50ml")[0] == "SERUM"


def test_a_lone_letter_size_is_not_a_word() -> None:
    """ "i'm" leaves an "m": every garment in size M must not match it."""
    assert "TEE" not in find("i'm after a mug")


# ----------------------------------------------------------------------------- discovery


def test_a_colour_word_that_ends_as_a_kind_of_product_is_not_a_filter() -> None:
    """ "cream" is a colour (beige) and a kind: "fragrance free cream" asks for a cream."""
    cream = item("CREAM", "修護霜 Barrier Cream", "care", {"en": "Fragrance-free barrier cream."})
    balm = item("BALM", "護唇膏 Lip Balm", "care", colors=("beige",))
    index = CatalogIndex([balm, cream], CATEGORIES)

    found = find_products(lambda q: index.search(q), "fragrance free cream", Entities(color="beige"))

    assert [p.id for p in found][:1] == ["CREAM"]


# ----------------------------------------------------------------------------- the parts


def test_description_keys_drop_function_words_and_pairs() -> None:
    words, pairs = description_keys("it is 100% linen, and it's soft. 可以機洗")

    assert words == ["100", "linen", "soft"]
    assert "可以" not in pairs and "機洗" in pairs


def test_rarity_falls_as_a_word_gets_common() -> None:
    assert rarity(1, 1000) == pytest.approx(1.0)
    assert 0 < rarity(500, 1000) < rarity(50, 1000) < rarity(5, 1000) < 1.0


def test_the_vocabulary_finds_what_scoring_every_word_finds() -> None:
    """Its candidates are cut by the character pairs a near word must share: the same answer
    as scoring every word, on a vocabulary big enough for the cut to run."""
    rng = random.Random(5)
    letters = "aeiolnrstmkd"
    words = sorted({"".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(6000)})
    vocabulary = Vocabulary(words)
    for word in rng.sample(words, 150):
        typo = word[:-1] + rng.choice(letters) if len(word) > 4 else word + "e"
        for cutoff in (80.0, 90.0):
            brute = process.extract(
                typo, words, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
            )
            assert sorted(vocabulary.near(typo, cutoff)) == sorted((w, s) for w, s, _ in brute), typo
