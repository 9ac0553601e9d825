"""The translation catalogue: every string a customer reads goes through `Translator`.

Source strings are English msgids in gettext `.po` files (the field's format, editable
with Poedit or Weblate). Chinese variants derive from the Traditional Chinese catalogue
with OpenCC where the shop has not written its own (zh-CN ← zh-TW), so the same words are
never translated twice.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import opencc
from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
SUPPORTED = ("en", "zh-TW", "zh-HK", "zh-CN")
DEFAULT_LANG = "en"


def normalise_lang(lang: str | None) -> str:
    """`zh_Hant_TW`, `zh-tw`, `zh-Hant` → `zh-TW`; unknown languages → English."""
    if not lang:
        return DEFAULT_LANG
    code = lang.replace("_", "-").lower()
    if code.startswith("zh"):
        if "hk" in code or "mo" in code:
            return "zh-HK"
        if "cn" in code or "hans" in code or "sg" in code:
            return "zh-CN"
        return "zh-TW"
    base = code.split("-")[0]
    return base if base != "en" and _is_known_locale(base) else DEFAULT_LANG


def supported_lang(lang: str | None) -> str | None:
    """The catalogue language `lang` names (`zh_Hant` → zh-TW, `en-GB` → en), or None."""
    if not lang or not lang.strip():
        return None
    code = lang.strip().replace("_", "-").lower()
    normalised = normalise_lang(code)
    named = code.startswith("zh") or code.split("-")[0] == normalised.split("-")[0]
    return normalised if named and normalised in SUPPORTED else None


@cache
def _is_known_locale(code: str) -> bool:
    """Only languages Babel can format money and dates for; anything else reads English."""
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


@cache
def _messages(catalogue_lang: str) -> dict[str, str]:
    path = LOCALES_DIR / f"{catalogue_lang.replace('-', '_')}.po"
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


@cache
def _to_simplified() -> opencc.OpenCC:
    return opencc.OpenCC("tw2sp")


def translate(lang: str, msgid: str) -> str:
    lang = normalise_lang(lang)
    if lang in ("zh-TW", "zh-HK"):
        return _messages(lang).get(msgid) or _messages("zh-TW").get(msgid, msgid)
    if lang == "zh-CN":
        own = _messages("zh-CN").get(msgid)
        traditional = _messages("zh-TW").get(msgid)
        return own or (str(_to_simplified().convert(traditional)) if traditional else msgid)
    return _messages(lang).get(msgid, msgid)


class Translator:
    """Bound to one contact's language: `tr("Added {title}.", title=...)`."""

    def __init__(self, lang: str) -> None:
        self.lang = normalise_lang(lang)

    def __call__(self, msgid: str, **params: Any) -> str:
        text = translate(self.lang, msgid)
        return text.format(**params) if params else text


def N_(msgid: str) -> str:
    """Marks a msgid for the catalogue where it is translated later (tables of labels)."""
    return msgid
