"""`SnapshotShop`: the engine's read-only `Shop` port over a turn's snapshot — a read
transaction that holds no write lock, and the process's cached catalog. Whatever the engine
decides comes back as commands (engine/commands.py), applied by services/apply.py."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from chatcart.commerce.cart import Cart
from chatcart.commerce.catalog import Catalog, Product
from chatcart.commerce.content import FaqEntry, ShopIntents, Workspace
from chatcart.commerce.coupons import Coupon
from chatcart.commerce.orders import Order, PaymentMethod
from chatcart.commerce.payment import PaymentStart
from chatcart.commerce.shipping import ShippingOption, default_shipping_options
from chatcart.crm.contacts import Contact
from chatcart.engine.ports import AlsoBought
from chatcart.engine.state import Owner
from chatcart.nlu.search import SearchQuery
from chatcart.payments.registry import Providers
from chatcart.services.catalogs import CachedCatalog
from chatcart.services.links import Links
from chatcart.storage import catalog, contacts
from chatcart.storage.orders import (
    count_unpaid,
    order_by,
    order_of,
    orders_of_contact,
    payment_policy,
    purchased_before,
)
from chatcart.storage.purchases import bestsellers, bought_with

#: Rows asked of the database per recommendation wanted, for those dropped as sold out.
_PAIRS_PER_PICK = 5


@dataclass
class SnapshotShop:
    session: Session
    workspace: Workspace
    contact_id: str
    owner: Owner
    cached: CachedCatalog
    now: datetime
    links: Links
    providers: Providers
    _contact: Contact | None = field(default=None, repr=False)

    @property
    def contact(self) -> Contact:
        if self._contact is None:
            self._contact = contacts.load_contact(self.session, self.contact_id)
        return self._contact

    @property
    def catalog(self) -> Catalog:
        return self.cached.catalog

    def product(self, product_id: str) -> Product | None:
        return self.cached.catalog.product(product_id)

    def search(self, query: SearchQuery, limit: int = 10) -> list[Product]:
        return self.cached.index.search(query, limit, catalog=self.cached.catalog)

    def faq(self) -> Sequence[FaqEntry]:
        return self.cached.faq

    def intents(self) -> ShopIntents:
        return self.cached.intents

    def shipping_options(self) -> tuple[ShippingOption, ...]:
        return default_shipping_options(self.workspace.currency)

    def payment_methods(self) -> tuple[PaymentMethod, ...]:
        """The shop's chosen methods among those this deployment offers (no sandbox card in
        production)."""
        return payment_policy(self.session, self.workspace.id).offered(self.providers)

    def cart(self) -> Cart:
        return contacts.load_cart(self.session, self.contact_id)

    def coupon(self, code: str) -> Coupon | None:
        return catalog.load_coupon(self.session, self.workspace.id, code)

    def is_first_purchase(self, phone: str | None) -> bool:
        return not purchased_before(self.session, self.workspace.id, self.contact_id, phone)

    def unpaid_orders(self) -> int:
        return count_unpaid(self.session, self.workspace.id, self.contact_id)

    def order_for_token(self, checkout_token: str) -> Order | None:
        row = order_by(self.session, checkout_token=checkout_token, contact_id=self.contact_id)
        return order_of(row) if row is not None else None

    def orders(self) -> Sequence[Order]:
        return orders_of_contact(self.session, self.contact_id)

    def also_bought(
        self, product_ids: Sequence[str], exclude: Collection[str] = (), limit: int = 3
    ) -> list[AlsoBought]:
        """Asks for more pairs than wanted: a product sold out since, or one bought with two
        of the anchors, is dropped here against the cached catalog's stock."""
        rows = bought_with(self.session, self.workspace.id, product_ids, exclude, limit * _PAIRS_PER_PICK)
        picks: dict[str, AlsoBought] = {}
        for row in rows:
            product = self.cached.catalog.product(row.product_id)
            if product is not None and product.in_stock and row.product_id not in picks:
                picks[row.product_id] = AlsoBought(product, row.anchor_id, row.orders)
        return list(picks.values())[:limit]

    def bestsellers(self, limit: int = 3) -> list[Product]:
        found = map(
            self.cached.catalog.product, bestsellers(self.session, self.workspace.id, limit * _PAIRS_PER_PICK)
        )
        return [p for p in found if p is not None and p.in_stock][:limit]

    def order_by_number(self, number: str) -> Order | None:
        row = order_by(self.session, number=number, contact_id=self.contact_id)
        return order_of(row) if row is not None else None

    def start_payment(self, order: Order) -> PaymentStart:
        return self.providers[order.payment_method].start(order, self.contact.lang or self.workspace.lang)

    def tracking_url(self, order: Order) -> str:
        return self.links.tracking(order)

    def product_url(self, product: Product) -> str:
        return self.links.product(self.workspace.id, product)

    def asset_url(self, path: str) -> str:
        return self.links.asset(path)
