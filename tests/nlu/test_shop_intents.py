"""The shop's own intents as the understanders recognise them, measured on the tea house's
held-out phrasings (bench/nlu/shop_intents.yaml) and on commerce messages that are none of
them: floors a few points under what bench/shop_intents_bench.py measures (docs/nlu.md)."""

from __future__ import annotations

import pytest

from bench.shop_intents_bench import _load, measure
from chatcart.commerce.content import ShopIntents
from chatcart.nlu.interface import Context
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.trained import TrainedUnderstander, commerce_classifier, shop_classifier

#: Every fifth commerce test message: 760 in five languages, enough to see 1% of false alarms.
_EVERY = 5


@pytest.fixture(scope="module")
def tea_house() -> tuple[ShopIntents, list[tuple[str, str, str]], list[tuple[str, str]]]:
    intents, held_out, others = _load()
    return intents, held_out, others[::_EVERY]


def test_the_trained_understander_recognises_most_phrasings_it_never_saw(
    tea_house: tuple[ShopIntents, list[tuple[str, str, str]], list[tuple[str, str]]],
) -> None:
    figures = measure(TrainedUnderstander(), *tea_house)
    assert figures["recall"] >= 0.50
    assert figures["wrong"] <= 0.04
    assert figures["false_alarms"] <= 0.012


def test_retrieval_alone_is_kept_sure_of_itself(
    tea_house: tuple[ShopIntents, list[tuple[str, str, str]], list[tuple[str, str]]],
) -> None:
    figures = measure(KeywordUnderstander(), *tea_house)
    assert figures["recall"] >= 0.15
    assert figures["false_alarms"] <= 0.012


def test_a_command_said_exactly_is_never_a_shop_intent(
    tea_house: tuple[ShopIntents, list[tuple[str, str, str]], list[tuple[str, str]]],
) -> None:
    intents = tea_house[0]
    for understander in (TrainedUnderstander(), KeywordUnderstander()):
        for command in ("checkout", "cart", "結帳", "取消"):
            assert understander.understand(command, Context("en", intents=intents)).shop_intent is None


def test_what_the_shop_did_not_teach_keeps_the_commerce_threshold(
    tea_house: tuple[ShopIntents, list[tuple[str, str, str]], list[tuple[str, str]]],
) -> None:
    intents = tea_house[0]
    assert shop_classifier(intents).threshold == commerce_classifier().threshold
    assert {f"shop:{i.id}" for i in intents.intents} <= set(shop_classifier(intents).intents)
