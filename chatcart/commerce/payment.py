"""What the customer is told to do to pay; produced by a payment provider plug-in."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PaymentStart:
    """`instructions` is a catalogue msgid with `params`; `url` a page to pay on, if any."""

    instructions: str
    params: dict[str, str] = field(default_factory=dict)
    url: str | None = None
