"""Text normalisation and similarity that respect CJK: Chinese has no spaces, so words are
matched as substrings and character bigrams, never by splitting on whitespace."""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache

import opencc
from rapidfuzz import fuzz

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[^\W\d_]+|\d+", re.UNICODE)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
#: Letters of alphabetic scripts (Latin with accents, Greek, Cyrillic): what a word is made of.
_LATIN_LETTER = r"[A-Za-z\u00c0-\u024f\u0370-\u04ff]"


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _one_chinese_form(text: str) -> str:
    """Through Simplified and back: 保湿 and 保濕 (and 溼/濕 variants) meet in one spelling."""
    return str(_converter("s2t").convert(_converter("t2s").convert(text)))


def warm_up() -> None:
    """Loads the script-conversion dictionaries (~0.8 s, 30 MiB) now, at start-up, so the
    first customer's first message does not wait for them."""
    _one_chinese_form("保濕")


@lru_cache(maxsize=16_384)
def normalise(text: str) -> str:
    """Full-width → half-width, one Chinese script form, lower case, single spaces.

    Cached: the shop's own texts (FAQ questions, colour words, keywords) are normalised
    again on every message that is compared with them."""
    folded = unicodedata.normalize("NFKC", text).lower()
    if has_cjk(folded):
        folded = _one_chinese_form(folded)
    return " ".join(folded.split())


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


def latin_words(text: str) -> list[str]:
    return [w for w in _LATIN_WORD.findall(text) if not has_cjk(w)]


def bigrams(text: str) -> set[str]:
    compact = _PUNCT.sub("", text)
    if len(compact) < 2:
        return {compact} if compact else set()
    return {compact[i : i + 2] for i in range(len(compact) - 1)}


def contains_term(text: str, term: str) -> bool:
    """Whether `term` occurs in `text`: as a substring for CJK, as a whole word otherwise.

    Called for every intent keyword and colour word on every turn, so the cheap substring
    test rules out almost every term before a (compiled once) word-boundary pattern runs.
    """
    if not term or term not in text:
        return False
    return has_cjk(term) or _whole_word(term).search(text) is not None


@lru_cache(maxsize=4096)
def _whole_word(term: str) -> re.Pattern[str]:
    """The term between non-letters: "red" in "red-dress" but not in "bored" or "reddish".
    Chinese or Japanese around it is a boundary too: "寄7-11" names 7-11."""
    return re.compile(rf"(?<!{_LATIN_LETTER}){re.escape(term)}(?!{_LATIN_LETTER})")


def similarity(a: str, b: str) -> float:
    """0..1: fuzzy token similarity for Latin text, bigram overlap (Dice) for CJK."""
    if has_cjk(a) or has_cjk(b):
        left, right = bigrams(a), bigrams(b)
        if not left or not right:
            return 0.0
        return 2 * len(left & right) / (len(left) + len(right))
    return float(fuzz.token_set_ratio(a, b)) / 100.0


def fuzzy_word_match(word: str, term: str) -> float:
    """0..1 how well a typed Latin word matches a known term (typos forgiven for long words)."""
    if word == term:
        return 1.0
    if len(word) < 4 or len(term) < 4:
        return 0.0
    return float(fuzz.ratio(word, term)) / 100.0


#: Dakuten and handakuten: Japanese letters, not marks to drop (が is not か).
_KANA_MARK = re.compile("[\u3099\u309a]")


def without_marks(text: str) -> str:
    """Letters without their diacritics (ł too): half of Polish chat skips them."""
    decomposed = unicodedata.normalize("NFD", text.replace("ł", "l"))
    return "".join(c for c in decomposed if not unicodedata.combining(c) or _KANA_MARK.match(c))
