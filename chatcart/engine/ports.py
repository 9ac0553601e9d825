"""What the engine asks of the world, as a read-only interface. The engine does no I/O and
writes nothing: the service layer implements `Shop` over a snapshot read outside any write
lock (a cached catalog, the contact, cart and orders), and the turn's changes come back as
commands (engine/commands.py). Tests can run the same engine against any implementation."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from chatcart.commerce.cart import Cart
from chatcart.commerce.catalog import Catalog, Product
from chatcart.commerce.content import FaqEntry, ShopIntents, Workspace
from chatcart.commerce.coupons import Coupon
from chatcart.commerce.orders import Delivery, Order, PaymentMethod
from chatcart.commerce.payment import PaymentStart
from chatcart.commerce.pricing import Quote
from chatcart.commerce.shipping import ShippingOption
from chatcart.crm.contacts import Contact
from chatcart.engine.state import Owner
from chatcart.nlu.search import SearchQuery


@dataclass(frozen=True)
class OrderDraft:
    quote: Quote
    delivery: Delivery
    payment_method: PaymentMethod
    #: Idempotency key: the same confirmation tapped twice places one order.
    checkout_token: str


@dataclass(frozen=True)
class AlsoBought:
    """A product bought in `orders` placed orders together with the product `with_id`."""

    product: Product
    with_id: str
    orders: int


class Shop(Protocol):
    @property
    def workspace(self) -> Workspace: ...
    @property
    def contact(self) -> Contact: ...
    @property
    def owner(self) -> Owner:
        """Who owns the conversation; changed only by the ownership doors, never by a turn's
        state, so a person's takeover cannot be undone by a bot turn in flight."""
        ...

    @property
    def catalog(self) -> Catalog:
        """The catalog with current stock, cached across turns per catalog version."""
        ...

    def product(self, product_id: str) -> Product | None: ...
    def search(self, query: SearchQuery, limit: int = 10) -> list[Product]: ...
    def faq(self) -> Sequence[FaqEntry]: ...
    def intents(self) -> ShopIntents:
        """The intents the shop taught from example phrases (services/intents.py)."""
        ...

    def shipping_options(self) -> tuple[ShippingOption, ...]: ...
    def payment_methods(self) -> tuple[PaymentMethod, ...]: ...

    def cart(self) -> Cart: ...
    def coupon(self, code: str) -> Coupon | None: ...
    def is_first_purchase(self, phone: str | None) -> bool:
        """No earlier order in the shop by this contact, nor by anyone giving this phone:
        a first-purchase offer is for a new buyer, not for a fresh visitor id."""
        ...

    def unpaid_orders(self) -> int:
        """How many of the contact's orders still wait for their payment (and hold stock)."""
        ...

    def order_for_token(self, checkout_token: str) -> Order | None:
        """The contact's own order placed with this checkout token; never another's."""
        ...

    def orders(self) -> Sequence[Order]: ...
    def also_bought(
        self, product_ids: Sequence[str], exclude: Collection[str] = (), limit: int = 3
    ) -> list[AlsoBought]:
        """In-stock products bought in the same standing orders of this shop as any of
        `product_ids`, most orders first; none of `product_ids` or `exclude`. One indexed
        query, so it is cheap enough for any view that shows products."""
        ...

    def bestsellers(self, limit: int = 3) -> list[Product]:
        """The shop's in-stock products held by the most standing orders, most first."""
        ...

    def order_by_number(self, number: str) -> Order | None: ...
    def start_payment(self, order: Order) -> PaymentStart: ...
    def tracking_url(self, order: Order) -> str: ...
    def product_url(self, product: Product) -> str: ...
    def asset_url(self, path: str) -> str:
        """An absolute URL for an image path, as every channel needs."""
        ...
