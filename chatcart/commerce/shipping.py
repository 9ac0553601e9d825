"""Ways an order reaches the customer: home delivery, or pickup at a convenience store
(the usual choice in Taiwan: 7-ELEVEN, FamilyMart).

A carrier is kept as its English name, which orders and recognised choices store; the
customer reads it through the translation catalogue (`tr(option.carrier)`), so FamilyMart
is 全家 in Chinese while 7-ELEVEN keeps its own name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from chatcart.core.errors import NotFound
from chatcart.core.money import Money
from chatcart.i18n.catalogue import N_

#: Convenience-store chains by their English names, the keys orders store. FamilyMart is a
#: catalogue msgid (全家 in Chinese); 7-ELEVEN is written the same in every language.
SEVEN_ELEVEN = "7-ELEVEN"
FAMILYMART = N_("FamilyMart")


class ShippingKind(StrEnum):
    HOME = "home"
    STORE = "store"


@dataclass(frozen=True)
class ShippingOption:
    id: str
    kind: ShippingKind
    fee: Money
    free_over: Money | None = None
    #: The chain's English name and msgid (`SEVEN_ELEVEN`, `FAMILYMART`); "" for home delivery.
    carrier: str = ""

    def fee_for(self, subtotal: Money) -> Money:
        if self.free_over is not None and subtotal >= self.free_over:
            return Money.zero(subtotal.currency)
        return self.fee


#: (home fee, store fee, free over) per currency, in whole units. A workspace can set its own.
_DEFAULT_FEES: dict[str, tuple[int, int, int]] = {
    "TWD": (100, 60, 1000),
    "HKD": (30, 20, 300),
    "JPY": (800, 500, 8000),
    "PLN": (15, 10, 150),
    "EUR": (5, 3, 50),
    "USD": (6, 4, 60),
}


def default_shipping_options(currency: str) -> tuple[ShippingOption, ...]:
    home, store, free = _DEFAULT_FEES.get(currency, (0, 0, 0))
    free_over = Money(Decimal(free), currency) if free else None
    return (
        ShippingOption("home", ShippingKind.HOME, Money(Decimal(home), currency), free_over),
        ShippingOption(
            "store-711", ShippingKind.STORE, Money(Decimal(store), currency), free_over, SEVEN_ELEVEN
        ),
        ShippingOption(
            "store-family", ShippingKind.STORE, Money(Decimal(store), currency), free_over, FAMILYMART
        ),
    )


def find_option(options: tuple[ShippingOption, ...], option_id: str) -> ShippingOption:
    for option in options:
        if option.id == option_id:
            return option
    raise NotFound("unknown_shipping_option", option=option_id)
