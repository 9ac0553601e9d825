"""The offline understander: intents, entities and language from English and Chinese messages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chatcart.nlu.interface import Context, Understanding
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.language import detect_language
from chatcart.nlu.text import contains_term, normalise, similarity


def understand(text: str, lang: str = "zh-TW") -> Understanding:
    return KeywordUnderstander().understand(text, Context(lang))


def intent_of(text: str) -> str | None:
    return understand(text).intent


# ----------------------------------------------------------------------------- intents


@pytest.mark.parametrize("text", ["hello", "Hello!", "hi there", "你好", "早安"])
def test_greetings_are_greet(text: str) -> None:
    assert intent_of(text) == "greet"


@pytest.mark.parametrize(
    "text",
    [
        "我要找真人客服",
        "I want to talk to a person",
        "客服在嗎",
        "can I talk to a human",
        "有没有活人啊，叫个能说话的来",
    ],
)
def test_asking_for_a_person_is_human_not_search(text: str) -> None:
    understood = understand(text)

    assert understood.intent == "human", f"{text!r} was read as {understood.intent!r}"


@pytest.mark.parametrize("text", ["這個壞掉了我很生氣", "这个坏掉了我很生气", "the box arrived damaged"])
def test_angry_or_broken_is_a_complaint(text: str) -> None:
    assert intent_of(text) == "complaint"


def test_where_is_my_order_with_a_number_is_order_status_with_that_number() -> None:
    understood = understand("where is my order CC-7K3-9QF", "en")

    assert understood.intent == "order_status"
    assert understood.entities.order_number == "CC-7K3-9QF"
    assert understood.entities.price_min is None, "the digits 3-9 of an order number are not a price range"
    assert understood.entities.price_max is None, "the digits 3-9 of an order number are not a price range"


def test_an_order_number_typed_in_lower_case_is_upper_cased() -> None:
    assert understand("查詢訂單 cc-7k3-9qf").entities.order_number == "CC-7K3-9QF"


def test_red_dress_under_1000_gives_colour_price_and_the_search_words() -> None:
    understood = understand("red dress under 1000", "en")

    assert understood.entities.color == "red"
    assert understood.entities.price_max == Decimal(1000)
    assert understood.entities.price_min is None
    assert understood.remainder == "red dress", "the colour stays a search word too: 'black tea' is a name"


def test_simplified_lipstick_under_500_gives_a_traditional_remainder_and_no_colour() -> None:
    understood = understand("保湿的口红 500元以下")

    assert understood.entities.price_max == Decimal(500)
    assert "口紅" in understood.remainder, f"remainder should be Traditional, got {understood.remainder!r}"
    assert "500" not in understood.remainder, "the price phrase belongs to the entities, not the search"
    assert understood.entities.color is None, "紅 inside 口紅 (lipstick) is not the colour red"


def test_a_chinese_colour_word_is_found() -> None:
    assert understand("紅色的洋裝").entities.color == "red"
    assert understand("深藍色外套").entities.color == "navy", "the longest colour word wins over 藍色"


def test_a_price_range_gives_both_bounds() -> None:
    entities = understand("dress 500-1,200").entities

    assert (entities.price_min, entities.price_max) == (Decimal(500), Decimal(1200))


def test_a_minimum_price_in_chinese() -> None:
    assert understand("1000元以上的包包").entities.price_min == Decimal(1000)


@pytest.mark.parametrize(("text", "quantity"), [("買3個", 3), ("我要兩瓶", 2), ("x 4", 4), ("5 pcs", 5)])
def test_quantities_in_digits_and_chinese_numerals(text: str, quantity: int) -> None:
    assert understand(text).entities.quantity == quantity


def test_no_number_means_no_quantity() -> None:
    assert understand("我想看看口紅").entities.quantity is None


def test_a_typo_in_checkout_still_means_checkout_with_less_confidence() -> None:
    understood = understand("chekout", "en")

    assert understood.intent == "checkout"
    assert 0 < understood.confidence < understand("checkout", "en").confidence


@pytest.mark.parametrize("text", ["yes", "Yes", "ok", "好的", "确认"])
def test_agreement_is_yes(text: str) -> None:
    assert intent_of(text) == "yes"


def test_good_tea_is_not_yes() -> None:
    assert intent_of("好茶") != "yes", "好 in 好茶 (good tea) is not agreement"


def test_a_specific_intent_beats_a_weak_one_in_the_same_message() -> None:
    assert intent_of("I want to checkout") == "checkout"


def test_search_words_are_stripped_from_the_remainder() -> None:
    understood = understand("I need a lipstick", "en")

    assert understood.intent == "search"
    assert "i need" not in understood.remainder
    assert "lipstick" in understood.remainder


def test_a_message_with_no_keyword_has_no_intent_and_is_kept_for_search() -> None:
    understood = understand("玫瑰唇膏")

    assert understood.intent is None
    assert understood.confidence == 0.0
    assert understood.remainder == normalise("玫瑰唇膏")


def test_the_understanding_keeps_the_original_text_and_its_language() -> None:
    understood = understand("保湿的口红")

    assert understood.text == "保湿的口红"
    assert understood.normalised != understood.text
    assert understood.lang == "zh-CN"


# ----------------------------------------------------------------------------- language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("這個壞掉了", "zh-TW"),
        ("我想買口紅", "zh-TW"),
        ("这个坏掉了", "zh-CN"),
        ("我想买口红", "zh-CN"),
        ("こんにちは", "ja"),
        ("口紅はありますか", "ja"),
        ("안녕하세요", "ko"),
        ("Gdzie jest moja przesyłka?", "pl"),
        ("Where is my parcel?", "en"),
    ],
)
def test_detect_language_from_the_characters(text: str, lang: str) -> None:
    assert detect_language(text) == lang


@pytest.mark.parametrize("text", ["ok", "12345", "😀", "", "hi!"])
def test_too_little_text_has_no_language(text: str) -> None:
    assert detect_language(text) is None


# ----------------------------------------------------------------------------- text


def test_normalise_folds_full_width_to_lower_case_half_width() -> None:
    assert normalise("ＡＢＣ１２３") == "abc123"


def test_normalise_converts_simplified_to_traditional() -> None:
    assert normalise("口红") == "口紅"
    assert normalise("头发") == "頭髮"


def test_normalise_collapses_whitespace() -> None:
    assert normalise("  Red   Dress\n") == "red dress"


def test_normalise_leaves_traditional_text_alone() -> None:
    assert normalise("我想買口紅") == "我想買口紅"


def test_contains_term_matches_latin_words_whole() -> None:
    assert contains_term("a red dress", "red")
    assert contains_term("red-dress", "red")
    assert not contains_term("i am bored", "red"), "'red' inside 'bored' is not the word red"
    assert not contains_term("reddish", "red")


def test_contains_term_matches_cjk_as_a_substring() -> None:
    assert contains_term("我想買口紅", "口紅")
    assert not contains_term("我想買唇膏", "口紅")


def test_contains_term_of_an_empty_term_is_false() -> None:
    assert not contains_term("anything", "")


def test_similarity_of_cjk_uses_shared_bigrams() -> None:
    assert similarity("運費多少", "運費多少") == 1.0
    assert similarity("運費多少錢", "運費多少") > 0.7
    assert similarity("運費多少", "可以退貨嗎") == 0.0


@pytest.mark.parametrize(
    ("text", "email", "phone"),
    [
        ("my email is mei.chen+shop@gmail.com, phone 0912345678", "mei.chen+shop@gmail.com", "0912345678"),
        ("寄到wang0912345678@yahoo.com.tw 謝謝", "wang0912345678@yahoo.com.tw", None),
        ("Mail: Jan.Kowalski@wp.pl", "jan.kowalski@wp.pl", None),
        ("no email here, 2 packs", None, None),
    ],
)
def test_an_email_is_an_entity_and_its_digits_are_not_a_phone(
    text: str, email: str | None, phone: str | None
) -> None:
    entities = understand(text).entities

    assert (entities.email, entities.phone) == (email, phone)
