"""Changes of mind in words, at any point of a purchase: "make that 2 packs", "改成300克",
"維他命C那瓶不要了", "change to home delivery", "用信用卡好了". Each is applied, said back,
and the step in progress resumes (at the summary: a fresh summary to confirm)."""

from __future__ import annotations

import re

from chatcart.commerce.cart import Cart, CartLine
from chatcart.commerce.catalog import Product
from chatcart.commerce.shipping import ShippingKind
from chatcart.core.errors import DomainError, OutOfStock
from chatcart.engine.cards import variant_label
from chatcart.engine.skills.cart import explain_quantity
from chatcart.engine.skills.matching import best_named, overlap
from chatcart.engine.turn import Turn
from chatcart.nlu.interface import Understanding
from chatcart.nlu.search import SearchQuery

#: Slots that belong to one way of delivery and are asked again when it changes.
_PLACE_SLOTS = ("store", "address")


def shipping_option_for(turn: Turn, kind: str | None, carrier: str | None) -> str | None:
    """The shop's shipping option the words name: a carrier names one store option; "store
    pickup" alone names one only when the shop has a single store option."""
    options = turn.shop.shipping_options()
    if carrier:
        named = [o for o in options if o.carrier.lower() == carrier.lower()]
        return named[0].id if named else None
    matching = [o for o in options if o.kind.value == kind]
    return matching[0].id if len(matching) == 1 else None


def named_choices(turn: Turn, u: Understanding) -> dict[str, str]:
    """The shipping option and payment method the text names, as the shop offers them."""
    found: dict[str, str] = {}
    option = shipping_option_for(turn, u.entities.shipping, u.entities.carrier)
    if option:
        found["shipping"] = option
    payment = u.entities.payment
    if payment and payment in {m.value for m in turn.shop.payment_methods()}:
        found["payment"] = payment
    return found


def apply_choices(turn: Turn, u: Understanding, slots: dict[str, str]) -> list[str]:
    """Named choices written into the given slots (the checkout's, or the wants kept for a
    checkout to come); returns the names of the slots that changed."""
    changed = []
    for slot, value in named_choices(turn, u).items():
        if slots.get(slot) == value:
            continue
        if slot == "shipping" and slots.get("shipping"):
            for dependent in _PLACE_SLOTS:
                slots.pop(dependent, None)
        slots[slot] = value
        changed.append(slot)
    return changed


def wants_store_pickup_without_carrier(turn: Turn, u: Understanding) -> bool:
    return u.entities.shipping == ShippingKind.STORE.value and not named_choices(turn, u).get("shipping")


def referenced_lines(turn: Turn, u: Understanding) -> list[CartLine]:
    """The cart lines the text talks about: the product whose name holds most of the words
    typed ("the vitamin c", "烏龍那包"), else the best search match in the cart, else the
    only line."""
    cart = turn.cart()
    if cart.is_empty:
        return []
    words = u.remainder.strip()
    if words:
        named = _lines_by_title(turn, cart.lines, words)
        if named:
            return named
        named_products = [p for p in turn.shop.search(SearchQuery(text=words), limit=20) if overlap(words, p)]
        if named_products:
            # The words name a product: the lines of the best one, or none when it is not
            # in the cart (then they are about another product, not "the only line").
            return [line for line in cart.lines if line.product_id == named_products[0].id]
    return list(cart.lines) if len(cart.lines) == 1 else []


def _lines_by_title(turn: Turn, lines: tuple[CartLine, ...], words: str) -> list[CartLine]:
    """Lines of the one cart product whose titles share the most words typed."""
    products = {line.product_id: turn.shop.product(line.product_id) for line in lines}
    named = best_named(words, [p for p in products.values() if p is not None])
    return [line for line in lines if named is not None and line.product_id == named.id]


def apply_cart_change(turn: Turn, u: Understanding, quantity_allowed: bool) -> bool:
    """An addition, a removal, another size or colour, or another quantity of one cart
    line; True when the text was such a change (applied, or refused with a reason)."""
    if u.wants_addition and not u.wants_removal:
        return _add_named(turn, u)
    lines = referenced_lines(turn, u)
    if not lines and not u.wants_removal and quantity_allowed and (u.entities.quantity or u.entities.size):
        return _add_named(turn, u)
    if u.wants_removal:
        named = lines if (u.remainder.strip() or len(turn.cart().lines) == 1) else []
        if named:
            _remove(turn, named)
            return True
        return False
    single = _the_one(turn, lines)
    if single is None:
        return False
    line, product = single
    variant = _other_variant(product, line, u)
    if variant is not None and (u.wants_change or quantity_allowed):
        return _swap(turn, product, line, variant, u.entities.quantity or line.quantity)
    quantity = u.entities.quantity
    if quantity is not None and quantity != line.quantity and (u.wants_change or quantity_allowed):
        return _set_quantity(turn, product, line, quantity)
    return False


#: Words around an addition that name nothing ("欸我想多買一個", "i'd like one more please").
_FILLERS = re.compile(
    r"欸|誒|嗯|那|我想|我要|想要|想|請|幫我|一下|吧|好了"
    r"|\b(?:i'd like|i want|i'll take|please|pls|just|more)\b",
    re.IGNORECASE,
)


