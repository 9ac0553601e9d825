"""The policy every scripted customer shares: from a persona, what it remembers and what the
bot just showed, the next move (a text or a tap), or None when it has nothing to say.

It is generic on purpose, because the journey keeps changing: it never assumes an order of
questions and answers only what is asked. What the bot asks is read from its replies first
(the options offered: `SHIP:…`, `PAY:…`, `SIZE:…`, `QTY:…`, `CONFIRM:…`, cards with `BUY:…`);
where they do not say (the question was asked before an aside, or is a typed question with no
buttons), the policy peeks at the conversation's stored step, which a real customer would
know by scrolling up. It also peeks at the cart to compare it with what the customer wants,
as a customer glancing at the summary would. A simulator may peek; this one does only that.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from bench.customers.persona import WORDS, Goal, Habit, Interjection, Item, Persona, Words
from bench.customers.shop import VariantFacts
from bench.customers.view import BotView, Option

CONFIRM_STEP = "checkout.confirm"
#: Moves in a row with nothing asked after which a customer taps what is on screen rather
#: than type again: with no question pending, a refusal cannot be told from progress.
IDLE_PATIENCE = 3


@dataclass(frozen=True)
class Move:
    """A typed text or a tapped option; `answers` is the step it answers, if any."""

    text: str = ""
    payload: str = ""
    title: str = ""
    pause_days: float = 0.0
    complaint: bool = False
    answers: str | None = None

    @property
    def shown(self) -> str:
        return f"[tap] {self.title or self.payload}" if self.payload else self.text


@dataclass
class Memory:
    """What the customer keeps in mind between turns."""

    goal: Goal | None
    openers_sent: int = 0
    interjections_done: int = 0
    complained: bool = False
    #: The step the previous move answered: the same step asked again means a refusal.
    last_answered: str | None = None
    #: Times the bot asked again what the customer had just answered.
    repeats: int = 0
    #: Steps that asked again after an answer: from then on the customer taps there rather
    #: than types, as the bot asked them to.
    refused: Counter[str] = field(default_factory=Counter)
    #: Moves in a row made while the bot asked nothing (finding a product, asking to pay).
    idle_streak: int = 0
    #: Times the customer typed a product's name to find it, per SKU.
    searches: Counter[str] = field(default_factory=Counter)


def tap(option: Option, answers: str | None = None) -> Move:
    return Move(payload=option.payload, title=option.title, answers=answers)


def say(text: str, answers: str | None = None) -> Move:
    return Move(text=text, answers=answers)


def next_move(
    persona: Persona, memory: Memory, view: BotView, variants: dict[str, VariantFacts]
) -> Move | None:
    step = view.step or ""
    if step and memory.last_answered == step:
        memory.repeats += 1
        memory.refused[step] += 1
    stubborn = memory.refused[step] > 0 if step else memory.idle_streak >= IDLE_PATIENCE
    move = (
        _opener(persona, memory)
        or _interjection(persona, memory, view)
        or _insist_on_person(persona, memory, view)
        or _answer(persona, memory, view, variants, stubborn)
    )
    memory.last_answered = move.answers if move is not None else None
    memory.idle_streak = 0 if step else memory.idle_streak + 1
    return move


def _opener(persona: Persona, memory: Memory) -> Move | None:
    if memory.openers_sent >= len(persona.openers):
        return None
    memory.openers_sent += 1
    return say(persona.openers[memory.openers_sent - 1])


def _interjection(persona: Persona, memory: Memory, view: BotView) -> Move | None:
    """The next scripted remark, once its moment has come; they are said in order."""
    if memory.interjections_done >= len(persona.interjections):
        return None
    planned = persona.interjections[memory.interjections_done]
    if not _moment(planned, memory, view):
        return None
    memory.interjections_done += 1
    memory.goal = planned.new_goal or memory.goal
    memory.complained = memory.complained or planned.complaint
    return Move(text=planned.text, pause_days=planned.pause_days, complaint=planned.complaint)


def _moment(planned: Interjection, memory: Memory, view: BotView) -> bool:
    """Whether the remark's moment has come. The summary on screen is the latest moment of
    every remark: a journey that skips the planned question still hears it, late."""
    step = view.step or ""
    if step == CONFIRM_STEP and view.option("CONFIRM:") is not None:
        return True
    if planned.when == "start":
        return True
    if planned.when == "choosing":
        return step.startswith("buy.")
    if planned.when == "checkout":
        return step.startswith("checkout.") and step != CONFIRM_STEP
    if planned.when == "cart_ready":
        cart_full = memory.goal is not None and view.peek.cart == memory.goal.lines()
        return cart_full and not step.startswith("buy.")
    return step == planned.when


def _insist_on_person(persona: Persona, memory: Memory, view: BotView) -> Move | None:
    """An angry customer the bot kept for itself asks for a person, by tap or in words."""
    if not memory.complained:
        return None
    human = view.option("HUMAN")
    return tap(human) if human is not None else say(WORDS[persona.lang].person)


def _answer(
    persona: Persona, memory: Memory, view: BotView, variants: dict[str, VariantFacts], retry: bool
) -> Move | None:
    goal = memory.goal
    if goal is None:
        return None
    step = view.step or ""
    resume = view.option("RESUME")
    if step and resume is not None and view.option("RESTART") is not None:
        return tap(resume)  # "Welcome back! Shall we continue?"
    if step == CONFIRM_STEP:
        return _at_summary(persona, memory, goal, view, variants, retry)
    if step.startswith("checkout."):
        return _checkout_answer(persona, goal, view, step, retry)
    if step.startswith("buy."):
        return _choice_answer(persona, memory, goal, view, variants, step, retry)
    if step == "search.query" and _missing(goal, view):
        return _find(persona, memory, view, variants, _missing(goal, view)[0])
    if step:
        return None  # a question this customer does not know how to answer
    return _idle(persona, memory, goal, view, variants)


def _choose(
    persona: Persona,
    view: BotView,
    payload: str,
    words: str,
    stubborn: bool,
    answers: str | None,
    reopen: Callable[[], Move] | None = None,
) -> Move:
    """Answers a question that comes with buttons, the persona's way. Where the bot refused
    an answer before (`stubborn`), anyone taps; with the button gone from the screen, they
    tap "continue" if offered, else `reopen` the question (tap Buy again, ask for checkout)."""
    option = view.option(payload)
    if option is not None and (persona.habit is Habit.TAP or stubborn):
        return tap(option, answers)
    if option is not None and persona.habit is Habit.TITLE:
        return say(option.title, answers)
    resume = view.option("RESUME")
    if resume is not None and (persona.habit is Habit.TAP or stubborn):
        return tap(resume)
    if stubborn and reopen is not None:
        return reopen()
    return say(words, answers)


# --------------------------------------------------------------------------- checkout


def _checkout_answer(persona: Persona, goal: Goal, view: BotView, step: str, retry: bool) -> Move | None:
    slot = step.split(".", 1)[1]
    words = WORDS[persona.lang]
    delivery = goal.delivery

    def again() -> Move:
        return say(words.checkout)

    if slot == "shipping":
        return _choose(persona, view, f"SHIP:{delivery.option}", delivery.words, retry, step, again)
    if slot == "payment":
        return _choose(persona, view, f"PAY:{goal.payment}", goal.payment_words, retry, step, again)
    if slot == "coupon":
        return _choose(persona, view, "COUPON_SKIP", words.no_coupon, retry, step, again)
    asks_phone_too = any(word in view.text.lower() for word in ("mobile", "手機"))
    typed = {
        "store": delivery.place,
        "address": delivery.place,
        # Asked for the name and the number together, a customer gives both.
        "recipient": f"{goal.recipient} {goal.phone}" if asks_phone_too and not retry else goal.recipient,
        "phone": re.sub(r"[^0-9+]", "", goal.phone) if retry else goal.phone,
    }
    return say(typed[slot], step) if slot in typed else None


def _at_summary(
    persona: Persona,
    memory: Memory,
    goal: Goal,
    view: BotView,
    variants: dict[str, VariantFacts],
    retry: bool,
) -> Move | None:
    words = WORDS[persona.lang]
    if view.peek.cart != goal.lines():
        return _fix_cart(persona, memory, goal, view, variants)
    slots = view.peek.slots
    for slot, wanted, typed in (
        ("shipping", goal.delivery.option, goal.delivery.words),
        ("payment", goal.payment, goal.payment_words),
    ):
        if slots.get(slot) == wanted:
            continue
        if view.option(f"EDIT:{slot}") is not None:  # a menu of what to change
            return _choose(persona, view, f"EDIT:{slot}", typed, retry, None)
        return _choose(persona, view, "CHECKOUT_EDIT", words.change, retry, CONFIRM_STEP)
    if view.option("CONFIRM:") is not None:
        return _choose(persona, view, "CONFIRM:", words.confirm, retry, CONFIRM_STEP)
    return _choose(persona, view, "CHECKOUT", words.checkout, retry, CONFIRM_STEP)


# --------------------------------------------------------------------------- products


def _choice_answer(
    persona: Persona,
    memory: Memory,
    goal: Goal,
    view: BotView,
    variants: dict[str, VariantFacts],
    step: str,
    retry: bool,
) -> Move | None:
    slots = view.peek.slots
    product = slots.get("product", "")
    item = next((i for i in goal.items if variants[i.sku].product_id == product), None)
    if item is None or (step == "buy.quantity" and slots.get("sku") != item.sku):
        return _idle(persona, memory, goal, view, variants)  # not what the customer wants
    facts = variants[item.sku]

    def again() -> Move:
        return _find(persona, memory, view, variants, item)

    if step == "buy.quantity":
        words = item.quantity_words or str(item.quantity)
        return _choose(persona, view, f"QTY:{item.sku}:{item.quantity}", words, retry, step, again)
    if facts.size and "size" not in slots:
        words = item.variant_words or facts.size
        return _choose(persona, view, f"SIZE:{product}:{facts.size}", words, retry, step, again)
    if facts.color and "color" not in slots:
        words = item.variant_words or facts.color
        return _choose(persona, view, f"COLOR:{product}:{facts.color}", words, retry, step, again)
    return None


def _missing(goal: Goal, view: BotView) -> list[Item]:
    cart = view.peek.cart
    return [i for i in goal.items if cart.get(i.sku, 0) == 0]


def _find(
    persona: Persona, memory: Memory, view: BotView, variants: dict[str, VariantFacts], item: Item
) -> Move:
    """A product the customer wants and does not have: its card's Buy if it is on screen;
    else a search in their words, or, for browsers and after a search that did not show it,
    Browse → the product's category."""
    facts = variants[item.sku]
    buy = view.option(f"BUY:{facts.product_id}")
    if buy is not None:
        return tap(buy)
    if not persona.browses and item.search and memory.searches[item.sku] == 0:
        memory.searches[item.sku] += 1
        return say(item.search)
    category = next(
        (o for o in view.options if o.payload.startswith("CAT:") and o.title == facts.category), None
    )
    if category is not None:
        return tap(category)
    show_all = next(
        (o for o in view.options if o.payload.startswith("NEED:") and o.payload.endswith(":*")), None
    )
    if show_all is not None:
        return tap(show_all)
    return _choose(persona, view, "BROWSE", WORDS[persona.lang].browse, True, None)


