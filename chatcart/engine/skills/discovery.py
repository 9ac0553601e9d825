"""Discovery: guided (category → need → products) and free-text search."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from chatcart.commerce.catalog import Product
from chatcart.core.events import EventName
from chatcart.core.text import pick
from chatcart.engine import followup_words
from chatcart.engine.cards import MAX_CARDS, show_products
from chatcart.engine.turn import Turn
from chatcart.nlu.choices import cheaper_words
from chatcart.nlu.entities import color_words
from chatcart.nlu.interface import Entities, Understanding
from chatcart.nlu.search import SearchQuery
from chatcart.nlu.text import contains_term, has_cjk, normalise

SHOW_ALL = "*"
#: How discovery asks for products: the shop's search (`Shop.search`), or an index in a bench.
Search = Callable[[SearchQuery], list[Product]]


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
    return find_products(turn.shop.search, words, u.entities if u else None)


def find_products(search: Search, words: str, entities: Entities | None) -> list[Product]:
    """The products for the words typed and the entities found in them, best first.

    A colour the customer names is a filter ("red dress": red ones only) unless it is part
    of what a product is called ("black tea", "green tea", "hand cream"): then its word is
    only a word to find. The index ranks by every word typed, so its order is kept. Apart
    from the engine, so the relevance bench ranks exactly what a customer is shown."""
    query = SearchQuery(
        text=words,
        color=entities.color if entities else None,
        price_min=entities.price_min if entities else None,
        price_max=entities.price_max if entities else None,
    )
    if query.color is None:
        return search(query)
    loose = search(replace(query, color=None))
    if names_the_colour(words, query.color, loose):
        return loose
    return search(query) or loose


def names_the_colour(words: str, color: str, products: list[Product]) -> bool:
    """Whether the colour's word, with the word typed next to it, is in one of these products'
    names ("black tea" in "Sun Moon Lake Black Tea"; "red dress" is in none: red is a colour),
    or ends the text as one of their names ends ("fragrance free cream": "face cream" is a
    cream, not a beige)."""
    text = normalise(words)
    phrases = _colour_phrases(text, color)
    names = [
        name for product in products for name in map(normalise, [*product.title.values(), *product.keywords])
    ]
    last = text.split()[-1:]
    ends_as_kind = bool(last) and last[0] in map(normalise, color_words().get(color, [color]))
    return any(contains_term(name, phrase) for name in names for phrase in phrases) or (
        ends_as_kind and any(name.split()[-1:] == last for name in names)
    )


def _colour_phrases(text: str, color: str) -> list[str]:
    """The colour's words as typed with their neighbours: "black tea", "hand cream", 綠色茶."""
    tokens = text.split()
    phrases = []
    for word in map(normalise, color_words().get(color, [color])):
        if has_cjk(word):
            at = text.find(word)
            phrases += [text[at : at + len(word) + 1]] if 0 <= at < len(text) - len(word) else []
            continue
        for i, token in enumerate(tokens):
            if token == word:
                phrases += [f"{tokens[i - 1]} {word}"] if i else []
                phrases += [f"{word} {tokens[i + 1]}"] if i + 1 < len(tokens) else []
    return phrases


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


def cheaper(turn: Turn, u: Understanding) -> bool:
    """ "Cheaper?" after products were shown (or while a size is asked): the same kind for
    less, next step down first. False when there is nothing to compare with, or the message
    names other products ("有便宜的茶嗎" is a search, and is searched). "The cheaper one" among
    several cards chooses one of them, and is left to that choice."""
    reference = _compared_with(turn)
    if reference is None or _names_other_products(turn, u) or _chooses_among_shown(turn, u):
        return False
    options = turn.shop.catalog.cheaper_than(reference, limit=MAX_CARDS)
    if not options:
        turn.say(
            "{title} is already the lowest price I have for this kind of product.",
            turn.buttons_named("browse", "human"),
            title=reference.title_in(turn.lang),
        )
        return True
    if turn.state.step == "buy.variant":
        turn.state.finish()  # choosing among the cheaper ones now, not a size of the first
    turn.say("Cheaper than {title}:", title=reference.title_in(turn.lang))
    show_products(turn, options, turn.buttons_named("browse", "cart", "human"))
    turn.record(EventName.UNDERSTOOD, intent="cheaper")
    return True


def _chooses_among_shown(turn: Turn, u: Understanding) -> bool:
    return len(turn.state.shown) > 1 and followup_words.price_named(u.normalised) is not None


def _compared_with(turn: Turn) -> Product | None:
    """The product being chosen, else the cheapest of those last shown."""
    chosen = (
        turn.shop.product(turn.state.slots.get("product", "")) if turn.state.step == "buy.variant" else None
    )
    if chosen is not None:
        return chosen
    shown = [p for p in map(turn.shop.product, turn.state.shown) if p is not None]
    return min(shown, key=lambda p: p.price.amount, default=None)


def _names_other_products(turn: Turn, u: Understanding) -> bool:
    words = u.remainder
    for term in cheaper_words():
        words = words.replace(term, " ")
    found = {p.id for p in search_products(turn, " ".join(words.split()))} if words.strip() else set()
    return bool(found - set(turn.state.shown))
