"""Which language a customer writes in: Chinese, Japanese and Korean from their characters
(and the two Chinese scripts from the characters only one of them has); Latin-script text
from a compact character n-gram model (py3langid, shipped inside its package, ~0.05 ms a
message) limited to the languages shops here meet, so "czy macie te sukienke" is Polish
with its diacritics left out, and a product name alone is no language at all."""

from __future__ import annotations

import re
from functools import cache
from importlib import import_module
from typing import Any

import opencc

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_POLISH = re.compile(r"[ąćęłńóśźż]", re.IGNORECASE)
_LATIN = re.compile(r"[a-zA-Z]")


@cache
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def _changed(config: str, chars: str) -> int:
    converted = str(_converter(config).convert(chars))
    return sum(a != b for a, b in zip(chars, converted, strict=False))


def detect_language(text: str) -> str | None:
    """A BCP-47 tag, or None when the text says too little (emoji, digits, "ok"); plain
    `zh` when the characters are the same in Traditional and Simplified script."""
    if _KANA.search(text):
        return "ja"
    if _HANGUL.search(text):
        return "ko"
    han = _HAN.findall(text)
    if han:
        chars = "".join(han)
        simplified_only = _changed("s2t", chars)
        traditional_only = _changed("t2s", chars)
        if abs(simplified_only - traditional_only) < 2:
            # 你好 is the same in both scripts, and one odd character (台) says little: the
            # caller keeps its variant.
            return "zh"
        return "zh-CN" if simplified_only > traditional_only else "zh-TW"
    if _POLISH.search(text):
        return "pl"
    if len(_LATIN.findall(text)) >= 4:
        return _latin_language(text)
    return None


#: Latin-script languages told apart; anything the model is unsure of stays English, the
#: default of a Latin-script message (a product name, "ok", "hello").
LATIN_LANGUAGES = ("en", "pl", "de", "fr", "es", "it", "pt", "nl", "id", "ms", "vi", "tl")
_SURE = 0.9


@cache
def _latin_model() -> Any:
    identifier: Any = import_module("py3langid.langid")
    model = identifier.LanguageIdentifier.from_model_file(identifier.MODEL_FILE, norm_probs=True)
    model.set_languages(list(LATIN_LANGUAGES))
    return model


def _latin_language(text: str) -> str:
    lang, probability = _latin_model().classify(text)
    return str(lang) if probability >= _SURE else "en"


def warm_up() -> None:
    """Loads the Latin-script model (~0.5 s) at start-up rather than on a first message."""
    _latin_model()


#: Words that make a Latin-script message a sentence in English rather than a product
#: name or a brand typed in a Chinese conversation ("dong ding oolong 300g", "iPhone").
_ENGLISH_FUNCTION_WORDS = frozenset(
    (
        *("i", "you", "we", "my", "your", "me", "do", "does", "did", "is", "are", "am", "was"),
        *("can", "could", "would", "will", "please", "the", "a", "an", "for", "to", "of", "with"),
        *("have", "has", "want", "need", "how", "what", "when", "where", "which", "this", "that", "it"),
    )
)
_WORD = re.compile(r"[a-zA-Z']+")


def clearly_in(text: str, lang: str) -> bool:
    """Whether the message is plainly written in `lang`, enough to answer in it from now on.

    Chinese: two or more of its characters. Japanese: two kana besides の, which Taiwan
    writes for 的 ("日月潭の紅茶"). English: a sentence of at least three words with one of
    its small function words, and no Chinese at all."""
    if lang == "ja":
        return len(_KANA.findall(text.replace("の", ""))) >= 2
    if lang.startswith("zh"):
        return len(_HAN.findall(text)) + len(_KANA.findall(text)) >= 2
    if lang == "en":
        if _HAN.search(text) or _KANA.search(text):
            return False
        words = [w.lower() for w in _WORD.findall(text)]
        return len(words) >= 3 and any(w in _ENGLISH_FUNCTION_WORDS for w in words)
    return detect_language(text) == lang
