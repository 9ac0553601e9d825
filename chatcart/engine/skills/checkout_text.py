"""Typed text during checkout, understood as what it is: an answer to the question (a
button's title or a synonym too), a change of the order, a question (answered, then the
step resumes) or a product search. Never saved blindly as a detail."""

from __future__ import annotations

import contextlib

from chatcart.core.errors import DomainError
from chatcart.engine.flows import SlotSpec
from chatcart.engine.skills import changes, checkout, discovery, slots, support
from chatcart.engine.turn import Turn
from chatcart.nlu.choices import code_candidates
from chatcart.nlu.interface import Intent, Understanding
from chatcart.nlu.text import contains_term

#: Questions whose answer is a choice: a quantity or size typed there is a change of the order.
_CHOICE_TYPES = {"shipping_option", "payment_method"}
#: Words that name a detail to change at the summary ("change the address", "改電話").
_DETAIL_WORDS = {
    "place": ("address", "store", "地址", "收件地址", "門市"),
    "shipping": ("delivery", "shipping", "寄送方式", "取貨方式", "運送方式"),
    "recipient": ("name", "recipient", "收件人", "名字", "姓名"),
    "phone": ("phone", "number", "mobile", "電話", "手機", "號碼"),
    "payment": ("payment", "pay", "付款方式", "付款"),
}


def handle(turn: Turn, u: Understanding) -> None:
    step = turn.state.step
    if u.chatter and u.intent in (Intent.GREET, Intent.THANKS):
        if u.intent is Intent.GREET:
            turn.say("Hi! Let's finish your order:")
        else:
            turn.say("You're welcome!")
        checkout.ask_again(turn)
        return
    if step == checkout.CONFIRM_STEP:
        _at_summary(turn, u)
        return
    if step == f"{checkout.STEP}.coupon":
        _coupon(turn, u)
        return
    spec = checkout.pending(turn)
    if spec is None or step != f"{checkout.STEP}.{spec.slot}":
        checkout.ask_next(turn)
        return
    if _may_change(u) and _changed(turn, u, quantity_allowed=spec.type in _CHOICE_TYPES):
        checkout.ask_next(turn)
        return
    if u.entities.mentions_coupon and not u.is_question:
        checkout.ask_coupon(turn)
        return
    if spec.type not in _CHOICE_TYPES and (u.chatter or u.wants_change or u.wants_removal):
        # "哈哈", "hello", "change the address" at a data question are not that data.
        turn.state.step_errors += 1
        slots.ask(turn, spec, retry=True)
        return
    if spec.type == "phone" and _name_and_phone(turn, u):
        checkout.ask_next(turn)
        return
    if spec.type in ("store", "address") and _details_instead(turn, u):
        checkout.ask_next(turn)
        return
    if _answered(turn, spec, u):
        return
    _aside_or_explain(turn, spec, u)


def _details_instead(turn: Turn, u: Understanding) -> bool:
    """Name and phone (and an address) typed at the store or address question: each taken
    where it belongs, never stored as the store or the address; then what is still missing."""
    details = slots.contact_details(turn, u)
    if not details:
        return False
    if turn.state.step != f"{checkout.STEP}.address":
        details.pop("address", None)
    turn.state.slots.update(details)
    turn.say("Noted. One more thing first:")
    return True


def _name_and_phone(turn: Turn, u: Understanding) -> bool:
    """At the phone question, "Ken Yu 0912300011": the number, and the name with it (which
    replaces what was taken for a name before)."""
    number = slots.valid_phone(turn, u.entities.phone) if u.entities.phone else None
    name = _without_phone(u)
    if number is None or name == u.text:
        return False
    turn.state.slots["phone"] = number
    if name:
        with contextlib.suppress(DomainError, StopIteration):
            turn.state.slots["recipient"] = slots.parse(turn, turn.flows.slot("recipient"), name)
    return True


def _may_change(u: Understanding) -> bool:
    """A question asks, it does not change ("can I pick up at 7-11?"), unless it asks for a
    change in so many words ("can I pay by card instead?")."""
    return not u.is_question or u.wants_change or u.wants_removal or u.wants_addition


def _changed(turn: Turn, u: Understanding, quantity_allowed: bool) -> bool:
    """Changes of the order or its choices, named anywhere in the text; True if any."""
    cart_changed = changes.apply_cart_change(turn, u, quantity_allowed)
    changed = changes.apply_choices(turn, u, turn.state.slots)
    if cart_changed:
        changed.append("cart")
    if _address_typed(turn, u):
        changed.append("address")
    if _coupon_typed(turn, u):
        changed.append("coupon")
    if _phone_typed(turn, u):
        changed.append("phone")
    return bool(changed)


def _address_typed(turn: Turn, u: Understanding) -> bool:
    """An address typed along ("改寄到我家 台北市信義路20巷8號") with home delivery chosen."""
    address = u.entities.address
    values = turn.state.slots
    if not address or "shipping" not in values or values.get("address") == address:
        return False
    if turn.state.step == f"{checkout.STEP}.address":
        return False  # the answer itself, taken whole as typed
    if checkout.shipping_option(turn).kind.value != "home":
        return False
    if "address" in values and not (u.wants_change or turn.state.step == checkout.CONFIRM_STEP):
        return False
    try:
        values["address"] = slots.parse(turn, turn.flows.slot("address"), address)
    except (DomainError, StopIteration):
        return False
    return True


