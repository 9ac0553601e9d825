"""The payment providers a deployment offers, by method."""

from __future__ import annotations

from collections.abc import Mapping

from chatcart.commerce.orders import PaymentMethod
from chatcart.payments.base import PaymentProvider
from chatcart.payments.offline import BankTransferProvider, CashOnDeliveryProvider
from chatcart.payments.sandbox import SandboxProvider

Providers = Mapping[PaymentMethod, PaymentProvider]


def default_providers(
    base_url: str, secret: str, bank: str = "Demo Bank (812)", account: str = "0000-1234-5678"
) -> Providers:
    providers: list[PaymentProvider] = [
        SandboxProvider(base_url, secret),
        CashOnDeliveryProvider(),
        BankTransferProvider(bank, account),
    ]
    return {p.method: p for p in providers}
