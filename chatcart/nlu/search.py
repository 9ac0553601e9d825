"""Product search behind its own interface: query words and filters in, ranked products out.

`CatalogIndex` is an inverted index built once per catalog version. Every term a product
is known by (titles in every language, keywords, brand, category names, needs, colour
words, sizes and the shop's names for them, and its descriptions in every language) is cut
into tokens that point back to that term, so a search looks up the query's tokens instead of
reading the catalog. Terms and queries go through the same `normalise`, so Simplified,
Traditional, full-width and upper-case input all meet.

A query is read as units — its Latin words and its Chinese characters — and looked up in
slots: one per Latin word (the word, its typos, the phrases that hold it), one per Chinese
piece, one per lexicon entry it holds (`search_words.yaml`: "连衣裙" is also 洋裝 and "dress").
What a term earns for its product in a slot (once per slot, its best match there):

- a Latin term found whole in the query ("lip balm" in "a lip balm please") earns its weight;
- one of its words typed exactly earns 0.7 of it, and a typo 0.7 × the similarity: words of
  4+ letters are expanded against the index's vocabulary with rapidfuzz (ratio ≥ 80);
- a CJK term earns its weight when the query holds one of its character bigrams (保濕 in
  我想買保濕唇膏), or its character if it has only one. Chinese has no spaces, so it is
  never split on them;
- a lexicon word earns 0.9 of that (0.3 for what a person suggests: "dad" → tea, wallets);
- a product's descriptions (all its languages together, one term) are looked up by their
  words and Chinese character pairs only (`search_described.py`): a word found there earns
  0.7 of the description's weight times how rare the word is among the catalog's
  descriptions ("dishwasher" on one mug: all of it; "tea" in a tea shop: a fraction). What
  descriptions earn a product in all is capped below what one title word earns, so a word
  that only a description holds never lifts a product over one whose title holds a word
  typed; among products the title, keywords and needs rank alike, it decides.

A product's score is the sum over slots, so a title that holds two of the words typed
("tea cups") earns for both. The query's head — its last unit that names a kind of product
(a keyword, a category, a need, the last word of a title: "dress" in "linen dress", 裝 in
亞麻洋裝; in English the last before "for"/"with"…) — then decides first: products that name
it as such come first, those that only mention it next, and those that miss it are left out,
so "linen dress" lists no linen cushion. A description that mentions the head counts as
mentioning it ("a travel cup" for "dishwasher safe cup"), never as naming it.

A search costs the postings of the query's tokens: a rare word or a title reads a few
entries whatever the catalog's size; a word that a tenth of the catalog carries (a category
name, a colour) reads that tenth, at well under a microsecond an entry, unless that word is
all the query touches and every product carrying it earns the same: then they tie, and are
read in shop order only until `limit` in-stock ones are found. Stock is not in the index:
`search` takes the current `Catalog` snapshot for it.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import IntEnum
from functools import lru_cache, partial, reduce
from operator import itemgetter
from threading import Lock
from typing import NamedTuple, Protocol, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray

from chatcart.commerce.catalog import Catalog, Category, Product, in_stock_first
from chatcart.nlu.entities import color_words
from chatcart.nlu.search_described import FUNCTION_CHARACTERS, Vocabulary, description_keys, rarity
from chatcart.nlu.search_words import Related, Relation, lexicon
from chatcart.nlu.text import has_cjk, latin_words, normalise


class _Field(IntEnum):
    """Where a term comes from; kept in the low bits of its id, so a posting is one int."""

    TITLE = 0
    KEYWORD = 1
    NEED = 2
    CATEGORY = 3
    BRAND = 4
    COLOR = 5
    #: A variant's size, and the shop's names for it in every language ("20-pack", 20入).
    SIZE = 6
    #: A product's descriptions, every language in one term.
    DESCRIPTION = 7


#: How much a term says about a product, by where it comes from. A title names the product;
#: a description talks about it at length, so one of its words says far less.
_WEIGHTS = {
    _Field.TITLE: 3.0,
    _Field.KEYWORD: 2.5,
    _Field.NEED: 2.0,
    _Field.CATEGORY: 1.5,
    _Field.BRAND: 1.0,
    _Field.COLOR: 1.0,
    _Field.SIZE: 1.0,
    _Field.DESCRIPTION: 1.0,
}
_FIELD_BITS = 3
_FIELD_MASK = (1 << _FIELD_BITS) - 1
#: Scores are summed in integers (weights in tenths × shares in millionths): exact, so products
#: that earn the same score tie whatever order their terms were added in.
_WEIGHT_TENTHS = np.array([round(_WEIGHTS[field] * 10) for field in _Field], dtype=np.int64)
_FULL_SHARE = 1_000_000
#: The share of a Latin term's weight that one of its words earns when the whole term is not typed.
_WORD_SHARE = 0.7
#: The most a product's descriptions earn it in all, in score units: under the 2.1 that one
#: title word typed earns (3.0 × 0.7), so descriptions reorder products that the title,
#: keywords and needs rank alike, and never lift one over a product whose title holds a word.
_DESCRIPTION_CAP = 20 * _FULL_SHARE
#: rapidfuzz `ratio` (0..100) from which a typed word counts as a typo of an indexed one.
_TYPO_CUTOFF = 80.0
#: The same for a word the catalog knows as typed: only its near forms ("shirts" for "shirt").
_KNOWN_WORD_CUTOFF = 90.0
#: Typed words this long may be typos; indexed words from `_KNOWN_MIN_LENGTH` ("mugg" is "mug").
_TYPO_MIN_LENGTH = 4
_KNOWN_MIN_LENGTH = 3
#: Fields whose terms name what a product is, by how the term was reached: named whole (a
#: phrase typed, a typo of a one-word term), or by a Chinese piece (a title's pieces are not
#: its kind: 亞麻 in 亞麻抱枕套 is what the cushion is made of).
_KINDS_NAMED = sum(1 << f for f in (_Field.TITLE, _Field.KEYWORD, _Field.NEED, _Field.CATEGORY))
_KINDS_BY_PIECE = sum(1 << f for f in (_Field.KEYWORD, _Field.NEED, _Field.CATEGORY))
#: Scores rank within a class (2: names the query's head as its kind, 1: mentions it); a score
#: stays far below this (weights in tenths × millionths × a few dozen slots).
_CLASS_SCALE = 1 << 60
#: Within a class, what the query's other words earn ranks first and what the head earns
#: after: they say which product of the kind is wanted, the head only how plainly a product
#: names its kind (in its title and its category, or in its category alone). The head's part
#: is cut to units of 2**10 (a ten-thousandth of a weight) so that both fit below a class.
_BESIDE_HEAD = 1 << 24
_HEAD_QUANTUM_BITS = 10
#: Characters of chatter and asking, never a product on their own (好 in 你好 and 好的).
_FUNCTION_CHARACTERS = FUNCTION_CHARACTERS
#: What a pair earns for a lone character that is half of it ("茶" alone, for 紅茶).
_LONE_SHARE = _FULL_SHARE // 2
#: A lexicon word is looked up only when the words it stands for reach fewer postings than this.
_EXPAND_BELOW = 200
#: A query's units beyond this many share the last one (a unit is one bit of an int64 mask).
_MAX_UNITS = 62
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
#: Asking words of a query, never product words there ("what" is one letter from "hat"); titles
#: keep them ("Watering Can"), so they are not `_STOP_WORDS`.
_ASKING_WORDS = frozenset(
    [
        "what",
        "which",
        "who",
        "how",
        "where",
        "do",
        "does",
        "you",
        "your",
        "have",
        "has",
        "want",
        "need",
        "looking",
        "show",
        "get",
        "buy",
        "can",
        "there",
        "something",
        "anything",
        "stuff",
        "thing",
        "things",
    ]
)
#: What a query's word or character must not be to identify a product.
_QUERY_STOP_WORDS = _STOP_WORDS | _ASKING_WORDS
#: After one of these, an English query says what the product is for or made of ("a gift for
#: my dad", "a dress in linen"): its head is before it when there is one.
_PREPOSITIONS = frozenset(["for", "with", "without", "in", "from", "to", "of", "at", "by", "on", "like"])
#: Words that join several things asked for in one query.
_CONJUNCTIONS = frozenset(["and", "or", "plus"])
_CJK_CONJUNCTIONS = ("和", "跟", "還有", "以及", "或")
_TOKEN = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)

#: Per build: category, need and colour terms repeat on every product and stay in this cache;
#: titles are unique and pass through it, so it must not grow with the catalog.
_recent = lru_cache(maxsize=4096)
#: Descriptions are unique: normalised without the process-wide cache, which they would flush.
_normalise_once = normalise.__wrapped__
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


class _Lookup(NamedTuple):
    """One index entry a query reached: the share of their weight its terms earn, and which of
    its fields name what the product is (`_KINDS_*`, 0 when one word of a term was typed).
    `described`: an entry of the descriptions' words, which never decides whether a query
    reaches enough to need other names. `kept`: the posting list is the index's own, which
    lives as long as it (not one intersected for this query), so facts about it may be
    cached by its `id`."""

    share: int
    postings: _Postings
    kinds: int
    described: bool = False
    kept: bool = True


class _Slot(NamedTuple):
    """The lookups that stand for some of the query's units (a bit mask); in a slot a term
    earns once. `heads` are the keys to try among the titles' last words."""

    units: int
    lookups: list[_Lookup]
    heads: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Reading:
    """What one query's text asks for, as the index reached it."""

    slots: list[_Slot]
    #: Units that name a need, an occasion or a person: never the head, never demanded.
    soft: int
    #: Units that may identify a product (not stop words).
    meaningful: int
    #: Units before the first English preposition (all of them when there is none).
    leading: int
    #: The query lists several things ("oolong and a gaiwan", 烏龍茶和蓋碗): no one head.
    lists: bool = False


