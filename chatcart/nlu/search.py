"""Product search behind its own interface: query words and filters in, ranked products out.

`CatalogIndex` is an inverted index built once per catalog version. Every term a product
is known by (titles in every language, keywords, brand, category names, needs, colour
words) is cut into tokens that point back to that term, so a search looks up the query's
tokens instead of reading the catalog. Terms and queries go through the same `normalise`,
so Simplified, Traditional, full-width and upper-case input all meet.

What a term earns for its product (a term earns once, its best match; a product's score is
the sum over its terms):

- a Latin term found whole in the query ("lip balm" in "a lip balm please") earns its weight;
- one of its words typed exactly earns 0.7 of it, and a typo 0.7 × the similarity: words of
  4+ letters are expanded against the index's vocabulary with rapidfuzz (ratio ≥ 80);
- a CJK term earns its weight when the query holds one of its character bigrams (保濕 in
  我想買保濕唇膏), or its character if it has only one. Chinese has no spaces, so it is
  never split on them.

A search costs the postings of the query's tokens: a rare word or a title reads a few
entries whatever the catalog's size; a word that a tenth of the catalog carries (a category
name, a colour) reads that tenth, at well under a microsecond an entry, unless that word is
all the query touches and every product carrying it earns the same: then they tie, and are
read in shop order only until `limit` in-stock ones are found. Stock is not in the index:
`search` takes the current `Catalog` snapshot for it.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from functools import lru_cache
from operator import itemgetter
from threading import Lock
from typing import NamedTuple, Protocol, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from chatcart.commerce.catalog import Catalog, Category, Product, in_stock_first
from chatcart.nlu.entities import color_words
from chatcart.nlu.text import has_cjk, latin_words, normalise


class _Field(IntEnum):
    """Where a term comes from; kept in the low bits of its id, so a posting is one int."""

    TITLE = 0
    KEYWORD = 1
    NEED = 2
    CATEGORY = 3
    BRAND = 4
    COLOR = 5


#: How much a term says about a product, by where it comes from.
_WEIGHTS = {
    _Field.TITLE: 3.0,
    _Field.KEYWORD: 2.5,
    _Field.NEED: 2.0,
    _Field.CATEGORY: 1.5,
    _Field.BRAND: 1.0,
    _Field.COLOR: 1.0,
}
_FIELD_BITS = 3
_FIELD_MASK = (1 << _FIELD_BITS) - 1
#: Scores are summed in integers (weights in tenths × shares in millionths): exact, so products
#: that earn the same score tie whatever order their terms were added in.
_WEIGHT_TENTHS = np.array([round(_WEIGHTS[field] * 10) for field in _Field], dtype=np.int64)
_FULL_SHARE = 1_000_000
#: Scores are scaled by this so coverage (below it) breaks only exact ties.
_COVERAGE_SLOTS = 1_000
#: The share of a Latin term's weight that one of its words earns when the whole term is not typed.
_WORD_SHARE = 0.7
#: rapidfuzz `ratio` (0..100) from which a typed word counts as a typo of an indexed one.
_TYPO_CUTOFF = 80.0
_TYPO_MIN_LENGTH = 4
#: Words and characters that never identify a product.
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

#: Per build: category, need and colour terms repeat on every product and stay in this cache;
#: titles are unique and pass through it, so it must not grow with the catalog.
_recent = lru_cache(maxsize=4096)
_Key = TypeVar("_Key", str, tuple[str, str])
#: Term ids, each `(term number << _FIELD_BITS) | field`, in a compact array (4 bytes a posting).
_Postings: TypeAlias = "array[int]"


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
    field: _Field


class CatalogIndex:
    """Implements `ProductSearch` over one catalog version: build it once and share it.

    Stock moves between versions, so `search` takes the current `Catalog` snapshot (the same
    version with stock laid over it) for the products it returns and the in-stock tie-break;
    without one it uses the stock the index was built with.
    """

    def __init__(self, products: Sequence[Product], categories: Sequence[Category]) -> None:
        self._products = tuple(products)
        owner: array[int] = array("i")
        self._whole: dict[str, _Postings] = {}
        self._words: dict[str, _Postings] = {}
        self._pieces: dict[str, _Postings] = {}
        names = {c.id: c for c in categories}
        normalised, tokens = _recent(normalise), _recent(_tokens)
        for position, product in enumerate(self._products):
            for term in _terms_of(product, names.get(product.category_id), normalised):
                self._add(owner, tokens(term.text), term.field, position)
        #: Term number → product position, read by numpy (the same 4-byte ints, not copied).
        self._owner: NDArray[np.intc] = np.frombuffer(owner, dtype=np.intc)
        #: Per term number, what `_best_shares` writes before it reads: one per index, not one
        #: per search (a fresh array this size costs more in page faults than the search).
        self._scratch: NDArray[np.int32] = np.empty(len(owner), dtype=np.int32)
        self._scratch_lock = Lock()
        self._longest = max((phrase.count(" ") + 1 for phrase in self._whole), default=0)
        self._vocabulary = sorted(w for w in {*self._words, *self._whole} if _may_be_misspelt(w))
        self._filters = _Filters(self._products)
        #: Per posting list (keyed by `id`: the lists live as long as the index and never change),
        #: whether its products all score alike; learnt on first use, not at build, where it
        #: would read every posting.
        self._uniform: dict[int, bool] = {}

    def search(self, query: SearchQuery, limit: int = 10, catalog: Catalog | None = None) -> list[Product]:
        """Best score first, then in stock, then shop order. Looks up the query's tokens only; a
        query of filters alone lists the products that pass them (see `_Filters.narrowest`)."""
        text = normalise(query.text)
        if _meaningful(text):
            found = self._matches(text)
            if not found:
                return []
            if self._all_tie(found):
                return self._in_shop_order(found[0][1], query, limit, catalog)
            return self._ranked(self._scores(found), query, limit, catalog)
        if _has_filter(query):
            positions = self._filters.narrowest(query)
            passing = (p for _, p in self._current(positions, catalog) if _passes_filters(p, query))
            return in_stock_first(passing, limit)
        return []

    def _add(self, owner: _Postings, tokens: _Tokens, field: _Field, position: int) -> None:
        """Posts one term under its tokens; categories, needs and colours repeat across products,
        so their tokens come from the per-build cache."""
        term_id = (len(owner) << _FIELD_BITS) | field
        owner.append(position)
        _post(self._whole, tokens.whole, term_id)
        _post(self._words, tokens.words, term_id)
        _post(self._pieces, tokens.pieces, term_id)

    def _matches(self, text: str) -> list[tuple[int, _Postings]]:
        """(share of their weight the terms earn, the terms) for every index entry the query touches."""
        words = latin_words(text)
        found = [(_FULL_SHARE, terms) for terms in _found(self._whole, _phrases(words, self._longest))]
        found += [(_FULL_SHARE, terms) for terms in _found(self._pieces, _query_pieces(text))]
        for word, similarity in self._spellings(w for w in words if w not in _STOP_WORDS):
            share = round(_FULL_SHARE * _WORD_SHARE * similarity)
            found += [(share, terms) for terms in _found(self._words, [word])]
            if similarity < 1.0:
                found += [(share, terms) for terms in _found(self._whole, [word])]
        return found

    def _all_tie(self, found: list[tuple[int, _Postings]]) -> bool:
        """Whether every product the query matches earns the same score: all it touches is one
        posting list (a brand, a category name, a colour) whose products each hold one term of
        one field there. Their order is then in stock, then shop order, as for filters alone."""
        if not found or any(terms is not found[0][1] for _, terms in found[1:]):
            return False
        terms = found[0][1]
        uniform = self._uniform.get(id(terms))
        if uniform is None:
            self._uniform[id(terms)] = uniform = _one_term_of_one_field_each(terms, self._owner)
        return uniform

    def _in_shop_order(
        self, terms: _Postings, query: SearchQuery, limit: int, catalog: Catalog | None
    ) -> list[Product]:
        """The products of one posting list in shop order (term ids grow with positions), read
        lazily until `limit` in-stock ones pass: a brand 8,000 products carry costs ~`limit` reads."""
        positions = (self._owner[term_id >> _FIELD_BITS] for term_id in terms)
        passing = (p for _, p in self._current(positions, catalog) if _passes_filters(p, query))
        return in_stock_first(passing, limit)

    def _spellings(self, words: Iterable[str]) -> Iterator[tuple[str, float]]:
        """Each typed word as the indexed words it may mean, with their similarity (1.0 = as typed).

        Typos are looked for in the vocabulary (a few thousand distinct words), never in the
        products. Numbers and short words must be typed exactly: "1234" is not "1243".
        """
        for word in dict.fromkeys(words):
            if not _may_be_misspelt(word):
                yield word, 1.0
                continue
            found = process.extract(
                word,
                self._vocabulary,
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=_TYPO_CUTOFF,
                limit=None,
            )
            yield from ((known, score / 100) for known, score, _ in found)

    def _scores(self, found: list[tuple[int, _Postings]]) -> NDArray[np.int64]:
        """Each position's score (0: not a candidate): every matched term earns its best share of
        its weight, once; the sums run in numpy over integers, so equal scores tie exactly.

        Equal sums are then told apart by coverage — how many of the query's lookups reached
        the product — so "ruby black tea" puts the ruby black tea before every other tea whose
        title matched only "tea" (a term counts once, whichever of its words matched)."""
        terms, shares = self._best_shares(found)
        earned = _WEIGHT_TENTHS[terms & _FIELD_MASK] * shares
        scores = np.zeros(len(self._products), dtype=np.int64)
        np.add.at(scores, self._owner[terms >> _FIELD_BITS], earned)
        return scores * _COVERAGE_SLOTS + np.minimum(self._coverage(found), _COVERAGE_SLOTS - 1)

    def _coverage(self, found: list[tuple[int, _Postings]]) -> NDArray[np.int64]:
        """Per position, the number of lookups (a phrase, a word, a character pair) that reached
        it; a posting list's positions never decrease, so its distinct ones need no sort."""
        reached = [
            self._owner[np.frombuffer(postings, dtype=np.intc) >> _FIELD_BITS] for _, postings in found
        ]
        distinct = [p[np.r_[True, p[1:] != p[:-1]]] for p in reached if p.size]
        if not distinct:
            return np.zeros(len(self._products), dtype=np.int64)
        return np.bincount(np.concatenate(distinct), minlength=len(self._products)).astype(np.int64)

    def _best_shares(self, found: list[tuple[int, _Postings]]) -> tuple[NDArray[np.intc], NDArray[np.int64]]:
        """The matched term ids, each once, with the best share it earns.

        A term is often matched several times (a Chinese title by each of its bigrams, a Latin
        one whole and word by word). Shares are written per term number from the lowest up, so
        the best is left; then one entry per term is kept: the one whose index survives being
        written over its duplicates. No sort, and the scratch array is only written, then read.
        """
        by_share = sorted(found, key=itemgetter(0))
        terms = np.concatenate([np.frombuffer(postings, dtype=np.intc) for _, postings in by_share])
        shares = np.repeat(
            np.array([share for share, _ in by_share], dtype=np.int64), [len(p) for _, p in by_share]
        )
        numbers = terms >> _FIELD_BITS
        with self._scratch_lock:
            scratch = self._scratch
            for share, postings in by_share:
                scratch[np.frombuffer(postings, dtype=np.intc) >> _FIELD_BITS] = share
            at_best = scratch[numbers] == shares
            terms, shares, numbers = terms[at_best], shares[at_best], numbers[at_best]
            entries = np.arange(terms.size, dtype=np.int32)
            scratch[numbers] = entries
            once = scratch[numbers] == entries
        return terms[once], shares[once]

    def _ranked(
        self, scores: NDArray[np.int64], query: SearchQuery, limit: int, catalog: Catalog | None
    ) -> list[Product]:
        """Best score first, then in stock, then shop order. Products are read (stock, filters)
        only from the best scores down until `limit` pass."""
        found: list[Product] = []
        for tied in _tie_groups(scores):
            if len(found) >= limit:
                break
            passing = (p for _, p in self._current(tied, catalog) if _passes_filters(p, query))
            found += in_stock_first(passing, limit - len(found))
        return found

    def _current(self, positions: Iterable[int], catalog: Catalog | None) -> Iterator[tuple[int, Product]]:
        """The products at these positions, from the stock snapshot when there is one (a product
        the snapshot does not know is left out)."""
        for position in positions:
            product = self._products[position]
            current = product if catalog is None else catalog.product(product.id)
            if current is not None:
                yield position, current


