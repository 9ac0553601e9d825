"""What a scripted customer is: a goal (what they will buy and how) and a few habits.

A persona is data only; `policy.py` turns it into moves. Every field is something a real
customer knows before chatting (the tea, the size, the store they pick up from) or a habit
of how they chat (tapping buttons, typing a button's title, typing their own words).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """The six ways our customers use the chat, each measured on its own."""

    DIRECT = "direct buyer"
    BROWSER = "browser"
    CHANGER = "changer"
    ASKER = "asker"
    COMPLAINER = "complainer"
    RETURNING = "returning"


class Habit(StrEnum):
    """How a customer answers a question that comes with buttons."""

    #: Taps the button.
    TAP = "tap"
    #: Types the button's title ("Cash on delivery") instead of tapping it.
    TITLE = "title"
    #: Types their own words ("7-11", "貨到付款").
    WORDS = "words"


@dataclass(frozen=True)
class Item:
    """One cart line the customer wants, and how they type it."""

    sku: str
    quantity: int
    #: What they type to find the product ("dong ding oolong", "凍頂烏龍").
    search: str
    #: How they type the size or colour when asked ("300g", "半斤", "藍色"); empty: tap it.
    variant_words: str = ""
    #: How they type the quantity when asked ("2", "兩包"); empty: the digit.
    quantity_words: str = ""


@dataclass(frozen=True)
class Delivery:
    """The shipping option (an option id of the shop: home, store-711, store-family), how the
    customer types it, and the store or address they type when asked."""

    option: str
    words: str
    place: str


@dataclass(frozen=True)
class Goal:
    """Everything the order needs, as the customer knows it before the chat starts."""

    items: tuple[Item, ...]
    delivery: Delivery
    #: A payment method value of the shop: cod, sandbox (card page), bank_transfer.
    payment: str
    payment_words: str
    recipient: str
    phone: str

    def lines(self) -> dict[str, int]:
        """SKU → quantity: the order the customer means to place."""
        return {item.sku: item.quantity for item in self.items}


@dataclass(frozen=True)
class Interjection:
    """Something the customer says once, when the conversation reaches a point, whatever the
    bot asked: a question, a complaint, a change of mind, or leaving and coming back.

    `when` is one of: "start" (before anything else), "choosing" (picking a size, colour or
    quantity), "checkout" (any checkout question before the summary), a stored step name
    ("checkout.phone"), "summary" (the order summary is on screen), "cart_ready" (the cart
    holds everything the customer wants, whatever is being asked). A remark whose moment
    never comes is said at the summary, so a journey that skips a question still hears it."""

    text: str
    when: str
    #: Days the customer is away before saying `text` (a returning customer).
    pause_days: float = 0.0
    #: The goal from now on (a change of mind).
    new_goal: Goal | None = None
    complaint: bool = False


@dataclass(frozen=True)
class Persona:
    name: str
    lang: str
    kind: Kind
    #: None: the customer does not mean to buy (a complaint only).
    goal: Goal | None
    #: Typed first, one per turn, whatever the bot answers ("2 dong ding 300g, 7-11 pickup").
    openers: tuple[str, ...] = ()
    interjections: tuple[Interjection, ...] = ()
    habit: Habit = Habit.TAP
    #: Finds products with Browse → category rather than by typing their name.
    browses: bool = False

    @property
    def buyer(self) -> bool:
        return self.goal is not None and self.kind is not Kind.COMPLAINER

    @property
    def complainer(self) -> bool:
        return any(i.complaint for i in self.interjections)


@dataclass(frozen=True)
class Words:
    """What a customer of one language types when no button is there to tap."""

    hello: str
    checkout: str
    cart: str
    browse: str
    confirm: str
    change: str
    no_coupon: str
    person: str


WORDS = {
    "en": Words(
        hello="hi",
        checkout="checkout",
        cart="my cart",
        browse="browse products",
        confirm="confirm",
        change="change details",
        no_coupon="no coupon",
        person="I want to talk to a person",
    ),
    "zh-TW": Words(
        hello="你好",
        checkout="結帳",
        cart="購物車",
        browse="看商品",
        confirm="確認",
        change="修改資料",
        no_coupon="沒有優惠碼",
        person="我要找真人客服",
    ),
}
