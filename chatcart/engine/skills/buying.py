"""Choosing a variant and putting it in the cart, then straight on to checkout.

Buy asks only what is still open (size, then colour); the quantity is 1 unless the
customer said another ("2 packs", "兩包"), and it can be changed in words at any step
after. A sold-out size is named as sold out, never swapped silently for another.
"""

from __future__ import annotations

from chatcart.commerce.catalog import Product
from chatcart.core.errors import DomainError, OutOfStock
from chatcart.core.events import EventName
from chatcart.engine import recommend
from chatcart.engine.cards import color_name, size_name, variant_label
from chatcart.engine.skills import changes, checkout
from chatcart.engine.skills.cart import explain_quantity
from chatcart.engine.skills.discovery import offer_alternatives, unknown_product
from chatcart.engine.skills.matching import covers, pointer_in
from chatcart.engine.turn import Turn
from chatcart.nlu.interface import Understanding


def buy(
    turn: Turn,
    product_id: str,
    size: str | None = None,
    color: str | None = None,
    replaces: str | None = None,
) -> None:
    """Buy tapped (or a product named with what to buy): nothing is added twice. With
    `replaces` (a cart line's SKU), the variant chosen takes that line's place ("swap the
    tea for the alishan one")."""
    product = turn.shop.product(product_id)
    if product is None:
        unknown_product(turn)
        return
    if not product.in_stock:
        offer_alternatives(turn, product)
        return
    turn.state.start("buy.variant", product=product.id)
    if size is not None:
        turn.state.slots["size"] = size
    if color is not None:
        turn.state.slots["color"] = color
    if replaces is not None:
        turn.state.slots["replaces"] = replaces
    ask_next_choice(turn, product)


def ask_next_choice(turn: Turn, product: Product) -> None:
    slots = turn.state.slots
    size, color = slots.get("size"), slots.get("color")
    if _chosen_sold_out(turn, product, size, color):
        return
    sizes = _open_values(product, "size", size, color)
    if size is None and (len(sizes) > 1 or _sold_out_values(product, "size")):
        _ask_size(turn, product, sizes)
        return
    chosen_size = size or _only(sizes)
    colors = _open_values(product, "color", chosen_size, color)
    if color is None and (len(colors) > 1 or _sold_out_values(product, "color", chosen_size)):
        replies = [turn.quick(color_name(turn, c), f"COLOR:{product.id}:{c}") for c in colors]
        note = _sold_out_note(turn, product, "color", chosen_size)
        turn.say("Which colour?{sold_out}", replies, sold_out=note)
        return
    matches = [
        v for v in product.matching_variants(size or _only(sizes), color or _only(colors)) if v.in_stock
    ]
    if not matches:
        turn.say("Sorry, that combination is sold out.")
        turn.state.slots = {k: v for k, v in turn.state.slots.items() if k in ("product", "replaces")}
        if product.in_stock:
            ask_next_choice(turn, product)
        else:
            offer_alternatives(turn, product)
        return
    said = turn.state.wants.pop("quantity", "")
    sku = matches[0].sku
    replaced = turn.state.slots.get("replaces")
    if replaced and turn.cart().line(replaced) is not None:
        _instead_of(turn, product, replaced, sku, int(said or "1"))
        return
    if turn.cart().line(sku) is not None:
        _already_in_cart(turn, product, sku, int(said) if said else None)
        return
    add_to_cart(turn, sku, int(said or "1"))


def _instead_of(turn: Turn, product: Product, old_sku: str, sku: str, quantity: int) -> None:
    """The chosen variant takes the place of the line it replaces; then on with the order."""
    line = turn.cart().line(old_sku)
    turn.state.finish()
    if line is not None:
        changes.replace_line(turn, line, product, sku, quantity)
    checkout.start(turn)


def add_if_clear(turn: Turn, product: Product, size: str | None, color: str | None, u: Understanding) -> bool:
    """Into the cart without a question when the size and colour said (or the only ones in
    stock) leave one variant; False when a choice is still open."""
    sizes = [size] if size else _open_values(product, "size", None, color)
    colors = [color] if color else _open_values(product, "color", _only(sizes), None)
    if len(sizes) > 1 or len(colors) > 1:
        return False
    matches = [v for v in product.matching_variants(_only(sizes), _only(colors)) if v.in_stock]
    if not matches:
        return False
    quantity = u.entities.quantity or 1
    try:
        cart = turn.cart().add(product, matches[0].sku, quantity)
    except DomainError:
        return False
    turn.save_cart(cart)
    turn.record(EventName.ADD_TO_CART, product=product.id, sku=matches[0].sku, quantity=quantity)
    turn.say(
        "Added {quantity} × {item} to your cart.",
        quantity=quantity,
        item=variant_label(turn, product, matches[0].sku),
    )
    return True


