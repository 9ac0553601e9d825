"""The payment providers a deployment offers, by method. Which of them a shop takes is the
shop's payment policy (commerce/payment.py), stored per workspace."""

from __future__ import annotations

from collections.abc import Mapping

from chatcart.commerce.orders import PaymentMethod
from chatcart.payments.base import PaymentProvider
from chatcart.payments.offline import BankTransferProvider, CashOnDeliveryProvider
from chatcart.payments.sandbox import SandboxProvider

Providers = Mapping[PaymentMethod, PaymentProvider]


def default_providers(
    base_url: str,
    secret: str,
    bank: str = "Demo Bank (812)",
    account: str = "0000-1234-5678",
    sandbox: bool = True,
) -> Providers:
    """`sandbox` only in demo mode: the sandbox card page marks orders paid with no money
    moving, so a production deployment never offers it, whatever a shop configures."""
    providers: list[PaymentProvider] = [CashOnDeliveryProvider(), BankTransferProvider(bank, account)]
    if sandbox:
        providers.insert(0, SandboxProvider(base_url, secret))
    return {p.method: p for p in providers}
