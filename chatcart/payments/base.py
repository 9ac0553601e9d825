"""The payment provider interface. A provider is one module in this folder, registered in
`registry.py`; the rest of chatcart only sees `PaymentProvider`."""

from __future__ import annotations

from typing import Protocol

from chatcart.commerce.orders import Order, PaymentMethod
from chatcart.commerce.payment import PaymentStart


class PaymentProvider(Protocol):
    @property
    def method(self) -> PaymentMethod: ...

    def start(self, order: Order, lang: str) -> PaymentStart:
        """What the customer is told (and where they go) to pay this order."""
        ...
