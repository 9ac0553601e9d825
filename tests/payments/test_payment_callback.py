"""The sandbox payment page and its callback: the callback proves the amount and currency
paid, not only the token; a bank-transfer order is not paid by card; an order a person
must close cannot be paid by the customer until that person releases it."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from chatcart.commerce.orders import PaymentMethod
from chatcart.payments.sandbox import SandboxProvider
from chatcart.services.payments import release_held_order
from chatcart.services.runtime import Runtime
from tests.conversations.conftest import Customer

from .conftest import (
    CHINESE_ANSWERS,
    KETTLE_SKU,
    buy,
    events_named,
    link_urls,
    messages_starting,
    order_row,
    stock_of,
)

PAID_NOTICE = "Payment received"


def sandbox(shop: Runtime) -> SandboxProvider:
    provider = shop.providers[PaymentMethod.SANDBOX]
    assert isinstance(provider, SandboxProvider)
    return provider


def signed(shop: Runtime, token: str, amount: str, currency: str = "TWD") -> dict[str, str]:
    """A callback the provider really signed, for whatever amount it reports."""
    return {
        "amount": amount,
        "currency": currency,
        "signature": sandbox(shop).signature(token, amount, currency),
    }


def unchanged(shop: Runtime, number: str) -> tuple[str, int, int]:
    return order_row(shop, number).status, events_named(shop, "paid"), messages_starting(shop, PAID_NOTICE)


def result_of(html: str) -> str:
    found = re.search(r'data-result="([a-z_]+)"', html)
    assert found, html
    return found.group(1)


def test_the_page_posts_the_amount_and_currency_signed_with_the_token(
    shop: Runtime, client: TestClient
) -> None:
    placed = buy(shop, Customer(shop, "payer"))
    page = client.get(placed.pay_path)
    fields = dict(re.findall(r'name="(amount|currency|signature)" value="([^"]*)"', page.text))
    assert fields == signed(shop, placed.payment_token, "510.00"), "NT$450 and NT$60 store pickup"
    paid = client.post(placed.pay_path, data=fields)
    assert (paid.status_code, result_of(paid.text)) == (200, "paid")
    assert unchanged(shop, placed.number) == ("paid", 1, 1)


def test_a_callback_for_another_amount_or_currency_is_409_and_changes_nothing(
    shop: Runtime, client: TestClient
) -> None:
    placed = buy(shop, Customer(shop, "short-payer"))
    before = unchanged(shop, placed.number)
    for amount, currency in (("1.00", "TWD"), ("510.01", "TWD"), ("510.00", "USD"), ("-510.00", "TWD")):
        response = client.post(placed.pay_path, data=signed(shop, placed.payment_token, amount, currency))
        assert response.status_code == 409, (amount, currency)
        assert result_of(response.text) == "wrong_amount"
        assert "did not match its total" in response.text
    assert unchanged(shop, placed.number) == before == ("pending_payment", 0, 0)


def test_a_callback_whose_amount_was_changed_after_signing_is_401(shop: Runtime, client: TestClient) -> None:
    placed = buy(shop, Customer(shop, "tamperer"))
    form = signed(shop, placed.payment_token, "1.00")
    for changed in (
        {**form, "amount": "510.00"},
        {**form, "currency": "USD"},
        {"signature": form["signature"]},
        {**form, "signature": "簽名"},
        {**form, "amount": "５１０.００"},
    ):
        assert client.post(placed.pay_path, data=changed).status_code == 401
    assert unchanged(shop, placed.number) == ("pending_payment", 0, 0)


def test_a_signed_callback_without_an_amount_is_400(shop: Runtime, client: TestClient) -> None:
    placed = buy(shop, Customer(shop, "garbler"))
    for amount, currency in (("abc", "TWD"), ("NaN", "TWD"), ("510.00", "")):
        response = client.post(placed.pay_path, data=signed(shop, placed.payment_token, amount, currency))
        assert response.status_code == 400, (amount, currency)
    assert unchanged(shop, placed.number) == ("pending_payment", 0, 0)


def test_a_bank_transfer_order_is_not_paid_on_the_card_page(shop: Runtime, client: TestClient) -> None:
    placed = buy(shop, Customer(shop, "transfer"), method="bank_transfer")
    assert not any("/pay/" in url for url in placed.links)
    path = f"/pay/sandbox/{placed.payment_token}?lang=en"
    assert client.get(path).status_code == 404
    assert client.post(path, data=signed(shop, placed.payment_token, "510.00")).status_code == 404
    assert unchanged(shop, placed.number) == ("pending_payment", 0, 0)


def test_a_high_value_order_is_held_and_its_customer_cannot_pay_it(shop: Runtime, client: TestClient) -> None:
    customer = Customer(shop, "big-spender")
    placed = buy(shop, customer, sku=KETTLE_SKU)
    assert not any("/pay/" in url for url in placed.links), "a person closes this order"
    assert order_row(shop, placed.number).held_for == "high_value"

    customer.taps("BOT")
    customer.taps("ORDERS")
    (tracking,) = link_urls(customer)
    assert placed.payment_token not in tracking, "the tracking link cannot pay"

    pay_path = f"/pay/sandbox/{placed.payment_token}?lang=en"
    page = client.get(pay_path)
    assert (page.status_code, result_of(page.text)) == (409, "held")
    assert "<form" not in page.text and "a person will confirm the details and the payment" in page.text
    paid = client.post(pay_path, data=signed(shop, placed.payment_token, "5980.00"))
    assert (paid.status_code, result_of(paid.text)) == (409, "held")
    assert unchanged(shop, placed.number) == ("pending_payment", 0, 0)
    assert stock_of(shop, KETTLE_SKU) == 2, "the stock stays held for the person's call"


def test_the_held_page_speaks_the_customers_language(shop: Runtime, client: TestClient) -> None:
    placed = buy(shop, Customer(shop, "big-tw", "zh-TW"), sku=KETTLE_SKU, words=CHINESE_ANSWERS)
    page = client.get(f"/pay/sandbox/{placed.payment_token}", headers={"accept-language": "en"})
    assert page.status_code == 409
    assert "專人" in page.text and "a person will confirm" not in page.text


def test_once_a_person_releases_the_hold_the_customer_can_pay(shop: Runtime, client: TestClient) -> None:
    placed = buy(shop, Customer(shop, "big-released"), sku=KETTLE_SKU)
    assert release_held_order(shop, "demo", placed.number)
    assert not release_held_order(shop, "demo", placed.number), "a released hold is released once"
    assert not release_held_order(shop, "demo", "CC-0000-0000")
    paid = client.post(
        f"/pay/sandbox/{placed.payment_token}", data=signed(shop, placed.payment_token, "5980.00")
    )
    assert (paid.status_code, result_of(paid.text)) == (200, "paid")
    assert unchanged(shop, placed.number) == ("paid", 1, 1)
