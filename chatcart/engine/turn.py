"""One turn of a conversation: what a skill reads, the replies it builds and the changes it
asks for. Changes are recorded as commands (engine/commands.py), never written; what a
skill reads after asking for a change (the cart it just saved) reflects that change."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from chatcart.commerce.cart import Cart
from chatcart.commerce.catalog import Product
from chatcart.commerce.orders import Order, OrderStatus, hold_for
from chatcart.core.events import EventName
from chatcart.core.money import Money
from chatcart.crm.contacts import Contact
from chatcart.engine.assistant_model import AssistantModel
from chatcart.engine.commands import (
    CancelOrder,
    Command,
    HandBack,
    HandOff,
    PlaceOrder,
    RecordEvent,
    SaveCart,
    UpdateContact,
)
from chatcart.engine.flows import FlowBook
from chatcart.engine.ports import OrderDraft, Shop
from chatcart.engine.state import ConversationState, Owner
from chatcart.i18n.catalogue import Translator
from chatcart.messaging.outbound import Button, OutboundMessage, QuickReply, buttons, text
from chatcart.nlu.interface import Understander, Understanding


@dataclass(frozen=True)
class Factories:
    """Ids the engine mints while deciding, passed in so tests can make them predictable."""

    new_token: Callable[[], str]
    new_id: Callable[[], str]
    new_order_number: Callable[[], str]


@dataclass
class Turn:
    shop: Shop
    state: ConversationState
    flows: FlowBook
    tr: Translator
    now: datetime
    make: Factories
    understander: Understander
    understanding: Understanding | None = None
    replies: list[OutboundMessage] = field(default_factory=list)
    commands: list[Command] = field(default_factory=list)
    owner: Owner = Owner.BOT
    #: The optional language model for open questions the rules leave (ADR 14); None = off.
    assistant: AssistantModel | None = None
    _cart: Cart | None = None
    _contact: Contact | None = None

    @property
    def lang(self) -> str:
        return self.tr.lang

    def new_token(self) -> str:
        return self.make.new_token()

    # --- what the turn reads, with its own changes applied

    def cart(self) -> Cart:
        if self._cart is None:
            self._cart = self.shop.cart()
        return self._cart

    def cart_products(self) -> dict[str, Product]:
        """The products in the cart, by id: what pricing needs, without the whole catalog."""
        found = {line.product_id: self.shop.product(line.product_id) for line in self.cart().lines}
        return {pid: product for pid, product in found.items() if product is not None}

    @property
    def contact(self) -> Contact:
        if self._contact is None:
            self._contact = self.shop.contact
        return self._contact

    # --- the changes it asks for

    def save_cart(self, cart: Cart) -> None:
        self._cart = cart
        self.commands.append(SaveCart(cart))

    def update_contact(
        self, lang: str | None = None, lang_chosen: bool | None = None, profile: dict[str, str] | None = None
    ) -> None:
        change = UpdateContact(lang, lang_chosen, dict(profile or {}))
        self._contact = _changed(self.contact, change)
        self.commands.append(change)

    def record(self, name: EventName, **data: Any) -> None:
        self.commands.append(RecordEvent(name, data))

    def hand_off(self, reason: str) -> None:
        self.owner = Owner.HUMAN
        self.commands.append(HandOff(reason))

    def hand_back(self) -> None:
        self.owner = Owner.BOT
        self.commands.append(HandBack())

    def cancel_order(self, order: Order) -> None:
        self.commands.append(CancelOrder(order.id))

    def place_order(self, draft: OrderDraft) -> Order:
        """The order as it will be stored; the write takes its stock or the turn is re-decided.
        It gets separate payment and tracking tokens (a tracking link must not pay), and a
        high-value order is held for a person, so only a person can open it for payment."""
        order = Order(
            id=self.make.new_id(),
            number=self.make.new_order_number(),
            workspace_id=self.shop.workspace.id,
            contact_id=self.contact.id,
            status=OrderStatus.PENDING_PAYMENT,
            quote=draft.quote,
            delivery=draft.delivery,
            payment_method=draft.payment_method,
            created_at=self.now,
            payment_token=self.make.new_token(),
            tracking_token=self.make.new_token(),
            held_for=hold_for(draft.quote.total, self.flows.high_value_over),
        )
        self.commands.append(PlaceOrder(order, draft.checkout_token))
        self.save_cart(Cart())
        # The cards shown before belong to the purchase just made: "the red one" said after
        # it is a new request, not a choice among them.
        self.state.shown = []
        return order

    # --- replies

    def say(self, msgid: str, quick_replies: list[QuickReply] | None = None, **params: Any) -> None:
        self.replies.append(text(self.tr(msgid, **params), quick_replies))

    def say_with_buttons(
        self, msgid: str, items: list[Button], quick_replies: list[QuickReply] | None = None, **params: Any
    ) -> None:
        self.replies.append(buttons(self.tr(msgid, **params), items, quick_replies))

    def send(self, message: OutboundMessage) -> None:
        self.replies.append(message)

    def button(self, name: str) -> QuickReply:
        """A named button of the flows (browse, cart, human…), translated."""
        spec = self.flows.buttons[name]
        return QuickReply(title=self.tr(spec.title), payload=spec.payload)

    def buttons_named(self, *names: str) -> list[QuickReply]:
        return [self.button(name) for name in names]

    def quick(self, msgid: str, payload: str, **params: Any) -> QuickReply:
        return QuickReply(title=self.tr(msgid, **params), payload=payload)

    def menu_replies(self) -> list[QuickReply]:
        return self.buttons_named(*self.flows.menu.quick_replies)

    def money(self, amount: Money | None) -> str:
        return amount.format(self.lang) if amount is not None else ""


def _changed(contact: Contact, change: UpdateContact) -> Contact:
    return replace(
        contact,
        lang=change.lang if change.lang is not None else contact.lang,
        lang_chosen=change.lang_chosen if change.lang_chosen is not None else contact.lang_chosen,
        profile={**contact.profile, **change.profile},
    )