class _Filters:
    """Positions by category, need and colour, and by price: where a query of filters alone starts."""

    def __init__(self, products: Sequence[Product]) -> None:
        self._with: dict[tuple[str, str], _Postings] = {}
        for position, product in enumerate(products):
            keys = [("category", product.category_id)]
            keys += [("need", need) for need in product.needs] + [("color", c) for c in product.colors]
            _post(self._with, dict.fromkeys(keys), position)
        self._by_price = array("i", sorted(range(len(products)), key=lambda p: products[p].price.amount))
        self._prices = [products[position].price.amount for position in self._by_price]

    def narrowest(self, query: SearchQuery) -> Sequence[int]:
        """The fewest positions, in shop order, that may pass the query's filters.

        This is the one search that reads products rather than the index: those of its
        narrowest filter (a category, need or colour, or the price range), every one of
        them when that filter is wide ("anything under 100,000").
        """
        keyed = [self._with.get(key, ()) for key in _filter_keys(query)]
        low = 0 if query.price_min is None else bisect_left(self._prices, query.price_min)
        high = len(self._prices) if query.price_max is None else bisect_right(self._prices, query.price_max)
        smallest = min(keyed, key=len, default=None)
        if smallest is not None and len(smallest) <= high - low:
            return smallest
        return sorted(self._by_price[low:high])


