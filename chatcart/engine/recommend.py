"""Recommendations, each card with its reason (ADR 15).

Complements of what the customer chose — in the cart, beside the first checkout question,
after an order — are what other customers bought in the same orders ("Often bought with
…"); a shop with no such orders yet suggests products of other categories that meet the
same need, and says only that they go well together. Picks asked for ("recommend
something") come from the contact's own purchases ("Because you bought …"), else the
shop's bestsellers ("Popular right now"), else its first products, said as such. Nothing
here adds a question: every carousel sits beside a reply the customer gets anyway.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from enum import StrEnum

from chatcart.commerce.catalog import Product
from chatcart.commerce.orders import STANDING, Order
from chatcart.core.events import EventName
from chatcart.engine.cards import product_card
from chatcart.engine.turn import Turn
from chatcart.i18n.catalogue import N_
from chatcart.messaging.outbound import Button, ProductCard, QuickReply, carousel

#: Cards in a recommendation carousel: a few, so it never competes with the step's question.
LIMIT = 3


class Why(StrEnum):
    ALSO_BOUGHT = "also_bought"
    GOES_WITH = "goes_with"
    YOU_BOUGHT = "you_bought"
    POPULAR = "popular"
    SHOP = "shop"


#: The card's subtitle for each reason; `{title}` is the product it is recommended for.
_SUBTITLES = {
    Why.ALSO_BOUGHT: N_("Often bought with {title}"),
    Why.GOES_WITH: N_("Goes well with {title}"),
    Why.YOU_BOUGHT: N_("Because you bought {title}"),
    Why.POPULAR: N_("Popular right now"),
    Why.SHOP: N_("From our shop"),
}
#: What is said above the picks a customer asked for, by the reason of the first.
_PICKS_INTRO = {
    Why.YOU_BOUGHT: N_("Picked for you from what you bought before:"),
    Why.POPULAR: N_("Popular right now:"),
    Why.SHOP: N_("We have no bestsellers yet, so here are a few of our products:"),
}


@dataclass(frozen=True)
class Pick:
    product: Product
    why: Why
    #: The product it is recommended for (in the cart, or bought before), if any.
    because: Product | None = None


def complements(
    turn: Turn, anchors: Sequence[str], exclude: Collection[str], bought_only: bool = False
) -> list[Pick]:
    """Up to `LIMIT` products for these: co-purchases first, then (unless `bought_only`)
    products sharing a need, each labelled with what it really is."""
    skip = {*anchors, *exclude}
    picks = [
        Pick(found.product, Why.ALSO_BOUGHT, turn.shop.product(found.with_id))
        for found in turn.shop.also_bought(anchors, skip, LIMIT)
    ]
    if bought_only:
        return picks
    return _filled(picks, _goes_with(turn, anchors, skip, Why.GOES_WITH))


def _goes_with(turn: Turn, anchors: Sequence[str], skip: Collection[str], why: Why) -> list[Pick]:
    picks: list[Pick] = []
    for anchor in filter(None, map(turn.shop.product, anchors)):
        picks += [Pick(p, why, anchor) for p in turn.shop.catalog.goes_with(anchor, skip, LIMIT)]
    return picks


def _filled(picks: list[Pick], more: list[Pick]) -> list[Pick]:
    """The picks, topped up from `more` to `LIMIT`, each product once."""
    seen = {p.product.id for p in picks}
    for pick in more:
        if len(picks) >= LIMIT:
            break
        if pick.product.id not in seen:
            picks.append(pick)
            seen.add(pick.product.id)
    return picks


def purchased(orders: Sequence[Order]) -> list[str]:
    """The products of the contact's standing orders, most recently bought first."""
    newest_first = sorted(
        (o for o in orders if o.status in STANDING), key=lambda o: o.created_at, reverse=True
    )
    return list(dict.fromkeys(line.product_id for o in newest_first for line in o.quote.lines))


def for_contact(turn: Turn) -> list[Pick]:
    """What to recommend to this contact when asked: from their purchases (never what they
    bought already), else what sells, else the shop's first products."""
    history = purchased(turn.shop.orders())
    skip = {*history, *(line.product_id for line in turn.cart().lines)}
    if history:
        picks = [
            Pick(found.product, Why.YOU_BOUGHT, turn.shop.product(found.with_id))
            for found in turn.shop.also_bought(history, skip, LIMIT)
        ]
        picks = _filled(picks, _goes_with(turn, history, skip, Why.YOU_BOUGHT))
        if picks:
            return picks
    popular = [p for p in turn.shop.bestsellers(LIMIT + len(skip)) if p.id not in skip][:LIMIT]
    if popular:
        return [Pick(p, Why.POPULAR) for p in popular]
    first = [p for p in turn.shop.catalog.products if p.in_stock and p.id not in skip][:LIMIT]
    return [Pick(p, Why.SHOP) for p in first]


def pick_card(turn: Turn, pick: Pick) -> ProductCard:
    """The product's card with its reason as the subtitle and Add (one tap into the cart)."""
    card = product_card(turn, pick.product)
    title = pick.because.title_in(turn.lang) if pick.because is not None else ""
    details = [b for b in card.buttons if b.url]
    add = Button(title=turn.tr("Add"), payload=f"ADD:{pick.product.id}")
    return card.model_copy(
        update={"subtitle": turn.tr(_SUBTITLES[pick.why], title=title), "buttons": [add, *details]}
    )


def show(
    turn: Turn, where: str, intro: str, picks: list[Pick], quick_replies: list[QuickReply] | None = None
) -> bool:
    """The intro (a msgid) and the picks' carousel; False, and nothing said, when there are none."""
    if not picks:
        return False
    turn.say(intro)
    turn.send(carousel([pick_card(turn, p) for p in picks], quick_replies))
    turn.record(
        EventName.RECOMMENDED, where=where, products=[p.product.id for p in picks], why=[p.why for p in picks]
    )
    return True


def in_cart(turn: Turn) -> bool:
    """Beside the cart's cards: what goes with what is in it."""
    ids = [line.product_id for line in turn.cart().lines]
    return show(turn, "cart", N_("You might also like:"), complements(turn, ids, ()))


def beside_checkout(turn: Turn) -> bool:
    """Right after "Added", before the first checkout question: only what other customers
    really bought with the cart's products, at most one carousel, and no question of its own."""
    ids = [line.product_id for line in turn.cart().lines]
    intro = N_("People who bought this also bought:")
    return show(turn, "checkout", intro, complements(turn, ids, (), bought_only=True))


def after_order(turn: Turn, order: Order, quick_replies: list[QuickReply]) -> bool:
    """Once the order is placed and its payment explained: what goes with what was bought."""
    ids = list(dict.fromkeys(line.product_id for line in order.quote.lines))
    return show(turn, "order", N_("You might also like:"), complements(turn, ids, ()), quick_replies)


def asked(turn: Turn) -> None:
    """ "Recommend something": picks for this contact, with why, and the usual way on."""
    picks = for_contact(turn)
    replies = turn.buttons_named("browse", "cart", "human")
    if not show(turn, "asked", _PICKS_INTRO[picks[0].why] if picks else "", picks, replies):
        turn.say("The shop has no products yet. A person can help you.", turn.buttons_named("human"))
