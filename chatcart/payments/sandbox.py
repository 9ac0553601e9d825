"""A sandbox card provider: a local payment page, so the demo is complete with no account.
It behaves like a hosted checkout: the customer pays on a page, and the page's callback
carries the amount and currency paid, signed together with the payment token with the
server's secret, as a real provider signs its webhooks. It exists only in demo mode
(payments/registry.py): its page prints the signature, so it proves nothing real."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from decimal import Decimal

from chatcart.commerce.orders import Order, PaymentMethod
from chatcart.commerce.payment import PaymentStart
from chatcart.core.money import Money
from chatcart.i18n.catalogue import N_


def amount_field(paid: Money) -> str:
    """The amount as the callback carries it: two decimals, whatever the currency shows."""
    return str(paid.amount.quantize(Decimal("0.01")))


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

    def callback_form(self, order: Order) -> dict[str, str]:
        """The fields the payment page posts back for this order."""
        amount, currency = amount_field(order.quote.total), order.quote.total.currency
        return {
            "amount": amount,
            "currency": currency,
            "signature": self.signature(order.payment_token, amount, currency),
        }

    def signature(self, payment_token: str, amount: str, currency: str) -> str:
        """HMAC-SHA256 of the token with the amount and currency paid: a callback cannot
        move the amount without the secret."""
        message = f"sandbox:{payment_token}:{amount}:{currency}".encode()
        return hmac.new(self.secret.encode(), message, hashlib.sha256).hexdigest()

    def verify(self, payment_token: str, amount: str, currency: str, signature: str) -> bool:
        """Compared as bytes: any text a form can carry is refused, never an error."""
        expected = self.signature(payment_token, amount, currency)
        return hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace"))
