"""Orders move only the way a shop works; totals are computed from the catalog and shop rules."""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import pytest

from chatcart.commerce.cart import Cart, CartLine
from chatcart.commerce.catalog import Product, Variant
from chatcart.commerce.orders import OrderStatus, can_move, move
from chatcart.commerce.pricing import PricedLine, Quote, price_lines, quote, subtotal_of
from chatcart.commerce.shipping import (
    ShippingKind,
    ShippingOption,
    default_shipping_options,
    find_option,
)
from chatcart.core.errors import InvalidTransition, NotFound
from chatcart.core.ids import new_order_number
from chatcart.core.money import Money

S = OrderStatus

#: Every move a shop may make, written out by hand; anything else must be refused.
ALLOWED_MOVES = {
    (S.PENDING_PAYMENT, S.PAID),
    (S.PENDING_PAYMENT, S.CANCELLED),
    (S.PAID, S.SHIPPED),
    (S.PAID, S.CANCELLED),
    (S.PAID, S.REFUNDED),
    (S.SHIPPED, S.DELIVERED),
    (S.SHIPPED, S.REFUNDED),
    (S.DELIVERED, S.COMPLETED),
    (S.DELIVERED, S.REFUNDED),
    (S.COMPLETED, S.REFUNDED),
}
ALL_PAIRS = list(itertools.product(OrderStatus, repeat=2))


def twd(amount: int | str) -> Money:
    return Money.of(amount, "TWD")


# ----------------------------------------------------------------------------- order state machine


