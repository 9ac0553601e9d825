"""Shop content in several languages (product titles, FAQ answers, category names)."""

from __future__ import annotations

from collections.abc import Mapping

LocalizedText = Mapping[str, str]


def pick(text: LocalizedText, lang: str, fallback: str = "en") -> str:
    """The text in `lang`, else its base language (zh-HK → zh-TW for Chinese), else any."""
    for candidate in (lang, _sibling(lang), fallback):
        if candidate and text.get(candidate):
            return text[candidate]
    return next((value for value in text.values() if value), "")


def _sibling(lang: str) -> str:
    if lang.startswith("zh-"):
        return "zh-TW" if lang in ("zh-HK", "zh-MO") else lang
    return lang.split("-")[0]
