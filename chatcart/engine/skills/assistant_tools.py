"""The tools the language model may call, and what each really does.

Read tools answer from the turn's `Shop` — the catalog, the FAQ, the shop's delivery and
payment options, and the contact's *own* orders — and hand the model JSON as a tool
message, never as part of its instructions. Write tools do nothing themselves: each
becomes an `Action` the engine carries out through the door it already has (Buy, the
checkout whose summary the customer confirms, the hand-off), so the model can start a
purchase but never place, confirm or pay an order. There is no tool for that at all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from chatcart.commerce.catalog import Product
from chatcart.commerce.orders import Order
from chatcart.core.text import pick
from chatcart.engine.assistant_model import ToolCall, ToolSpec
from chatcart.engine.skills.assistant_guard import (
    MAX_QUANTITY,
    Evidence,
    StepFailed,
    parse_arguments,
    price_arg,
    quantity_arg,
    text_arg,
)
from chatcart.engine.skills.orders import status_label
from chatcart.engine.turn import Turn
from chatcart.nlu.search import SearchQuery

#: Products a search returns to the model: enough to choose from, little to read.
SEARCH_LIMIT = 5
#: FAQ entries listed when none matches the question well: the model picks, or hands off.
FAQ_LIMIT = 10
#: The contact's orders listed when the model asks without a number.
RECENT_ORDERS = 3


@dataclass(frozen=True)
class AddToCart:
    product: Product
    quantity: int
    size: str | None
    color: str | None


@dataclass(frozen=True)
class StartCheckout:
    pass


@dataclass(frozen=True)
class HandOffToPerson:
    pass


Action = AddToCart | StartCheckout | HandOffToPerson
Result = dict[str, Any]
_Tool = Callable[[Turn, dict[str, Any], Evidence], "Result | Action"]


def run(turn: Turn, call: ToolCall, evidence: Evidence) -> Result | Action:
    """One tool call: its result for the model, or the action that ends the exchange. A
    call the engine refuses is an `error` result the model may correct, never a crash."""
    tool = _TOOLS.get(call.name)
    if tool is None:
        return {"error": "unknown tool; use one of: " + ", ".join(_TOOLS)}
    try:
        return tool(turn, parse_arguments(call.arguments), evidence)
    except StepFailed as refused:
        return {"error": str(refused)}


def _search_products(turn: Turn, args: dict[str, Any], evidence: Evidence) -> Result:
    query = SearchQuery(text=text_arg(args, "query") or "", price_max=price_arg(args, "max_price"))
    products = turn.shop.search(query, limit=SEARCH_LIMIT)
    evidence.found(products)
    items = [_summary(turn, p) for p in products]
    evidence.trust(items)
    return {"products": items}


def _get_product(turn: Turn, args: dict[str, Any], evidence: Evidence) -> Result:
    product = _existing(turn, args)
    evidence.found([product])
    facts = {
        **_summary(turn, product),
        "variants": [
            {
                "sku": v.sku,
                "size": v.size,
                "color": v.color,
                "price": turn.money(product.unit_price(v.sku)),
                "stock": v.stock,
            }
            for v in product.variants
        ],
        "url": turn.shop.product_url(product),
    }
    evidence.trust(facts)
    # The description is the shop's prose, maybe pasted from a supplier: the model may read
    # it, but nothing in it counts as a fact the answer may state.
    return {**facts, "description": pick(product.description, turn.lang)}


def _search_faq(turn: Turn, args: dict[str, Any], evidence: Evidence) -> Result:
    question = text_arg(args, "question") or ""
    entries = list(turn.shop.faq())
    match = turn.understander.match_faq(question, entries)
    chosen = [match.entry] if match is not None else entries[:FAQ_LIMIT]
    found = [{"question": e.title(turn.lang), "answer": pick(e.answer, turn.lang)} for e in chosen]
    evidence.trust(found)
    return {"entries": found}


def _get_shop_policies(turn: Turn, _args: dict[str, Any], evidence: Evidence) -> Result:
    shipping = [
        {
            "kind": o.kind.value,
            "carrier": o.carrier,
            "fee": turn.money(o.fee),
            "free_over": turn.money(o.free_over) if o.free_over is not None else None,
        }
        for o in turn.shop.shipping_options()
    ]
    policies = {"shipping": shipping, "payment_methods": [m.value for m in turn.shop.payment_methods()]}
    evidence.trust(policies)
    return policies


def _get_order(turn: Turn, args: dict[str, Any], evidence: Evidence) -> Result:
    """The contact's own order by number, or their recent ones. An order that is not
    theirs is "not found", in the same words as one that does not exist, and its number is
    not repeated: nothing tells the model whether another customer has it."""
    number = text_arg(args, "order_number", limit=40, required=False)
    if number is None:
        own = [o for o in turn.shop.orders() if o.contact_id == turn.contact.id][:RECENT_ORDERS]
        orders = [_order(turn, o) for o in own]
        evidence.trust(orders)
        return {"orders": orders}
    order = turn.shop.order_by_number(number.upper())
    if order is None or order.contact_id != turn.contact.id:
        return {"found": False, "note": "no such order on this customer's account"}
    described = _order(turn, order)
    evidence.trust(described)
    return {"found": True, "order": described}


def _add_to_cart(turn: Turn, args: dict[str, Any], _evidence: Evidence) -> Action:
    product = _existing(turn, args)
    quantity = quantity_arg(args)
    size = text_arg(args, "size", limit=40, required=False)
    color = text_arg(args, "color", limit=40, required=False)
    # A size or colour the product does not have is dropped: Buy then asks for it.
    return AddToCart(
        product,
        quantity,
        size if size in product.sizes else None,
        color if color in product.colors else None,
    )


def _start_checkout(_turn: Turn, _args: dict[str, Any], _evidence: Evidence) -> Action:
    return StartCheckout()


def _hand_off(_turn: Turn, _args: dict[str, Any], _evidence: Evidence) -> Action:
    return HandOffToPerson()


def _existing(turn: Turn, args: dict[str, Any]) -> Product:
    product = turn.shop.product(text_arg(args, "product_id", limit=80) or "")
    if product is None:
        raise StepFailed("unknown product_id; use an id from search_products")
    return product


def _summary(turn: Turn, product: Product) -> Result:
    return {
        "product_id": product.id,
        "title": product.title_in(turn.lang),
        "price": turn.money(product.price),
        "in_stock": product.in_stock,
        "sizes": list(product.sizes),
        "colors": list(product.colors),
    }


def _order(turn: Turn, order: Order) -> Result:
    """What the customer may be told of their order: no address, phone or name — the model
    does not need them, so the endpoint never receives them."""
    return {
        "number": order.number,
        "status": turn.tr(status_label(order)),
        "total": turn.money(order.quote.total),
        "items": [{"title": line.title, "quantity": line.quantity} for line in order.quote.lines],
        "payment_method": order.payment_method.value,
        "placed_on": order.created_at.date().isoformat(),
    }


_TOOLS: dict[str, _Tool] = {
    "search_products": _search_products,
    "get_product": _get_product,
    "search_faq": _search_faq,
    "get_shop_policies": _get_shop_policies,
    "get_order": _get_order,
    "add_to_cart": _add_to_cart,
    "start_checkout": _start_checkout,
    "hand_off": _hand_off,
}


def _schema(properties: dict[str, Any] | None = None, required: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"type": "object", "properties": properties or {}, "required": list(required)}


_STRING = {"type": "string"}

SPECS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "search_products",
        "Search the shop's catalog. Returns products with their current price and stock.",
        _schema({"query": _STRING, "max_price": {"type": "number"}}, ("query",)),
    ),
    ToolSpec(
        "get_product",
        "One product by product_id: variants with price and stock, link, description.",
        _schema({"product_id": _STRING}, ("product_id",)),
    ),
    ToolSpec(
        "search_faq",
        "The shop's own answers to common questions (delivery, returns, payment, ...).",
        _schema({"question": _STRING}, ("question",)),
    ),
    ToolSpec("get_shop_policies", "Delivery options with their fees, and the payment methods.", _schema()),
    ToolSpec(
        "get_order",
        "This customer's own order by number, or their recent orders without a number.",
        _schema({"order_number": _STRING}),
    ),
    ToolSpec(
        "add_to_cart",
        "Put a product in this customer's cart (the shop then asks for a missing size or colour).",
        _schema(
            {
                "product_id": _STRING,
                "quantity": {"type": "integer", "minimum": 1, "maximum": MAX_QUANTITY},
                "size": _STRING,
                "color": _STRING,
            },
            ("product_id",),
        ),
    ),
    ToolSpec(
        "start_checkout",
        "Open the checkout for the cart. The customer reviews and confirms the order themselves.",
        _schema(),
    ),
    ToolSpec("hand_off", "Pass the conversation to a person from the shop's team.", _schema()),
)
