"""Replies come in the customer's language: Japanese and Polish customers of a Taiwanese tea
house are answered in their own language from their first message to the order, while the
shop's titles stay as the shop wrote them; English and Traditional Chinese are unchanged,
and a language with no catalogue is answered in English."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from chatcart.core.money import Money
from chatcart.services.runtime import Runtime
from tests.conversations.conftest import Customer
from tests.conversations.teashop import TEA_SHOP, open_tea_shop

DONG_DING = "凍頂烏龍茶 Dong Ding Oolong"
#: Kana (hiragana and katakana): a reply with none is not Japanese.
KANA = re.compile(r"[\u3040-\u30ff]")


@pytest.fixture
def tea(sqlite_runtime: Runtime) -> Iterator[Runtime]:
    open_tea_shop(sqlite_runtime)
    yield sqlite_runtime


def customer(rt: Runtime, name: str, lang: str = "") -> Customer:
    """A tea-house customer whose channel reported `lang` ("" when it said none)."""
    return Customer(rt, name, lang, workspace=TEA_SHOP)


def test_a_japanese_customer_is_answered_in_japanese_from_search_to_order(tea: Runtime) -> None:
    haruka = customer(tea, "haruka")
    haruka.says("烏龍茶はありますか")
    assert "こちらの商品が見つかりました：" in haruka.text, haruka.text
    assert "DD" in haruka.card_ids
    assert {"商品を見る", "カートを見る", "スタッフに相談する"} <= set(haruka.quick_reply_titles)
    haruka.taps(haruka.payload_of("購入する"))
    assert f"「{DONG_DING}」のサイズをお選びください。" in haruka.text, "the title as the shop wrote it"
    assert "似た商品" in haruka.quick_reply_titles
    haruka.taps("SIZE:DD:150g")
    assert f"「{DONG_DING} (150g)」× 1 をカートに追加しました。" in haruka.text, haruka.text
    assert "お受け取り方法をお選びください。" in haruka.text
    haruka.taps("SHIP:store-711")
    assert "どのセブン-イレブン店舗へお届けしますか？" in haruka.text, haruka.text
    haruka.says("信義門市")
    haruka.says("山田花子 0912345678")
    assert "お支払い方法をお選びください。" in haruka.text, haruka.text
    haruka.taps("PAY:cod")
    assert "ご注文内容をご確認ください：" in haruka.text and "合計：NT$510" in haruka.text, haruka.text
    assert haruka.payload_of("注文を確定する").startswith("CONFIRM:")
    haruka.taps(haruka.payload_starting("CONFIRM:"))
    placed = r"ご注文 CC-\w{4}-\w{4} を承りました。合計金額は NT\$510 です。"
    assert re.search(placed, haruka.text), haruka.text
    assert "代金 NT$510 を現金でお支払いください。" in haruka.text


def test_a_polish_customer_is_answered_in_polish_from_search_to_order(tea: Runtime) -> None:
    ola = customer(tea, "ola")
    ola.says("Czy macie herbatę oolong?")
    assert "Oto, co udało mi się znaleźć:" in ola.text, ola.text
    assert "DD" in ola.card_ids
    assert {"Przeglądaj produkty", "Mój koszyk", "Zapytaj konsultanta"} <= set(ola.quick_reply_titles)
    ola.taps(ola.payload_of("Kup"))
    assert f"Wybierz rozmiar produktu {DONG_DING}." in ola.text, ola.text
    ola.taps("SIZE:DD:300g")
    assert f"Dodano do koszyka: {DONG_DING} (300g) × 1." in ola.text, ola.text
    ola.taps("CART")
    subtotal = Money.of(850, "TWD").format("pl")
    assert f"Suma częściowa: {subtotal} (1 szt.)" in ola.text, ola.text
    ola.taps("CHECKOUT")
    ola.taps("SHIP:store-family")
    assert "Do którego sklepu FamilyMart mamy wysłać paczkę?" in ola.text, ola.text
    ola.says("Xinyi")
    ola.says("Anna Kowalska 0912345678")
    ola.taps("PAY:bank_transfer")
    assert "Sprawdź, proszę, swoje zamówienie:" in ola.text, ola.text
    ola.taps(ola.payload_of("Zamawiam i płacę"))
    total = Money.of(910, "TWD").format("pl")
    placed = rf"Zamówienie CC-\w{{4}}-\w{{4}} zostało złożone\. Razem: {re.escape(total)}\."
    assert re.search(placed, ola.text), ola.text
    assert f"Prosimy o przelew kwoty {total}" in ola.text


def test_a_japanese_browser_is_welcomed_in_japanese_with_the_shop_name(tea: Runtime) -> None:
    ken = customer(tea, "ken", "ja-JP")
    ken.says("hi")
    assert "いらっしゃいませ！山嵐茶行へようこそ。" in ken.text, ken.text
    assert ken.quick_reply_titles == [
        "商品を見る",
        "検索",
        "ご注文履歴",
        "よくあるご質問",
        "スタッフに相談する",
    ]


def test_kanji_alone_keep_a_japanese_customer_in_japanese(tea: Runtime) -> None:
    """烏龍茶 or a product name is as Japanese as it is Chinese."""
    yui = customer(tea, "yui", "ja")
    yui.says("阿里山高山茶")
    assert KANA.search(yui.text) and "幫您" not in yui.text, yui.text


def test_a_taiwanese_no_does_not_make_a_chinese_message_japanese(tea: Runtime) -> None:
    """Taiwan writes の for 的 ("日月潭の紅茶"): one の is not Japanese."""
    mei = customer(tea, "mei", "zh-TW")
    mei.says("有日月潭の紅茶嗎")
    assert "幫您找到這些商品：" in mei.text, mei.text
    assert not KANA.search(mei.text)


def test_a_japanese_customer_who_asks_for_english_keeps_it(tea: Runtime) -> None:
    sora = customer(tea, "sora", "ja")
    sora.says("English please")
    assert "OK, I'll continue in English." in sora.text, sora.text
    sora.says("紅茶はありますか")
    assert "Here is what I found:" in sora.text, "a chosen language is kept"


def test_the_polish_button_switches_to_polish_and_says_so_in_polish(tea: Runtime) -> None:
    amy = customer(tea, "amy", "en")
    amy.taps("LANG:pl")
    assert "Dobrze, od teraz piszę po polsku." in amy.text, amy.text
    amy.says("do you have oolong tea")
    assert "Oto, co udało mi się znaleźć:" in amy.text, "a chosen language is kept"


def test_english_and_traditional_chinese_replies_are_unchanged(tea: Runtime) -> None:
    amy = customer(tea, "amy", "en")
    amy.says("do you have oolong tea")
    assert "Here is what I found:" in amy.text, amy.text
    assert "Browse products" in amy.quick_reply_titles
    mei = customer(tea, "mei", "zh-TW")
    mei.says("有烏龍茶嗎")
    assert "幫您找到這些商品：" in mei.text, mei.text
    assert "瀏覽商品" in mei.quick_reply_titles
    mei.taps("BUY:DD")
    assert f"「{DONG_DING}」要哪個尺寸呢？" in mei.text or f"{DONG_DING} 要哪個規格？" in mei.text, mei.text


def test_a_language_without_a_catalogue_is_answered_in_english(tea: Runtime) -> None:
    luc = customer(tea, "luc", "fr-FR")
    luc.says("hi")
    assert "Hi, welcome to 山嵐茶行! I'm the shop's assistant." in luc.text, luc.text
