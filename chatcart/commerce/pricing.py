"""Totals, computed only here from catalog prices and shop rules: money is computed, never read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from chatcart.commerce.cart import Cart
from chatcart.commerce.catalog import Product
from chatcart.commerce.shipping import ShippingOption
from chatcart.core.errors import NotFound
from chatcart.core.money import Money


@dataclass(frozen=True)
class PricedLine:
    product_id: str
    sku: str
    title: str
    quantity: int
    unit_price: Money

    @property
    def total(self) -> Money:
        return self.unit_price.times(self.quantity)


@dataclass(frozen=True)
class Quote:
    lines: tuple[PricedLine, ...]
    subtotal: Money
    discount: Money
    shipping_fee: Money
    coupon_code: str | None = None

    @property
    def total(self) -> Money:
        return self.subtotal - self.discount + self.shipping_fee


def price_lines(cart: Cart, products: Mapping[str, Product], lang: str) -> tuple[PricedLine, ...]:
    priced = []
    for line in cart.lines:
        product = products.get(line.product_id)
        if product is None:
            raise NotFound("unknown_product", product=line.product_id)
        priced.append(
            PricedLine(
                line.product_id, line.sku, product.title_in(lang), line.quantity, product.unit_price(line.sku)
            )
        )
    return tuple(priced)


def subtotal_of(lines: tuple[PricedLine, ...], currency: str) -> Money:
    total = Money.zero(currency)
    for line in lines:
        total += line.total
    return total


def quote(
    lines: tuple[PricedLine, ...],
    currency: str,
    shipping: ShippingOption | None,
    discount: Money | None = None,
    coupon_code: str | None = None,
) -> Quote:
    subtotal = subtotal_of(lines, currency)
    fee = shipping.fee_for(subtotal) if shipping else Money.zero(currency)
    return Quote(lines, subtotal, discount or Money.zero(currency), fee, coupon_code)
