"""A purchase said in one message: "2 dong ding 300g, 7-11 pickup, cash on delivery",
"凍頂烏龍 300克 兩包 寄7-11 貨到付款". The product, size, quantity, delivery and payment
are each taken from the words; only what is still missing is asked."""

from __future__ import annotations

import re
from dataclasses import replace

from chatcart.commerce.catalog import Product
from chatcart.engine import followup_words
from chatcart.engine.skills import buying, changes, checkout, discovery, slots
from chatcart.engine.skills.matching import (
    Pointer,
    among_shown,
    best_named,
    names_clearly,
    overlap,
    pointer_in,
    size_named,
)
from chatcart.engine.turn import Turn
from chatcart.messaging.outbound import QuickReply
from chatcart.nlu.choices import code_candidates
from chatcart.nlu.entities import find_quantity
from chatcart.nlu.interface import Context, Intent, Understanding
from chatcart.nlu.text import normalise

#: A part of a message that asks for one thing without a number ("a blue gaiwan", "一個蓋碗").
_ARTICLE = re.compile(
    r"^\s*(?:a|an|one|some|一個|一包|一盒|一瓶)\b|^\s*(?:一個|一包|一盒|一瓶)", re.IGNORECASE
)
#: Words after a number that make it a size or a count of the same thing ("10 pack").
_UNIT_WORDS = frozenset(
    ("pack", "packs", "pcs", "pieces", "g", "ml", "kg", "bags", "bag", "boxes", "box", "x")
)
#: Where one product ends and the next begins in a message that names several.
_SEPARATORS = re.compile(r"\s+(?:and|plus|also)\s+|\s*[&+;；、]\s*|和|跟|還有|以及|再來", re.IGNORECASE)


def buying_words(turn: Turn, u: Understanding) -> bool:
    """Whether the message says what to buy, not only what to look at."""
    if u.is_question and u.entities.quantity is None:
        return False
    return (
        u.entities.quantity is not None or bool(changes.named_choices(turn, u)) or u.intent is Intent.CHECKOUT
    )


def remember_wants(turn: Turn, u: Understanding) -> None:
    """Delivery, payment and quantity said before they are asked, kept for the checkout."""
    changes.apply_choices(turn, u, turn.state.wants)
    turn.state.wants.update(slots.contact_details(turn, u))
    codes = [c for c in code_candidates(u.text) if turn.shop.coupon(c) is not None]
    if codes:
        turn.state.wants["coupon"] = codes[0]  # checked at the summary, refusal explained
    if u.entities.quantity is not None and u.entities.quantity > 0:
        turn.state.wants["quantity"] = str(u.entities.quantity)


def purchase(turn: Turn, u: Understanding) -> bool:
    """Buy the one product the words name (or, with no product words, the one just shown
    that fits the size or colour said); several candidates are shown as cards, the wants
    kept for when one is tapped. A follow-up to the cards just shown ("the red one",
    "第二個") chooses among them first. False when the message names nothing to buy."""
    if chosen_from_shown(turn, u):
        return True
    if not buying_words(turn, u):
        return False
    if several(turn, u):
        return True
    words = u.remainder.strip()
    products = discovery.search_products(turn, words) if words else _shown(turn)
    if not products:
        return False
    remember_wants(turn, u)
    product = clear_winner(products, u, words)
    if product is not None and _budget(u) and not names_clearly(words, product):
        product = None  # "2 gifts under 800": choices to look at, not the first gift's size
    if product is None:
        discovery.show_search_results(turn, products)
        return True
    size = _size_of(product, u) or _size_named(turn, product, u)
    buying.buy(turn, product.id, size=size, color=_color_of(product, u))
    return True


def _size_named(turn: Turn, product: Product, u: Understanding) -> str | None:
    """A size the shop names like a count ("10入", "10-pack") is the size, not a quantity:
    the quantity is then read from the rest of the message ("三盒"), else one."""
    text = normalise(u.text)
    for size in product.sizes:
        for name in {size, product.size_in(size, turn.lang)}:
            found = _loosely(name).search(text)
            if found is None:
                continue
            rest = text[: found.start()] + " " + text[found.end() :]
            quantity = turn.understander.understand(
                rest, Context(turn.lang, turn.state.step)
            ).entities.quantity
            turn.state.wants["quantity"] = str(quantity or 1)
            return size
    return None


def _loosely(name: str) -> re.Pattern[str]:
    """The size name as typed with or without its spaces and hyphens ("10-pack", "10 pack")."""
    chars = [re.escape(ch) for ch in normalise(name) if ch.isalnum()]
    return re.compile(r"[\s-]*".join(chars)) if chars else re.compile(r"(?!x)x")


def several(turn: Turn, u: Understanding) -> bool:
    """Several products in one message ("2 dong ding 150g and a blue gaiwan"): each product
    named in its own part goes in the cart with its own size and quantity; one still missing
    a size or colour is asked for, one the shop does not sell is said so. False unless two
    or more parts each ask for a product."""
    parts = [p for p in _SEPARATORS.split(u.text) if p.strip()]
    if len(parts) < 2:
        parts = _parts_by_quantity(u.text)
    if len(parts) < 2:
        return False
    context = Context(turn.lang, turn.state.step)
    wanted, unknown = [], []
    for part in parts:
        said = turn.understander.understand(part, context)
        words = said.remainder.strip()
        found = discovery.search_products(turn, words, said) if words else []
        product = clear_winner(found, said, words) if found else None
        if product is not None:
            wanted.append((product, said))
        elif words and (said.entities.quantity or _ARTICLE.match(part)):
            unknown.append(_ARTICLE.sub("", words).strip() or words)
    if not wanted or len(wanted) + len(unknown) < 2:
        return False
    remember_wants(turn, u)
    turn.state.wants.pop("quantity", None)
    open_choice = [
        (p, s) for p, s in wanted if not buying.add_if_clear(turn, p, _size_of(p, s), _color_of(p, s), s)
    ]
    for words in unknown:
        turn.say("I couldn't find “{words}” in this shop.", words=words)
    if open_choice:
        later = [f"{p.id}:{s.entities.quantity or 1}" for p, s in open_choice[1:]]
        if later:
            turn.state.wants["next"] = ",".join(later)
        product, said = open_choice[0]
        if said.entities.quantity:
            turn.state.wants["quantity"] = str(said.entities.quantity)
        buying.buy(turn, product.id, size=_size_of(product, said), color=_color_of(product, said))
        return True
    checkout.start(turn)
    return True


