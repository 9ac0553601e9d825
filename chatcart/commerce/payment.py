"""What the customer is told to do to pay (produced by a payment provider plug-in), and a
shop's payment policy: which methods it takes and how long an unpaid order holds stock."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from types import MappingProxyType

from chatcart.commerce.orders import PaymentMethod


@dataclass(frozen=True)
class PaymentStart:
    """`instructions` is a catalogue msgid with `params`; `url` a page to pay on, if any."""

    instructions: str
    params: dict[str, str] = field(default_factory=dict)
    url: str | None = None


#: How long an order waiting for its payment holds its stock before it is cancelled
#: (docs/decisions/0010-money-safety.md). Short, so unpaid orders cannot keep a product
#: "sold out": a card is paid on the spot; a transfer needs a trip to a bank or an app.
#: Cash on delivery has no window: it is paid when the parcel arrives.
DEFAULT_HOLDS: Mapping[PaymentMethod, timedelta] = MappingProxyType(
    {PaymentMethod.SANDBOX: timedelta(minutes=30), PaymentMethod.BANK_TRANSFER: timedelta(hours=6)}
)
#: An order held for a person (high value) waits for that person's call, not for the customer.
DEFAULT_PERSON_HOLD = timedelta(hours=24)


@dataclass(frozen=True)
class PaymentPolicy:
    """One shop's payment rules. `methods` None means every method the deployment offers
    (a demo offers the sandbox card, production does not); a shop that lists methods gets
    only those the deployment offers too."""

    methods: tuple[PaymentMethod, ...] | None = None
    holds: Mapping[PaymentMethod, timedelta] = field(default_factory=lambda: DEFAULT_HOLDS)
    person_hold: timedelta = DEFAULT_PERSON_HOLD

    def offered(self, available: Iterable[PaymentMethod]) -> tuple[PaymentMethod, ...]:
        """The methods a customer may choose, in the deployment's order."""
        offered = tuple(available)
        return offered if self.methods is None else tuple(m for m in offered if m in self.methods)

    def hold(self, method: PaymentMethod, held_for_person: bool = False) -> timedelta | None:
        """How long an unpaid order of this method holds its stock; None: no payment window."""
        window = self.holds.get(method)
        if window is None:
            return None
        return max(window, self.person_hold) if held_for_person else window
