"""The words customers use for what a catalog names otherwise (`search_words.yaml`): another
language, mainland words on a Taiwanese catalog, a need or a person instead of a product, a
property in the words the description does not use ("caffeine free" for 無咖啡因).

Product search looks a typed word's related words up as if they had been typed too, at a
weight that says how close they are (`Relation`). Words are normalised as search text is,
so a Latin word is its words joined by single spaces ("t-shirt" is "t shirt") and a Chinese
one is in the one script form `normalise` gives.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path

import yaml

from chatcart.nlu.text import has_cjk, latin_words, normalise

_FILE = Path(__file__).parent / "search_words.yaml"


class Relation(Enum):
    """How a related word stands for the typed one."""

    #: Another name of the same product: it may be the head of the query ("连衣裙" is a dress).
    PRODUCT = "product"
    #: Another name of the same need or occasion: ranked on, never demanded.
    NEED = "need"
    #: What a person or an occasion suggests ("dad": tea, wallets): a nudge, never demanded.
    SUGGESTS = "suggests"
    #: Another name of the same property, as descriptions state it ("caffeine free",
    #: 無咖啡因; "organic", 有機): ranked on, never the head. Unlike a need it is not soft: a
    #: shop with nothing organic has nothing to show for "organic under 500".
    PROPERTY = "property"

    @property
    def share(self) -> float:
        """The share of a typed word's match that a match of the related word earns."""
        return _SHARES[self]

    @property
    def may_be_head(self) -> bool:
        return self is Relation.PRODUCT

    @property
    def is_soft(self) -> bool:
        """Whether the typed word asks for no product of its own (a need, a person): it is
        never the head, and a shop that knows no such thing lists what passes the filters."""
        return self in (Relation.NEED, Relation.SUGGESTS)

    @property
    def in_descriptions(self) -> bool:
        """Whether the related words are looked for in descriptions too: needs and properties
        are what descriptions state ("送長輩", "dishwasher safe"), and a description may call a
        product by another name ("a travel cup" for 杯子); a suggestion's words there would
        only add noise."""
        return self is not Relation.SUGGESTS


#: Another name is nearly as good as the word typed; a suggestion only nudges the order.
_SHARES = {Relation.PRODUCT: 0.9, Relation.NEED: 0.9, Relation.PROPERTY: 0.9, Relation.SUGGESTS: 0.3}


@dataclass(frozen=True)
class Related:
    """The words to look up besides a typed one, and how they relate to it."""

    words: tuple[str, ...]
    relation: Relation


@dataclass(frozen=True)
class Lexicon:
    """Typed word (normalised) → what it relates to, with the lengths a lookup must try."""

    related: Mapping[str, tuple[Related, ...]]
    #: The most words a Latin entry has ("sensitive skin": 2).
    longest_latin: int
    #: The lengths, in characters, of the entries that hold Chinese.
    cjk_lengths: tuple[int, ...]

    def found_in(self, latin_phrases: Iterable[str], text: str) -> Iterator[tuple[str, int, Related]]:
        """(entry, where it starts in the text or -1 for a Latin phrase, what it relates to) for
        every entry the text holds: Latin entries among the query's phrases, Chinese ones as
        substrings (Chinese has no spaces to split on)."""
        for phrase in latin_phrases:
            for related in self.related.get(phrase, ()):
                yield phrase, -1, related
        if not has_cjk(text):
            return
        for length in self.cjk_lengths:
            for start in range(len(text) - length + 1):
                piece = text[start : start + length]
                for related in self.related.get(piece, ()):
                    yield piece, start, related


def _word(raw: object) -> str:
    """An entry as search sees text: Chinese as `normalise` folds it, Latin as its words."""
    folded = normalise(str(raw))
    return folded.replace(" ", "") if has_cjk(folded) else " ".join(latin_words(folded))


def _groups(raw: Iterable[Iterable[object]], relation: Relation) -> Iterator[tuple[str, Related]]:
    """Every word of a group relates to the group's other words."""
    for group in raw:
        words = tuple(dict.fromkeys(w for w in map(_word, group) if w))
        for word in words:
            yield word, Related(tuple(w for w in words if w != word), relation)


def _suggestions(raw: Mapping[object, Iterable[object]]) -> Iterator[tuple[str, Related]]:
    for word, suggested in raw.items():
        yield (
            _word(word),
            Related(tuple(dict.fromkeys(w for w in map(_word, suggested) if w)), Relation.SUGGESTS),
        )


def _usable(entry: str) -> bool:
    """Single Chinese characters match inside too many other words (包 in 麵包)."""
    return bool(entry) and not (has_cjk(entry) and len(entry) < 2)


@cache
def lexicon() -> Lexicon:
    """The shipped lexicon, read once per process."""
    raw = yaml.safe_load(_FILE.read_text(encoding="utf-8"))
    pairs = [
        *_groups(raw.get("products") or [], Relation.PRODUCT),
        *_groups(raw.get("needs") or [], Relation.NEED),
        *_groups(raw.get("properties") or [], Relation.PROPERTY),
        *_suggestions(raw.get("suggests") or {}),
    ]
    related: dict[str, list[Related]] = {}
    for word, entry in pairs:
        if _usable(word) and entry.words:
            related.setdefault(word, []).append(entry)
    latin = [w for w in related if not has_cjk(w)]
    return Lexicon(
        {word: tuple(entries) for word, entries in related.items()},
        max((w.count(" ") + 1 for w in latin), default=0),
        tuple(sorted({len(w) for w in related if has_cjk(w)})),
    )
