"""`StoredShop`: the engine's `Shop` port over the database, inside one turn's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chatcart.commerce.cart import Cart
from chatcart.commerce.catalog import Category, Product
from chatcart.commerce.content import FaqEntry, Workspace
from chatcart.commerce.coupons import Coupon
from chatcart.commerce.orders import Order, OrderStatus, PaymentMethod
from chatcart.commerce.payment import PaymentStart
from chatcart.commerce.shipping import ShippingOption, default_shipping_options
from chatcart.crm.contacts import Contact
from chatcart.engine.ports import OrderDraft
from chatcart.nlu.search import CatalogIndex, ProductSearch
from chatcart.payments.registry import Providers
from chatcart.services import orders as order_actions
from chatcart.services.links import Links
from chatcart.storage import catalog, contacts
from chatcart.storage.conversations import set_outcome
from chatcart.storage.events import record_event
from chatcart.storage.orders import order_by, order_of, orders_of_contact
from chatcart.storage.tables import ConversationRow, HandoffRow, OrderRow

#: Order states that count as a purchase made (for first-purchase coupons).
_PURCHASED = {s.value for s in OrderStatus if s not in (OrderStatus.CANCELLED,)}
#: Events that settle a conversation's outcome.
_OUTCOME_OF_EVENT = {
    "order_placed": "purchased",
    "handoff": "handed_off",
    "faq_answered": "answered",
    "products_shown": "answered",
}


@dataclass
class StoredShop:
    session: Session
    workspace: Workspace
    contact_id: str
    conversation: ConversationRow
    now: datetime
    links: Links
    providers: Providers
    _contact: Contact | None = field(default=None, repr=False)

    @property
    def contact(self) -> Contact:
        if self._contact is None:
            self._contact = contacts.load_contact(self.session, self.contact_id)
        return self._contact

    @cached_property
    def _categories(self) -> list[Category]:
        return catalog.load_categories(self.session, self.workspace.id)

    @cached_property
    def _products(self) -> list[Product]:
        return catalog.load_products(self.session, self.workspace.id)

    @cached_property
    def _by_id(self) -> dict[str, Product]:
        return {p.id: p for p in self._products}

    def categories(self) -> Sequence[Category]:
        return self._categories

    def products(self) -> Sequence[Product]:
        return self._products

    def product(self, product_id: str) -> Product | None:
        return self._by_id.get(product_id)

    def search(self) -> ProductSearch:
        return CatalogIndex(self._products, self._categories)

    def faq(self) -> Sequence[FaqEntry]:
        return catalog.load_faq(self.session, self.workspace.id)

    def shipping_options(self) -> tuple[ShippingOption, ...]:
        return default_shipping_options(self.workspace.currency)

    def payment_methods(self) -> tuple[PaymentMethod, ...]:
        return tuple(self.providers)

    def cart(self) -> Cart:
        return contacts.load_cart(self.session, self.contact_id)

    def save_cart(self, cart: Cart) -> None:
        contacts.save_cart(self.session, self.contact_id, cart)

    def coupon(self, code: str) -> Coupon | None:
        return catalog.load_coupon(self.session, self.workspace.id, code)

    def is_first_purchase(self) -> bool:
        placed = self.session.scalar(
            select(OrderRow.id)
            .where(OrderRow.contact_id == self.contact_id, OrderRow.status.in_(_PURCHASED))
            .limit(1)
        )
        return placed is None

    def place_order(self, draft: OrderDraft) -> Order:
        order = order_actions.place_order(
            self.session, self.workspace, self.contact_id, self.conversation.id, draft, self.now
        )
        self.save_cart(Cart())
        set_outcome(self.conversation, "purchased")
        return order

    def order_for_token(self, checkout_token: str) -> Order | None:
        row = order_by(self.session, checkout_token=checkout_token)
        return order_of(row) if row is not None else None

    def orders(self) -> Sequence[Order]:
        return orders_of_contact(self.session, self.contact_id)

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

    def update_contact(self, **changes: Any) -> None:
        contacts.update_contact(self.session, self.contact_id, **changes)
        self._contact = None

    def record(self, name: str, **data: Any) -> None:
        record_event(
            self.session, self.workspace.id, name, self.now, self.conversation.id, self.contact_id, **data
        )
        if name in _OUTCOME_OF_EVENT:
            set_outcome(self.conversation, _OUTCOME_OF_EVENT[name])

    def hand_off(self, reason: str) -> None:
        self.session.add(
            HandoffRow(
                workspace_id=self.workspace.id,
                conversation_id=self.conversation.id,
                reason=reason,
                created_at=self.now,
                resolved_at=None,
            )
        )
        self.conversation.owner = "human"
        self.record("handoff", reason=reason)
