"""The one understanding interface: text and context in, intent, entities and confidence
out; and FAQ retrieval. The engine calls only this, so the keyword matcher can be replaced
by a trained model or an LLM (chosen by configuration, nlu/registry.py) without touching it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

from chatcart.commerce.content import FaqEntry, ShopIntents


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
    #: Checkout choices named in words: "home"/"store", a carrier, a payment method value.
    shipping: str | None = None
    carrier: str | None = None
    payment: str | None = None
    #: "no coupon", "沒有": only meaningful where a coupon is asked for.
    no_coupon: bool = False
    mentions_coupon: bool = False
    #: A street address typed in the message, as typed.
    address: str | None = None
    #: The name written right before the phone number ("王媽媽 0988123456").
    name: str | None = None
    #: A date the customer named ("明天", "next Friday", "do piątku"), resolved against the
    #: shop's today; only when the context says what today is.
    date: date | None = None
    #: An e-mail address typed in the message.
    email: str | None = None


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
    #: Asked as a question: answered, then the step in progress is asked again.
    is_question: bool = False
    #: The customer wants something taken out ("drop the serum", "烏龍那包不要了").
    wants_removal: bool = False
    #: The customer changes something already chosen ("make it 2", "改成宅配").
    wants_change: bool = False
    #: Everything in the cart is to go ("remove everything", "清空購物車").
    empties_cart: bool = False
    #: Asks what shipping costs: the engine answers from the shop's shipping options.
    asks_shipping_fee: bool = False
    #: Only chatter (laughter, a greeting, thanks, emoji): never taken as a name or a store.
    chatter: bool = False
    #: A question about a policy in complaint words ("退貨規定是什麼？", "can I return it?") with
    #: nothing angry in it: the FAQ answers it; it does not go to a person as a complaint.
    asks_policy: bool = False
    #: The whole message is a plain yes ("好", "ok!", "確認下單"): it confirms a summary.
    agrees: bool = False
    #: The customer adds to what they are buying ("再加兩包阿里山", "also a gaiwan").
    wants_addition: bool = False
    #: The same kind of product for less ("cheaper?", "有沒有便宜一點的"), after some were shown.
    wants_cheaper: bool = False
    #: Asks for recommendations and names nothing else ("recommend something", "有什麼推薦"):
    #: answered with picks from the contact's history, or the shop's bestsellers.
    wants_recommendation: bool = False
    #: Nothing a shop answers ("will it rain tomorrow?", "tell me a joke"), said with
    #: confidence by a trained understander: answered as such, not searched for products.
    out_of_scope: bool = False
    #: The id of one of the shop's own intents (`Context.intents`) the message asks, said
    #: with confidence; the engine answers it as the shop taught.
    shop_intent: str | None = None
    #: How the customer feels, -1 (furious) .. +1 (delighted) (nlu/sentiment.py).
    sentiment: float = 0.0
    #: Strongly negative: anger, an insult, a threat, a complaint said with force. A person
    #: takes over at once, whatever else the message asks.
    angry: bool = False
    #: Time pressure or escalation ("asap", "馬上", "至急", "pilne"), or anger.
    urgent: bool = False


@dataclass(frozen=True)
class Context:
    """What the understander may use besides the text: the contact's language and the
    step the conversation is at (a bare "2" means a quantity when choosing a quantity)."""

    lang: str
    expecting: str | None = None
    #: The shop's today, for dates said relatively ("tomorrow", 下週五); the domain reads no clock.
    today: date | None = None
    #: The intents this shop taught from example phrases (services/intents.py).
    intents: ShopIntents = field(default_factory=ShopIntents)


@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float


class Understander(Protocol):
    def understand(self, text: str, context: Context) -> Understanding: ...

    def learn(self, intents: ShopIntents) -> None:
        """Gets ready for a shop's own intents before a message needs them (a trained
        understander trains here); called when a shop's intents are loaded or changed."""
        ...

    def match_faq(self, text: str, entries: Sequence[FaqEntry]) -> FaqMatch | None:
        """The shop's FAQ entry this text asks, or None when any answer would be a guess."""
        ...
