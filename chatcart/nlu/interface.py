"""The one understanding interface: text and context in, intent, entities and confidence out.

The engine, the hand-off rules and search call only this, so the keyword matcher here can
be replaced by a trained model or an LLM without touching them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Protocol


@dataclass(frozen=True)
class Entities:
    quantity: int | None = None
    color: str | None = None
    size: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    order_number: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Understanding:
    """What the customer meant. `intent` is None when nothing was recognised."""

    text: str
    normalised: str
    lang: str | None
    intent: str | None = None
    confidence: float = 0.0
    entities: Entities = field(default_factory=Entities)
    #: The words left once intent keywords and entities are taken out: the search query.
    remainder: str = ""


@dataclass(frozen=True)
class Context:
    """What the understander may use besides the text: the contact's language and the
    step the conversation is at (a bare "2" means a quantity when choosing a quantity)."""

    lang: str
    expecting: str | None = None


class Understander(Protocol):
    def understand(self, text: str, context: Context) -> Understanding: ...