def _already_in_cart(turn: Turn, product: Product, sku: str, said: int | None) -> None:
    """Buy tapped again (twice in a hurry, or coming back) keeps the cart as it is; "1 black
    tea" said again means one in all, not one more."""
    turn.state.finish()
    line = turn.cart().line(sku)
    if said is not None and line is not None and said != line.quantity:
        try:
            turn.save_cart(turn.cart().set_quantity(product, sku, said))
        except DomainError as refusal:
            explain_quantity(turn, refusal)
            return
        turn.say("Changed to {quantity} × {item}.", quantity=said, item=variant_label(turn, product, sku))
    else:
        turn.say("{item} is already in your cart.", item=variant_label(turn, product, sku))
    checkout.start(turn)


def _ask_size(turn: Turn, product: Product, sizes: list[str]) -> None:
    replies = [turn.quick(size_name(turn, product, s), f"SIZE:{product.id}:{s}") for s in sizes]
    replies.append(turn.quick("Similar items", f"SIMILAR:{product.id}"))
    turn.say(
        "Which size of {title}?{sold_out}",
        replies,
        title=product.title_in(turn.lang),
        sold_out=_sold_out_note(turn, product, "size"),
    )


def _chosen_sold_out(turn: Turn, product: Product, size: str | None, color: str | None) -> bool:
    """The customer named a size or colour that is sold out: say so, then offer the rest.
    A size and colour each in stock but not together ("L in red"): the size is kept and the
    colours left in it are offered."""
    if _only_together_sold_out(product, size, color):
        shown = f"{size_name(turn, product, size or '')} {color_name(turn, color or '')}"
        turn.say("Sorry, {value} is sold out.", value=shown)
        turn.state.slots.pop("color", None)
        ask_next_choice(turn, product)
        return True
    for attribute, value, other in (("size", size, None), ("color", color, None)):
        if value is not None and value in _sold_out_values(product, attribute, other):
            shown = size_name(turn, product, value) if attribute == "size" else color_name(turn, value)
            turn.say("Sorry, {value} is sold out.", value=shown)
            turn.state.slots.pop(attribute, None)
            ask_next_choice(turn, product)
            return True
    return False


def _only_together_sold_out(product: Product, size: str | None, color: str | None) -> bool:
    """Both chosen, each still sold in some variant, but not the two together."""
    if size is None or color is None or any(v.in_stock for v in product.matching_variants(size, color)):
        return False
    return size not in _sold_out_values(product, "size") and color not in _sold_out_values(product, "color")


def _sold_out_note(turn: Turn, product: Product, attribute: str, other: str | None = None) -> str:
    values = _sold_out_values(product, attribute, other)
    if not values:
        return ""
    names = [size_name(turn, product, v) if attribute == "size" else color_name(turn, v) for v in values]
    return " " + turn.tr("({values} sold out)", values=", ".join(names))


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


def _sold_out_values(product: Product, attribute: str, other: str | None = None) -> list[str]:
    """Sizes or colours the product has that no in-stock variant offers; with `other` (the
    colour, or the size, already chosen), in that combination: L in red, when L is left only
    in navy."""
    every = getattr(product, "sizes" if attribute == "size" else "colors")
    other_attribute = "color" if attribute == "size" else "size"
    return [
        value
        for value in every
        if not any(
            v.in_stock and (other is None or getattr(v, other_attribute) in (other, None))
            for v in product.variants
            if getattr(v, attribute) == value
        )
    ]


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
    """A typed answer to "which size/colour"; False when the text is not one."""
    product = turn.shop.product(turn.state.slots.get("product", ""))
    u = turn.understanding
    if product is None or u is None:
        return False
    if turn.state.step == "buy.quantity" and u.entities.quantity is not None:
        add_to_cart(turn, turn.state.slots["sku"], u.entities.quantity)
        return True
    if turn.state.step != "buy.variant" or _points_elsewhere(turn, product, u):
        return False
    typed = u.normalised.strip().upper()
    size = _typed_size(turn, product, typed, u.entities.size)
    color = u.entities.color if u.entities.color in product.colors else None
    color = color or next((c for c in product.colors if color_name(turn, c) in u.normalised), None)
    if size is None and color is None:
        return False
    names_the_size = size is not None and typed in {size.upper(), size_name(turn, product, size).upper()}
    if u.entities.quantity is not None and not names_the_size:
        # "10入" answering "which size?" is the size, not ten of them.
        turn.state.wants["quantity"] = str(u.entities.quantity)
    turn.state.slots.update({k: v for k, v in (("size", size), ("color", color)) if v})
    ask_next_choice(turn, product)
    return True