@pytest.mark.parametrize(("current", "target"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_the_transition_table_allows_exactly_the_shop_moves(
    current: OrderStatus, target: OrderStatus
) -> None:
    expected = (current, target) in ALLOWED_MOVES

    assert can_move(current, target) is expected, (
        f"{current} -> {target} should be {'allowed' if expected else 'forbidden'}"
    )
    if expected:
        assert move(current, target) is target
    else:
        with pytest.raises(InvalidTransition) as refused:
            move(current, target)
        assert refused.value.reason == "order_transition"
        assert refused.value.params == {"current": current.value, "target": target.value}


def test_the_happy_path_runs_from_pending_payment_to_completed() -> None:
    status = S.PENDING_PAYMENT
    for target in (S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED):
        status = move(status, target)

    assert status is S.COMPLETED


@pytest.mark.parametrize("paid_state", [S.PAID, S.SHIPPED, S.DELIVERED, S.COMPLETED])
def test_a_paid_order_can_be_refunded_at_any_later_step(paid_state: OrderStatus) -> None:
    assert move(paid_state, S.REFUNDED) is S.REFUNDED


def test_an_unpaid_order_can_be_cancelled_but_not_refunded() -> None:
    assert move(S.PENDING_PAYMENT, S.CANCELLED) is S.CANCELLED
    with pytest.raises(InvalidTransition):
        move(S.PENDING_PAYMENT, S.REFUNDED)


@pytest.mark.parametrize(
    ("current", "target"),
    [(S.CANCELLED, S.PAID), (S.PENDING_PAYMENT, S.SHIPPED), (S.SHIPPED, S.CANCELLED), (S.COMPLETED, S.PAID)],
)
def test_typical_forbidden_moves_are_refused(current: OrderStatus, target: OrderStatus) -> None:
    with pytest.raises(InvalidTransition):
        move(current, target)


@pytest.mark.parametrize("final", [S.CANCELLED, S.REFUNDED])
def test_cancelled_and_refunded_are_final(final: OrderStatus) -> None:
    assert [t for t in OrderStatus if can_move(final, t)] == []


def test_no_status_moves_to_itself() -> None:
    assert [s for s in OrderStatus if can_move(s, s)] == []


# ----------------------------------------------------------------------------- pricing


def make_product(product_id: str, price: int, variants: tuple[Variant, ...]) -> Product:
    return Product(
        id=product_id,
        category_id="c",
        title={"en": f"Item {product_id}", "zh-TW": f"商品{product_id}"},
        price=twd(price),
        variants=variants,
    )


@pytest.fixture
def products() -> dict[str, Product]:
    return {
        "LIP": make_product("LIP", 390, (Variant("LIP-1", stock=10),)),
        "TEE": make_product(
            "TEE", 490, (Variant("TEE-M", stock=10), Variant("TEE-XL", stock=10, price=twd(590)))
        ),
    }


def test_price_lines_take_titles_and_unit_prices_from_the_catalog(products: dict[str, Product]) -> None:
    cart = Cart((CartLine("LIP", "LIP-1", 2), CartLine("TEE", "TEE-XL", 1)))

    lines = price_lines(cart, products, "zh-TW")

    assert lines == (
        PricedLine("LIP", "LIP-1", "商品LIP", 2, twd(390)),
        PricedLine("TEE", "TEE-XL", "商品TEE", 1, twd(590)),
    )
    assert lines[0].total == twd(780)


def test_price_lines_raise_not_found_for_a_product_that_is_gone(products: dict[str, Product]) -> None:
    cart = Cart((CartLine("LIP", "LIP-1", 1), CartLine("GONE", "GONE-1", 1)))

    with pytest.raises(NotFound) as refused:
        price_lines(cart, products, "en")

    assert refused.value.reason == "unknown_product"
    assert refused.value.params == {"product": "GONE"}


def test_subtotal_sums_every_line_and_is_zero_for_no_lines() -> None:
    lines = (
        PricedLine("A", "A-1", "A", 2, twd(390)),
        PricedLine("B", "B-1", "B", 1, twd(590)),
    )

    assert subtotal_of(lines, "TWD") == twd(1370)
    assert subtotal_of((), "TWD") == Money.zero("TWD")


def test_total_is_subtotal_minus_discount_plus_shipping() -> None:
    lines = (PricedLine("A", "A-1", "A", 2, twd(300)),)
    home = ShippingOption("home", ShippingKind.HOME, twd(100), free_over=twd(1000))

    q = quote(lines, "TWD", home, discount=twd(50), coupon_code="SAVE50")

    assert (q.subtotal, q.discount, q.shipping_fee) == (twd(600), twd(50), twd(100))
    assert q.total == twd(650), f"600 - 50 + 100 should be 650, got {q.total}"
    assert q.coupon_code == "SAVE50"


def test_a_quote_without_shipping_or_discount_charges_the_subtotal() -> None:
    q = quote((PricedLine("A", "A-1", "A", 1, twd(390)),), "TWD", None)

    assert q.discount == Money.zero("TWD")
    assert q.shipping_fee == Money.zero("TWD")
    assert q.total == twd(390)


def test_quote_total_property_uses_all_three_parts() -> None:
    q = Quote((), subtotal=twd(1000), discount=twd(150), shipping_fee=twd(60))

    assert q.total == twd(910)


# ----------------------------------------------------------------------------- shipping


def test_shipping_is_charged_below_the_free_shipping_threshold() -> None:
    option = ShippingOption("home", ShippingKind.HOME, twd(100), free_over=twd(1000))

    assert option.fee_for(twd(999)) == twd(100)


@pytest.mark.parametrize("subtotal", [1000, 1001, 5000])
def test_shipping_is_free_at_or_over_the_threshold(subtotal: int) -> None:
    option = ShippingOption("home", ShippingKind.HOME, twd(100), free_over=twd(1000))

    assert option.fee_for(twd(subtotal)) == Money.zero("TWD")


def test_an_option_without_a_threshold_always_charges() -> None:
    option = ShippingOption("home", ShippingKind.HOME, twd(100))

    assert option.fee_for(twd(100_000)) == twd(100)


def test_default_twd_options_are_home_and_the_two_convenience_stores() -> None:
    options = default_shipping_options("TWD")

    described = [(o.id, o.kind, o.fee, o.carrier) for o in options]
    assert described == [
        ("home", ShippingKind.HOME, twd(100), ""),
        ("store-711", ShippingKind.STORE, twd(60), "7-ELEVEN"),
        ("store-family", ShippingKind.STORE, twd(60), "FamilyMart"),
    ]
    assert all(o.free_over == twd(1000) for o in options), "every TWD option is free over NT$1,000"


def test_default_twd_options_are_free_over_one_thousand() -> None:
    for option in default_shipping_options("TWD"):
        assert option.fee_for(twd(999)).is_positive, f"{option.id} should charge below NT$1,000"
        assert option.fee_for(twd(1000)) == Money.zero("TWD"), f"{option.id} should be free at NT$1,000"


def test_a_quote_over_the_threshold_ships_free() -> None:
    store = find_option(default_shipping_options("TWD"), "store-711")
    lines = (PricedLine("A", "A-1", "A", 3, twd(390)),)

    q = quote(lines, "TWD", store)

    assert q.shipping_fee == Money.zero("TWD")
    assert q.total == twd(1170)


def test_an_unknown_currency_gets_free_options_without_threshold() -> None:
    options = default_shipping_options("CHF")

    assert [o.fee for o in options] == [Money.zero("CHF")] * 3
    assert all(o.free_over is None for o in options)


def test_find_option_of_an_unknown_id_is_not_found() -> None:
    with pytest.raises(NotFound) as refused:
        find_option(default_shipping_options("TWD"), "drone")

    assert refused.value.reason == "unknown_shipping_option"


# ----------------------------------------------------------------------------- order numbers

_UNAMBIGUOUS_FORMAT = re.compile(r"^CC-[34679ACDEFGHJKMNPQRTUVWXY]{4}-[34679ACDEFGHJKMNPQRTUVWXY]{4}$")
_AMBIGUOUS = set("0O1IL2Z5S8B")


def test_order_numbers_read_cc_then_two_groups_of_four_unambiguous_characters() -> None:
    numbers = [new_order_number() for _ in range(3000)]

    assert all(_UNAMBIGUOUS_FORMAT.match(n) for n in numbers), [
        n for n in numbers if not _UNAMBIGUOUS_FORMAT.match(n)
    ]
    used = set("".join(n[3:] for n in numbers))
    assert not used & _AMBIGUOUS, f"ambiguous characters in order numbers: {sorted(used & _AMBIGUOUS)}"


def test_order_numbers_are_random_so_they_cannot_be_guessed_from_each_other() -> None:
    numbers = {new_order_number() for _ in range(3000)}

    assert len(numbers) == 3000, "3,000 fresh numbers repeated one"


def test_decimal_amounts_stay_exact_through_a_quote() -> None:
    eur = Money.of("0.10", "EUR")
    q = quote((PricedLine("A", "A-1", "A", 3, eur),), "EUR", None)

    assert q.total.amount == Decimal("0.30")
