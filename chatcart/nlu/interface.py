"""The one understanding interface: text and context in, intent, entities and confidence
out; and FAQ retrieval. The engine calls only this, so the keyword matcher can be replaced
by a trained model or an LLM (chosen by configuration, nlu/registry.py) without touching it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from chatcart.commerce.content import FaqEntry


class Intent(StrEnum):
    """What a customer can mean, shared by every understander and the engine."""

    GREET = "greet"
    MENU = "menu"
    BROWSE = "browse"
    SEARCH = "search"
    CART = "cart"
    CHECKOUT = "checkout"
    ORDER_STATUS = "order_status"
    FAQ = "faq"
    HUMAN = "human"
    COMPLAINT = "complaint"
    THANKS = "thanks"
    CANCEL = "cancel"
    YES = "yes"
    NO = "no"
    LANGUAGE_EN = "language_en"
    LANGUAGE_ZH = "language_zh"


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
    """What the customer meant. `intent` is None when nothing was recognised; `confidence`
    is 0..1 and the engine acts on an intent only at or above the flows' threshold."""

    text: str
    normalised: str
    lang: str | None
    intent: Intent | None = None
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


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float


class Understander(Protocol):
    def understand(self, text: str, context: Context) -> Understanding: ...

    def match_faq(self, text: str, entries: Sequence[FaqEntry]) -> FaqMatch | None:
        """The shop's FAQ entry this text asks, or None when any answer would be a guess."""
        ...