def _fix_cart(
    persona: Persona, memory: Memory, goal: Goal, view: BotView, variants: dict[str, VariantFacts]
) -> Move:
    """Makes the cart what the customer wants: removes and lowers first (on the cart's
    cards), then raises, then finds what is missing."""
    cart, wanted = view.peek.cart, goal.lines()
    for sku, quantity in cart.items():
        if quantity > wanted.get(sku, 0):
            action = "CART_REMOVE" if sku not in wanted else "CART_DEC"
            return _cart_button(persona, view, f"{action}:{sku}")
    for sku, quantity in wanted.items():
        if 0 < cart.get(sku, 0) < quantity:
            return _cart_button(persona, view, f"CART_INC:{sku}")
    return _find(persona, memory, view, variants, _missing(goal, view)[0])


def _cart_button(persona: Persona, view: BotView, payload: str) -> Move:
    """A card button of the cart if the cart is on screen, else the way to the cart."""
    option = view.option(payload)
    if option is not None:
        return tap(option)
    return _choose(persona, view, "CART", WORDS[persona.lang].cart, False, None)


def _idle(
    persona: Persona, memory: Memory, goal: Goal, view: BotView, variants: dict[str, VariantFacts]
) -> Move:
    """Nothing is being asked: complete the cart, then go to checkout."""
    if view.peek.cart != goal.lines():
        return _fix_cart(persona, memory, goal, view, variants)
    words: Words = WORDS[persona.lang]
    stubborn = memory.idle_streak >= IDLE_PATIENCE
    if view.option("CHECKOUT") is None and persona.habit is Habit.TAP and view.option("CART") is not None:
        return _choose(persona, view, "CART", words.cart, stubborn, None)
    return _choose(persona, view, "CHECKOUT", words.checkout, stubborn, None)
