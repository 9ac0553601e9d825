"""Discovery: guided (category → need → products) and free-text search."""

from __future__ import annotations

from chatcart.commerce.catalog import Product, alternatives
from chatcart.core.text import pick
from chatcart.engine.cards import show_products
from chatcart.engine.turn import Turn
from chatcart.nlu.search import SearchQuery

SHOW_ALL = "*"


def browse(turn: Turn) -> None:
    categories = [c for c in turn.shop.categories() if _has_products(turn, c.id)]
    if not categories:
        turn.say("The shop has no products yet. A person can help you.", turn.buttons_named("human"))
        return
    replies = [turn.quick(pick(c.name, turn.lang), f"CAT:{c.id}") for c in categories[:12]]
    turn.say("Which category would you like to look at?", replies)


def _has_products(turn: Turn, category_id: str) -> bool:
    return any(p.category_id == category_id for p in turn.shop.products())


def category(turn: Turn, category_id: str) -> None:
    found = next((c for c in turn.shop.categories() if c.id == category_id), None)
    if found is None:
        turn.say("I can't find that category any more.")
        browse(turn)
        return
    needs = [n for n in found.needs if any(n.id in p.needs for p in turn.shop.products())]
    if not needs:
        need(turn, category_id, SHOW_ALL)
        return
    replies = [turn.quick(pick(n.name, turn.lang), f"NEED:{category_id}:{n.id}") for n in needs]
    replies.append(turn.quick("Show all", f"NEED:{category_id}:{SHOW_ALL}"))
    turn.say("What are you looking for in {category}?", replies, category=pick(found.name, turn.lang))


def need(turn: Turn, category_id: str, need_id: str) -> None:
    query = SearchQuery(text="", category_id=category_id, need=None if need_id == SHOW_ALL else need_id)
    products = [p for p in turn.shop.products() if _matches(p, query)]
    products.sort(key=lambda p: not p.in_stock)
    if not products:
        turn.say("Nothing matches that right now.", turn.buttons_named("browse", "human"))
        return
    turn.say("Here is what I found:")
    show_products(turn, products, turn.buttons_named("browse", "cart", "human"))
    turn.shop.record("understood", intent="browse")


def _matches(product: Product, query: SearchQuery) -> bool:
    return product.category_id == query.category_id and (query.need is None or query.need in product.needs)


def ask_search(turn: Turn) -> None:
    turn.state.start("search.query")
    turn.say(
        'What are you looking for? Type a product, a need or a budget, like "{example}".',
        example=turn.tr("moisturising lip balm under 500"),
    )


def search_products(turn: Turn, words: str) -> list[Product]:
    """Search with the entities the understanding found (colour, price range)."""
    u = turn.understanding
    entities = u.entities if u else None
    query = SearchQuery(
        text=words,
        color=entities.color if entities else None,
        price_min=entities.price_min if entities else None,
        price_max=entities.price_max if entities else None,
    )
    return turn.shop.search().search(query)


def show_search_results(turn: Turn, products: list[Product]) -> None:
    if turn.state.step == "search.query":
        turn.state.finish()
    turn.say("Here is what I found:")
    show_products(turn, products, turn.buttons_named("browse", "cart", "human"))


def similar(turn: Turn, product_id: str) -> None:
    product = turn.shop.product(product_id)
    if product is None:
        unknown_product(turn)
        return
    offer_alternatives(turn, product)


def offer_alternatives(turn: Turn, product: Product) -> None:
    options = alternatives(product, list(turn.shop.products()))
    if not options:
        turn.say(
            "Sorry, {title} is sold out and I have nothing similar in stock right now.",
            turn.buttons_named("browse", "human"),
            title=product.title_in(turn.lang),
        )
        return
    turn.say("Sorry, {title} is sold out. These are similar and in stock:", title=product.title_in(turn.lang))
    show_products(turn, options, turn.buttons_named("browse", "human"))


def unknown_product(turn: Turn) -> None:
    turn.say(
        "Sorry, I can't find that product. It may no longer be sold.", turn.buttons_named("browse", "search")
    )
