"""FAQ retrieval: which of the shop's FAQ entries a question in the customer's own words asks,
or none when any answer would be a guess.

Customers rarely type an FAQ's question variants: "how much do u charge for postage", 退货要运费吗,
"can I collect my order in person somewhere?". So each entry is indexed as a small document
made of its question variants *and* its answer (the answer says "credit card", "7-ELEVEN",
"7 days"), weighted with TF-IDF over the shop's own FAQ, and compared with the question:

- TF-IDF cosine with the closest question variant and with the answer, over terms: Latin
  words (lightly stemmed) and word pairs (function words left out), Chinese characters and
  character pairs (Chinese has no spaces; function characters such as 嗎 and 可以 split the
  text instead of joining pairs), and a concept name for every word of `faq_words.yaml`
  the text says, so "postage" meets 運費 and 自提 meets 取貨. A word the FAQ never says still
  counts in the question's length, so "are your products cruelty free" is not "free";
- the fuzzy similarity of the question to the closest variant (`text.similarity`), the
  signal the retriever used alone before, which forgives typos ("shiping", "retrun");
- coverage: how much of the question (by IDF) the entry says at all, so "do you ship to
  Hong Kong" is not taken for "how long does shipping take" on "ship" alone. A lone Chinese
  character is not evidence here: 好 in 你好 is in some answer or other.

The signals are added with fixed weights and an entry is answered when the sum reaches
`MATCH_THRESHOLD` and leads the runner-up by `MIN_MARGIN`. All three were chosen on the
labelled questions of `bench/faq_queries.yaml` (docs/nlu.md, "FAQ answers";
`python -m bench.faq_relevance --tune` and `--sweep`): the most right answers less three
times the wrong ones, since a wrong answer misleads where "I'm not sure, a person can tell
you" only costs a wait; then the threshold one step (0.02) above the lowest one at which the
wrong answers stop falling, as headroom for questions nobody tuned for.

All text goes through `normalise` first (NFKC, lower case, Simplified folded to Traditional),
so zh-CN questions meet zh-TW entries. An FAQ's index is built once per FAQ content and
cached, so a lookup costs well under a millisecond.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from chatcart.commerce.content import FaqEntry
from chatcart.nlu.text import contains_term, has_cjk, normalise, similarity

#: Below this combined score an FAQ answer would be a guess; the bot says it is unsure instead.
MATCH_THRESHOLD = 0.20
#: The best entry must lead the runner-up by this much: two entries equally likely is a guess.
MIN_MARGIN = 0.03
#: How much each signal counts, in the order of `_signals`: closest variant, answer, fuzzy
#: similarity, coverage. Chosen with the threshold.
WEIGHTS: NDArray[np.float64] = np.array([0.4, 0.2, 0.1, 0.3])

_SCRIPT_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[^\W_]+")
_WORDS_FILE = Path(__file__).parent / "faq_words.yaml"
#: A scipy.sparse CSR matrix, as TfidfVectorizer returns it (scipy ships no type hints).
Sparse = Any


# ----------------------------------------------------------------------------- terms


@cache
def _words() -> dict[str, Any]:
    """`faq_words.yaml`: function words and concepts, read once."""
    data: dict[str, Any] = yaml.safe_load(_WORDS_FILE.read_text(encoding="utf-8"))
    return data


@cache
def _latin_stop() -> frozenset[str]:
    return frozenset(normalise(str(w)) for w in _words()["function_words"]["en"])


@cache
def _cjk_stop() -> re.Pattern[str]:
    """Chinese function words, longest first, as one pattern to split a run at."""
    found = sorted({normalise(str(w)) for w in _words()["function_words"]["zh"]}, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in found))


@cache
def _concepts() -> tuple[tuple[str, tuple[str, ...]], ...]:
    """(concept, its words normalised)."""
    return tuple(
        (str(name), tuple(normalise(str(w)) for words in by_lang.values() for w in words))
        for name, by_lang in _words()["concepts"].items()
    )


def _concept_terms(text: str) -> list[str]:
    """ "#shipping_cost" for "postage", 包郵 and 運費 alike: one term per concept the text says."""
    return [f"#{name}" for name, words in _concepts() if any(contains_term(text, w) for w in words)]


def _stem(word: str) -> str:
    """A light English stem, so "returns" meets "return" and "stores" meets "store"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _latin_terms(words: Sequence[str]) -> list[str]:
    """Stemmed content words and each pair of neighbours ("free shipping", "tax id")."""
    stop = _latin_stop()
    kept = [_stem(w) for w in words if w not in stop]
    return kept + [f"{a} {b}" for a, b in itertools.pairwise(kept)]


