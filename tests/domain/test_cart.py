"""The cart and the catalog rules it leans on: one line per variant, sane quantities, stock respected."""

from __future__ import annotations

import pytest

from chatcart.commerce.cart import MAX_LINE_QUANTITY, Cart, CartLine, check_quantity
from chatcart.commerce.catalog import Product, Variant, alternatives
from chatcart.core.errors import InvalidQuantity, NotFound, OutOfStock
from chatcart.core.money import Money


def twd(amount: int | str) -> Money:
    return Money.of(amount, "TWD")


def make_product(
    product_id: str = "TEE-1",
    *,
    category: str = "apparel",
    price: int = 490,
    variants: tuple[Variant, ...] | None = None,
    needs: tuple[str, ...] = (),
) -> Product:
    return Product(
        id=product_id,
        category_id=category,
        title={"en": f"Product {product_id}", "zh-TW": f"商品 {product_id}"},
        price=twd(price),
        variants=variants if variants is not None else (Variant(f"{product_id}-1", stock=50),),
        needs=needs,
    )


@pytest.fixture
def tee() -> Product:
    return make_product(
        variants=(
            Variant("TEE-S-RED", stock=5, size="S", color="red"),
            Variant("TEE-M-RED", stock=30, size="M", color="red"),
            Variant("TEE-M-BLUE", stock=0, size="M", color="blue"),
            Variant("TEE-L-BLUE", stock=30, size="L", color="blue", price=twd(590)),
            Variant("TEE-L-RED", stock=30, size="L", color="red"),
        ),
    )


# ----------------------------------------------------------------------------- adding


