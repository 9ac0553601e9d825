"""Choosing a variant and a quantity, and keeping the cart."""

from __future__ import annotations

from chatcart.commerce.cart import Cart
from chatcart.commerce.catalog import Product
from chatcart.core.errors import DomainError, OutOfStock
from chatcart.core.events import EventName
from chatcart.engine.cards import cart_cards, color_name, variant_label
from chatcart.engine.skills.discovery import offer_alternatives, unknown_product
from chatcart.engine.turn import Turn
from chatcart.messaging.outbound import carousel

QUANTITY_CHOICES = (1, 2, 3)


def buy(turn: Turn, product_id: str) -> None:
    """Buy tapped: pick size, then colour, then quantity; nothing is added twice."""
    product = turn.shop.product(product_id)
    if product is None:
        unknown_product(turn)
        return
    if not product.in_stock:
        offer_alternatives(turn, product)
        return
    turn.state.start("buy.variant", product=product.id)
    ask_next_choice(turn, product)


def ask_next_choice(turn: Turn, product: Product) -> None:
    slots = turn.state.slots
    size, color = slots.get("size"), slots.get("color")
    sizes = _open_values(product, "size", size, color)
    if size is None and len(sizes) > 1:
        replies = [turn.quick(s, f"SIZE:{product.id}:{s}") for s in sizes]
        turn.say("Which size of {title}?", replies, title=product.title_in(turn.lang))
        return
    colors = _open_values(product, "color", size or _only(sizes), color)
    if color is None and len(colors) > 1:
        replies = [turn.quick(c, f"COLOR:{product.id}:{c}") for c in colors]
        turn.say("Which colour?", replies)
        return
    matches = [
        v for v in product.matching_variants(size or _only(sizes), color or _only(colors)) if v.in_stock
    ]
    if not matches:
        turn.say("Sorry, that combination is sold out.")
        turn.state.slots = {"product": product.id}
        if product.in_stock:
            ask_next_choice(turn, product)
        else:
            offer_alternatives(turn, product)
        return
    turn.state.slots["sku"] = matches[0].sku
    turn.state.advance("buy.quantity")
    ask_quantity(turn, product, matches[0].sku)


def _only(values: list[str]) -> str | None:
    return values[0] if len(values) == 1 else None


def _open_values(product: Product, attribute: str, size: str | None, color: str | None) -> list[str]:
    """Sizes or colours still possible with the choices made, in-stock ones only."""
    values: list[str] = []
    for variant in product.matching_variants(
        size if attribute == "color" else None, color if attribute == "size" else None
    ):
        value = getattr(variant, attribute)
        if variant.in_stock and value and value not in values:
            values.append(value)
    return values


def ask_quantity(turn: Turn, product: Product, sku: str) -> None:
    replies = [
        turn.quick(str(n), f"QTY:{sku}:{n}") for n in QUANTITY_CHOICES if n <= product.variant(sku).stock
    ]
    turn.say(
        "How many {item} would you like? Tap or type a number.",
        replies,
        item=variant_label(turn, product, sku),
    )


def choose(turn: Turn, attribute: str, product_id: str, value: str) -> None:
    product = turn.shop.product(product_id)
    if product is None:
        unknown_product(turn)
        return
    if turn.state.slots.get("product") != product_id:
        turn.state.start("buy.variant", product=product_id)
    turn.state.slots[attribute] = value
    ask_next_choice(turn, product)


def choice_from_text(turn: Turn) -> bool:
    """A typed answer to "which size/colour/how many"; False when the text is not one."""
    product = turn.shop.product(turn.state.slots.get("product", ""))
    u = turn.understanding
    if product is None or u is None:
        return False
    if turn.state.step == "buy.quantity" and u.entities.quantity is not None:
        add_to_cart(turn, turn.state.slots["sku"], u.entities.quantity)
        return True
    if turn.state.step != "buy.variant":
        return False
    typed = u.normalised.strip().upper()
    size = next((s for s in product.sizes if s.upper() == typed or s.upper() == u.entities.size), None)
    color = u.entities.color if u.entities.color in product.colors else None
    color = color or next((c for c in product.colors if color_name(turn, c) in u.normalised), None)
    if size is None and color is None:
        return False
    turn.state.slots.update({k: v for k, v in (("size", size), ("color", color)) if v})
    ask_next_choice(turn, product)
    return True


def add_to_cart(turn: Turn, sku: str, quantity: int) -> None:
    product = _product_of_sku(turn, sku)
    if product is None:
        unknown_product(turn)
        return
    try:
        cart = turn.cart().add(product, sku, quantity)
    except OutOfStock as refusal:
        _explain_stock(turn, product, refusal)
        return
    except DomainError as refusal:
        _explain_quantity(turn, refusal)
        return
    turn.save_cart(cart)
    turn.state.finish()
    turn.record(EventName.ADD_TO_CART, product=product.id, sku=sku, quantity=quantity)
    turn.say(
        "Added {quantity} × {item} to your cart.",
        turn.buttons_named("checkout", "cart", "keep_shopping"),
        quantity=quantity,
        item=variant_label(turn, product, sku),
    )


def _product_of_sku(turn: Turn, sku: str) -> Product | None:
    return turn.shop.catalog.product_of_sku(sku)


def _explain_stock(turn: Turn, product: Product, refusal: OutOfStock) -> None:
    if refusal.reason == "not_enough_stock":
        turn.say(
            "Sorry, only {available} left. How many would you like?", available=refusal.params["available"]
        )
        return
    turn.state.finish()
    offer_alternatives(turn, product)


def _explain_quantity(turn: Turn, refusal: DomainError) -> None:
    if refusal.reason == "quantity_too_large":
        turn.say(
            "For more than {limit} at once, a person from our team will help you.",
            turn.buttons_named("human"),
            limit=refusal.params["limit"],
        )
        return
    turn.say("The quantity needs to be at least 1. How many would you like?")


def view_cart(turn: Turn) -> None:
    cart = turn.cart()
    if cart.is_empty:
        turn.say("Your cart is empty.", turn.buttons_named("browse", "search"))
        return
    turn.send(carousel(cart_cards(turn, cart)))
    _say_subtotal(turn, cart)


def _say_subtotal(turn: Turn, cart: Cart) -> None:
    subtotal = None
    for line in cart.lines:
        product = turn.shop.product(line.product_id)
        if product is not None:
            amount = product.unit_price(line.sku).times(line.quantity)
            subtotal = amount if subtotal is None else subtotal + amount
    turn.say(
        "Subtotal: {amount} ({count} items)",
        turn.buttons_named("checkout", "keep_shopping"),
        amount=turn.money(subtotal),
        count=cart.item_count,
    )


def change_line(turn: Turn, sku: str, delta: int | None) -> None:
    """+1, -1 or remove (delta None) on one cart line."""
    cart = turn.cart()
    line = cart.line(sku)
    product = _product_of_sku(turn, sku)
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
        _explain_quantity(turn, refusal)
        return
    turn.save_cart(cart)
    if new_quantity == 0:
        turn.say("Removed {item} from your cart.", item=variant_label(turn, product, sku))
    view_cart(turn)