def _filter_keys(query: SearchQuery) -> list[tuple[str, str]]:
    named = [("category", query.category_id), ("need", query.need), ("color", query.color)]
    return [(kind, value) for kind, value in named if value]


def _post(index: dict[_Key, _Postings], keys: Iterable[_Key], value: int) -> None:
    for key in keys:
        postings = index.get(key)
        if postings is None:
            index[key] = postings = array("i")
        postings.append(value)


def _one_term_of_one_field_each(terms: _Postings, owner: NDArray[np.intc]) -> bool:
    """No product holds two of these terms and all are of one field. A posting list's term ids
    grow with positions, so its products are distinct when their positions strictly grow."""
    ids = np.frombuffer(terms, dtype=np.intc)
    positions = owner[ids >> _FIELD_BITS]
    fields = ids & _FIELD_MASK
    return bool(np.all(positions[1:] > positions[:-1]) and np.all(fields == fields[0]))


def _tie_groups(scores: NDArray[np.int64]) -> Iterator[Iterator[int]]:
    """The scored positions, best score first, as groups of equal score in shop order.

    One stable sort in C (ties keep their ascending positions, and runs of equal scores make it
    cheap); the groups are then cut from it one at a time, as the caller reads them.
    """
    positions = np.flatnonzero(scores > 0)
    values = scores[positions]
    order = np.argsort(-values, kind="stable")
    ranked, ranked_values = positions[order], values[order]
    ends = [*np.flatnonzero(ranked_values[1:] != ranked_values[:-1]).tolist(), ranked.size - 1]
    start = 0
    for end in ends:
        yield map(int, ranked[start : end + 1])
        start = end + 1


