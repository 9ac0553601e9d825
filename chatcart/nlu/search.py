"""Product search behind its own interface: query words and filters in, ranked products out.

The default index is in memory and rebuilt per catalog version; terms come from titles,
keywords, needs, category names and brand in every language, normalised the same way as
queries so Simplified, Traditional, full-width and upper-case input all meet.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from chatcart.commerce.catalog import Category, Product
from chatcart.nlu.entities import color_words
from chatcart.nlu.text import contains_term, fuzzy_word_match, has_cjk, latin_words, normalise

#: How much a term says about a product, by where it comes from.
_WEIGHTS = {"title": 3.0, "keyword": 2.5, "need": 2.0, "category": 1.5, "brand": 1.0, "color": 1.0}
#: Words that never identify a product.
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "for",
        "of",
        "in",
        "on",
        "with",
        "and",
        "or",
        "to",
        "me",
        "my",
        "i",
        "some",
        "any",
        "please",
        "is",
        "are",
        "it",
        "this",
        "that",
        "的",
        "一",
        "個",
        "款",
        "有",
        "嗎",
        "呢",
        "請",
    ]
)


@dataclass(frozen=True)
class SearchQuery:
    text: str
    color: str | None = None
    size: str | None = None
    price_min: Decimal | None = None
    price_max: Decimal | None = None
    category_id: str | None = None
    need: str | None = None


class ProductSearch(Protocol):
    def search(self, query: SearchQuery, limit: int = 10) -> list[Product]: ...


@dataclass(frozen=True)
class _Term:
    text: str
    weight: float


class CatalogIndex:
    """Implements `ProductSearch` over one workspace's catalog."""

    def __init__(self, products: Sequence[Product], categories: Sequence[Category]) -> None:
        self._products = list(products)
        names = {c.id: c for c in categories}
        self._terms = {p.id: _terms_of(p, names.get(p.category_id)) for p in self._products}

    def search(self, query: SearchQuery, limit: int = 10) -> list[Product]:
        text = normalise(query.text)
        scored = []
        for position, product in enumerate(self._products):
            if not _passes_filters(product, query):
                continue
            score = _score(text, self._terms[product.id])
            if score > 0 or (not _meaningful(text) and _has_filter(query)):
                scored.append((-score, not product.in_stock, position, product))
        scored.sort(key=lambda row: row[:3])
        return [row[3] for row in scored[:limit]]


def _terms_of(product: Product, category: Category | None) -> list[_Term]:
    terms = [_Term(normalise(t), _WEIGHTS["title"]) for t in product.title.values()]
    terms += [_Term(normalise(k), _WEIGHTS["keyword"]) for k in product.keywords]
    terms += [_Term(normalise(product.brand), _WEIGHTS["brand"])] if product.brand else []
    if category is not None:
        terms += [_Term(normalise(n), _WEIGHTS["category"]) for n in category.name.values()]
        for need in category.needs:
            if need.id in product.needs:
                terms += [_Term(normalise(n), _WEIGHTS["need"]) for n in need.name.values()]
    for color in product.colors:
        terms += [_Term(normalise(w), _WEIGHTS["color"]) for w in color_words().get(color, [color])]
    return [t for t in terms if t.text]


def _score(query: str, terms: list[_Term]) -> float:
    """CJK terms count when they occur inside the query; Latin words match whole or fuzzily."""
    score = 0.0
    words = [w for w in latin_words(query) if w not in _STOP_WORDS]
    for term in terms:
        if has_cjk(term.text):
            if term.text in query or _cjk_overlap(query, term.text):
                score += term.weight
            continue
        if contains_term(query, term.text):
            score += term.weight
            continue
        term_words = latin_words(term.text)
        best = max((fuzzy_word_match(w, tw) for w in words for tw in term_words), default=0.0)
        if best >= 0.8:
            score += term.weight * best * 0.7
    return score


def _cjk_overlap(query: str, term: str) -> bool:
    """A long CJK title matches when the query holds a 2+ character piece of it (保濕 in 保濕乳液)."""
    if len(term) <= 2:
        return False
    pieces = {term[i : i + n] for n in (3, 2) for i in range(len(term) - n + 1)}
    return any(piece in query and piece not in _STOP_WORDS for piece in pieces if has_cjk(piece))


def _meaningful(text: str) -> bool:
    return any(w not in _STOP_WORDS for w in latin_words(text)) or has_cjk(text)


def _has_filter(query: SearchQuery) -> bool:
    return any(
        v is not None for v in (query.color, query.price_min, query.price_max, query.category_id, query.need)
    )


def _passes_filters(product: Product, query: SearchQuery) -> bool:
    if query.category_id and product.category_id != query.category_id:
        return False
    if query.need and query.need not in product.needs:
        return False
    if query.color and query.color not in product.colors:
        return False
    if query.price_max is not None and product.price.amount > query.price_max:
        return False
    return not (query.price_min is not None and product.price.amount < query.price_min)
