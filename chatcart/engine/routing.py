"""Where a tapped button (postback payload) leads. Payloads are `NAME` or `NAME:arg[:arg]`;
the grammar is documented in docs/shell-protocol.md."""

from __future__ import annotations

import re
from collections.abc import Callable

from chatcart.engine.skills import buying, cart, checkout, discovery, navigation, orders, support
from chatcart.engine.skills.resume import restart, resume
from chatcart.engine.turn import Turn

Handler = Callable[[Turn, list[str]], None]

POSTBACKS: dict[str, Handler] = {
    "MENU": lambda t, a: navigation.menu(t),
    "BROWSE": lambda t, a: discovery.browse(t),
    "SEARCH": lambda t, a: discovery.ask_search(t),
    "CART": lambda t, a: cart.view_cart(t),
    "CART_CLEAR": lambda t, a: cart.clear(t),
    "CHECKOUT": lambda t, a: checkout.start(t),
    "CHECKOUT_EDIT": lambda t, a: checkout.edit(t),
    "CHECKOUT_CANCEL": lambda t, a: checkout.stop(t) if t.state.flow == checkout.STEP else expired(t),
    "EDIT": lambda t, a: checkout.edit_slot(t, a[0]),
    "COUPON": lambda t, a: checkout.ask_coupon(t),
    "ORDERS": lambda t, a: orders.status(t),
    "ORDER_CANCEL": lambda t, a: orders.ask_cancel(t, a[0]),
    "ORDER_CANCEL_YES": lambda t, a: orders.cancel(t, a[0]),
    "FAQ": lambda t, a: support.faq_answer(t, a[0]) if a else support.faq_menu(t),
    "HUMAN": lambda t, a: support.hand_off(t, "customer_request"),
    "BOT": lambda t, a: _then_resume(t, support.back_to_bot),
    "RESUME": lambda t, a: resume(t),
    "RESTART": lambda t, a: restart(t),
    "CANCEL": lambda t, a: checkout.stop(t) if t.state.flow == checkout.STEP else navigation.cancel(t),
    "CAT": lambda t, a: discovery.category(t, a[0]),
    "NEED": lambda t, a: discovery.need(t, a[0], a[1]),
    "BUY": lambda t, a: buying.buy(t, a[0]),
    "ADD": lambda t, a: buying.add_one(t, a[0]),
    "SIMILAR": lambda t, a: discovery.similar(t, a[0]),
    "SIZE": lambda t, a: buying.choose(t, "size", a[0], a[1]),
    "COLOR": lambda t, a: buying.choose(t, "color", a[0], a[1]),
    "QTY": lambda t, a: buying.add_to_cart(t, a[0], int(a[1])),
    "CART_INC": lambda t, a: cart.change_line(t, a[0], 1),
    "CART_DEC": lambda t, a: cart.change_line(t, a[0], -1),
    "CART_REMOVE": lambda t, a: cart.change_line(t, a[0], None),
    "SHIP": lambda t, a: _checkout_answer(t, f"SHIP:{a[0]}"),
    "PAY": lambda t, a: _checkout_answer(t, f"PAY:{a[0]}"),
    "COUPON_SKIP": lambda t, a: _coupon_skip(t),
    "CONFIRM": lambda t, a: checkout.confirm(t, a[0]),
    "LANG": lambda t, a: _then_resume(t, lambda turn: navigation.change_language(turn, a[0])),
}
#: How many arguments each payload needs; a shorter payload is refused as malformed.
_ARITY = {
    "CAT": 1,
    "NEED": 2,
    "BUY": 1,
    "ADD": 1,
    "SIMILAR": 1,
    "SIZE": 2,
    "COLOR": 2,
    "QTY": 2,
    "CART_INC": 1,
    "CART_DEC": 1,
    "CART_REMOVE": 1,
    "EDIT": 1,
    "ORDER_CANCEL": 1,
    "ORDER_CANCEL_YES": 1,
    "SHIP": 1,
    "PAY": 1,
    "CONFIRM": 1,
    "LANG": 1,
}


#: ASCII digits only: `str.isdigit()` also accepts "²", which `int()` refuses.
_WHOLE_NUMBER = re.compile(r"-?[0-9]{1,6}")


def _checkout_answer(turn: Turn, value: str) -> None:
    if turn.state.flow != checkout.STEP:
        expired(turn)
        return
    checkout.answer(turn, value)


def _then_resume(turn: Turn, change: Callable[[Turn], None]) -> None:
    """Back from a person, or in another language: the question that was open, asked again."""
    change(turn)
    if turn.state.step:
        resume(turn)


def _coupon_skip(turn: Turn) -> None:
    """No coupon, where a code was asked for: back to the summary (or the next question)."""
    if turn.state.step == f"{checkout.STEP}.coupon":
        checkout.summarise(turn)
        return
    _checkout_answer(turn, "COUPON_SKIP")


def expired(turn: Turn) -> None:
    turn.say("That button is no longer active. What would you like to do?", turn.menu_replies())


def route_postback(turn: Turn, payload: str) -> None:
    name, *args = payload.strip().split(":")
    handler = POSTBACKS.get(name)
    if (
        handler is None
        or len(args) < _ARITY.get(name, 0)
        or (name == "QTY" and not _WHOLE_NUMBER.fullmatch(args[1]))
    ):
        expired(turn)
        return
    handler(turn, args)
