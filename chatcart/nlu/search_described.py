"""What product search needs beyond titles: a description's words, how rare a word is across
the catalog, and a typo lookup that stays fast however many words the catalog uses.

Descriptions are long and written freely ("naturally caffeine-free, a calming cup before bed",
"天然無咖啡因，睡前一杯幫助放鬆好眠"), so they are not looked up as titles are: a description
is not a phrase anyone types whole, only its words are (its Latin words, and the pairs of
Chinese characters inside its runs of Chinese, since Chinese has no spaces). Function words
and pairs of function characters (可以, 適合, 不會) are left out: every description has them,
and they would only add postings and noise.

Descriptions also bring many more distinct words than titles (place names, makers, model
numbers). Looking a typo up by comparing it with every one of them costs about 0.1 µs a word,
5-10 ms a word at 60,000 words; `Vocabulary` compares it only with the words that share
enough of its character pairs to possibly reach the similarity asked for, and gives the same
answer.
"""

from __future__ import annotations

import math
import re
from array import array
from collections.abc import Iterable

import numpy as np
from numpy.typing import NDArray
from rapidfuzz import fuzz, process

from chatcart.nlu.text import latin_words

#: Characters of chatter and asking, never a product on their own (好 in 你好 and 好的).
FUNCTION_CHARACTERS = frozenset(
    "你您我他她它們是不沒有要想買賣可以能會在了吧啊喔哦耶嗨哈囉謝對好這那哪什麼怎還就也都很太再給送適合的嗎呢喝吃穿用"
)
#: Words every description has, which never say what a product is, is made of or is for.
#: Negations ("no", "not") stay: "no added sugar" is what a customer asks for.
DESCRIPTION_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "at",
        "to",
        "for",
        "with",
        "by",
        "from",
        "as",
        "into",
        "onto",
        "than",
        "then",
        "so",
        "but",
        "if",
        "it",
        "its",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "this",
        "that",
        "these",
        "those",
        "there",
        "their",
        "they",
        "them",
        "you",
        "your",
        "yours",
        "we",
        "our",
        "us",
        "i",
        "me",
        "my",
        "he",
        "she",
        "his",
        "her",
        "will",
        "can",
        "could",
        "would",
        "should",
        "may",
        "might",
        "up",
        "out",
        "off",
        "over",
        "just",
        "also",
        "very",
        "more",
        "most",
        "much",
        "many",
        "each",
        "every",
        "all",
        "any",
        "some",
        "one",
        "which",
        "who",
        "whom",
        "what",
        "when",
        "where",
        "how",
        "while",
        "yet",
        "too",
        "even",
        "such",
        "only",
        "own",
        "same",
        "other",
    ]
)
#: Vocabularies smaller than this are scored word by word (~0.03 µs a word in rapidfuzz).
_SCORED_WHOLE = 1_000
_CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def description_keys(text: str) -> tuple[list[str], list[str]]:
    """A normalised description's Latin words (numbers too: "100% linen", "1000mg") and its
    Chinese character pairs, each once, without stop words or pairs of function characters.
    A single letter is no word ("it's" leaves an "s")."""
    words = [
        w
        for w in dict.fromkeys(latin_words(text))
        if w not in DESCRIPTION_STOP_WORDS and (len(w) > 1 or w.isdigit())
    ]
    pairs: dict[str, None] = {}
    for run in _CJK_RUN.findall(text):
        for start in range(len(run) - 1):
            pair = run[start : start + 2]
            if not (pair[0] in FUNCTION_CHARACTERS and pair[1] in FUNCTION_CHARACTERS):
                pairs[pair] = None
    return words, list(pairs)


def rarity(found: int, products: int) -> float:
    """How much a description word says, by how many of the catalog's products it is found in:
    1.0 for one product, falling as it gets common (log(1 + N/df) / log(1 + N)): "dishwasher"
    on one mug says much, "tea" in every description of a tea shop little."""
    if found <= 0 or products <= 1:
        return 1.0
    return min(1.0, math.log1p(products / found) / math.log1p(products))


class Vocabulary:
    """The catalog's words, looked up by similarity (rapidfuzz `ratio`, 0..100).

    A word whose ratio with the typed one reaches the cutoff is within an insert/delete
    distance d ≤ (1 − cutoff/100) × (both lengths) of it, and each such edit removes at most two
    of the distinct character pairs (with start and end marks) either word has: so it shares at
    least max(pairs of either) − 2d of them. Only words that do, and whose length allows the
    cutoff at all, are scored: the same result as scoring them all, for a fraction of the cost.
    """

    def __init__(self, words: Iterable[str]) -> None:
        self._words = sorted(set(words))
        self._lengths: NDArray[np.int32] = np.array([len(w) for w in self._words], dtype=np.int32)
        grams = [_grams(w) for w in self._words]
        self._gram_counts: NDArray[np.int32] = np.array([len(g) for g in grams], dtype=np.int32)
        self._with_gram: dict[str, array[int]] = {}
        for number, word_grams in enumerate(grams):
            for gram in word_grams:
                found = self._with_gram.get(gram)
                if found is None:
                    self._with_gram[gram] = found = array("i")
                found.append(number)

    def __len__(self) -> int:
        return len(self._words)

    def near(self, word: str, cutoff: float) -> list[tuple[str, float]]:
        """The words whose ratio with `word` is at least `cutoff`, each with its ratio, best first.
        A small vocabulary is scored whole: below `_SCORED_WHOLE` words that is cheaper than
        the numpy passes that choose candidates."""
        candidates = self._words if len(self._words) < _SCORED_WHOLE else self._candidates(word, cutoff)
        if not candidates:
            return []
        found = process.extract(
            word, candidates, scorer=fuzz.ratio, processor=None, score_cutoff=cutoff, limit=None
        )
        return [(known, score) for known, score, _ in found]

    def _candidates(self, word: str, cutoff: float) -> list[str]:
        """The words that may reach the cutoff: right length, enough character pairs shared.
        A first cut by the fewest pairs any allowed length needs; the exact bound per word on
        the few left."""
        grams = _grams(word)
        lists = [np.frombuffer(self._with_gram[g], dtype=np.intc) for g in grams if g in self._with_gram]
        if not lists:
            return []
        share = 1.0 - cutoff / 100.0
        longest = math.floor(len(word) * (1.0 + share) / (1.0 - share) + 1e-9)
        fewest = max(1, len(grams) - 2 * math.floor(share * (len(word) + longest) + 1e-9))
        shared = np.bincount(np.concatenate(lists))
        numbers = np.flatnonzero(shared >= fewest)
        lengths = self._lengths[numbers]
        distance = np.floor(share * (len(word) + lengths) + 1e-9).astype(np.int32)
        needed = np.maximum(len(grams), self._gram_counts[numbers]) - 2 * distance
        possible = (np.abs(lengths - len(word)) <= distance) & (shared[numbers] >= needed)
        return [self._words[number] for number in numbers[possible]]


def _grams(word: str) -> frozenset[str]:
    """The distinct character pairs of the word with a start and an end mark."""
    marked = f"\x02{word}\x03"
    return frozenset(marked[i : i + 2] for i in range(len(marked) - 1))
