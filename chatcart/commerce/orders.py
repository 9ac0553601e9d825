"""Orders and their life: a state machine, so an order can only move the way a shop works."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from chatcart.commerce.pricing import Quote
from chatcart.core.errors import InvalidTransition
from chatcart.core.money import Money


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    REFUNDED = "refunded"


#: States in which an order stands as a purchase: placed, and neither cancelled (by the
#: customer or by expiry) nor refunded. Recommendations learn from these only.
STANDING = frozenset(s for s in OrderStatus if s not in (OrderStatus.CANCELLED, OrderStatus.REFUNDED))

_NEXT: dict[OrderStatus, frozenset[OrderStatus]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CANCELLED, OrderStatus.REFUNDED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.DELIVERED, OrderStatus.REFUNDED}),
    OrderStatus.DELIVERED: frozenset({OrderStatus.COMPLETED, OrderStatus.REFUNDED}),
    OrderStatus.COMPLETED: frozenset({OrderStatus.REFUNDED}),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.REFUNDED: frozenset(),
}


def can_move(current: OrderStatus, target: OrderStatus) -> bool:
    return target in _NEXT[current]


def move(current: OrderStatus, target: OrderStatus) -> OrderStatus:
    if not can_move(current, target):
        raise InvalidTransition("order_transition", current=current.value, target=target.value)
    return target


class PaymentMethod(StrEnum):
    SANDBOX = "sandbox"
    CASH_ON_DELIVERY = "cod"
    BANK_TRANSFER = "bank_transfer"


@dataclass(frozen=True)
class Delivery:
    """Where the parcel goes: an address for home delivery, a store for pickup."""

    option_id: str
    recipient: str
    phone: str
    address: str = ""
    store: str = ""


@dataclass(frozen=True)
class Order:
    id: str
    number: str
    workspace_id: str
    contact_id: str
    status: OrderStatus
    quote: Quote
    delivery: Delivery
    payment_method: PaymentMethod
    created_at: datetime
    #: Only in the payment link: whoever holds it can pay, so it is never shown elsewhere.
    payment_token: str = ""
    #: In tracking links and the tracking page: it shows the order, it cannot pay it.
    tracking_token: str = ""
    #: Why a person must close this order before the customer may pay it ("" when nobody must).
    held_for: str = ""

    @property
    def held_for_person(self) -> bool:
        return bool(self.held_for)


#: The hold a high-value order carries: the bot assists, a person closes (ADR 4).
HELD_HIGH_VALUE = "high_value"


def hold_for(total: Money, high_value_over: Mapping[str, int | Decimal]) -> str:
    """The hold an order of this total is placed with: a person closes orders at or above
    the shop's threshold for the currency, so the customer cannot pay them on their own."""
    threshold = high_value_over.get(total.currency)
    return HELD_HIGH_VALUE if threshold is not None and total.amount >= threshold else ""
