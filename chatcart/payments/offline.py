"""Payments that happen outside chatcart: cash on delivery and bank transfer."""

from __future__ import annotations

from dataclasses import dataclass

from chatcart.commerce.orders import Order, PaymentMethod
from chatcart.commerce.payment import PaymentStart
from chatcart.i18n.catalogue import N_


@dataclass(frozen=True)
class CashOnDeliveryProvider:
    method: PaymentMethod = PaymentMethod.CASH_ON_DELIVERY

    def start(self, order: Order, lang: str) -> PaymentStart:
        return PaymentStart(
            N_("Please pay {total} in cash when the parcel arrives."),
            {"total": order.quote.total.format(lang)},
        )


@dataclass(frozen=True)
class BankTransferProvider:
    bank: str
    account: str
    method: PaymentMethod = PaymentMethod.BANK_TRANSFER

    def start(self, order: Order, lang: str) -> PaymentStart:
        return PaymentStart(
            N_(
                "Please transfer {total} to {bank}, account {account}, with the reference {number}. "
                "We ship as soon as it arrives."
            ),
            {
                "total": order.quote.total.format(lang),
                "bank": self.bank,
                "account": self.account,
                "number": order.number,
            },
        )
