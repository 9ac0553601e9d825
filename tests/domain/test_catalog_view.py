"""The catalog view a turn reads: lookups, listings in stock first, alternatives, and stock
snapshots that leave the catalog they came from untouched."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chatcart.commerce.catalog import Catalog, Category, Need, Product, Variant, alternatives, in_stock_first
from chatcart.core.money import Money

SKINCARE = Category(
    "skincare",
    {"en": "Skincare", "zh-TW": "保養"},
    (
        Need("moisturising", {"en": "Moisturising", "zh-TW": "保濕"}),
        Need("sun", {"en": "Sun protection", "zh-TW": "防曬"}),
        Need("night", {"en": "Night care", "zh-TW": "晚安"}),
    ),
)
APPAREL = Category(
    "apparel", {"en": "Apparel", "zh-TW": "服飾"}, (Need("office", {"en": "Office", "zh-TW": "上班"}),)
)
EMPTY = Category("gifts", {"en": "Gifts", "zh-TW": "禮品"})
CATEGORIES = [SKINCARE, EMPTY, APPAREL]


def product(
    product_id: str,
    *,
    category: str = "skincare",
    stock: int = 10,
    price: int = 500,
    needs: tuple[str, ...] = (),
    skus: int = 1,
) -> Product:
    return Product(
        id=product_id,
        category_id=category,
        title={"en": f"Product {product_id}", "zh-TW": f"商品 {product_id}"},
        price=Money.of(price, "TWD"),
        variants=tuple(Variant(f"{product_id}-{n}", stock=stock) for n in range(1, skus + 1)),
        needs=needs,
    )


BALM = product("BALM", needs=("moisturising",), stock=0, price=390)
CREAM = product("CREAM", needs=("moisturising", "sun"), price=680)
SERUM = product("SERUM", needs=("moisturising",), price=520, skus=2)
SHIRT = product("SHIRT", category="apparel", needs=("office",), price=1290)
SUNSCREEN = product("SUN", needs=("sun",), stock=0, price=450)
#: "night" is a skincare need, but only an apparel product claims it: no skincare product meets it.
PYJAMAS = product("PJ", category="apparel", needs=("night",), price=990)
PRODUCTS = [BALM, CREAM, SERUM, SHIRT, SUNSCREEN, PYJAMAS]


@pytest.fixture
def catalog() -> Catalog:
    return Catalog(PRODUCTS, CATEGORIES, version=7)


def ids(products: list[Product] | tuple[Product, ...]) -> list[str]:
    return [p.id for p in products]


def stock_of(catalog: Catalog, sku: str) -> int:
    found = catalog.product_of_sku(sku)
    assert found is not None, f"{sku} should be in the catalog"
    return found.variant(sku).stock


# ----------------------------------------------------------------------------- lookups


def test_products_and_categories_keep_the_shop_order(catalog: Catalog) -> None:
    assert ids(catalog.products) == ["BALM", "CREAM", "SERUM", "SHIRT", "SUN", "PJ"]
    assert catalog.categories == (SKINCARE, EMPTY, APPAREL)
    assert catalog.version == 7


def test_a_catalog_is_version_zero_unless_told() -> None:
    assert Catalog([], []).version == 0


def test_a_product_is_found_by_its_id_and_by_any_of_its_skus(catalog: Catalog) -> None:
    assert catalog.product("SERUM") is SERUM
    assert catalog.product_of_sku("SERUM-2") is SERUM
    assert catalog.product("NOPE") is None
    assert catalog.product_of_sku("NOPE-1") is None


def test_a_product_id_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="once"):
        Catalog([CREAM, CREAM], CATEGORIES)


# ----------------------------------------------------------------------------- listings


def test_a_category_lists_its_products_in_stock_first_each_in_shop_order(catalog: Catalog) -> None:
    assert ids(catalog.products_in("skincare")) == ["CREAM", "SERUM", "BALM", "SUN"]


def test_a_need_narrows_the_listing_to_the_products_that_meet_it(catalog: Catalog) -> None:
    assert ids(catalog.products_in("skincare", "moisturising")) == ["CREAM", "SERUM", "BALM"]
    assert ids(catalog.products_in("skincare", "sun")) == ["CREAM", "SUN"]


def test_a_limit_caps_the_listing_and_sold_out_products_fill_it_last(catalog: Catalog) -> None:
    assert ids(catalog.products_in("skincare", limit=3)) == ["CREAM", "SERUM", "BALM"]
    assert ids(catalog.products_in("skincare", limit=0)) == []


def test_an_unknown_or_empty_category_lists_nothing(catalog: Catalog) -> None:
    assert catalog.products_in("gifts") == []
    assert catalog.products_in("kayaks") == []
    assert catalog.products_in("skincare", "kayaking") == []


def test_in_stock_first_stops_reading_once_the_limit_is_in_stock() -> None:
    read: list[str] = []

    def products() -> Iterator[Product]:
        for p in [BALM, CREAM, SERUM, SHIRT, SUNSCREEN, PYJAMAS]:
            read.append(p.id)
            yield p

    assert ids(in_stock_first(products(), limit=2)) == ["CREAM", "SERUM"]
    assert read == ["BALM", "CREAM", "SERUM"], f"it should stop at the second in-stock product, read {read}"


def test_only_categories_with_products_are_offered_in_shop_order(catalog: Catalog) -> None:
    assert catalog.categories_with_products() == [SKINCARE, APPAREL]


def test_only_needs_met_by_a_product_of_that_category_are_offered(catalog: Catalog) -> None:
    offered = [n.id for n in catalog.needs_with_products("skincare")]

    assert offered == ["moisturising", "sun"], f"no skincare product meets 'night', got {offered}"
    assert [n.id for n in catalog.needs_with_products("apparel")] == ["office"]
    assert catalog.needs_with_products("kayaks") == []


# ------------------------------------------------------------------------- alternatives, first in stock


def test_alternatives_are_in_stock_same_category_most_shared_needs_first(catalog: Catalog) -> None:
    found = ids(catalog.alternatives(BALM))

    assert found == ["SERUM", "CREAM"], f"both moisturise; the serum's price is closer, got {found}"


def test_alternatives_agree_with_the_list_function(catalog: Catalog) -> None:
    for original in PRODUCTS:
        for limit in (1, 3):
            expected = ids(alternatives(original, PRODUCTS, limit))
            assert ids(catalog.alternatives(original, limit)) == expected, original.id


def test_alternatives_of_the_only_product_in_its_category_are_none() -> None:
    alone = Catalog([SHIRT, CREAM], CATEGORIES)

    assert alone.alternatives(SHIRT) == []


def test_the_first_product_in_stock_skips_sold_out_ones(catalog: Catalog) -> None:
    assert catalog.first_in_stock() is CREAM


def test_no_product_in_stock_means_none() -> None:
    assert Catalog([BALM, SUNSCREEN], CATEGORIES).first_in_stock() is None
    assert Catalog([], CATEGORIES).first_in_stock() is None


# ----------------------------------------------------------------------------- stock snapshots


def test_new_stock_is_seen_everywhere_in_the_snapshot(catalog: Catalog) -> None:
    snapshot = catalog.with_stock({"CREAM-1": 0, "BALM-1": 4})

    assert stock_of(snapshot, "CREAM-1") == 0
    assert stock_of(snapshot, "BALM-1") == 4
    assert ids(snapshot.products_in("skincare")) == ["BALM", "SERUM", "CREAM", "SUN"]
    assert [p.variants[0].stock for p in snapshot.products[:2]] == [4, 0]
    assert snapshot.first_in_stock() is snapshot.product("BALM")


def test_the_catalog_a_snapshot_came_from_is_unchanged(catalog: Catalog) -> None:
    catalog.with_stock({"CREAM-1": 0, "BALM-1": 4})

    assert catalog.product("CREAM") is CREAM
    assert catalog.product("BALM") is BALM
    assert ids(catalog.products_in("skincare")) == ["CREAM", "SERUM", "BALM", "SUN"]
    assert catalog.products == tuple(PRODUCTS)


def test_a_snapshot_shares_the_products_whose_stock_did_not_change(catalog: Catalog) -> None:
    snapshot = catalog.with_stock({"SERUM-2": 0})

    assert snapshot.product("CREAM") is CREAM
    assert snapshot.version == catalog.version
    serum = snapshot.product("SERUM")
    assert serum is not None and [v.stock for v in serum.variants] == [10, 0], "only SERUM-2 changes"


def test_a_sold_out_product_leaves_the_alternatives_and_the_first_place(catalog: Catalog) -> None:
    snapshot = catalog.with_stock({"CREAM-1": 0, "SERUM-1": 0, "SERUM-2": 0})

    assert snapshot.alternatives(BALM) == []
    assert snapshot.first_in_stock() is SHIRT


def test_snapshots_build_on_each_other(catalog: Catalog) -> None:
    later = catalog.with_stock({"CREAM-1": 0}).with_stock({"BALM-1": 2})

    assert ids(later.products_in("skincare")) == ["BALM", "SERUM", "CREAM", "SUN"], "both changes are kept"


def test_unknown_skus_are_ignored(catalog: Catalog) -> None:
    snapshot = catalog.with_stock({"GONE-1": 3, "CREAM-1": 1})

    assert stock_of(snapshot, "CREAM-1") == 1
    assert catalog.with_stock({"GONE-1": 3}).products == catalog.products
