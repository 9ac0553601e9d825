"""The trained understander on messages the keyword lists do not hold, in the five languages
of the commerce set; commands stay with the keywords, and a guess never hands a buying
customer to a person."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chatcart.nlu.interface import Context, Intent
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.trained import TrainedUnderstander, commerce_classifier


@pytest.fixture(scope="module")
def trained() -> TrainedUnderstander:
    return TrainedUnderstander()


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("this arrived broken!!", Intent.COMPLAINT),
        ("third week waiting for my parcel, amazing service really", Intent.COMPLAINT),
        ("收到的杯子整個裂開 你們都不檢查的嗎", Intent.COMPLAINT),
        ("paczka przyszła zniszczona, jestem wściekła", Intent.COMPLAINT),
        ("届いた商品が壊れていました。どうなってるんですか", Intent.COMPLAINT),
        ("can i speak with someone from your team", Intent.HUMAN),
        ("人間のスタッフにつないでもらえますか", Intent.HUMAN),
        ("chcę porozmawiać z konsultantem", Intent.HUMAN),
        ("where's my order CC-334-AHN", Intent.ORDER_STATUS),
        ("亲 我的快递到哪了", Intent.ORDER_STATUS),
        ("gdzie jest moja paczka?", Intent.ORDER_STATUS),
        ("有沒有適合乾性肌膚的保濕乳液 500 元以內", Intent.SEARCH),
        ("what do you guys sell", Intent.BROWSE),
    ],
)
def test_intents_the_keyword_lists_miss_are_named(
    trained: TrainedUnderstander, text: str, intent: Intent
) -> None:
    understood = trained.understand(text, Context("en"))

    assert understood.intent == intent, (text, understood.intent, understood.confidence)
    assert understood.confidence >= 0.6


@pytest.mark.parametrize(
    "text", ["czy macie tę sukienkę w rozmiarze M?", "czy macie te sukienke w rozmiarze M", "這件有 M 嗎"]
)
def test_a_question_about_a_products_size_is_about_the_product(text: str) -> None:
    """Availability and product questions both go to the FAQ and then the catalog."""
    label = commerce_classifier().predict([text])[0].intent

    assert label in ("availability", "product_question", "search_product"), label


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather like in taipei tomorrow",
        "明天台北會下雨嗎",
        "kto wygrał wczoraj mecz?",
        "tell me a joke",
    ],
)
def test_messages_no_shop_answers_get_no_intent(trained: TrainedUnderstander, text: str) -> None:
    assert trained.understand(text, Context("en")).intent is None


def test_entities_and_the_search_words_are_the_keyword_understanders(trained: TrainedUnderstander) -> None:
    text = "有沒有適合乾性肌膚的保濕乳液 500 元以內"

    understood = trained.understand(text, Context("zh-TW"))
    keywords = KeywordUnderstander().understand(text, Context("zh-TW"))

    assert understood.entities == keywords.entities and understood.entities.price_max == Decimal(500)
    assert understood.remainder == keywords.remainder


@pytest.mark.parametrize("text", ["checkout", "結帳", "取消", "menu"])
def test_commands_stay_with_the_keywords(trained: TrainedUnderstander, text: str) -> None:
    keywords = KeywordUnderstander().understand(text, Context("en"))

    assert trained.understand(text, Context("en")).intent == keywords.intent is not None


@pytest.mark.parametrize(("text", "step"), [("red", "buy.variant"), ("change the store", "checkout.store")])
def test_an_answer_at_a_step_is_left_to_the_step(trained: TrainedUnderstander, text: str, step: str) -> None:
    understood = trained.understand(text, Context("en", step))

    assert understood.intent not in (Intent.COMPLAINT, Intent.HUMAN)


def test_an_angry_message_at_a_step_still_reaches_a_person(trained: TrainedUnderstander) -> None:
    understood = trained.understand(
        "this is the worst shop ever, nobody answers me", Context("en", "checkout.store")
    )

    assert understood.intent == Intent.COMPLAINT