def _add_named(turn: Turn, u: Understanding) -> bool:
    """An addition ("再加兩包阿里山 75g"): the one product named, in the size said, added;
    with no product named ("再加一包", "one more"), more of the cart's only line."""
    words = u.remainder.strip()
    if not _FILLERS.sub(" ", words).strip():
        return _more_of_the_only_line(turn, u)
    products = [p for p in turn.shop.search(SearchQuery(text=words), limit=10) if overlap(words, p) > 0]
    product = products[0] if len(products) == 1 else _only_sized(products, u.entities.size)
    product = product or best_named(words, products)
    if product is None:
        return False
    sizes = {s.upper(): s for s in product.sizes}
    size = sizes.get(u.entities.size or "") or (product.sizes[0] if len(product.sizes) == 1 else None)
    color = u.entities.color if u.entities.color in product.colors else None
    matches = [v for v in product.matching_variants(size, color) if v.in_stock]
    if not matches or (product.sizes and size is None):
        return False
    quantity = u.entities.quantity or 1
    try:
        cart = turn.cart().add(product, matches[0].sku, quantity)
    except OutOfStock as refusal:
        _say_stock(turn, product, matches[0].sku, refusal)
        return True
    except DomainError:
        return False
    turn.save_cart(cart)
    turn.say(
        "Added {quantity} × {item} to your cart.",
        quantity=quantity,
        item=variant_label(turn, product, matches[0].sku),
    )
    return True


def _more_of_the_only_line(turn: Turn, u: Understanding) -> bool:
    """ "再加一包", "欸我想多買一個", "one more": the quantity said (one when none) on top of
    the only line; with several lines nobody can tell which, so it is not a change."""
    single = _the_one(turn, list(turn.cart().lines))
    if single is None:
        return False
    line, product = single
    return _set_quantity(turn, product, line, line.quantity + (u.entities.quantity or 1))


def _the_one(turn: Turn, lines: list[CartLine]) -> tuple[CartLine, Product] | None:
    """The line and its product when there is exactly one line meant, else None."""
    if len(lines) != 1:
        return None
    product = turn.shop.product(lines[0].product_id)
    return (lines[0], product) if product is not None else None


def _only_sized(products: list[Product], size: str | None) -> Product | None:
    if not size:
        return None
    sized = [p for p in products if size in {s.upper() for s in p.sizes}]
    return sized[0] if len(sized) == 1 else None


def _other_variant(product: Product, line: CartLine, u: Understanding) -> str | None:
    """The sku of the same product in the size/colour the text names, if it differs."""
    current = product.variant(line.sku)
    size = u.entities.size
    sizes = {s.upper(): s for s in product.sizes}
    wanted_size = sizes.get(size) if size else None
    wanted_color = u.entities.color if u.entities.color in product.colors else None
    if wanted_size is None and wanted_color is None:
        return None
    matches = product.matching_variants(wanted_size or current.size, wanted_color or current.color)
    if not matches or matches[0].sku == line.sku:
        return None
    return matches[0].sku


def _remove(turn: Turn, lines: list[CartLine]) -> None:
    cart = turn.cart()
    for line in lines:
        cart = cart.remove(line.sku)
        product = turn.shop.product(line.product_id)
        title = variant_label(turn, product, line.sku) if product is not None else line.sku
        turn.say("Removed {item} from your cart.", item=title)
    turn.save_cart(cart)


def _swap(turn: Turn, product: Product, line: CartLine, sku: str, quantity: int) -> bool:
    try:
        cart = turn.cart().remove(line.sku).add(product, sku, quantity)
    except OutOfStock as refusal:
        _say_stock(turn, product, sku, refusal)
        return True
    except DomainError:
        return False
    turn.save_cart(cart)
    turn.say("Changed to {quantity} × {item}.", quantity=quantity, item=variant_label(turn, product, sku))
    return True


def replace_line(turn: Turn, line: CartLine, product: Product, sku: str, quantity: int) -> bool:
    """Another product in place of a cart line ("swap the tea for the alishan one"), the
    quantity kept unless another was said; said back with what it replaced. True when
    replaced, False when stock or the quantity refused it (and the customer was told)."""
    old = turn.shop.product(line.product_id)
    old_label = variant_label(turn, old, line.sku) if old is not None else line.sku
    try:
        cart = turn.cart().remove(line.sku).add(product, sku, quantity)
    except OutOfStock as refusal:
        _say_stock(turn, product, sku, refusal)
        return False
    except DomainError as refusal:
        explain_quantity(turn, refusal)
        return False
    turn.save_cart(cart)
    turn.say(
        "Replaced {old} with {quantity} × {item}.",
        old=old_label,
        quantity=quantity,
        item=variant_label(turn, product, sku),
    )
    return True


def _set_quantity(turn: Turn, product: Product, line: CartLine, quantity: int) -> bool:
    try:
        cart: Cart = turn.cart().set_quantity(product, line.sku, quantity)
    except OutOfStock as refusal:
        _say_stock(turn, product, line.sku, refusal)
        return True
    except DomainError as refusal:
        if refusal.reason == "quantity_too_large":
            turn.say(
                "For more than {limit} at once, a person from our team will help you.",
                turn.buttons_named("human"),
                limit=refusal.params["limit"],
            )
            return True
        return False
    turn.save_cart(cart)
    item = variant_label(turn, product, line.sku)
    if quantity == 0:
        turn.say("Removed {item} from your cart.", item=item)
    else:
        turn.say("Changed to {quantity} × {item}.", quantity=quantity, item=item)
    return True


def _say_stock(turn: Turn, product: Product, sku: str, refusal: OutOfStock) -> None:
    available = refusal.params.get("available", 0)
    turn.say(
        "Sorry, only {available} of {item} left, so I kept your cart as it was.",
        available=available,
        item=variant_label(turn, product, sku),
    )
