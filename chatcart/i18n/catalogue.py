"""The translation catalogue: every string a customer reads goes through `Translator`.

Source strings are English msgids in gettext `.po` files (the field's format, editable
with Poedit or Weblate). Traditional Chinese, Japanese and Polish are written; the other
Chinese variants derive from the Traditional Chinese catalogue with OpenCC where the shop
has not written its own (zh-CN ← zh-TW), so the same words are never translated twice.
Any other language reads English.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import opencc
from babel import Locale, UnknownLocaleError
from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).parent / "locales"
#: The languages replies come in: a contact in any other language is answered in English.
SUPPORTED = ("en", "zh-TW", "zh-HK", "zh-CN", "ja", "pl")
DEFAULT_LANG = "en"
#: RFC 5646 caps a well-formed tag at 35 characters for the parts anyone uses (language,
#: extlang, script, region, variants); longer input is not a language, whoever sends it.
MAX_TAG_LENGTH = 35
_BCP47 = re.compile(
    r"""
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})   # language (with extlang)
    (?:-[a-z]{4})?                               # script
    (?:-(?:[a-z]{2}|[0-9]{3}))?                  # region
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*     # variants
    (?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*          # extensions
    (?:-x(?:-[a-z0-9]{1,8})+)?                   # private use
    """,
    re.VERBOSE,
)
#: Bounds on the caches below: they are keyed by what clients send (after validation), so
#: no sequence of requests can grow them past these sizes.
_LOCALES_REMEMBERED = 256
_CATALOGUES_REMEMBERED = 32


def language_tag(lang: str | None) -> str | None:
    """`lang` as a well-formed BCP 47 tag, lower-cased with `-` separators (`zh_Hant_TW` →
    `zh-hant-tw`), or None when it is not one: the gate every client-sent language passes
    before it reaches a cache or a lookup."""
    if not lang:
        return None
    code = lang.strip().replace("_", "-").lower()
    if len(code) > MAX_TAG_LENGTH or not _BCP47.fullmatch(code):
        return None
    return code


def normalise_lang(lang: str | None) -> str:
    """`zh_Hant_TW`, `zh-tw`, `zh-Hant` → `zh-TW`; unknown or malformed languages → English."""
    code = language_tag(lang)
    if code is None:
        return DEFAULT_LANG
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
    code = language_tag(lang)
    if code is None:
        return None
    normalised = normalise_lang(code)
    named = code.startswith("zh") or code.split("-")[0] == normalised.split("-")[0]
    return normalised if named and normalised in SUPPORTED else None


@lru_cache(maxsize=_LOCALES_REMEMBERED)
def _is_known_locale(code: str) -> bool:
    """Only languages Babel can format money and dates for; anything else reads English."""
    try:
        Locale.parse(code)
    except (ValueError, UnknownLocaleError):
        return False
    return True


@lru_cache(maxsize=_CATALOGUES_REMEMBERED)
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


def has_translation(lang: str, msgid: str) -> bool:
    """Whether `lang`'s catalogue, or the one it derives from (zh-TW for zh-HK and zh-CN),
    has words for `msgid`. Asked of the catalogue rather than of `translate`, because a
    translation may rightly be the msgid itself ("Menu" in Polish)."""
    lang = normalise_lang(lang)
    sources = (lang, "zh-TW") if lang.startswith("zh") else (lang,)
    return any(msgid in _messages(source) for source in sources)


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
