"""Product cards: how the engine shows products, whatever the channel."""

from __future__ import annotations

from chatcart.commerce.cart import Cart
from chatcart.commerce.catalog import Product
from chatcart.core.events import EventName
from chatcart.engine.turn import Turn
from chatcart.messaging.outbound import Button, ProductCard, QuickReply, carousel

#: A carousel longer than this is a wall; platforms cap it at 10 too (LINE, Messenger).
MAX_CARDS = 10


def color_name(turn: Turn, color: str) -> str:
    return turn.tr(color)


def size_name(turn: Turn, product: Product, size: str) -> str:
    """Sizes are the shop's words, not the program's: the product carries their names."""
    return product.size_in(size, turn.lang)


def variant_summary(turn: Turn, product: Product) -> str:
    if not product.in_stock:
        return turn.tr("Out of stock")
    parts = []
    if product.sizes:
        parts.append(
            " / ".join(_marked(turn, product, "size", s, size_name(turn, product, s)) for s in product.sizes)
        )
    if product.colors:
        parts.append(
            " / ".join(_marked(turn, product, "color", c, color_name(turn, c)) for c in product.colors)
        )
    return " · ".join(parts)


def _marked(turn: Turn, product: Product, attribute: str, value: str, shown: str) -> str:
    """A size or colour none of whose variants is in stock says so on the card."""
    if any(v.in_stock for v in product.variants if getattr(v, attribute) == value):
        return shown
    return turn.tr("{value} (sold out)", value=shown)


def product_card(turn: Turn, product: Product) -> ProductCard:
    price = product.price
    if product.in_stock:
        actions = [Button(title=turn.tr("Buy"), payload=f"BUY:{product.id}")]
    else:
        actions = [Button(title=turn.tr("Similar items"), payload=f"SIMILAR:{product.id}")]
    url = turn.shop.product_url(product)
    actions.append(Button(title=turn.tr("Details"), url=url))
    return ProductCard(
        product_id=product.id,
        title=product.title_in(turn.lang),
        subtitle=variant_summary(turn, product),
        price=str(price.rounded().amount),
        currency=price.currency,
        price_text=turn.money(price),
        image_url=turn.shop.asset_url(product.image_url),
        url=url,
        buttons=actions,
    )


def show_products(turn: Turn, products: list[Product], quick_replies: list[QuickReply] | None = None) -> None:
    cards = [product_card(turn, p) for p in products[:MAX_CARDS]]
    turn.send(carousel(cards, quick_replies))
    turn.state.shown = [p.id for p in products[:MAX_CARDS]]
    turn.record(EventName.PRODUCTS_SHOWN, products=[p.id for p in products[:MAX_CARDS]])


def variant_label(turn: Turn, product: Product, sku: str) -> str:
    """The product's title with the variant's size and colour, in the customer's language."""
    variant = product.variant(sku)
    size = size_name(turn, product, variant.size) if variant.size else None
    color = color_name(turn, variant.color) if variant.color else None
    bits = [b for b in (size, color) if b]
    return f"{product.title_in(turn.lang)} ({', '.join(bits)})" if bits else product.title_in(turn.lang)


def cart_cards(turn: Turn, cart: Cart) -> list[ProductCard]:
    cards = []
    for line in cart.lines:
        product = turn.shop.product(line.product_id)
        if product is None:
            continue
        unit = product.unit_price(line.sku)
        cards.append(
            ProductCard(
                product_id=product.id,
                title=variant_label(turn, product, line.sku),
                subtitle=turn.tr("Quantity {quantity}", quantity=line.quantity),
                price=str(unit.times(line.quantity).rounded().amount),
                currency=unit.currency,
                price_text=turn.money(unit.times(line.quantity)),
                image_url=turn.shop.asset_url(product.image_url),
                url=turn.shop.product_url(product),
                buttons=[
                    Button(title="+1", payload=f"CART_INC:{line.sku}"),
                    Button(title="-1", payload=f"CART_DEC:{line.sku}"),
                    Button(title=turn.tr("Remove"), payload=f"CART_REMOVE:{line.sku}"),
                ],
            )
        )
    return cards
