"""'Cheaper?' after products were shown: the same kind for less, in the customer's words,
and an honest answer when there is nothing cheaper; a message that names another product is
still a search."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .conftest import Customer


def prices(customer: Customer) -> list[Decimal]:
    return [Decimal(card["price"]) for card in customer.cards]


@pytest.mark.parametrize("follow_up", ["cheaper?", "anything cheaper pls", "too expensive"])
def test_cheaper_after_cards_shows_the_same_kind_for_less(customer: Customer, follow_up: str) -> None:
    customer.says("linen dress")
    dress = min(prices(customer))

    customer.says(follow_up)

    assert "Cheaper than Linen Wrap Dress" in customer.text, customer.text
    assert prices(customer) and max(prices(customer)) < dress


def test_cheaper_in_chinese_while_a_size_is_asked(tw_customer: Customer) -> None:
    tw_customer.says("亞麻洋裝")
    assert "規格" in tw_customer.text

    tw_customer.says("有沒有便宜一點的")

    assert "更便宜的選擇" in tw_customer.text, tw_customer.text
    assert prices(tw_customer) and max(prices(tw_customer)) < Decimal(890)


def test_nothing_cheaper_is_said_plainly(customer: Customer) -> None:
    customer.says("linen dress")
    customer.says("cheaper?")
    customer.says("cheaper?")

    assert "Oversized Cotton Tee is already the lowest price" in customer.text, customer.text
    assert not customer.cards


def test_a_cheaper_request_naming_another_product_is_a_search(customer: Customer) -> None:
    customer.says("linen dress")

    customer.says("cheaper lip balm")

    assert "Cheaper than" not in customer.text
    assert any("Lip Balm" in card["title"] for card in customer.cards), customer.text


def test_without_anything_shown_cheaper_is_not_a_comparison(customer: Customer) -> None:
    customer.says("cheaper?")

    assert "Cheaper than" not in customer.text