def _points_elsewhere(turn: Turn, product: Product, u: Understanding) -> bool:
    """ "The second one in M", "the cheaper one", "the floral one" while a size of another
    product is asked: a choice among the cards shown, not this product's size."""
    shown = [p for p in map(turn.shop.product, turn.state.shown) if p is not None]
    if len(shown) < 2:
        return False
    pointer = pointer_in(u, shown)
    if pointer.position is not None or pointer.by_price is not None:
        return True
    return bool(pointer.words) and any(covers(pointer.words, p) for p in shown if p.id != product.id)


def ask_again(turn: Turn) -> bool:
    """Text at "which size?" that is nothing the bot knows: the question again, not a
    generic "I didn't catch that" that loses the purchase in progress."""
    product = turn.shop.product(turn.state.slots.get("product", ""))
    if product is None:
        return False
    turn.say("Let's pick this one first:")
    ask_next_choice(turn, product)
    return True


def hold_step(turn: Turn) -> bool:
    """Text at "which size?" that is not a size: a quantity or a delivery said ahead is kept,
    and the question is asked again rather than dropped."""
    product = turn.shop.product(turn.state.slots.get("product", ""))
    u = turn.understanding
    if product is None or u is None or turn.state.step != "buy.variant":
        return False
    said_ahead = u.entities.quantity is not None or u.entities.shipping or u.entities.payment
    if not said_ahead or u.remainder.strip():
        return False
    if u.entities.quantity is not None and u.entities.quantity > 0:
        turn.state.wants["quantity"] = str(u.entities.quantity)
    changes.apply_choices(turn, u, turn.state.wants)
    turn.say("Noted. One more thing first:")
    ask_next_choice(turn, product)
    return True


def _typed_size(turn: Turn, product: Product, typed: str, entity: str | None) -> str | None:
    for size in product.sizes:
        names = {size.upper(), size_name(turn, product, size).upper()}
        if typed in names or (entity is not None and entity in names):
            return size
    return None


def add_to_cart(turn: Turn, sku: str, quantity: int) -> None:
    """Into the cart, then on to checkout: the customer who wants more taps Keep shopping."""
    product = turn.shop.catalog.product_of_sku(sku)
    if product is None:
        unknown_product(turn)
        return
    try:
        cart = turn.cart().add(product, sku, quantity)
    except OutOfStock as refusal:
        _explain_stock(turn, product, refusal)
        return
    except DomainError as refusal:
        explain_quantity(turn, refusal)
        return
    turn.save_cart(cart)
    turn.state.finish()
    turn.record(EventName.ADD_TO_CART, product=product.id, sku=sku, quantity=quantity)
    turn.say(
        "Added {quantity} × {item} to your cart.",
        quantity=quantity,
        item=variant_label(turn, product, sku),
    )
    if not _buy_next(turn):
        recommend.beside_checkout(turn)
        checkout.start(turn)


def add_one(turn: Turn, product_id: str) -> None:
    """Add tapped on a recommendation: one into the cart when nothing is left to choose, and
    on with the checkout where it was, its answers kept; a size or colour still open is asked
    first, as Buy would."""
    product = turn.shop.product(product_id)
    if product is None or not product.in_stock:
        buy(turn, product_id)
        return
    sku = _only_choice(product)
    if sku is None:
        buy(turn, product_id)
        return
    if turn.cart().line(sku) is not None:
        turn.say("{item} is already in your cart.", item=variant_label(turn, product, sku))
        checkout.start(turn)
        return
    try:
        cart = turn.cart().add(product, sku, 1)
    except DomainError as refusal:
        explain_quantity(turn, refusal)
        return
    turn.save_cart(cart)
    turn.record(EventName.ADD_TO_CART, product=product.id, sku=sku, quantity=1, recommended=True)
    turn.say("Added {quantity} × {item} to your cart.", quantity=1, item=variant_label(turn, product, sku))
    checkout.start(turn)


def _only_choice(product: Product) -> str | None:
    """The SKU when the stock leaves one size and one colour to buy, else None."""
    sizes = _open_values(product, "size", None, None)
    colors = _open_values(product, "color", _only(sizes), None)
    if len(sizes) > 1 or len(colors) > 1:
        return None
    return next((v.sku for v in product.matching_variants(_only(sizes), _only(colors)) if v.in_stock), None)


def _buy_next(turn: Turn) -> bool:
    """The next product of a message that named several, still waiting for its size."""
    queue = [item for item in turn.state.wants.pop("next", "").split(",") if item]
    if not queue:
        return False
    product_id, _, quantity = queue[0].partition(":")
    if queue[1:]:
        turn.state.wants["next"] = ",".join(queue[1:])
    turn.state.wants["quantity"] = quantity or "1"
    buy(turn, product_id)
    return True


def _explain_stock(turn: Turn, product: Product, refusal: OutOfStock) -> None:
    if refusal.reason == "not_enough_stock":
        turn.say(
            "Sorry, only {available} left. How many would you like?", available=refusal.params["available"]
        )
        return
    turn.state.finish()
    offer_alternatives(turn, product)
