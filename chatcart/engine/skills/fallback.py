"""When the bot does not understand: never trap, never repeat the same apology.

After `offer_person_after` consecutive misses the customer is offered a person and the
menu; texts rotate so two replies in a row are never identical.
"""

from __future__ import annotations

from chatcart.core.events import EventName
from chatcart.engine.turn import Turn


def not_understood(turn: Turn) -> None:
    turn.state.misunderstood += 1
    turn.record(
        EventName.NOT_UNDERSTOOD, text_length=len(turn.understanding.text) if turn.understanding else 0
    )
    spec = turn.flows.fallback
    if turn.state.misunderstood >= spec.offer_person_after:
        msgid = spec.person_offer if turn.state.last_fallback != spec.person_offer else _next_text(turn)
        turn.state.last_fallback = msgid
        turn.say(msgid, turn.buttons_named("human", "menu", "browse"), example=_example(turn))
        return
    msgid = _next_text(turn)
    turn.state.last_fallback = msgid
    turn.say(msgid, turn.menu_replies(), example=_example(turn))


def _next_text(turn: Turn) -> str:
    texts = turn.flows.fallback.texts
    if turn.state.last_fallback in texts:
        return texts[(texts.index(turn.state.last_fallback) + 1) % len(texts)]
    return texts[0]


def _example(turn: Turn) -> str:
    """A real product of this shop as the example of what to type."""
    product = turn.shop.catalog.first_in_stock()
    return product.title_in(turn.lang) if product is not None else turn.tr("a gift")