def _phone_typed(turn: Turn, u: Understanding) -> bool:
    """A mobile number typed once it was asked or given ("改電話 0912999888"), taken."""
    number = slots.valid_phone(turn, u.entities.phone) if u.entities.phone else None
    if number is None or turn.state.slots.get("phone") == number:
        return False
    if turn.state.step in (f"{checkout.STEP}.phone", f"{checkout.STEP}.recipient"):
        return False  # the answer to the question itself (with the name, at the name question)
    if "phone" not in turn.state.slots and not u.wants_change:
        return False
    turn.state.slots["phone"] = number
    name = slots.contact_details(turn, u).get("recipient")
    if name and turn.state.step == checkout.CONFIRM_STEP:
        turn.state.slots["recipient"] = name  # "Wang Mei 0988123456" at the summary: both
    return True


def _coupon_typed(turn: Turn, u: Understanding) -> bool:
    """A code of the shop typed at any step ("我有優惠碼 SAVE10", "WELCOME100"): checked now,
    its refusal explained. A word that is no code of the shop is left alone."""
    codes = [c for c in code_candidates(u.text) if turn.shop.coupon(c) is not None]
    if not codes or turn.state.slots.get("coupon") == codes[0]:
        return False
    try:
        turn.state.slots["coupon"] = slots.parse(turn, slots.COUPON_QUESTION, codes[0])
    except DomainError as refusal:
        slots.explain(turn, refusal)
        return False
    return True


def _answered(turn: Turn, spec: SlotSpec, u: Understanding) -> bool:
    """The text as the answer to the pending question; True when taken or refused."""
    payload = slots.titled(turn, spec, u.text)
    if payload is not None:
        checkout.answer(turn, payload)
        return True
    if spec.type in _CHOICE_TYPES or u.is_question:
        return False
    if spec.type == "coupon" and u.entities.no_coupon:
        checkout.answer(turn, slots.NO_COUPON)
        return True
    if spec.type == "name":
        _take_phone_too(turn, u)
    try:
        value = slots.parse(turn, spec, _without_phone(u) if spec.type == "name" else u.text)
    except DomainError as refusal:
        if _searchable(turn, u):
            return False
        turn.state.step_errors += 1
        slots.explain(turn, refusal)
        slots.ask(turn, spec, retry=True)
        return True
    turn.state.slots[spec.slot] = value
    checkout.ask_next(turn)
    return True


def _take_phone_too(turn: Turn, u: Understanding) -> None:
    """The name and the number in one message ("王小明 0912345678"): both taken."""
    phone = u.entities.phone
    number = slots.valid_phone(turn, phone) if phone else None
    if number is not None:
        turn.state.slots["phone"] = number


def _without_phone(u: Understanding) -> str:
    phone = u.entities.phone
    return " ".join(u.text.replace(phone, " ").split()) if phone else u.text


def _searchable(turn: Turn, u: Understanding) -> bool:
    """Text that is not an answer but finds products ("also want black tea")."""
    return bool(u.remainder.strip()) and bool(discovery.search_products(turn, u.remainder))


def _aside_or_explain(turn: Turn, spec: SlotSpec, u: Understanding) -> None:
    if changes.wants_store_pickup_without_carrier(turn, u) and spec.type == "shipping_option":
        turn.say("Which store would you like: tap one of the pickup options.")
        slots.ask(turn, spec)
        return
    if _question_answered(turn, u):
        checkout.ask_again(turn)
        return
    if u.entities.quantity is not None and not u.remainder.strip():
        # "1", "一包": the quantity already in the cart; the question simply goes on.
        turn.say("Noted. One more thing first:")
        slots.ask(turn, spec)
        return
    products = discovery.search_products(turn, u.remainder) if u.remainder.strip() else []
    if products:
        discovery.show_search_results(turn, products)
        carry_on = [turn.quick("Continue checkout", "RESUME")]
        turn.say("Tap Buy to add one, or carry on with your order.", carry_on)
        return
    turn.state.step_errors += 1
    slots.explain(turn, DomainError("unknown_choice"))
    slots.ask(turn, spec, retry=True)


def _question_answered(turn: Turn, u: Understanding) -> bool:
    """A question mid-checkout: the FAQ's answer, or an honest "I don't know" with a person
    one tap away; either way the checkout question follows."""
    if support.answer_from_text(turn, u.normalised, resume_button=False):
        return True
    if not u.is_question:
        return False
    turn.say(
        "I'm not sure about that one; a person from our team can answer it. "
        "Meanwhile, let's go on with your order.",
        turn.buttons_named("human"),
    )
    return True


def _at_summary(turn: Turn, u: Understanding) -> None:
    """At the summary: yes places it, no or a named detail changes it, a change is applied
    and summarised again, a question is answered; anything else shows the summary again."""
    if u.agrees:
        checkout.confirm(turn, turn.state.slots["token"])
        return
    if _may_change(u) and _changed(turn, u, quantity_allowed=True):
        checkout.ask_next(turn)
        return
    if u.intent is Intent.YES and not u.is_question:
        checkout.confirm(turn, turn.state.slots["token"])
        return
    detail = named_detail(u) if (u.wants_change or u.intent is Intent.NO) else None
    if detail is not None:
        checkout.edit_slot(turn, detail)
        return
    if u.wants_removal and u.remainder.strip():
        turn.say("That isn't in your order. Here it is as it stands:")
        checkout.summarise(turn)
        return
    if u.intent is Intent.NO:
        checkout.edit(turn)
        return
    if u.entities.mentions_coupon:
        checkout.ask_coupon(turn)
        return
    _question_answered(turn, u)
    checkout.summarise(turn)


def named_detail(u: Understanding) -> str | None:
    for slot, words in _DETAIL_WORDS.items():
        if any(contains_term(u.normalised, word) for word in words):
            return slot
    return None


def _coupon(turn: Turn, u: Understanding) -> None:
    """Asked for a code: "no"/"沒有" goes back to the summary; anything else is a code."""
    if u.entities.no_coupon:
        checkout.summarise(turn)
        return
    checkout.answer_coupon(turn, u.remainder.strip() or u.text)
