"""Coupons: the server checks every rule and says which one refused the code."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chatcart.commerce.coupons import Coupon, CouponKind, coupon_discount, normalise_code
from chatcart.core.errors import CouponRejected
from chatcart.core.money import Money

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
SHOP = "shop-a"


def twd(amount: int | str) -> Money:
    return Money.of(amount, "TWD")


def percent(value: str, **rules: object) -> Coupon:
    return Coupon("SAVE", SHOP, CouponKind.PERCENT, Decimal(value), **rules)  # type: ignore[arg-type]


def fixed(value: str, **rules: object) -> Coupon:
    return Coupon("MINUS", SHOP, CouponKind.FIXED, Decimal(value), **rules)  # type: ignore[arg-type]


def discount(
    coupon: Coupon,
    subtotal: Money,
    *,
    workspace_id: str = SHOP,
    now: datetime = NOW,
    first_purchase: bool = False,
) -> Money:
    return coupon_discount(
        coupon, workspace_id=workspace_id, subtotal=subtotal, now=now, first_purchase=first_purchase
    )


def rejection(coupon: Coupon, subtotal: Money, **kwargs: object) -> CouponRejected:
    with pytest.raises(CouponRejected) as refused:
        discount(coupon, subtotal, **kwargs)  # type: ignore[arg-type]
    return refused.value


# ----------------------------------------------------------------------------- amounts


def test_a_percent_coupon_takes_that_share_of_the_subtotal() -> None:
    assert discount(percent("10"), twd(1000)) == twd(100)


def test_a_percent_coupon_is_rounded_to_the_shop_unit() -> None:
    got = discount(percent("15"), twd(999))

    assert got.amount == Decimal("150"), f"15% of NT$999 is 149.85, which a till rounds to 150; got {got}"


def test_a_percent_coupon_in_euro_is_rounded_to_cents_half_up() -> None:
    assert discount(percent("10"), Money.of("12.45", "EUR")) == Money.of("1.25", "EUR")


def test_a_fixed_coupon_takes_its_amount_in_the_subtotal_currency() -> None:
    got = discount(fixed("100"), twd(1290))

    assert got == twd(100)
    assert got.currency == "TWD"


def test_a_fixed_discount_never_exceeds_the_subtotal() -> None:
    assert discount(fixed("500"), twd(300)) == twd(300)


def test_a_percent_over_a_hundred_never_exceeds_the_subtotal() -> None:
    assert discount(percent("150"), twd(300)) == twd(300)


# ----------------------------------------------------------------------------- rules


def test_a_subtotal_below_the_minimum_spend_is_refused_with_the_minimum() -> None:
    refused = rejection(fixed("100", min_spend=Decimal(1000)), twd(999))

    assert refused.reason == "coupon_min_spend"
    assert refused.params["minimum"] == twd(1000)


def test_a_subtotal_exactly_at_the_minimum_spend_is_accepted() -> None:
    assert discount(fixed("100", min_spend=Decimal(1000)), twd(1000)) == twd(100)


def test_a_coupon_before_its_expiry_is_accepted() -> None:
    coupon = percent("10", expires_at=NOW)

    assert discount(coupon, twd(1000), now=NOW - timedelta(microseconds=1)) == twd(100)


def test_a_coupon_at_the_exact_expiry_instant_is_expired() -> None:
    refused = rejection(percent("10", expires_at=NOW), twd(1000), now=NOW)

    assert refused.reason == "coupon_expired"


def test_a_coupon_after_its_expiry_is_expired() -> None:
    refused = rejection(percent("10", expires_at=NOW), twd(1000), now=NOW + timedelta(days=1))

    assert refused.reason == "coupon_expired"
    assert refused.params == {"code": "SAVE"}


def test_a_coupon_whose_usage_limit_is_reached_is_used_up() -> None:
    refused = rejection(percent("10", usage_limit=5, used=5), twd(1000))

    assert refused.reason == "coupon_used_up"


def test_a_coupon_with_one_use_left_is_accepted() -> None:
    assert discount(percent("10", usage_limit=5, used=4), twd(1000)) == twd(100)


def test_a_first_purchase_coupon_is_refused_to_a_returning_customer() -> None:
    refused = rejection(percent("10", first_purchase_only=True), twd(1000), first_purchase=False)

    assert refused.reason == "coupon_first_purchase_only"


def test_a_first_purchase_coupon_is_accepted_on_the_first_purchase() -> None:
    assert discount(percent("10", first_purchase_only=True), twd(1000), first_purchase=True) == twd(100)


def test_a_coupon_of_another_workspace_is_unknown() -> None:
    foreign = percent("10")

    refused = rejection(foreign, twd(1000), workspace_id="shop-b")

    assert refused.reason == "coupon_unknown", "a foreign coupon must look like no coupon at all"


def test_a_foreign_coupon_is_unknown_even_when_its_other_rules_also_fail() -> None:
    """The workspace check comes first, so another shop's coupon never reveals its rules."""
    foreign = replace(percent("10", usage_limit=1, used=1, expires_at=NOW), workspace_id="shop-b")

    assert rejection(foreign, twd(1), now=NOW).reason == "coupon_unknown"


# ----------------------------------------------------------------------------- codes


@pytest.mark.parametrize(
    ("typed", "code"),
    [("save10", "SAVE10"), ("  Save10 \n", "SAVE10"), ("save 10", "SAVE10"), ("SAVE10", "SAVE10")],
)
def test_normalise_code_upper_cases_and_drops_spaces(typed: str, code: str) -> None:
    assert normalise_code(typed) == code
