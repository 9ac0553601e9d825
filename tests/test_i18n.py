"""The translation catalogue: complete for zh-TW, placeholders intact, zh-CN derived from it."""

from __future__ import annotations

import string

import pytest
from babel.messages.pofile import read_po

from chatcart.i18n.catalogue import LOCALES_DIR, Translator, normalise_lang
from chatcart.i18n.extract import all_msgids, missing


def _placeholders(text: str) -> set[str]:
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


def _zh_tw_entries() -> dict[str, str]:
    with (LOCALES_DIR / "zh_TW.po").open("rb") as handle:
        catalog = read_po(handle)
    return {str(m.id): str(m.string) for m in catalog if m.id}


def test_every_msgid_has_a_zh_tw_translation() -> None:
    assert all_msgids()
    gaps = missing("zh-TW")
    assert not gaps, "msgids without a zh-TW translation:\n" + "\n".join(gaps)


def test_zh_tw_translations_keep_the_placeholders_of_their_msgid() -> None:
    entries = _zh_tw_entries()
    assert entries
    wrong = {
        msgid: msgstr
        for msgid, msgstr in entries.items()
        if not msgstr or _placeholders(msgstr) != _placeholders(msgid)
    }
    assert not wrong, f"placeholders differ: {wrong}"


def test_zh_cn_is_simplified_from_zh_tw() -> None:
    assert "購物車" in Translator("zh-TW")("My cart")
    assert "购物车" in Translator("zh-CN")("My cart")


def test_english_formats_the_msgid_itself() -> None:
    text = Translator("en")("Added {quantity} × {item} to your cart.", quantity=2, item="Tea")
    assert text == "Added 2 × Tea to your cart."


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh_Hant_TW", "zh-TW"),
        ("zh-tw", "zh-TW"),
        ("zh-HK", "zh-HK"),
        ("zh-Hans-CN", "zh-CN"),
        ("en-GB", "en"),
        ("", "en"),
    ],
)
def test_normalise_lang(lang: str, expected: str) -> None:
    assert normalise_lang(lang) == expected
