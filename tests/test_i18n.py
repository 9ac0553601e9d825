"""The translation catalogue: complete for zh-TW, ja and pl, placeholders intact, zh-CN
derived from zh-TW, Polish counts that read right for any number, and shop content that
falls back to English for a language the shop did not write."""

from __future__ import annotations

import gettext
import re
import string

import pytest
from babel.messages.pofile import read_po

from chatcart.core.text import pick
from chatcart.i18n.catalogue import (
    LOCALES_DIR,
    SUPPORTED,
    Translator,
    has_translation,
    normalise_lang,
    supported_lang,
)
from chatcart.i18n.extract import WRITTEN, all_msgids, missing

#: Polish words that are the English ones too; no other written translation may be its msgid.
SAME_IN_POLISH = {"Menu", "{label}: {amount}", "7-ELEVEN", "FamilyMart"}
#: A count placeholder followed by a word other than these would need Polish plural forms
#: ("2 produkty", "5 produktów"), which a str.format string cannot choose between.
_COUNT_THEN_WORD = re.compile(r"\{(?:count|available|limit|quantity)\}\s+(?!szt\.|więcej\b)\w")


def _placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


def _entries(lang: str) -> dict[str, str]:
    with (LOCALES_DIR / f"{lang.replace('-', '_')}.po").open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_japanese_and_polish_are_written_and_supported() -> None:
    assert {"zh-TW", "ja", "pl"} <= set(WRITTEN)
    assert {"ja", "pl"} <= set(SUPPORTED)


@pytest.mark.parametrize("lang", ["zh-TW", "ja", "pl"])
def test_every_msgid_has_a_translation(lang: str) -> None:
    assert all_msgids()
    gaps = missing(lang)
    assert not gaps, f"msgids without a {lang} translation:\n" + "\n".join(gaps)


@pytest.mark.parametrize("lang", ["ja", "pl"])
def test_every_entry_of_the_zh_tw_catalogue_is_translated(lang: str) -> None:
    """Also the msgids the extractor cannot see, such as a carrier read through tr()."""
    translated = {msgid for msgid, msgstr in _entries(lang).items() if msgstr}
    assert set(_entries("zh-TW")) - translated == set()


@pytest.mark.parametrize("lang", ["zh-TW", "ja", "pl"])
def test_translations_keep_the_placeholders_of_their_msgid(lang: str) -> None:
    entries = _entries(lang)
    assert entries
    wrong = {
        msgid: msgstr
        for msgid, msgstr in entries.items()
        if not msgstr or _placeholders(msgstr) != _placeholders(msgid)
    }
    assert not wrong, f"placeholders differ: {wrong}"


@pytest.mark.parametrize(("lang", "allowed"), [("ja", set()), ("pl", SAME_IN_POLISH)])
def test_no_translation_is_a_copy_of_its_english_msgid(lang: str, allowed: set[str]) -> None:
    copies = {msgid for msgid, msgstr in _entries(lang).items() if msgstr == msgid}
    assert copies <= allowed, f"left in English: {copies - allowed}"


def test_japanese_uses_full_width_punctuation() -> None:
    half_width = {
        msgid: msgstr
        for msgid, msgstr in _entries("ja").items()
        if re.search(r"[?!:()]", re.sub(r"\{\w+\}", "", msgstr))
    }
    assert not half_width, half_width


def test_polish_counts_read_right_for_any_number() -> None:
    needs_plurals = {msgid: s for msgid, s in _entries("pl").items() if _COUNT_THEN_WORD.search(s)}
    assert not needs_plurals, needs_plurals


def test_the_polish_header_has_polish_plural_forms() -> None:
    with (LOCALES_DIR / "pl.po").open("rb") as handle:
        catalog = read_po(handle)
    assert catalog.num_plurals == 3
    form = gettext.c2py(catalog.plural_expr)
    assert [form(n) for n in (1, 2, 4, 5, 12, 21, 22, 25, 104, 112)] == [0, 1, 1, 2, 2, 2, 1, 2, 1, 2]


def test_zh_cn_is_simplified_from_zh_tw() -> None:
    assert "購物車" in Translator("zh-TW")("My cart")
    assert "购物车" in Translator("zh-CN")("My cart")


def test_english_formats_the_msgid_itself() -> None:
    text = Translator("en")("Added {quantity} × {item} to your cart.", quantity=2, item="Tea")
    assert text == "Added 2 × Tea to your cart."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja-JP", "「Tea」× 2 をカートに追加しました。"),
        ("pl_PL", "Dodano do koszyka: Tea × 2."),
        ("fr", "Added 2 × Tea to your cart."),
    ],
)
def test_japanese_and_polish_fill_the_placeholders(lang: str, expected: str) -> None:
    assert Translator(lang)("Added {quantity} × {item} to your cart.", quantity=2, item="Tea") == expected


def test_a_translation_equal_to_its_msgid_still_counts_as_written() -> None:
    assert has_translation("pl", "Menu") and Translator("pl")("Menu") == "Menu"
    assert has_translation("zh-CN", "My cart"), "derived from zh-TW"
    assert not has_translation("en", "My cart"), "English is the msgids, not a catalogue"
    assert not has_translation("ja", "a msgid no code says")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh_Hant_TW", "zh-TW"),
        ("zh-tw", "zh-TW"),
        ("zh-HK", "zh-HK"),
        ("zh-Hans-CN", "zh-CN"),
        ("en-GB", "en"),
        ("ja-JP", "ja"),
        ("pl_PL", "pl"),
        ("", "en"),
    ],
)
def test_normalise_lang(lang: str, expected: str) -> None:
    assert normalise_lang(lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("ja-JP", "ja"), ("ja", "ja"), ("pl-PL", "pl"), ("zh-Hant", "zh-TW"), ("fr-FR", None), ("de", None)],
)
def test_supported_lang(lang: str, expected: str | None) -> None:
    assert supported_lang(lang) == expected


#: A category the shop named in its own language and in English, as the tea house does.
TEA = {"zh-TW": "茶葉", "en": "Tea"}


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ({**TEA, "ja": "日本茶", "pl": "Herbata"}, "ja", "日本茶"),
        ({**TEA, "ja": "日本茶", "pl": "Herbata"}, "pl", "Herbata"),
        (TEA, "ja", "Tea"),
        (TEA, "pl", "Tea"),
        ({"zh-TW": "凍頂烏龍茶"}, "pl", "凍頂烏龍茶"),
        (TEA, "zh-TW", "茶葉"),
    ],
)
def test_shop_content_falls_back_to_english_then_to_what_the_shop_wrote(
    text: dict[str, str], lang: str, expected: str
) -> None:
    assert pick(text, lang) == expected
