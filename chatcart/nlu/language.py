"""Which language a customer writes in, from the characters themselves (offline, instant)."""

from __future__ import annotations

import re
from functools import cache

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
        if simplified_only == traditional_only:
            return "zh"  # 你好 is written the same in both scripts: the caller keeps its variant
        return "zh-CN" if simplified_only > traditional_only else "zh-TW"
    if _POLISH.search(text):
        return "pl"
    if len(_LATIN.findall(text)) >= 4:
        return "en"
    return None