class _Unit(NamedTuple):
    """A Latin word or one Chinese character of the query, where it starts in the text."""

    text: str
    start: int
    latin: bool


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
        #: A title's last word and the last two characters of its Chinese name → positions:
        #: what the product is ("dress" in "Linen Wrap Dress", 洋裝 in 亞麻綁帶洋裝).
        self._heads: dict[str, _Postings] = {}
        #: A description's Latin words and Chinese character pairs → its term ids.
        self._described: dict[str, _Postings] = {}
        self._described_pieces: dict[str, _Postings] = {}
        names = {c.id: c for c in categories}
        normalised, tokens = _recent(normalise), _recent(_tokens)
        for position, product in enumerate(self._products):
            for term in _terms_of(product, names.get(product.category_id), normalised):
                found = tokens(term.text)
                if term.field is _Field.SIZE:  # "free size" is no answer to "caffeine free"
                    found = found._replace(words=())
                self._add(owner, found, term.field, position)
                if term.field is _Field.TITLE:
                    _post(self._heads, _heads_of(term.text, found), position)
            self._describe(owner, product, position)
        #: Term number → product position, read by numpy (the same 4-byte ints, not copied).
        self._owner: NDArray[np.intc] = np.frombuffer(owner, dtype=np.intc)
        #: Per term number, what `_best_shares` writes before it reads: one per index, not one
        #: per search (a fresh array this size costs more in page faults than the search).
        self._scratch: NDArray[np.int32] = np.empty(len(owner), dtype=np.int32)
        self._scratch_lock = Lock()
        self._longest = max((phrase.count(" ") + 1 for phrase in self._whole), default=0)
        #: The words a typo may stand for: the names' (titles, keywords…) and the descriptions'.
        self._known = frozenset(w for w in {*self._words, *self._whole} if _may_be_known(w))
        self._known_described = frozenset(w for w in self._described if _may_be_known(w))
        self._vocabulary = Vocabulary(self._known | self._known_described)
        #: Chinese character → the indexed character pairs that hold it (茶 → 紅茶, 茶葉, …).
        self._pairs_with = _pairs_by_character(self._pieces)
        self._lexicon = lexicon()
        self._filters = _Filters(self._products)
        #: Per posting list (keyed by `id`: the lists live as long as the index and never change),
        #: whether its products all score alike, and whether it holds terms of some fields;
        #: learnt on first use, not at build, where it would read every posting.
        self._uniform: dict[int, bool] = {}
        self._holds: dict[tuple[int, int], bool] = {}

    def search(self, query: SearchQuery, limit: int = 10, catalog: Catalog | None = None) -> list[Product]:
        """Best class, then score, then in stock, then shop order. Looks up the query's tokens
        only; a query of filters alone lists the products that pass them (see
        `_Filters.narrowest`), and so does one that only names a need or a person the catalog
        does not know ("送禮 1000元以內" in a shop with no gifts: what fits the budget)."""
        text = normalise(query.text)
        if _meaningful(text):
            reading = self._read(text)
            if reading.slots:
                return self._found(reading, query, limit, catalog)
            if reading.meaningful & ~reading.soft:
                return []
        if _has_filter(query):
            positions = self._filters.narrowest(query)
            passing = (p for _, p in self._current(positions, catalog) if _passes_filters(p, query))
            return in_stock_first(passing, limit)
        return []

    def _found(
        self, reading: _Reading, query: SearchQuery, limit: int, catalog: Catalog | None
    ) -> list[Product]:
        """The products a query that reached the index ranks first; when all it reached is one
        posting list whose products tie, they are read in shop order instead of scored."""
        head = self._head(reading)
        lookups = [lookup for slot in reading.slots for lookup in slot.lookups]
        if self._all_tie(lookups) and not self._head_keys_hit(reading, head):
            return self._in_shop_order(lookups[0].postings, query, limit, catalog)
        scores = self._scores(reading.slots)
        if head:
            scores = self._by_class(scores, reading, head)
        return self._ranked(scores, query, limit, catalog)

    def _describe(self, owner: _Postings, product: Product, position: int) -> None:
        """Posts the product's descriptions, all languages as one term, under their words and
        character pairs. Each is unique, so it is normalised without the caches."""
        words: dict[str, None] = {}
        pieces: dict[str, None] = {}
        for text in product.description.values():
            found_words, found_pieces = description_keys(_normalise_once(text))
            words.update(dict.fromkeys(found_words))
            pieces.update(dict.fromkeys(found_pieces))
        if not words and not pieces:
            return
        term_id = (len(owner) << _FIELD_BITS) | _Field.DESCRIPTION
        owner.append(position)
        for index, keys in ((self._described, words), (self._described_pieces, pieces)):
            get = index.get  # some 60 keys a product: the call per key is what a build costs
            for key in keys:
                postings = get(key)
                if postings is None:
                    index[key] = postings = array("i")
                postings.append(term_id)

    def _add(self, owner: _Postings, tokens: _Tokens, field: _Field, position: int) -> None:
        """Posts one term under its tokens; categories, needs and colours repeat across products,
        so their tokens come from the per-build cache."""
        term_id = (len(owner) << _FIELD_BITS) | field
        owner.append(position)
        _post(self._whole, tokens.whole, term_id)
        _post(self._words, tokens.words, term_id)
        _post(self._pieces, tokens.pieces, term_id)

    # ------------------------------------------------------------------------- reading the query

    def _read(self, text: str) -> _Reading:
        """The query's slots, each with the index entries it reached (slots that reached none
        are left out), and which of its units are soft, meaningful and leading."""
        units = _units(text)
        latin = [(_mask(index), u.text) for index, u in enumerate(units) if u.latin]
        slots = self._word_slots(latin) + self._piece_slots(text, units)
        related, soft, whole = self._related_slots(text, units, latin, slots)
        slots = [slot for slot in slots if not (slot.units & whole and not slot.units & ~whole)]
        if not any(_names(slot) for slot in slots + related):
            slots, related = self._lone_character(units, soft, slots, related)
        meaningful = 0
        for index, unit in enumerate(units):
            if unit.text not in _QUERY_STOP_WORDS:
                meaningful |= _mask(index)
        lists = any(u.text in _CONJUNCTIONS for u in units if u.latin) or any(
            c in text for c in _CJK_CONJUNCTIONS
        )
        return _Reading([s for s in slots + related if s.lookups], soft, meaningful, _leading(units), lists)

    def _word_slots(self, latin: list[tuple[int, str]]) -> list[_Slot]:
        """One slot per Latin word: the phrases that hold it found whole, the word (or its typos)
        among the words of longer terms, and whole when it is a typo of a one-word term; and
        the word (or its typos) in descriptions."""
        phrases = [
            (mask, postings)
            for mask, key in _phrases(latin, self._longest)
            for postings in _found(self._whole, [key])
        ]
        slots = []
        for unit, word in latin:
            lookups = [
                _Lookup(_FULL_SHARE, postings, _KINDS_NAMED) for mask, postings in phrases if mask & unit
            ]
            spellings = []
            if word not in _QUERY_STOP_WORDS:
                named, described = self._spellings(word)
                for known, similarity in named:
                    share = round(_FULL_SHARE * _WORD_SHARE * similarity)
                    lookups += [_Lookup(share, p, 0) for p in _found(self._words, [known])]
                    if similarity < 1.0:
                        lookups += [_Lookup(share, p, _KINDS_NAMED) for p in _found(self._whole, [known])]
                    spellings.append(known)
                lookups += [self._described_lookup(p, close) for p, close in described]
            slots.append(_Slot(unit, lookups, tuple(spellings)))
        return slots

    def _described_lookup(
        self, postings: _Postings, similarity: float = 1.0, share: float = _WORD_SHARE
    ) -> _Lookup:
        """A description word's or pair's entry, at `share` of the weight, scaled by how close
        the typed word is and how rare the word is among the catalog's descriptions."""
        earned = share * similarity * rarity(len(postings), len(self._products))
        return _Lookup(round(_FULL_SHARE * earned), postings, 0, described=True)

    def _piece_slots(self, text: str, units: list[_Unit]) -> list[_Slot]:
        """One slot per Chinese character and character pair of the query that the index holds
        (a pair may end in a space: "茶 " meets a mixed title's Chinese name ending in 茶), in
        names or in descriptions."""
        if not has_cjk(text):
            return []
        at = {u.start: _mask(index) for index, u in enumerate(units) if not u.latin}
        slots = []
        for start, character in enumerate(text):
            pair = text[start : start + 2]
            pieces = [(character, at.get(start, 0))] if start in at else []
            if len(pair) == 2 and has_cjk(pair):
                pieces.append((pair, at.get(start, 0) | at.get(start + 1, 0)))
            for piece, mask in pieces:
                lookups = []
                postings = self._pieces.get(piece)
                if postings is not None:
                    lookups.append(_Lookup(_FULL_SHARE, postings, _KINDS_BY_PIECE))
                described = self._described_pieces.get(piece)
                if described is not None:
                    lookups.append(self._described_lookup(described))
                if lookups:
                    slots.append(_Slot(mask, lookups, (piece,)))
        return slots

    def _lone_character(
        self, units: list[_Unit], soft: int, slots: list[_Slot], related: list[_Slot]
    ) -> tuple[list[_Slot], list[_Slot]]:
        """When no name matched, the query's lone Chinese character (`_lone_character_slots`):
        instead of what descriptions matched when the query comes down to that character ("的
        茶" is in descriptions, but the customer asked for tea), or beside it when the query
        comes down to it once what descriptions matched is set aside ("睡前喝的茶": tea, and
        睡前 in descriptions)."""
        lone = self._lone_character_slots(units, soft)
        if any(slot.lookups for slot in lone):
            return lone, []
        described = 0
        for slot in slots + related:
            if slot.lookups:
                described |= slot.units
        lone = self._lone_character_slots(units, soft | described)
        if any(slot.lookups for slot in lone):
            return [*lone, *slots], related
        return slots, related

    def _lone_character_slots(self, units: list[_Unit], soft: int) -> list[_Slot]:
        """When nothing else matched and the query comes down to one Chinese character, that
        character through the pairs that hold it, at half their weight: "茶 500以下", "不超過800
        的茶" and "有茶嗎" ask for tea, but a single character only meets one-character terms, and
        茶 is in 烏龍茶, 茶葉, 紅茶… Never for chatter: 你好 is two characters, 好的 one that is
        never a product (`_FUNCTION_CHARACTERS`). A need or a person said beside it does not
        count ("送禮的茶" in a shop that knows no gifts is still tea)."""
        left = [
            (index, unit)
            for index, unit in enumerate(units)
            if unit.text not in _QUERY_STOP_WORDS
            and unit.text not in _FUNCTION_CHARACTERS
            and not soft & _mask(index)
        ]
        if len(left) != 1 or left[0][1].latin:
            return []
        index, unit = left[0]
        pairs = self._pairs_with.get(unit.text, ())
        lookups = [_Lookup(_LONE_SHARE, self._pieces[pair], _KINDS_BY_PIECE) for pair in pairs]
        return [_Slot(_mask(index), lookups, pairs)]

    def _related_slots(
        self, text: str, units: list[_Unit], latin: list[tuple[int, str]], own: list[_Slot]
    ) -> tuple[list[_Slot], int, int]:
        """One slot per lexicon entry the query holds, with its related words looked up; the
        units that entries of needs and people cover (soft); and those of Chinese properties,
        which are read whole, never by their character pairs (無咖啡因 holds 咖啡, coffee, and
        so does 咖啡色, brown): their slot looks the typed word up too.

        Another name of what was typed is looked up only when the words typed reach few
        entries (`_EXPAND_BELOW`): "连衣裙" on a Taiwanese catalog or "teapot" on a Chinese one
        reach nothing alone, while "sunscreen" among 50,000 products needs no help and would
        read thousands of postings more. Descriptions count for a property ("organic" in
        English descriptions needs no 有機), not for a product's names. What a person
        suggests is always looked up. A property of several words ("caffeine free") earns for
        each of them."""
        phrases = list(_phrases(latin, self._lexicon.longest_latin))
        masks = {key: mask for mask, key in phrases}
        slots, soft, whole = [], 0, 0
        for entry, start, related in self._lexicon.found_in([key for _, key in phrases], text):
            mask = masks[entry] if start < 0 else _span(units, start, len(entry))
            if related.relation.is_soft:
                soft |= mask
            read_whole = related.relation is Relation.PROPERTY and start >= 0
            if read_whole:
                whole |= mask
                related = Related((entry, *related.words), related.relation)
            described = related.relation.in_descriptions
            if (
                read_whole
                or related.relation is Relation.SUGGESTS
                or _reach(own, mask, described) < _EXPAND_BELOW
            ):
                times = entry.count(" ") + 1 if related.relation is Relation.PROPERTY else 1
                slot = self._related_slot(mask, related, times)
                same = next((s for s in own if s.units == mask), None)
                if related.relation is Relation.PROPERTY and same is not None and not read_whole:
                    same.lookups.extend(slot.lookups)  # "organic" and 有機 in one description: once
                else:
                    slots.append(slot)
        return slots, soft, whole

    def _related_slot(self, mask: int, related: Related, times: int = 1) -> _Slot:
        """The related words looked up as if typed, at the share their relation earns; those of
        a product's other names may name the head. Needs and properties are looked up in
        descriptions too (无咖啡因 is also "caffeine-free" in an English one); another name of
        the product only to know which products mention it."""
        share = round(_FULL_SHARE * related.relation.share * times)
        kinds = (_KINDS_NAMED, _KINDS_BY_PIECE) if related.relation.may_be_head else (0, 0)
        lookups: list[_Lookup] = []
        heads: list[str] = []
        for word in related.words:
            if related.relation.in_descriptions:
                # Another name of the product in a description says it is one ("a travel cup"
                # for 杯子), not that it is a better one than those the names call so.
                earns = 0.0 if related.relation.may_be_head else related.relation.share * times
                lookups += self._described_word(word, earns)
            if related.relation is Relation.PROPERTY and has_cjk(word):
                whole = _holding_all(self._pieces, _pieces_of(word))  # 無咖啡因 is no 咖啡色
                lookups += [_Lookup(share, whole, 0, kept=False)] if whole is not None else []
                continue
            if has_cjk(word):
                lookups += self._related_pieces(word, share, kinds[1])
                heads += _pieces_of(word)
                continue
            lookups += [_Lookup(share, p, kinds[0]) for p in _found(self._whole, [word])]
            if " " not in word:
                word_share = round(share * _WORD_SHARE)
                lookups += [_Lookup(word_share, p, 0) for p in _found(self._words, [word])]
                heads.append(word)
        return _Slot(mask, lookups, tuple(heads) if related.relation.may_be_head else ())

    def _related_pieces(self, word: str, share: int, kinds: int) -> list[_Lookup]:
        """A related Chinese word's character pairs, each earning as if typed; only a term that
        holds them all names the kind (保濕霜 is a cream, not everything that says 保濕)."""
        pieces = _pieces_of(word)
        if len(pieces) < 2 or not kinds:
            return [_Lookup(share, p, kinds) for p in _found(self._pieces, pieces)]
        lookups = [_Lookup(share, p, 0) for p in _found(self._pieces, pieces)]
        whole = _holding_all(self._pieces, pieces)
        return lookups + ([_Lookup(share, whole, kinds, kept=False)] if whole is not None else [])

    def _described_word(self, word: str, share: float) -> list[_Lookup]:
        """The descriptions that hold a lexicon word: all its words, or all its character pairs
        (无咖啡因 is not 咖啡, coffee). Their posting lists are intersected; term ids grow, so
        they are sorted."""
        latin, pairs = _lexicon_keys(word)
        keys, index = (latin, self._described) if latin else (pairs, self._described_pieces)
        postings = _holding_all(index, keys)
        if postings is None:
            return []
        return [self._described_lookup(postings, share=share * _WORD_SHARE)._replace(kept=False)]

    def _spellings(self, word: str) -> tuple[list[tuple[str, float]], list[tuple[_Postings, float]]]:
        """The typed word as the indexed words it may mean, with their similarity (1.0 = as
        typed): among the names' words, and among the descriptions' (their posting lists).

        Typos are looked for in the vocabulary (the distinct words, `Vocabulary`), never in
        the products. Numbers and short words must be typed exactly: "1234" is not "1243". A
        word the names (or the descriptions) know as typed stands there only for much closer
        words ("shirt" for "shirts", but "gaiwan" not for "taiwan")."""
        if not _may_be_misspelt(word):
            exact = self._described.get(word)
            return [(word, 1.0)], [] if exact is None else [(exact, 1.0)]
        named_cutoff = _KNOWN_WORD_CUTOFF if word in self._known else _TYPO_CUTOFF
        # Descriptions are long prose: a typo's near words there are too many to trust
        # ("shoes" is not "showers"), so only a word as typed or its plural meets them.
        described_cutoff = _KNOWN_WORD_CUTOFF
        named, described = [], []
        for known, score in self._vocabulary.near(word, min(named_cutoff, described_cutoff)):
            if score >= named_cutoff and known in self._known:
                named.append((known, score / 100))
            if score >= described_cutoff and known in self._known_described:
                described.append((self._described[known], score / 100))
        return named, described

    # ------------------------------------------------------------------------- the head

    def _head(self, reading: _Reading) -> int:
        """The unit (a one-bit mask, 0 for none) that says what kind of product is asked for:
        the last that some product names as its kind, before an English preposition when one
        is; needs and people are never it, and a query that lists several things has none."""
        if reading.lists:
            return 0
        kinds = 0
        for slot in reading.slots:
            if slot.units & ~kinds and self._names_a_kind(slot):
                kinds |= slot.units
        kinds &= ~reading.soft
        chosen = kinds & reading.leading or kinds
        return 1 << (chosen.bit_length() - 1) if chosen else 0

    def _names_a_kind(self, slot: _Slot) -> bool:
        """Whether some product names what the slot stands for as its kind: a title's last word,
        or a keyword, category or need (or a whole title) reached as such."""
        return any(key in self._heads for key in slot.heads) or any(
            lookup.kinds and self._holds_kinds(lookup) for lookup in slot.lookups
        )

    def _holds_kinds(self, lookup: _Lookup) -> bool:
        """Whether the posting list holds terms of the lookup's kind-naming fields (learnt once
        for the index's own lists)."""
        key = (id(lookup.postings), lookup.kinds)
        held = self._holds.get(key) if lookup.kept else None
        if held is None:
            fields = np.frombuffer(lookup.postings, dtype=np.intc) & _FIELD_MASK
            held = bool(np.any((1 << fields) & lookup.kinds))
            if lookup.kept:
                self._holds[key] = held
        return held

    def _head_keys_hit(self, reading: _Reading, head: int) -> bool:
        """Whether titles' last words meet the head: then products of one posting list do not
        tie (those whose title ends in it rank first)."""
        return bool(head) and any(
            key in self._heads for slot in reading.slots if slot.units & head for key in slot.heads
        )

    def _by_class(self, scores: NDArray[np.int64], reading: _Reading, head: int) -> NDArray[np.int64]:
        """Scores raised by class, in place: products that name the head as their kind gain a
        class over those that only mention it; those that miss it drop out (score 0). When
        every slot stands for the head (a one-word query) nobody misses it.

        Within a class, the query's other words rank first (`_BESIDE_HEAD`), the head after:
        all the teas of "tea that helps me sleep" are teas, and the one whose description says
        sleep comes first, although only its category says tea and the others' titles do."""
        covering = [slot for slot in reading.slots if slot.units & head]
        if len(covering) < len(reading.slots):
            on_head = self._scores(covering)
            np.minimum(on_head, scores, out=on_head)  # a description's cap may fall on either
            scores -= on_head
            scores *= _BESIDE_HEAD
            scores += np.minimum(on_head >> _HEAD_QUANTUM_BITS, _BESIDE_HEAD - 1)
            mentioned = np.zeros(len(self._products), dtype=np.bool_)
            for slot in covering:
                for lookup in slot.lookups:
                    mentioned[self._positions(lookup.postings)] = True
            scores *= mentioned
        kinds = [
            self._positions(lookup.postings, lookup.kinds)
            for slot in covering
            for lookup in slot.lookups
            if lookup.kinds and self._holds_kinds(lookup)
        ]
        kinds += [
            np.frombuffer(self._heads[key], dtype=np.intc)
            for slot in covering
            for key in slot.heads
            if key in self._heads
        ]
        if kinds:
            named = np.concatenate(kinds)
            # A repeated position is raised once: fancy `+=` reads, adds and writes each index once.
            scores[named[scores[named] > 0]] += _CLASS_SCALE
        return scores

    def _positions(self, postings: _Postings, kinds: int = 0) -> NDArray[np.intc]:
        """The products of a posting list; with `kinds`, only those whose term there is of one of
        those fields."""
        ids = np.frombuffer(postings, dtype=np.intc)
        if kinds:
            ids = ids[((1 << (ids & _FIELD_MASK)) & kinds) != 0]
        positions: NDArray[np.intc] = self._owner[ids >> _FIELD_BITS]
        return positions

    # ------------------------------------------------------------------------- scoring

    def _all_tie(self, lookups: list[_Lookup]) -> bool:
        """Whether every product the query matches earns the same score: all it touches is one
        posting list (a brand, a category name, a colour) whose products each hold one term of
        one field there. Their order is then in stock, then shop order, as for filters alone.
        Descriptions are always scored: what they earn depends on how rare the word is."""
        if not lookups or any(lookup.postings is not lookups[0].postings for lookup in lookups[1:]):
            return False
        if lookups[0].described or not lookups[0].kept:
            return False
        terms = lookups[0].postings
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

    def _scores(self, slots: list[_Slot]) -> NDArray[np.int64]:
        """Each position's score (0: not a candidate): in every slot, each matched term earns its
        best share of its weight once; a product's score is the sum over slots, counted in
        numpy over integers, so equal scores tie exactly. What descriptions earn is summed
        apart and capped (`_DESCRIPTION_CAP`), and a description earns nothing in a slot where
        the product's names already do: it answers what they do not say, and a cookie whose
        description repeats "oolong" is no more an oolong than the tea titled so."""
        positions, earned, described = [], [], []
        for slot in slots:
            terms, shares = self._best_shares(slot.lookups)
            fields = terms & _FIELD_MASK
            owners = self._owner[terms >> _FIELD_BITS]
            in_description = fields == _Field.DESCRIPTION
            if in_description.any() and not in_description.all():
                named = np.zeros(len(self._products), dtype=np.bool_)
                named[owners[~in_description]] = True
                kept = ~(in_description & named[owners])
                owners, fields, shares, in_description = (
                    owners[kept],
                    fields[kept],
                    shares[kept],
                    in_description[kept],
                )
            positions.append(owners)
            earned.append(_WEIGHT_TENTHS[fields] * shares)
            described.append(in_description)
        everywhere, weights = np.concatenate(positions), np.concatenate(earned)
        in_descriptions = np.concatenate(described)
        if not in_descriptions.any():
            return _summed(everywhere, weights, len(self._products))
        in_names = ~in_descriptions
        scores = _summed(everywhere[in_names], weights[in_names], len(self._products))
        scores += np.minimum(
            _summed(everywhere[in_descriptions], weights[in_descriptions], len(self._products)),
            _DESCRIPTION_CAP,
        )
        return scores

    def _best_shares(self, lookups: list[_Lookup]) -> tuple[NDArray[np.intc], NDArray[np.int64]]:
        """The matched term ids, each once, with the best share it earns.

        A term is often matched several times in a slot (a Latin one whole and word by word, a
        Chinese one by a related word's pairs). Shares are written per term number from the
        lowest up, so the best is left; then one entry per term is kept: the one whose index
        survives being written over its duplicates. No sort, and the scratch array is only
        written, then read.
        """
        if len(lookups) == 1:
            terms = np.frombuffer(lookups[0].postings, dtype=np.intc)
            return terms, np.full(terms.size, lookups[0].share, dtype=np.int64)
        by_share = sorted(lookups, key=itemgetter(0))
        terms = np.concatenate([np.frombuffer(lookup.postings, dtype=np.intc) for lookup in by_share])
        shares = np.repeat(
            np.array([lookup.share for lookup in by_share], dtype=np.int64),
            [len(lookup.postings) for lookup in by_share],
        )
        numbers = terms >> _FIELD_BITS
        with self._scratch_lock:
            scratch = self._scratch
            for lookup in by_share:
                scratch[np.frombuffer(lookup.postings, dtype=np.intc) >> _FIELD_BITS] = lookup.share
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


