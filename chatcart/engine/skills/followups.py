"""Follow-ups that change what is under way rather than start something new: a product
swapped in the order ("swap the tea for the alishan one", "我改成紅茶好了"), and a
never-mind that opens a new request ("算了 我要凍頂 75g 兩包"), which is that request.

The choice among the cards just shown ("the red one", "第二個") is a purchase, in direct.py.
"""

from __future__ import annotations

from collections.abc import Callable

from chatcart.commerce.cart import CartLine
from chatcart.commerce.catalog import Product
from chatcart.engine import followup_words
from chatcart.engine.skills import buying, cart, changes, checkout, direct, discovery
from chatcart.engine.skills.matching import (
    among_shown,
    best_named,
    covers,
    names_clearly,
    pointer_in,
    size_named,
)
from chatcart.engine.turn import Turn
from chatcart.nlu.interface import Context, Intent, Understanding

#: Checkout answers kept while the size of a swapped-in product is asked, so the order
#: comes back to its summary instead of asking them again.
_CHECKOUT_ANSWERS = ("shipping", "store", "address", "recipient", "phone", "payment", "coupon")

Understand = Callable[[Turn, str], Understanding]
Route = Callable[[Turn, Understanding], bool]


def swapped(turn: Turn, u: Understanding) -> bool:
    """ "Swap the tea for the alishan one", "凍頂換成紅茶", "switch to black tea", at any
    step: the line replaced by the product named, its quantity kept (another quantity said
    wins), and the order shown again; a size or colour still open is asked first. False
    when the words name no other product than the line's (another size of the same product
    is a change of that line: changes.py), or no line can be told."""
    swap = followup_words.swap_named(u.text)
    if swap is None or turn.cart().is_empty:
        return False
    said = turn.understander.understand(swap.new, Context(turn.lang, turn.state.step))
    if said.entities.shipping or said.entities.payment or said.entities.carrier:
        return False  # "change to home delivery": a checkout choice, not a product
    product = _product_named(turn, said)
    line = _line_meant(turn, swap.old, product)
    if product is None or line is None or line.product_id == product.id:
        return False
    _replace(turn, line, product, said)
    return True


def never_mind_then(turn: Turn, u: Understanding, understand: Understand, route: Route) -> bool:
    """ "算了 我要凍頂 75g 兩包", "never mind, 2 black tea": what was being chosen is dropped
    and the request is what the message means. In the checkout, a product other than the
    cart's only one takes its place ("never mind" says it is not wanted any more). False
    when nothing that asks for products follows the never-mind: it cancels, as before."""
    rest_text = followup_words.after_never_mind(u.text)
    if rest_text is None or u.wants_removal:
        return False
    rest = understand(turn, rest_text)
    if not _asks_for_products(turn, rest):
        return False
    turn.understanding = rest
    if turn.state.flow != checkout.STEP:
        turn.state.finish()
    elif _instead_of_only_line(turn, rest):
        return True
    return route(turn, rest)


def _asks_for_products(turn: Turn, u: Understanding) -> bool:
    if u.intent in (Intent.CANCEL, Intent.HUMAN, Intent.COMPLAINT) or u.is_question:
        return False
    shown = [p for p in map(turn.shop.product, turn.state.shown) if p is not None]
    if shown and among_shown(pointer_in(u, shown), shown):
        return True
    return bool(u.remainder.strip()) and bool(discovery.search_products(turn, u.remainder, u))


def _instead_of_only_line(turn: Turn, u: Understanding) -> bool:
    lines = turn.cart().lines
    product = _product_named(turn, u)
    if len(lines) != 1 or product is None or product.id == lines[0].product_id:
        return False
    _replace(turn, lines[0], product, u)
    return True


def _product_named(turn: Turn, said: Understanding) -> Product | None:
    """The product the words name: one of the cards just shown that they point at, else the
    catalog's product whose title holds them clearly."""
    shown = [p for p in map(turn.shop.product, turn.state.shown) if p is not None]
    pointer = pointer_in(said, shown)
    if shown and pointer.words:
        named = [p for p in shown if covers(pointer.words, p)]
        if len(named) == 1:
            return named[0]
    words = followup_words.title_words(said.remainder)  # "black tea" keeps its colour word
    if not words:
        return None
    found = [p for p in discovery.search_products(turn, words, said) if names_clearly(words, p)]
    return direct.clear_winner(found, said, words) if found else None


def _line_meant(turn: Turn, old_words: str, instead: Product | None) -> CartLine | None:
    """The cart line that goes: the one whose product the words name ("the oolong"), else
    the only line (the customer knows what is in the cart, "the tea" is it)."""
    lines = [line for line in turn.cart().lines if instead is None or line.product_id != instead.id]
    words = followup_words.title_words(old_words)
    if words:
        products = [p for p in map(turn.shop.product, {line.product_id for line in lines}) if p is not None]
        named = best_named(words, products)
        if named is not None:
            return next(line for line in lines if line.product_id == named.id)
    return lines[0] if len(turn.cart().lines) == 1 and lines else None


def _replace(turn: Turn, line: CartLine, product: Product, said: Understanding) -> None:
    """The swap itself: at once when the size and colour are clear, else after asking them."""
    size = size_named(product, said.entities.size)
    color = said.entities.color if said.entities.color in product.colors else None
    quantity = said.entities.quantity or line.quantity
    sku = _only_variant(product, size, color)
    if sku is None:
        _ask_then_replace(turn, line, product, size, color, quantity)
        return
    changes.replace_line(turn, line, product, sku, quantity)
    if turn.state.flow == checkout.STEP:
        checkout.ask_next(turn)
    else:
        turn.state.finish()
        cart.view_cart(turn)


def _only_variant(product: Product, size: str | None, color: str | None) -> str | None:
    """The one in-stock variant the size and colour said leave, else None (still a choice,
    or sold out: both are for the buying questions to say)."""
    matches = [v for v in product.matching_variants(size, color) if v.in_stock]
    return matches[0].sku if len(matches) == 1 else None


def _ask_then_replace(
    turn: Turn, line: CartLine, product: Product, size: str | None, color: str | None, quantity: int
) -> None:
    if turn.state.flow == checkout.STEP:
        answers = turn.state.slots
        turn.state.wants.update({k: answers[k] for k in _CHECKOUT_ANSWERS if answers.get(k)})
    turn.state.wants["quantity"] = str(quantity)
    buying.buy(turn, product.id, size=size, color=color, replaces=line.sku)
