"""What a turn decided to change, as typed values. The engine never writes: it returns
these beside its replies, and the service layer applies them in one short transaction,
re-checking what may have changed since the turn's snapshot (stock, coupon uses, the
conversation's version). A conflict there means the turn is decided again on fresh data.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from chatcart.commerce.cart import Cart
from chatcart.commerce.orders import Order
from chatcart.core.events import EventName


@dataclass(frozen=True)
class SaveCart:
    cart: Cart


@dataclass(frozen=True)
class UpdateContact:
    """Only the fields given change; `profile` entries are merged into the profile."""

    lang: str | None = None
    lang_chosen: bool | None = None
    profile: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class RecordEvent:
    name: EventName
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class HandOff:
    """The conversation goes to a person (the queue); the bot falls silent."""

    reason: str


@dataclass(frozen=True)
class HandBack:
    """The customer chose the bot again."""

    by: str = "customer"


@dataclass(frozen=True)
class PlaceOrder:
    """An order the engine priced from the catalog: the write takes its stock and coupon use
    atomically, or the turn is decided again."""

    order: Order
    checkout_token: str


@dataclass(frozen=True)
class CancelOrder:
    """The customer cancels one of their orders still waiting for payment; its stock goes
    back. A payment that got there first wins, and then nothing changes."""

    order_id: str


Command = SaveCart | UpdateContact | RecordEvent | HandOff | HandBack | PlaceOrder | CancelOrder
