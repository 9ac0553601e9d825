"""Shop content in several languages (product titles, FAQ answers, category names)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

import opencc

LocalizedText = Mapping[str, str]


def pick(text: LocalizedText, lang: str, fallback: str = "en") -> str:
    """The text in `lang`, else its base language (zh-HK → zh-TW for Chinese), else any.
    A Simplified-Chinese reader of a shop that wrote Traditional only gets it converted to
    Simplified script, as the bot's own words are, rather than in English."""
    if lang == "zh-CN" and not text.get(lang) and text.get("zh-TW"):
        return str(_to_simplified().convert(text["zh-TW"]))
    for candidate in (lang, _sibling(lang), fallback):
        if candidate and text.get(candidate):
            return text[candidate]
    return next((value for value in text.values() if value), "")


@cache
def _to_simplified() -> opencc.OpenCC:
    """Taiwan's Traditional to mainland Simplified, with its words (軟體 → 软件)."""
    return opencc.OpenCC("tw2sp")


def _sibling(lang: str) -> str:
    if lang.startswith("zh-"):
        return "zh-TW" if lang in ("zh-HK", "zh-MO") else lang
    return lang.split("-")[0]
