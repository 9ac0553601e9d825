"""Product search over a generated 5,000-product catalog in English and Traditional Chinese:
one product is found among thousands by a word, a Chinese piece, Simplified input or a typo,
filters narrow without scanning, and a stock snapshot re-ranks without rebuilding the index."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from chatcart.commerce.catalog import Catalog, Category, Need, Product, Variant
from chatcart.core.money import Money
from chatcart.nlu.search import (
    _BESIDE_HEAD,
    _DESCRIPTION_CAP,
    _FIELD_BITS,
    _FIELD_MASK,
    _WEIGHT_TENTHS,
    CatalogIndex,
    SearchQuery,
    _Field,
    _passes_filters,
)
from chatcart.nlu.text import normalise

CATEGORIES = [
    Category(
        "apparel", {"en": "Apparel", "zh-TW": "服飾"}, (Need("office", {"en": "Office", "zh-TW": "上班"}),)
    ),
    Category(
        "skincare",
        {"en": "Skincare", "zh-TW": "保養"},
        (Need("moisturising", {"en": "Moisturising", "zh-TW": "保濕"}),),
    ),
    Category("home", {"en": "Home", "zh-TW": "居家"}),
]
#: (English, Chinese, category, keywords, needs) of the nouns every generated title is built on.
NOUNS = [
    ("shirt", "襯衫", "apparel", ("shirt", "襯衫"), ("office",)),
    ("scarf", "圍巾", "apparel", ("scarf", "圍巾"), ()),
    ("jacket", "外套", "apparel", ("jacket", "外套"), ("office",)),
    ("lotion", "乳液", "skincare", ("lotion", "乳液"), ("moisturising",)),
    ("sunscreen", "防曬乳", "skincare", ("sunscreen", "防曬"), ()),
    ("cushion", "抱枕", "home", ("cushion", "抱枕"), ()),
    ("mug", "馬克杯", "home", ("mug", "杯子"), ()),
    ("towel", "毛巾", "home", ("towel", "毛巾"), ()),
]
ADJECTIVES = [("Linen", "亞麻"), ("Cotton", "棉質"), ("Classic", "經典"), ("Rose", "玫瑰"), ("Daily", "每日")]
COLORS = ["red", "blue", "white", "black", "green"]
#: (English, Chinese) sentences a generated description is made of.
SAYS = [
    ("Dishwasher safe.", "可放洗碗機。"),
    ("Made of organic cotton, soft for the office.", "有機棉製作，上班穿也舒服。"),
    ("Fragrance-free, for sensitive skin.", "無香料，敏感肌適用。"),
    ("A gift your mom will love; linen wrap.", "送媽媽的好禮，亞麻包裝。"),
    ("Caffeine-free, calming before bed.", "無咖啡因，睡前放鬆。"),
    ("Hand wash only.", "建議手洗。"),
    ("Keeps you warm with a rose scent.", "玫瑰香氣，溫暖保濕。"),
]
SIZE = 5_000
#: The one product the search must find among the generated ones.
NEEDLE = Product(
    id="NEEDLE",
    category_id="home",
    title={"en": "Kavalan Whisky Glass", "zh-TW": "噶瑪蘭威士忌酒杯"},
    price=Money.of(880, "TWD"),
    variants=(Variant("NEEDLE-1", stock=5, color="green"),),
    keywords=("tumbler",),
)


def generated(number: int) -> Product:
    en, zh, category, keywords, needs = NOUNS[number % len(NOUNS)]
    adjective_en, adjective_zh = ADJECTIVES[number // len(NOUNS) % len(ADJECTIVES)]
    return Product(
        id=f"P{number:04d}",
        category_id=category,
        title={"en": f"{adjective_en} {en} {number}", "zh-TW": f"{adjective_zh}{zh} {number}"},
        price=Money.of(200 + number % 30 * 50, "TWD"),
        variants=(Variant(f"P{number:04d}-1", stock=0 if number % 11 == 0 else 9, color=COLORS[number % 5]),),
        keywords=keywords,
        needs=needs,
        description=_description(number),
    )


def _description(number: int) -> dict[str, str]:
    """Two of the sentences, in both languages, for most products; none for every ninth."""
    if number % 9 == 0:
        return {}
    first, second = SAYS[number % len(SAYS)], SAYS[number // 3 % len(SAYS)]
    return {"en": f"{first[0]} {second[0]}", "zh-TW": f"{first[1]}{second[1]}"}


PRODUCTS = (
    [generated(n) for n in range(SIZE // 2)] + [NEEDLE] + [generated(n) for n in range(SIZE // 2, SIZE)]
)


@pytest.fixture(scope="module")
def index() -> CatalogIndex:
    return CatalogIndex(PRODUCTS, CATEGORIES)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog(PRODUCTS, CATEGORIES)


def ids(products: list[Product]) -> list[str]:
    return [p.id for p in products]


def search(index: CatalogIndex, text: str, limit: int = 10, **filters: Any) -> list[str]:
    return ids(index.search(SearchQuery(text, **filters), limit))


# ----------------------------------------------------------------------------- one product among thousands


@pytest.mark.parametrize(
    "text",
    [
        "do you have a kavalan glass",
        "噶瑪蘭",
        "我想買威士忌酒杯",
        "噶玛兰酒杯",
        "whiskey glass",
        "kavalen",
        "tumbler",
    ],
    ids=["english", "chinese", "chinese piece", "simplified", "typo", "typo in a rare word", "keyword"],
)
def test_the_needle_is_found_first(index: CatalogIndex, text: str) -> None:
    found = search(index, text)

    assert found[:1] == ["NEEDLE"], f"{text!r} should find the whisky glass first, got {found}"


def test_a_title_with_its_number_finds_that_product_first(index: CatalogIndex) -> None:
    wanted = generated(4170)

    assert search(index, wanted.title["en"].lower())[0] == "P4170"
    assert search(index, wanted.title["zh-TW"])[0] == "P4170"


def test_a_broad_word_finds_only_products_that_carry_it(index: CatalogIndex) -> None:
    found = index.search(SearchQuery("sunscreen"), limit=50)

    assert len(found) == 50
    assert all("sunscreen" in p.title["en"] for p in found), [p.title["en"] for p in found]
    assert all(p.in_stock for p in found), "625 sunscreens, the sold-out ones after the rest"


def test_typos_of_generated_words_are_forgiven(index: CatalogIndex) -> None:
    assert search(index, "sunscren", limit=5) == search(index, "sunscreen", limit=5)
    assert "scarf" in index.search(SearchQuery("scarff"), limit=1)[0].title["en"]


def test_a_word_no_product_carries_finds_nothing(index: CatalogIndex) -> None:
    assert search(index, "kayak paddle") == []


# ----------------------------------------------------------------------------- filters


def test_filters_narrow_the_words(index: CatalogIndex) -> None:
    found = index.search(SearchQuery("shirt", color="blue", price_max=Decimal(500)), limit=100)

    assert found, "there are blue shirts under 500"
    assert all("shirt" in p.title["en"] and "blue" in p.colors and p.price.amount <= 500 for p in found)


def test_filters_alone_list_in_stock_products_first_in_shop_order(index: CatalogIndex) -> None:
    found = index.search(SearchQuery("", category_id="skincare", need="moisturising"), limit=20)

    assert len(found) == 20
    assert all(p.category_id == "skincare" and "moisturising" in p.needs for p in found)
    assert all(p.in_stock for p in found)
    positions = [PRODUCTS.index(p) for p in found]
    assert positions == sorted(positions), "listed in shop order"


def test_a_price_range_alone_lists_products_inside_it(index: CatalogIndex) -> None:
    found = index.search(SearchQuery("", price_min=Decimal(300), price_max=Decimal(300)), limit=30)

    assert len(found) == 30
    assert {p.price.amount for p in found} == {Decimal(300)}


def test_a_filter_nothing_passes_lists_nothing(index: CatalogIndex) -> None:
    assert search(index, "", color="purple") == []
    assert search(index, "shirt", category_id="home") == []


# ----------------------------------------------------------------------------- stock snapshots


def test_a_product_sold_out_in_the_snapshot_falls_behind_the_ones_in_stock(
    index: CatalogIndex, catalog: Catalog
) -> None:
    query = SearchQuery("jacket")
    before = ids(index.search(query, limit=3, catalog=catalog))
    snapshot = catalog.with_stock({f"{before[0]}-1": 0})

    after = index.search(query, limit=SIZE, catalog=snapshot)

    assert ids(after)[:2] == before[1:3], f"{before[0]} sold out, got {ids(after)[:3]}"
    place = ids(after).index(before[0])
    sold_out = after[place]
    assert not sold_out.in_stock, "the product returned is the snapshot's, with its stock"
    assert all(p.in_stock for p in after[:place]), "only products in stock rank before it"
    assert before[0] not in ids(snapshot.products_in(sold_out.category_id, limit=5))


def test_a_product_back_in_stock_in_the_snapshot_moves_up(index: CatalogIndex, catalog: Catalog) -> None:
    query = SearchQuery("", category_id="apparel")
    assert "P0000" not in search(index, "", category_id="apparel"), "P0000 is sold out when indexed"

    restocked = catalog.with_stock({"P0000-1": 3})

    assert ids(index.search(query, catalog=restocked))[0] == "P0000"
    assert ids(restocked.products_in("apparel", limit=1)) == ["P0000"]


def test_the_index_and_the_catalog_are_unchanged_by_a_snapshot(index: CatalogIndex, catalog: Catalog) -> None:
    catalog.with_stock({"NEEDLE-1": 0})

    assert catalog.product("NEEDLE") is NEEDLE
    assert index.search(SearchQuery("kavalan"), limit=1)[0] is NEEDLE
    assert index.search(SearchQuery("kavalan"), limit=1, catalog=catalog)[0] is NEEDLE


# ----------------------------------------------------------------------------- one word a whole group carries


def in_stock_first_reference(products: list[Product], limit: int) -> list[str]:
    """Brute force: in-stock products in shop order, then sold-out ones, cut at `limit`."""
    ordered = [p for p in products if p.in_stock] + [p for p in products if not p.in_stock]
    return ids(ordered[:limit])


@pytest.mark.parametrize("limit", [1, 10, 700])
def test_a_category_word_lists_its_products_in_stock_first_in_shop_order(
    index: CatalogIndex, catalog: Catalog, limit: int
) -> None:
    skincare = [p for p in PRODUCTS if p.category_id == "skincare"]
    snapshot = catalog.with_stock({f"{skincare[1].id}-1": 0, "P0011-1": 5})
    current = [p for p in snapshot.products if p.category_id == "skincare"]

    assert search(index, "skincare", limit) == in_stock_first_reference(skincare, limit)
    found = index.search(SearchQuery("Skincare"), limit, catalog=snapshot)
    assert ids(found) == in_stock_first_reference(current, limit)
    assert all(p is snapshot.product(p.id) for p in found), "the snapshot's products, with its stock"


def test_a_category_word_with_filters_keeps_only_the_products_that_pass(index: CatalogIndex) -> None:
    wanted = [p for p in PRODUCTS if p.category_id == "home" and "red" in p.colors and p.price.amount <= 400]

    found = search(index, "home", limit=50, color="red", price_max=Decimal(400))

    assert found == in_stock_first_reference(wanted, 50)


def test_one_word_that_is_a_brand_and_a_keyword_ranks_by_field_weight_before_shop_order() -> None:
    """ "formosa" reaches both products through one posting list, with different weights: they
    do not tie, so the keyword (2.5) ranks before the brand (1.0) although it comes later."""
    branded = Product(
        id="B1",
        category_id="home",
        title={"en": "Tea cup"},
        price=Money.of(300, "TWD"),
        variants=(Variant("B1-1", stock=3),),
        brand="Formosa",
    )
    keyworded = Product(
        id="K1",
        category_id="home",
        title={"en": "Island map"},
        price=Money.of(300, "TWD"),
        variants=(Variant("K1-1", stock=3),),
        keywords=("formosa",),
    )

    found = CatalogIndex([branded, keyworded], CATEGORIES).search(SearchQuery("formosa"))

    assert ids(found) == ["K1", "B1"]


# ----------------------------------------------------------------------------- against a reference scorer


def reference_search(index: CatalogIndex, query: SearchQuery, limit: int, catalog: Catalog) -> list[str]:
    """Brute force over the index's reading of the query, in plain Python: in each slot a term
    counts once at its best share, and a description nothing where the product's names earn;
    a product's score is the sum over slots, descriptions capped; a product that names the
    query's head as its kind ranks before one that only mentions it, and one that misses it
    is left out; within a class the other words count `_BESIDE_HEAD` times; then score, in
    stock, shop order."""
    reading = index._read(normalise(query.text))
    head = index._head(reading)
    scores = reference_scores(index, reading.slots)
    covering = [slot for slot in reading.slots if slot.units & head]
    if head and len(covering) < len(reading.slots):
        on_head = reference_scores(index, covering)
        for position, score in scores.items():
            scores[position] = _BESIDE_HEAD * score - (_BESIDE_HEAD - 1) * min(
                on_head.get(position, 0), score
            )
    classes = reference_classes(index, reading, head) if head else dict.fromkeys(scores, 1)
    ranked = []
    for position, score in scores.items():
        product = catalog.product(PRODUCTS[position].id)
        if classes.get(position) and product is not None and _passes_filters(product, query):
            ranked.append((-classes[position], -score, not product.in_stock, position, product.id))
    return [product_id for *_, product_id in sorted(ranked)[:limit]]


def reference_scores(index: CatalogIndex, slots: list[Any]) -> dict[int, int]:
    """Per position, what the slots earn it: names summed, descriptions summed and capped."""
    named: dict[int, int] = {}
    described: dict[int, int] = {}
    for slot in slots:
        best: dict[int, int] = {}
        for lookup in slot.lookups:
            for term_id in lookup.postings:
                best[term_id] = max(best.get(term_id, 0), lookup.share)
        in_names = {
            int(index._owner[t >> _FIELD_BITS]) for t in best if t & _FIELD_MASK != _Field.DESCRIPTION
        }
        for term_id, share in best.items():
            position = int(index._owner[term_id >> _FIELD_BITS])
            earned = int(_WEIGHT_TENTHS[term_id & _FIELD_MASK]) * share
            if term_id & _FIELD_MASK != _Field.DESCRIPTION:
                named[position] = named.get(position, 0) + earned
            elif position not in in_names:
                described[position] = described.get(position, 0) + earned
    return {
        position: named.get(position, 0) + min(described.get(position, 0), _DESCRIPTION_CAP)
        for position in named.keys() | described.keys()
    }


def reference_classes(index: CatalogIndex, reading: Any, head: int) -> dict[int, int]:
    """Per position: 2 when a term of a kind-naming field (or the title's last word) meets the
    head, 1 when any term does."""
    classes: dict[int, int] = {}
    for slot in reading.slots:
        if not slot.units & head:
            continue
        for lookup in slot.lookups:
            for term_id in lookup.postings:
                position = int(index._owner[term_id >> _FIELD_BITS])
                kind = bool(lookup.kinds >> (term_id & _FIELD_MASK) & 1)
                classes[position] = max(classes.get(position, 0), 2 if kind else 1)
        for key in slot.heads:
            for position in index._heads.get(key, ()):
                classes[position] = 2
    return classes


BROAD_QUERIES = [
    SearchQuery("a linen shirt for the office"),
    SearchQuery("棉質襯衫"),
    SearchQuery("有沒有 cotton 圍巾"),
    SearchQuery("我想買保濕乳液"),
    SearchQuery("classic jacket 4170"),
    SearchQuery("經典外套 4170"),
    SearchQuery("jackett"),
    SearchQuery("rose lotoin for the office"),
    SearchQuery("daily towel mug cushion"),
    SearchQuery("shirt", color="blue", price_max=Decimal(500)),
    SearchQuery("玫瑰 scarf", color="red"),
    SearchQuery("linen", category_id="apparel", need="office"),
    SearchQuery("skincare"),
    SearchQuery("linen cushion"),
    SearchQuery("亞麻抱枕"),
    SearchQuery("mugg for my dad"),
    SearchQuery("襯衣"),
    SearchQuery("cotton scarf for my mom", price_max=Decimal(400)),
    SearchQuery("dishwasher safe mug"),
    SearchQuery("organic cotton shirt for the office"),
    SearchQuery("fragrance free lotion"),
    SearchQuery("無咖啡因"),
    SearchQuery("敏感肌可以用的乳液"),
    SearchQuery("caffeine free"),
    SearchQuery("hypoalergenic lotoin"),
    SearchQuery("warm rose scarf", color="red"),
]


@pytest.mark.parametrize("query", BROAD_QUERIES, ids=[q.text for q in BROAD_QUERIES])
def test_a_broad_query_ranks_as_the_reference_scorer_does(
    index: CatalogIndex, catalog: Catalog, query: SearchQuery
) -> None:
    snapshot = catalog.with_stock({f"P{n:04d}-1": 0 for n in range(1, SIZE, 7)})

    for limit in (10, 60):
        found = ids(index.search(query, limit, catalog=snapshot))
        assert found == reference_search(index, query, limit, snapshot), f"{query.text!r}, limit {limit}"
