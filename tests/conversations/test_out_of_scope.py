"""What no shop answers gets a plain answer and the menu, not products that share a word
with it; a policy question in Japanese stays with the bot. Telling what is outside the shop
is the trained understander's (the keyword one has no out-of-scope class), so these run on
it whatever understander the suite runs with."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chatcart.services.runtime import Runtime
from tests.conftest import FakeClock

from .conftest import Customer, demo_shop_on


@pytest.fixture
def trained_shop(sqlite_url: str, clock: FakeClock) -> Iterator[Runtime]:
    with demo_shop_on(sqlite_url, clock, "trained") as rt:
        yield rt


@pytest.fixture
def customer(trained_shop: Runtime) -> Customer:
    return Customer(trained_shop, "alice", "en")


@pytest.fixture
def tw_customer(trained_shop: Runtime) -> Customer:
    return Customer(trained_shop, "mei", "zh-TW")


OUTSIDE = "I can only help with our shop"


@pytest.mark.parametrize("text", ["whats the weather like in taipei tomorrow", "tell me a joke"])
def test_a_question_outside_the_shop_is_answered_as_such(customer: Customer, text: str) -> None:
    customer.says(text)

    assert OUTSIDE in customer.text, customer.text
    assert not customer.cards
    assert "Menu" in customer.quick_reply_titles or "Browse products" in customer.quick_reply_titles


def test_outside_the_shop_in_chinese_is_answered_in_chinese(tw_customer: Customer) -> None:
    tw_customer.says("明天會下雨嗎")

    assert "我只能協助本店的事" in tw_customer.text, tw_customer.text
    assert not tw_customer.cards


@pytest.mark.parametrize("text", ["linen dress", "something for oily skin", "gift under 1000"])
def test_shopping_is_never_taken_for_outside_the_shop(customer: Customer, text: str) -> None:
    customer.says(text)

    assert OUTSIDE not in customer.text
    assert customer.cards, customer.text


def test_asking_in_japanese_whether_returns_are_possible_is_not_a_complaint(customer: Customer) -> None:
    customer.says("返品できますか")

    assert "passed your message to a person" not in customer.text, customer.text
