"""Discovery: guided (category → need → products) and free-text search."""

from __future__ import annotations

from dataclasses import replace

from chatcart.commerce.catalog import Product
from chatcart.core.events import EventName
from chatcart.core.text import pick
from chatcart.engine.cards import MAX_CARDS, show_products
from chatcart.engine.skills.matching import overlap
from chatcart.engine.turn import Turn
from chatcart.nlu.interface import Understanding
from chatcart.nlu.search import SearchQuery

SHOW_ALL = "*"


def browse(turn: Turn) -> None:
    categories = turn.shop.catalog.categories_with_products()
    if not categories:
        turn.say("The shop has no products yet. A person can help you.", turn.buttons_named("human"))
        return
    replies = [turn.quick(pick(c.name, turn.lang), f"CAT:{c.id}") for c in categories[:12]]
    turn.say("Which category would you like to look at?", replies)


def category(turn: Turn, category_id: str) -> None:
    catalog = turn.shop.catalog
    found = next((c for c in catalog.categories if c.id == category_id), None)
    if found is None:
        turn.say("I can't find that category any more.")
        browse(turn)
        return
    needs = catalog.needs_with_products(category_id)
    if not needs:
        need(turn, category_id, SHOW_ALL)
        return
    replies = [turn.quick(pick(n.name, turn.lang), f"NEED:{category_id}:{n.id}") for n in needs]
    replies.append(turn.quick("Show all", f"NEED:{category_id}:{SHOW_ALL}"))
    turn.say("What are you looking for in {category}?", replies, category=pick(found.name, turn.lang))


def need(turn: Turn, category_id: str, need_id: str) -> None:
    wanted = None if need_id == SHOW_ALL else need_id
    products = turn.shop.catalog.products_in(category_id, wanted, limit=MAX_CARDS)
    if not products:
        turn.say("Nothing matches that right now.", turn.buttons_named("browse", "human"))
        return
    turn.say("Here is what I found:")
    show_products(turn, products, turn.buttons_named("browse", "cart", "human"))
    turn.record(EventName.UNDERSTOOD, intent="browse")


def ask_search(turn: Turn) -> None:
    turn.state.start("search.query")
    turn.say(
        'What are you looking for? Type a product, a need or a budget, like "{example}".',
        example=turn.tr("moisturising lip balm under 500"),
    )


def search_products(turn: Turn, words: str, said: Understanding | None = None) -> list[Product]:
    """Search with the entities the understanding found (colour, price range): the turn's,
    or those of the part of the message being searched for (`said`)."""
    u = said or turn.understanding
    entities = u.entities if u else None
    query = SearchQuery(
        text=words,
        color=entities.color if entities else None,
        price_min=entities.price_min if entities else None,
        price_max=entities.price_max if entities else None,
    )
    found = turn.shop.search(query)
    if not found and query.color is not None:
        # The colour word may be part of a name ("black tea", "紅茶"): then a word to find.
        found = turn.shop.search(replace(query, color=None))
    return by_title_words(words, found)


def by_title_words(words: str, products: list[Product]) -> list[Product]:
    """Products whose titles hold more of the words typed come first ("tea seed serum"
    before every tea); the search's order is kept among equals."""
    return sorted(products, key=lambda p: -overlap(words, p))


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
    options = turn.shop.catalog.alternatives(product)
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
