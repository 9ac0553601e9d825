"""Which product the customer's words name, when a search returns several: the one whose
title holds the most of the words typed (typos forgiven), if exactly one does."""

from __future__ import annotations

from collections.abc import Sequence

from chatcart.commerce.catalog import Product
from chatcart.nlu.text import bigrams, fuzzy_word_match, has_cjk, normalise

#: A typed Latin word this close to a title word counts as that word ("olong", "oolong").
_TYPO_MATCH = 0.84


def overlap(words: str, product: Product) -> int:
    """How many of the typed words (Latin words of 3+ letters, Chinese character pairs)
    the product's titles hold, in any of its languages."""
    title = normalise(" ".join(product.title.values()))
    joined = title.replace(" ", "")
    title_words = title.split()
    folded = normalise(words)
    latin = sum(
        1
        for word in folded.split()
        if len(word) >= 3
        and not has_cjk(word)
        and (word in joined or any(fuzzy_word_match(word, t) >= _TYPO_MATCH for t in title_words))
    )
    pairs = bigrams("".join(ch for ch in folded if has_cjk(ch)))
    return latin + sum(1 for pair in pairs if pair in joined)


def best_named(words: str, products: Sequence[Product]) -> Product | None:
    """The single product the words name best, or None when none or several tie."""
    scored = sorted(((overlap(words, p), i) for i, p in enumerate(products)), reverse=True)
    if not scored or scored[0][0] == 0:
        return None
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    return products[scored[0][1]]
