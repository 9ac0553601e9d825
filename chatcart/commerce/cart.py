"""The cart: what a contact intends to buy. Kept per contact, so it survives days,
restarts and a move from one channel to another."""

from __future__ import annotations

from dataclasses import dataclass, replace

from chatcart.commerce.catalog import Product
from chatcart.core.errors import InvalidQuantity, NotFound, OutOfStock

#: More than this of one item in a chat is a typo or a reseller; either way a person decides.
MAX_LINE_QUANTITY = 20


@dataclass(frozen=True)
class CartLine:
    product_id: str
    sku: str
    quantity: int


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def item_count(self) -> int:
        return sum(line.quantity for line in self.lines)

    def line(self, sku: str) -> CartLine | None:
        return next((line for line in self.lines if line.sku == sku), None)

    def add(self, product: Product, sku: str, quantity: int) -> Cart:
        """Adds to the line of that variant (one line per variant, never two)."""
        current = self.line(sku)
        total = quantity + (current.quantity if current else 0)
        check_quantity(product, sku, quantity, total)
        if current:
            return self._replace_line(replace(current, quantity=total))
        return Cart((*self.lines, CartLine(product.id, sku, total)))

    def set_quantity(self, product: Product, sku: str, quantity: int) -> Cart:
        if self.line(sku) is None:
            raise NotFound("not_in_cart", sku=sku)
        if quantity == 0:
            return self.remove(sku)
        check_quantity(product, sku, quantity, quantity)
        return self._replace_line(CartLine(product.id, sku, quantity))

    def remove(self, sku: str) -> Cart:
        if self.line(sku) is None:
            raise NotFound("not_in_cart", sku=sku)
        return Cart(tuple(line for line in self.lines if line.sku != sku))

    def _replace_line(self, new: CartLine) -> Cart:
        return Cart(tuple(new if line.sku == new.sku else line for line in self.lines))


def check_quantity(product: Product, sku: str, quantity: int, line_total: int) -> None:
    """Refuses zero, negative and absurd quantities, and more than is in stock."""
    if quantity <= 0:
        raise InvalidQuantity("quantity_not_positive", quantity=quantity)
    if line_total > MAX_LINE_QUANTITY:
        raise InvalidQuantity("quantity_too_large", quantity=line_total, limit=MAX_LINE_QUANTITY)
    stock = product.variant(sku).stock
    if stock <= 0:
        raise OutOfStock("out_of_stock", product=product.id)
    if line_total > stock:
        raise OutOfStock("not_enough_stock", product=product.id, available=stock)
