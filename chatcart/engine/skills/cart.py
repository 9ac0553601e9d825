"""The cart: view it, change a line by tapping (+1, -1, remove) or empty it."""

from __future__ import annotations

from chatcart.commerce.cart import Cart
from chatcart.core.errors import DomainError, OutOfStock
from chatcart.engine import recommend
from chatcart.engine.cards import cart_cards, variant_label
from chatcart.engine.turn import Turn
from chatcart.messaging.outbound import carousel

#: Lines named when the cart is said in words; a longer cart is summed up by its count.
_NAMED_LINES = 3


def items_text(turn: Turn, basket: Cart) -> str:
    """The cart in a line of text ("凍頂烏龍茶 (150g) ×2、蓋碗 (白色) ×1"), the first few named."""
    named = []
    for line in basket.lines[:_NAMED_LINES]:
        product = turn.shop.product(line.product_id)
        title = variant_label(turn, product, line.sku) if product is not None else line.sku
        named.append(f"{title} ×{line.quantity}")
    more = len(basket.lines) - _NAMED_LINES
    if more > 0:
        named.append(turn.tr("{count} more", count=more))
    separator = "、" if turn.lang.startswith(("zh", "ja")) else ", "
    return separator.join(named)


def view_cart(turn: Turn) -> None:
    cart = turn.cart()
    if cart.is_empty:
        turn.say("Your cart is empty.", turn.buttons_named("browse", "search"))
        return
    turn.send(carousel(cart_cards(turn, cart)))
    recommend.in_cart(turn)
    _say_subtotal(turn, cart)


def _say_subtotal(turn: Turn, cart: Cart) -> None:
    subtotal = None
    for line in cart.lines:
        product = turn.shop.product(line.product_id)
        if product is not None:
            amount = product.unit_price(line.sku).times(line.quantity)
            subtotal = amount if subtotal is None else subtotal + amount
    replies = turn.buttons_named("checkout", "keep_shopping")
    if cart.item_count == 1:
        turn.say("Subtotal: {amount} (1 item)", replies, amount=turn.money(subtotal))
        return
    turn.say(
        "Subtotal: {amount} ({count} items)", replies, amount=turn.money(subtotal), count=cart.item_count
    )


def change_line(turn: Turn, sku: str, delta: int | None) -> None:
    """+1, -1 or remove (delta None) on one cart line."""
    cart = turn.cart()
    line = cart.line(sku)
    product = turn.shop.catalog.product_of_sku(sku)
    if line is None or product is None:
        turn.say("That item is no longer in your cart.")
        view_cart(turn)
        return
    try:
        new_quantity = 0 if delta is None else line.quantity + delta
        cart = cart.set_quantity(product, sku, new_quantity)
    except OutOfStock as refusal:
        turn.say("Sorry, only {available} left.", available=refusal.params.get("available", 0))
        return
    except DomainError as refusal:
        explain_quantity(turn, refusal)
        return
    turn.save_cart(cart)
    if new_quantity == 0:
        turn.say("Removed {item} from your cart.", item=variant_label(turn, product, sku))
    view_cart(turn)


def clear(turn: Turn) -> None:
    """Empty the cart (asked for after stopping a checkout, or when starting over)."""
    if turn.state.flow == "checkout":
        turn.state.finish()
    turn.save_cart(Cart())
    turn.state.wants = {}
    turn.say("Your cart is empty now.", turn.buttons_named("browse", "search", "menu"))


def explain_quantity(turn: Turn, refusal: DomainError) -> None:
    if refusal.reason == "quantity_too_large":
        turn.say(
            "For more than {limit} at once, a person from our team will help you.",
            turn.buttons_named("human"),
            limit=refusal.params["limit"],
        )
        return
    turn.say("The quantity needs to be at least 1. How many would you like?")
