"""A question the shop's FAQ answers gets that answer, even when one of its words names
something the bot can do ("my order", 下單, 有什麼); the bare request still does what it says;
and a question nobody can answer from the FAQ gets an honest "a person can tell you"."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chatcart.services.runtime import Runtime
from tests.conversations.conftest import Customer

PICKUP = "pick up your order at any 7-ELEVEN or FamilyMart"


def test_my_order_in_a_pickup_question_gets_the_faq_answer_not_order_lookup(customer: Customer) -> None:
    customer.says("can I collect my order somewhere?")
    assert PICKUP in customer.text, customer.text
    assert "You have no orders yet" not in customer.text


def test_the_issue_s_own_pickup_question_gets_the_faq_answer(customer: Customer) -> None:
    customer.says("can I collect my order in person somewhere?")
    assert PICKUP in customer.text, customer.text


@pytest.mark.parametrize("text", ["where is my order?", "my orders?", "how do I track my order?"])
def test_asking_for_the_orders_themselves_still_looks_them_up(customer: Customer, text: str) -> None:
    customer.says(text)
    assert "You have no orders yet" in customer.text, f"{text!r}: {customer.text}"


def test_an_order_number_is_looked_up_whatever_else_is_asked(customer: Customer) -> None:
    customer.says("can I collect order CC-7K3F-9QDA somewhere?")
    assert "I can't find order CC-7K3F-9QDA" in customer.text, customer.text


def test_a_delivery_question_with_the_word_for_ordering_gets_the_shipping_answer(
    tw_customer: Customer,
) -> None:
    tw_customer.says("下單後幾天可以收到？")
    assert "工作天" in tw_customer.text and "購物車是空的" not in tw_customer.text, tw_customer.text


def test_asking_to_check_out_is_not_taken_for_an_faq_question(tw_customer: Customer) -> None:
    tw_customer.says("我要結帳可以嗎")
    assert "購物車是空的" in tw_customer.text, tw_customer.text


def test_a_simplified_question_gets_the_traditional_answer_in_simplified_script(shop: Runtime) -> None:
    mainland = Customer(shop, "wang", "zh-CN")
    mainland.says("满多少包邮？")
    assert "NT$1,000 即享免运" in mainland.text, (
        f"the zh-TW answer in Simplified, not English: {mainland.text}"
    )


def test_a_question_the_faq_does_not_answer_offers_a_person(customer: Customer) -> None:
    customer.says("do u guys deliver to hong kong")
    assert "a person from our team can tell you" in customer.text, customer.text
    assert "Talk to a person" in customer.quick_reply_titles


@pytest.mark.parametrize("text", ["gift under 1000", "送禮 1000元以內", "a gift for my dad under 1000"])
def test_a_shopping_request_with_a_budget_gets_products_not_an_faq_answer(
    customer: Customer, text: str
) -> None:
    """The demo's FAQ has a gift-wrapping entry; someone naming a budget wants products."""
    customer.says(text)

    prices = [Decimal(card["price"]) for card in customer.cards]
    assert prices, customer.text
    assert max(prices) <= 1000, prices