def _cjk_terms(run: str) -> list[str]:
    """Characters and character pairs of each piece between function words."""
    found: list[str] = []
    for piece in _cjk_stop().split(run):
        found.extend(piece)
        found.extend(piece[i : i + 2] for i in range(len(piece) - 1))
    return found


@lru_cache(maxsize=4096)
def _cached_terms(text: str) -> tuple[str, ...]:
    latin: list[str] = []
    chinese: list[str] = []
    for run in _SCRIPT_RUN.findall(text):
        if has_cjk(run):
            chinese.extend(_cjk_terms(run))
        else:
            latin.append(run)
    return (*chinese, *_latin_terms(latin), *_concept_terms(text))


def _is_pair(term: str) -> bool:
    """A pair of words or characters: new only when its parts are, so it adds no weight of
    its own to what the FAQ does not say."""
    return " " in term or (len(term) == 2 and has_cjk(term))


def terms(text: str) -> list[str]:
    """The index terms of a normalised text: the analyzer of the word-level TF-IDF."""
    return list(_cached_terms(text))


# ----------------------------------------------------------------------------- the index


@dataclass(frozen=True)
class _Index:
    """One FAQ's vectors. Rows of `variants` belong to the entry at `owner[row]`."""

    words: TfidfVectorizer
    variants: Sparse
    owner: NDArray[np.intp]
    answers: Sparse
    #: Per entry, the set of word-level terms its questions and answer say.
    said: tuple[frozenset[str], ...]
    #: Per entry, its normalised question variants, for the fuzzy signal.
    variant_texts: tuple[tuple[str, ...], ...]
    idf: dict[str, float]
    #: The weight of a term the FAQ never says: as rare as the rarest term it does say.
    unseen_idf: float


class _FaqKey:
    """An FAQ as a cache key: equal when the content is equal, whatever the objects."""

    def __init__(self, entries: Sequence[FaqEntry]) -> None:
        self.entries = tuple(entries)
        self.key = tuple((e.id, e.all_questions(), tuple(sorted(e.answer.items()))) for e in self.entries)
        self._hash = hash(self.key)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _FaqKey) and self.key == other.key


@lru_cache(maxsize=64)
def _index(faq: _FaqKey) -> _Index | None:
    """Built once per FAQ content (tens of entries: a few milliseconds); None for an FAQ with
    no words at all, which answers nothing."""
    variant_texts = tuple(tuple(normalise(q) for q in e.all_questions()) for e in faq.entries)
    answer_docs = [normalise(" ".join(e.answer.values())) for e in faq.entries]
    whole_docs = [" ".join((*qs, a)) for qs, a in zip(variant_texts, answer_docs, strict=True)]
    if not any(terms(d) for d in whole_docs):
        return None
    words = TfidfVectorizer(analyzer=terms, sublinear_tf=True, norm=None)
    words.fit([*(" ".join(qs) for qs in variant_texts), *answer_docs])
    idf = {str(t): float(v) for t, v in zip(words.get_feature_names_out(), words.idf_, strict=True)}
    return _Index(
        words=words,
        variants=normalize(words.transform([q for qs in variant_texts for q in qs])),
        owner=np.array([i for i, qs in enumerate(variant_texts) for _ in qs], dtype=np.intp),
        answers=normalize(words.transform(answer_docs)),
        said=tuple(frozenset(terms(d)) for d in whole_docs),
        variant_texts=variant_texts,
        idf=idf,
        unseen_idf=max(idf.values(), default=1.0),
    )


