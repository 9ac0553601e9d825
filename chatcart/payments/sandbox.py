"""A sandbox card provider: a local payment page, so the demo is complete with no account.
It behaves like a hosted checkout: the customer pays on a page, and the page's callback is
signed with the server's secret, as a real provider signs its webhooks."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from chatcart.commerce.orders import Order, PaymentMethod
from chatcart.commerce.payment import PaymentStart
from chatcart.i18n.catalogue import N_


@dataclass(frozen=True)
class SandboxProvider:
    base_url: str
    secret: str
    method: PaymentMethod = PaymentMethod.SANDBOX

    def start(self, order: Order, lang: str) -> PaymentStart:
        return PaymentStart(
            N_("Tap Pay now to pay {total} on the secure payment page."),
            {"total": order.quote.total.format(lang)},
            url=f"{self.base_url}/pay/sandbox/{order.payment_token}",
        )

    def signature(self, payment_token: str) -> str:
        """What the payment page signs its callback with (HMAC-SHA256 of the token)."""
        return hmac.new(self.secret.encode(), f"sandbox:{payment_token}".encode(), hashlib.sha256).hexdigest()

    def verify(self, payment_token: str, signature: str) -> bool:
        return hmac.compare_digest(self.signature(payment_token), signature)