def test_adding_to_an_empty_cart_creates_one_line(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", 2)

    assert cart.lines == (CartLine("TEE-1", "TEE-M-RED", 2),)
    assert cart.item_count == 2
    assert not cart.is_empty


def test_adding_the_same_variant_twice_gives_one_line_with_the_summed_quantity(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", 2).add(tee, "TEE-M-RED", 3)

    assert len(cart.lines) == 1, f"expected one line for one variant, got {cart.lines}"
    assert cart.lines[0].quantity == 5


def test_different_variants_of_one_product_get_their_own_lines_in_order(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", 1).add(tee, "TEE-L-BLUE", 2).add(tee, "TEE-M-RED", 1)

    assert [(line.sku, line.quantity) for line in cart.lines] == [("TEE-M-RED", 2), ("TEE-L-BLUE", 2)]
    assert cart.item_count == 4


def test_adding_returns_a_new_cart_and_leaves_the_old_one_unchanged(tee: Product) -> None:
    before = Cart().add(tee, "TEE-M-RED", 1)
    after = before.add(tee, "TEE-M-RED", 1)

    assert before.lines[0].quantity == 1
    assert after.lines[0].quantity == 2


def test_an_empty_cart_is_empty() -> None:
    assert Cart().is_empty
    assert Cart().item_count == 0
    assert Cart().line("TEE-M-RED") is None


@pytest.mark.parametrize("quantity", [0, -1, -20])
def test_a_quantity_that_is_not_positive_is_refused(tee: Product, quantity: int) -> None:
    with pytest.raises(InvalidQuantity) as refused:
        Cart().add(tee, "TEE-M-RED", quantity)

    assert refused.value.reason == "quantity_not_positive"
    assert refused.value.params["quantity"] == quantity


def test_a_quantity_over_the_line_limit_is_refused_with_the_limit(tee: Product) -> None:
    with pytest.raises(InvalidQuantity) as refused:
        Cart().add(tee, "TEE-M-RED", MAX_LINE_QUANTITY + 1)

    assert refused.value.reason == "quantity_too_large"
    assert refused.value.params == {"quantity": MAX_LINE_QUANTITY + 1, "limit": MAX_LINE_QUANTITY}


def test_exactly_the_line_limit_is_allowed(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", MAX_LINE_QUANTITY)

    assert cart.lines[0].quantity == MAX_LINE_QUANTITY


def test_the_line_limit_counts_what_is_already_in_the_cart(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", MAX_LINE_QUANTITY - 1)

    with pytest.raises(InvalidQuantity) as refused:
        cart.add(tee, "TEE-M-RED", 2)

    assert refused.value.reason == "quantity_too_large"
    assert refused.value.params["quantity"] == MAX_LINE_QUANTITY + 1


def test_more_than_the_stock_is_refused_with_the_available_count(tee: Product) -> None:
    with pytest.raises(OutOfStock) as refused:
        Cart().add(tee, "TEE-S-RED", 6)

    assert refused.value.reason == "not_enough_stock"
    assert refused.value.params == {"product": "TEE-1", "available": 5}


def test_the_stock_check_counts_what_is_already_in_the_cart(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-S-RED", 4)

    with pytest.raises(OutOfStock) as refused:
        cart.add(tee, "TEE-S-RED", 2)

    assert refused.value.reason == "not_enough_stock"
    assert refused.value.params["available"] == 5
    assert cart.line("TEE-S-RED") == CartLine("TEE-1", "TEE-S-RED", 4), (
        "a refused add must not change the cart"
    )


def test_the_whole_stock_can_be_bought(tee: Product) -> None:
    assert Cart().add(tee, "TEE-S-RED", 5).item_count == 5


def test_an_out_of_stock_variant_is_refused_as_out_of_stock(tee: Product) -> None:
    with pytest.raises(OutOfStock) as refused:
        Cart().add(tee, "TEE-M-BLUE", 1)

    assert refused.value.reason == "out_of_stock"
    assert refused.value.params == {"product": "TEE-1"}


def test_an_unknown_variant_cannot_be_added(tee: Product) -> None:
    with pytest.raises(NotFound) as refused:
        Cart().add(tee, "TEE-XXL-GOLD", 1)

    assert refused.value.reason == "unknown_variant"


def test_check_quantity_accepts_a_sane_quantity_in_stock(tee: Product) -> None:
    check_quantity(tee, "TEE-M-RED", 3, 3)  # no exception is the behaviour


# ----------------------------------------------------------------------------- changing


def test_set_quantity_replaces_the_quantity_of_the_line(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", 5).set_quantity(tee, "TEE-M-RED", 2)

    assert cart.lines == (CartLine("TEE-1", "TEE-M-RED", 2),)


def test_set_quantity_keeps_the_position_of_the_line(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", 1).add(tee, "TEE-L-RED", 1).set_quantity(tee, "TEE-M-RED", 3)

    assert [line.sku for line in cart.lines] == ["TEE-M-RED", "TEE-L-RED"]


def test_set_quantity_to_zero_removes_the_line(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", 2).add(tee, "TEE-L-RED", 1).set_quantity(tee, "TEE-M-RED", 0)

    assert cart.line("TEE-M-RED") is None
    assert [line.sku for line in cart.lines] == ["TEE-L-RED"]


def test_set_quantity_refuses_a_negative_quantity(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", 2)

    with pytest.raises(InvalidQuantity) as refused:
        cart.set_quantity(tee, "TEE-M-RED", -1)

    assert refused.value.reason == "quantity_not_positive"


def test_set_quantity_refuses_more_than_the_stock(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-S-RED", 1)

    with pytest.raises(OutOfStock) as refused:
        cart.set_quantity(tee, "TEE-S-RED", 6)

    assert refused.value.params["available"] == 5


def test_set_quantity_of_a_line_not_in_the_cart_is_not_found(tee: Product) -> None:
    with pytest.raises(NotFound) as refused:
        Cart().set_quantity(tee, "TEE-M-RED", 1)

    assert refused.value.reason == "not_in_cart"


def test_remove_takes_the_line_out(tee: Product) -> None:
    cart = Cart().add(tee, "TEE-M-RED", 2).remove("TEE-M-RED")

    assert cart.is_empty


def test_removing_an_unknown_sku_raises_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        Cart().remove("NOPE")

    assert refused.value.reason == "not_in_cart"
    assert refused.value.params == {"sku": "NOPE"}


# ----------------------------------------------------------------------------- product helpers


def test_sizes_and_colors_are_distinct_in_catalog_order(tee: Product) -> None:
    assert tee.sizes == ("S", "M", "L")
    assert tee.colors == ("red", "blue")


def test_a_product_without_options_has_no_sizes_or_colors() -> None:
    plain = make_product()

    assert plain.sizes == ()
    assert plain.colors == ()
    assert not plain.needs_choice


def test_a_product_with_several_variants_needs_a_choice(tee: Product) -> None:
    assert tee.needs_choice


def test_matching_variants_filters_by_size_and_colour(tee: Product) -> None:
    assert [v.sku for v in tee.matching_variants(size="M")] == ["TEE-M-RED", "TEE-M-BLUE"]
    assert [v.sku for v in tee.matching_variants(color="blue")] == ["TEE-M-BLUE", "TEE-L-BLUE"]
    assert [v.sku for v in tee.matching_variants(size="L", color="red")] == ["TEE-L-RED"]
    assert tee.matching_variants(size="XL") == ()
    assert len(tee.matching_variants()) == len(tee.variants)


def test_a_product_is_in_stock_while_any_variant_is() -> None:
    partly = make_product(variants=(Variant("A", stock=0), Variant("B", stock=1)))
    sold_out = make_product(variants=(Variant("A", stock=0), Variant("B", stock=0)))

    assert partly.in_stock
    assert not sold_out.in_stock
    assert not Variant("C", stock=-1).in_stock


def test_unit_price_uses_the_variant_price_when_it_has_one(tee: Product) -> None:
    assert tee.unit_price("TEE-L-BLUE") == twd(590)
    assert tee.unit_price("TEE-M-RED") == twd(490), "a variant without its own price uses the product price"


def test_variant_lookup_of_an_unknown_sku_is_not_found(tee: Product) -> None:
    with pytest.raises(NotFound) as refused:
        tee.unit_price("NOPE")

    assert refused.value.reason == "unknown_variant"


def test_title_in_picks_the_language_and_falls_back_to_english(tee: Product) -> None:
    assert tee.title_in("zh-TW") == "商品 TEE-1"
    assert tee.title_in("zh-HK") == "商品 TEE-1"
    assert tee.title_in("ja") == "Product TEE-1"


# ----------------------------------------------------------------------------- alternatives


def ids(products: list[Product]) -> list[str]:
    return [p.id for p in products]


def test_alternatives_are_from_the_same_category_only() -> None:
    original = make_product("LIP-1", category="skincare")
    same = make_product("LIP-2", category="skincare")
    other = make_product("TEA-1", category="tea")

    assert ids(alternatives(original, [original, other, same])) == ["LIP-2"]


def test_alternatives_exclude_the_product_itself() -> None:
    original = make_product("LIP-1", category="skincare")

    assert "LIP-1" not in ids(alternatives(original, [original, make_product("LIP-2", category="skincare")]))


def test_alternatives_are_in_stock_only() -> None:
    original = make_product("LIP-1", category="skincare")
    sold_out = make_product("LIP-2", category="skincare", variants=(Variant("LIP-2-1", stock=0),))
    available = make_product("LIP-3", category="skincare")

    assert ids(alternatives(original, [original, sold_out, available])) == ["LIP-3"]


def test_alternatives_sharing_more_needs_come_first() -> None:
    original = make_product("LIP-1", category="skincare", needs=("moisturising", "makeup"))
    none_shared = make_product("LIP-2", category="skincare", price=490)
    one_shared = make_product("LIP-3", category="skincare", needs=("makeup",), price=2000)
    two_shared = make_product("LIP-4", category="skincare", needs=("makeup", "moisturising"), price=3000)

    found = ids(alternatives(original, [none_shared, one_shared, two_shared]))

    assert found == ["LIP-4", "LIP-3", "LIP-2"], f"shared needs should outrank a close price, got {found}"


def test_alternatives_with_equal_needs_prefer_the_closer_price() -> None:
    original = make_product("LIP-1", category="skincare", price=500)
    far = make_product("LIP-2", category="skincare", price=1500)
    close = make_product("LIP-3", category="skincare", price=450)

    assert ids(alternatives(original, [far, close])) == ["LIP-3", "LIP-2"]


def test_alternatives_respect_the_limit() -> None:
    original = make_product("P-0", category="skincare")
    others = [make_product(f"P-{i}", category="skincare") for i in range(1, 6)]

    assert len(alternatives(original, others)) == 3
    assert len(alternatives(original, others, limit=1)) == 1
