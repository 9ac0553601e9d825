"""Which product the customer's words name, when a search returns several: the one whose
title holds the most of the words typed (typos forgiven), if exactly one does; and which of
the products just shown a follow-up points at ("the second one", "the red one")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from chatcart.commerce.catalog import Product
from chatcart.engine import followup_words
from chatcart.engine.skills.discovery import names_the_colour
from chatcart.nlu.entities import color_words
from chatcart.nlu.interface import Understanding
from chatcart.nlu.text import bigrams, fuzzy_word_match, has_cjk, normalise

#: A typed Latin word this close to a title word counts as that word ("olong", "oolong").
_TYPO_MATCH = 0.84


def covers(words: str, product: Product) -> bool:
    """Every word typed is a word of the product's titles (typos and plurals forgiven) and
    every Chinese pair is in them: "alishan" names the Alishan tea; "green tea" does not name
    a black tea, and "that's all" names no "Small Tote"."""
    joined, title_words = _title(product)
    folded = normalise(words)
    latin = [w for w in folded.split() if len(w) >= 3 and not has_cjk(w)]
    pairs = bigrams("".join(ch for ch in folded if has_cjk(ch)))
    if not latin and not pairs:
        return False
    return all(_is_title_word(w, joined, title_words) for w in latin) and all(p in joined for p in pairs)


def _is_title_word(word: str, joined: str, title_words: list[str]) -> bool:
    """A whole title word, or one run together ("dongding"), or a typo or plural of one."""
    if word in title_words or (len(word) >= 5 and word in joined):
        return True
    return any(
        fuzzy_word_match(word, t) >= _TYPO_MATCH or (min(len(word), len(t)) >= 4 and word.startswith(t))
        for t in title_words
    )


def names_clearly(words: str, product: Product) -> bool:
    """At least half of what was typed (counted in letters and Chinese characters; sizes and
    numbers left out) is in the product's titles: "凍頂 300g" and "紅色洋裝" name a product;
    "gift for my mom" is a need that shares one word with a Tea Gift Box, not its name."""
    joined, title_words = _title(product)
    folded = normalise(words)
    latin = [w for w in folded.split() if len(w) >= 3 and w.isalpha() and not has_cjk(w)]
    found = sum(len(w) for w in latin if _in_title(w, joined, title_words))
    chinese = "".join(ch for ch in folded if has_cjk(ch))
    covered = {i + k for i in range(len(chinese) - 1) if chinese[i : i + 2] in joined for k in (0, 1)}
    typed = sum(len(w) for w in latin) + len(chinese)
    return typed > 0 and 2 * (found + len(covered)) >= typed


def overlap(words: str, product: Product) -> int:
    """How many of the typed words (Latin words of 3+ letters, Chinese character pairs)
    the product's titles hold, in any of its languages."""
    joined, title_words = _title(product)
    folded = normalise(words)
    latin = sum(
        1
        for word in folded.split()
        if len(word) >= 3 and not has_cjk(word) and _in_title(word, joined, title_words)
    )
    pairs = bigrams("".join(ch for ch in folded if has_cjk(ch)))
    return latin + sum(1 for pair in pairs if pair in joined)


def _title(product: Product) -> tuple[str, list[str]]:
    """The product's titles in all its languages, without spaces and as words."""
    title = normalise(" ".join(product.title.values()))
    return title.replace(" ", ""), title.split()


def _in_title(word: str, joined: str, title_words: list[str]) -> bool:
    return word in joined or any(fuzzy_word_match(word, t) >= _TYPO_MATCH for t in title_words)


def best_named(words: str, products: Sequence[Product]) -> Product | None:
    """The single product the words name best, or None when none or several tie."""
    scored = sorted(((overlap(words, p), i) for i, p in enumerate(products)), reverse=True)
    if not scored or scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return products[scored[0][1]]


@dataclass(frozen=True)
class Pointer:
    """How a follow-up points at one of the cards just shown: by place (1 = first, -1 =
    last), by price ("cheapest", "dearest"), by words of its title, by size or colour, or
    only with a word like "that one"."""

    position: int | None = None
    by_price: str | None = None
    words: str = ""
    size: str | None = None
    color: str | None = None
    points: bool = False

    @property
    def distinguishes(self) -> bool:
        """Something that tells one card from another: a place, a price, a size, a colour."""
        return bool(self.position or self.by_price or self.size or self.color)


def pointer_in(u: Understanding, shown: Sequence[Product]) -> Pointer:
    """What the message points with. A colour that is part of a shown title ("black tea")
    is a word of that title, not a colour to choose."""
    color = u.entities.color
    if color and names_the_colour(u.remainder, color, list(shown)):
        color = None
    said = tuple(color_words().get(color, [color])) if color else ()
    if u.entities.size:
        said += (u.entities.size.lower(), *_size_spellings(u.entities.size))
    return Pointer(
        position=followup_words.position_named(u.normalised),
        by_price=followup_words.price_named(u.normalised),
        words=followup_words.title_words(u.remainder, said),
        size=u.entities.size,
        color=color,
        points=followup_words.points(u.normalised),
    )


def _size_spellings(size: str) -> tuple[str, ...]:
    """A size entity as it may have been typed: "300G" as 300g, 300 g, 300克, 300公克."""
    found = re.fullmatch(r"(\d+)(G|ML|KG)", size)
    if found is None:
        return ()
    number, unit = found.groups()
    units = {"G": ("g", " g", "克", "公克"), "ML": ("ml", " ml", "毫升"), "KG": ("kg", " kg", "公斤")}[unit]
    return tuple(number + spelling for spelling in units)


def among_shown(pointer: Pointer, shown: Sequence[Product]) -> list[Product]:
    """The shown products the pointer means, in the order shown: one when it is clear,
    several when it is not ("M" when two dresses come in M), none when it points at nothing
    shown (then the words are a new search). Title words alone, without anything that
    points, are a search as before: "black tea" after a list of teas is searched."""
    if not (pointer.distinguishes or pointer.points):
        return []
    candidates = [p for p in shown if covers(pointer.words, p)] if pointer.words else list(shown)
    if pointer.position is not None:
        return _at_position(candidates, pointer.position)
    candidates = [p for p in candidates if p.in_stock]
    if pointer.size or pointer.color:
        candidates = [p for p in candidates if offers(p, pointer.size, pointer.color)]
    if pointer.by_price and len(candidates) > 1:
        candidates = _priced(candidates, pointer.by_price)
    return candidates


def _at_position(products: Sequence[Product], position: int) -> list[Product]:
    index = position - 1 if position > 0 else len(products) + position
    return [products[index]] if 0 <= index < len(products) else []


def _priced(products: Sequence[Product], by_price: str) -> list[Product]:
    """The cheapest (or dearest) of them; all that share that price."""
    prices = [p.price.amount for p in products]
    wanted = min(prices) if by_price == "cheapest" else max(prices)
    return [p for p in products if p.price.amount == wanted]


def size_named(product: Product, size: str | None) -> str | None:
    """The product's own size the entity names ("300G" is "300g", "M" is "M")."""
    if not size:
        return None
    return next((s for s in product.sizes if s.upper().replace(" ", "") == size), None)


def offers(product: Product, size: str | None, color: str | None) -> bool:
    """Sold in stock in the size and colour said (either may be left open)."""
    own_size = size_named(product, size)
    if (size and own_size is None) or (color and color not in product.colors):
        return False
    return any(v.in_stock for v in product.matching_variants(own_size, color))