def _parts_by_quantity(text: str) -> list[str]:
    """A list written without "and" ("東方美人75g一包 木柵鐵觀音150g一包 全家", "2 dong ding
    150g 1 honey tea 75g"): a part ends after a quantity written at its end, or before a
    number that opens the next one."""
    tokens = text.split()
    parts: list[list[str]] = [[]]
    for index, token in enumerate(tokens):
        following = tokens[index + 1].lower().strip(",.") if index + 1 < len(tokens) else ""
        opens = token.isdigit() and parts[-1] and following not in _UNIT_WORDS
        if opens:
            parts.append([])
        parts[-1].append(token)
        if not token.isdigit() and find_quantity(normalise(token)) is not None:
            parts.append([])
    return [" ".join(p) for p in parts if p]


def offer_choice(turn: Turn, u: Understanding, products: list[Product]) -> None:
    """After search results: when the words name one product that comes in several sizes or
    colours, its question is asked at once, so one tap buys it (the cards stay to browse).
    A budget, or a need that shares only a word with a title ("gift for my mom under 800"
    and a Tea Gift Box), asks for choices: the cards are the answer."""
    named = best_named(u.remainder, products) if u.remainder.strip() else None
    if named is None or named.id != products[0].id:
        return
    if _budget(u) or not names_clearly(u.remainder, named):
        return
    if sum(1 for v in named.variants if v.in_stock) > 1:
        buying.buy(turn, named.id, size=_size_of(named, u), color=_color_of(named, u))


def _budget(u: Understanding) -> bool:
    return u.entities.price_min is not None or u.entities.price_max is not None


def chosen_from_shown(turn: Turn, u: Understanding) -> bool:
    """A follow-up to the cards just shown: "the second one", "紅色那個", "那件M號", "the 300g",
    "the cheaper one", "the alishan one". The product it points at is bought in the size or
    colour said (only what is still open is asked); when it fits two or more of them, which
    one is asked, with a button for each. False when it points at none of them (then the
    words are searched as before), and for a question ("is the red one in stock?")."""
    shown = [p for p in map(turn.shop.product, turn.state.shown) if p is not None]
    if not shown or u.is_question:
        return False
    pointer = pointer_in(u, shown)
    found = among_shown(pointer, shown)
    if not found:
        return False
    remember_wants(turn, _without_position_as_quantity(u, pointer))
    if len(found) > 1:
        _ask_which(turn, found, pointer)
        return True
    product = found[0]
    color = pointer.color if pointer.color in product.colors else None
    buying.buy(turn, product.id, size=size_named(product, pointer.size), color=color)
    return True


def _without_position_as_quantity(u: Understanding, pointer: Pointer) -> Understanding:
    """ "第二個" is the second card, not two of it: the quantity is read again without the
    words that gave the place ("第二個 兩包" is two)."""
    if pointer.position is None:
        return u
    counted = find_quantity(followup_words.without_positions(u.normalised))
    return replace(u, entities=replace(u.entities, quantity=counted))


def _ask_which(turn: Turn, products: list[Product], pointer: Pointer) -> None:
    """Two or more shown products fit what was said: one button each, carrying the size or
    colour said, so one tap goes on with the purchase."""
    replies = [QuickReply(title=p.title_in(turn.lang), payload=_choice_payload(p, pointer)) for p in products]
    turn.say("Which one do you mean?", replies)


def _choice_payload(product: Product, pointer: Pointer) -> str:
    size = size_named(product, pointer.size)
    if size is not None:
        return f"SIZE:{product.id}:{size}"
    if pointer.color in product.colors:
        return f"COLOR:{product.id}:{pointer.color}"
    return f"BUY:{product.id}"


def _shown(turn: Turn) -> list[Product]:
    found = (turn.shop.product(pid) for pid in turn.state.shown)
    return [p for p in found if p is not None and p.in_stock]


def clear_winner(products: list[Product], u: Understanding, words: str) -> Product | None:
    """The one product meant: the only candidate, the only one in the size or colour said,
    or the one whose title holds clearly the most of the words typed."""
    if words:
        # Only products the words actually name: a blue mug is not "the blue gaiwan".
        products = [p for p in products if overlap(words, p) > 0]
    if len(products) == 1:
        return products[0]
    fitting = [p for p in products if _fits(p, u)]
    if len(fitting) == 1:
        return fitting[0]
    return best_named(words, fitting or products) if words else None


def _fits(product: Product, u: Understanding) -> bool:
    """In stock in the size and colour the text names (when it names one)."""
    if not (u.entities.size or u.entities.color):
        return False
    size, color = _size_of(product, u), _color_of(product, u)
    if (u.entities.size and size is None) or (u.entities.color and color is None):
        return False
    return any(v.in_stock for v in product.matching_variants(size, color))


def _size_of(product: Product, u: Understanding) -> str | None:
    return size_named(product, u.entities.size)


def _color_of(product: Product, u: Understanding) -> str | None:
    return u.entities.color if u.entities.color in product.colors else None