# ----------------------------------------------------------------------------- scoring


def _query_vector(query: str, index: _Index) -> Sparse:
    """The question's TF-IDF vector over the FAQ's terms, scaled by the length it would have
    with the words the FAQ never says counted too: "are your products cruelty free" is not
    just "free", and must not look as close to "is shipping free" as "free shipping?" does."""
    vector = index.words.transform([query])
    unseen = Counter(t for t in terms(query) if t not in index.idf and not _is_pair(t))
    unseen_square = sum(((1 + math.log(n)) * index.unseen_idf) ** 2 for n in unseen.values())
    length = math.sqrt(float(vector.multiply(vector).sum()) + unseen_square)
    return vector / length if length else vector


def _signals(query: str, index: _Index, n_entries: int) -> NDArray[np.float64]:
    """One row per entry, one column per signal (see `WEIGHTS`), each 0..1."""
    vector = _query_vector(query, index)
    best_variant = np.zeros(n_entries)
    np.maximum.at(best_variant, index.owner, (index.variants @ vector.T).toarray().ravel())
    columns = [
        best_variant,
        (index.answers @ vector.T).toarray().ravel(),
        np.array([max((similarity(query, q) for q in qs), default=0.0) for qs in index.variant_texts]),
        _coverage(query, index),
    ]
    return np.column_stack(columns)


def _coverage(query: str, index: _Index) -> NDArray[np.float64]:
    """Per entry, the share of the question's weight (IDF) in terms the entry says at all.
    A lone Chinese character is no evidence here (好 in 你好 is in some answer or other)."""
    asked = {t for t in terms(query) if not (len(t) == 1 and has_cjk(t))}
    if not asked:
        return np.zeros(len(index.said))
    weight = {t: index.idf.get(t, index.unseen_idf) for t in asked}
    total = sum(weight.values())
    return np.array([sum(w for t, w in weight.items() if t in said) / total for said in index.said])


def signals(text: str, entries: Sequence[FaqEntry]) -> NDArray[np.float64]:
    """Each entry's signals for the text (rows in the entries' order, columns as `WEIGHTS`):
    what `scores` adds up, kept apart so the weights can be chosen on labelled questions."""
    index = _index(_FaqKey(entries)) if entries else None
    if index is None:
        return np.zeros((len(entries), len(WEIGHTS)))
    return _signals(normalise(text), index, len(entries))


def scores(text: str, entries: Sequence[FaqEntry]) -> NDArray[np.float64]:
    """Each entry's combined score for the text, in the entries' order."""
    return np.asarray(signals(text, entries) @ WEIGHTS)


def ranked_faq(text: str, entries: Sequence[FaqEntry]) -> list[tuple[FaqEntry, float]]:
    """Every entry with its score, best first."""
    scored = scores(text, entries)
    order = np.argsort(-scored, kind="stable")
    return [(entries[i], float(scored[i])) for i in order]


def best_faq(text: str, entries: Sequence[FaqEntry]) -> tuple[FaqEntry | None, float]:
    """The entry the text asks and its score, or None (with the best score) when the best is
    below the threshold or hardly ahead of the next: a guess is worse than "I'm not sure"."""
    ranked = ranked_faq(text, entries)
    if not ranked:
        return None, 0.0
    (entry, score), runner_up = ranked[0], (ranked[1][1] if len(ranked) > 1 else 0.0)
    if score >= MATCH_THRESHOLD and score - runner_up >= MIN_MARGIN:
        return entry, score
    # Too close to the runner-up counts as below the threshold for whoever reads the score.
    return None, min(score, float(np.nextafter(MATCH_THRESHOLD, 0.0)))