def _summed(positions: NDArray[np.intc], earned: NDArray[np.int64], size: int) -> NDArray[np.int64]:
    """What each position earned in all. A weighted bincount sums in float64: exact for
    integers this small (< 2**53)."""
    return np.rint(np.bincount(positions, weights=earned, minlength=size)).astype(np.int64)


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


def _phrases(latin: Sequence[tuple[int, str]], longest: int) -> Iterator[tuple[int, str]]:
    """Every run of up to `longest` consecutive Latin words of the query (with the mask of their
    units): the whole Latin terms it may hold."""
    for length in range(1, min(longest, len(latin)) + 1):
        for start in range(len(latin) - length + 1):
            run = latin[start : start + length]
            mask = 0
            for unit, _ in run:
                mask |= unit
            yield mask, " ".join(word for _, word in run)


def _pairs_by_character(pieces: Iterable[str]) -> dict[str, tuple[str, ...]]:
    pairs: dict[str, list[str]] = {}
    for piece in pieces:
        if len(piece) == 2:
            for character in dict.fromkeys(c for c in piece if has_cjk(c)):
                pairs.setdefault(character, []).append(piece)
    return {character: tuple(found) for character, found in pairs.items()}


def _reach(slots: Sequence[_Slot], mask: int, described: bool = False) -> int:
    """How many postings the slots of these units (and of no other) reached, in names (and in
    descriptions, with `described`)."""
    return sum(
        len(lookup.postings)
        for slot in slots
        if slot.units & mask and not slot.units & ~mask
        for lookup in slot.lookups
        if described or not lookup.described
    )