def _found(index: dict[str, _Postings], keys: Iterable[str]) -> Iterator[_Postings]:
    return (postings for postings in map(index.get, keys) if postings is not None)


def _phrases(words: Sequence[str], longest: int) -> Iterator[str]:
    """Every run of up to `longest` consecutive query words: the whole Latin terms it may hold."""
    for length in range(1, min(longest, len(words)) + 1):
        for start in range(len(words) - length + 1):
            yield " ".join(words[start : start + length])


class _Tokens(NamedTuple):
    """How one term is looked up: whole (a Latin term's words, joined), words (those of a
    multi-word Latin term, stop words dropped), pieces (a CJK term's bigrams)."""

    whole: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    pieces: tuple[str, ...] = ()


def _tokens(term: str) -> _Tokens:
    """A term's Latin words (whole and one by one) and its CJK pieces. A title that mixes
    both in one field ("阿里山高山茶 Alishan High Mountain Oolong") is found by either."""
    pieces = _pieces_of(term) if has_cjk(term) else ()
    words = latin_words(term)
    whole = (" ".join(words),) if words else ()
    several = tuple(w for w in dict.fromkeys(words) if w not in _STOP_WORDS) if len(words) > 1 else ()
    return _Tokens(whole, several, pieces)


def _pieces_of(term: str) -> tuple[str, ...]:
    """A CJK term's character bigrams that hold a CJK character; a one-character term is itself.

    The query holding any of them is the same test as the term occurring in it or sharing a
    2+ character piece with it (保濕 in 保濕乳液).
    """
    if len(term) == 1:
        return (term,)
    bigrams = dict.fromkeys(term[i : i + 2] for i in range(len(term) - 1))
    return tuple(bigram for bigram in bigrams if has_cjk(bigram))


def _query_pieces(text: str) -> list[str]:
    """The query's characters and character bigrams, to meet the CJK terms' pieces."""
    if not has_cjk(text):
        return []
    return [*text, *(text[i : i + 2] for i in range(len(text) - 1))]


def _may_be_misspelt(word: str) -> bool:
    return len(word) >= _TYPO_MIN_LENGTH and word.isalpha() and word not in _STOP_WORDS


def _terms_of(product: Product, category: Category | None, normalised: Callable[[str], str]) -> list[_Term]:
    terms = [_Term(normalised(t), _Field.TITLE) for t in product.title.values()]
    terms += [_Term(normalised(k), _Field.KEYWORD) for k in product.keywords]
    terms += [_Term(normalised(product.brand), _Field.BRAND)] if product.brand else []
    if category is not None:
        terms += [_Term(normalised(n), _Field.CATEGORY) for n in category.name.values()]
        for need in category.needs:
            if need.id in product.needs:
                terms += [_Term(normalised(n), _Field.NEED) for n in need.name.values()]
    for color in product.colors:
        terms += [_Term(normalised(w), _Field.COLOR) for w in color_words().get(color, [color])]
    return [t for t in terms if t.text]


def _meaningful(text: str) -> bool:
    """Whether the text has a word or a CJK character that may name a product ("please", 有嗎 do not)."""
    latin = any(w not in _STOP_WORDS for w in latin_words(text))
    return latin or any(character not in _STOP_WORDS and has_cjk(character) for character in text)


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
