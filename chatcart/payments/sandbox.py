"""A sandbox card provider: a local payment page, so the demo is complete with no account.
It behaves like a hosted checkout: the customer pays on a page, the page calls back."""

from __future__ import annotations

from dataclasses import dataclass

from chatcart.commerce.orders import Order, PaymentMethod
from chatcart.commerce.payment import PaymentStart
from chatcart.i18n.catalogue import N_


@dataclass(frozen=True)
class SandboxProvider:
    base_url: str
    method: PaymentMethod = PaymentMethod.SANDBOX

    def start(self, order: Order, lang: str) -> PaymentStart:
        return PaymentStart(
            N_("Tap Pay now to pay {total} on the secure payment page."),
            {"total": order.quote.total.format(lang)},
            url=f"{self.base_url}/pay/sandbox/{order.payment_token}",
        )