@lru_cache(maxsize=4096)
def _lexicon_keys(word: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A lexicon word's description keys, as a description's are cut (the lexicon is fixed)."""
    latin, pairs = description_keys(word)
    return tuple(latin), tuple(pairs)


def _holding_all(index: dict[str, _Postings], keys: Sequence[str]) -> _Postings | None:
    """The terms posted under every one of these keys (None for none): their posting lists
    intersected, which are sorted, since term ids grow as they are posted. The list is made
    for one query: it is never cached by `id`."""
    found = [index.get(key) for key in keys]
    if not found or any(postings is None for postings in found):
        return None
    lists = [np.frombuffer(postings, dtype=np.intc) for postings in found if postings is not None]
    common = reduce(partial(np.intersect1d, assume_unique=True), lists)
    return array("i", common.astype(np.intc).tobytes()) if common.size else None


def _names(slot: _Slot) -> bool:
    """Whether the slot reached a product's names (titles, keywords…), not only descriptions."""
    return any(not lookup.described for lookup in slot.lookups)


def _mask(index: int) -> int:
    """The bit of the query's `index`-th unit; units past `_MAX_UNITS` share the last."""
    return 1 << min(index, _MAX_UNITS - 1)


def _units(text: str) -> list[_Unit]:
    """The query's Latin words and Chinese characters, in the order they are typed (a Latin
    letter written inside Chinese, as in 維他命c, is not a word: `latin_words` drops it too)."""
    units = []
    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if not has_cjk(token):
            units.append(_Unit(token, match.start(), True))
            continue
        units += [_Unit(ch, match.start() + i, False) for i, ch in enumerate(token) if has_cjk(ch)]
    return units


def _span(units: Sequence[_Unit], start: int, length: int) -> int:
    """The units written from `start` for `length` characters."""
    mask = 0
    for index, unit in enumerate(units):
        if start <= unit.start < start + length:
            mask |= _mask(index)
    return mask


def _leading(units: Sequence[_Unit]) -> int:
    """The units before the first English preposition; every unit when there is none."""
    mask = 0
    for index, unit in enumerate(units):
        if unit.latin and unit.text in _PREPOSITIONS:
            return mask
        mask |= _mask(index)
    return -1


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


def _may_be_misspelt(word: str) -> bool:
    return len(word) >= _TYPO_MIN_LENGTH and word.isalpha() and word not in _QUERY_STOP_WORDS


def _may_be_known(word: str) -> bool:
    """An indexed word a typo may stand for ("mug" for "mugg")."""
    return len(word) >= _KNOWN_MIN_LENGTH and word.isalpha() and word not in _STOP_WORDS


#: Trailing words of a title that do not say what the product is ("… Tea No.18", "… 150ml -
#: White", "SPF50+"): sizes, units, numbering.
_NOT_HEADS = frozenset(
    ["g", "kg", "ml", "l", "cm", "mm", "oz", "pcs", "pc", "pack", "packs", "no", "spf", "xs", "xl", "xxl"]
)
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _heads_of(title: str, tokens: _Tokens) -> tuple[str, ...]:
    """What a title says the product is: its last Latin word that is not a size, a unit, a
    number or a colour ("gaiwan" in "hand-painted gaiwan 150ml - white"), and the last two
    characters of its longest Chinese run (洋裝 in 亞麻綁帶洋裝, 紅茶 in 日月潭紅玉紅茶 台茶18號).
    The title's tokens are already cut: its Latin words are read from them."""
    colours = _latin_colour_words()
    words = tokens.whole[0].split() if tokens.whole else []
    heads = [
        next(
            (
                w
                for w in reversed(words)
                if len(w) > 1 and w.isalpha() and w not in _NOT_HEADS and w not in colours
            ),
            "",
        )
    ]
    if tokens.pieces:
        longest = max(reversed(_CJK_RUN.findall(title)), key=len, default="")
        heads.append(longest[-2:] if len(longest) >= 2 else "")
    return tuple(head for head in heads if head)


@lru_cache(maxsize=1)
def _latin_colour_words() -> frozenset[str]:
    return frozenset(w for words in color_words().values() for w in words if not has_cjk(w))


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
    for size in product.sizes:
        names = dict.fromkeys(map(normalised, [size, *product.size_names.get(size, {}).values()]))
        terms += [_Term(name, _Field.SIZE) for name in names if _names_a_size(name)]
    return [t for t in terms if t.text]


def _names_a_size(size: str) -> bool:
    """Whether a size says something when typed: "300g", "xl", "20入", not the lone letters
    S, M and L, which are in "i'm" and would match every garment."""
    return has_cjk(size) or any(c.isdigit() for c in size) or any(len(w) > 1 for w in latin_words(size))


def _meaningful(text: str) -> bool:
    """Whether the text has a word or a CJK character that may name a product ("please", 有嗎 do not)."""
    latin = any(w not in _QUERY_STOP_WORDS for w in latin_words(text))
    return latin or any(character not in _QUERY_STOP_WORDS and has_cjk(character) for character in text)


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
