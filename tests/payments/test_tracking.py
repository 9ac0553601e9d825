"""Tracking links show an order and cannot pay it; the order's pages speak the language of
the conversation, not the browser's; a cash-on-delivery order is not "waiting for payment"."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from chatcart.services.runtime import Runtime
from tests.conversations.conftest import Customer

from .conftest import BASE_URL, CHINESE_ANSWERS, KETTLE_SKU, buy, link_urls, token_in

ENGLISH_BROWSER = {"accept-language": "en-US,en;q=0.9"}


def status_text(html: str) -> str:
    found = re.search(r'<p class="status" data-status="[a-z_]+">([^<]*)</p>', html)
    assert found, html
    return found.group(1)


def test_the_tracking_link_carries_its_own_token_which_cannot_pay(shop: Runtime, client: TestClient) -> None:
    placed = buy(shop, Customer(shop, "tracker"))
    track = placed.track_path
    assert token_in(track) == placed.tracking_token != placed.payment_token
    assert placed.payment_token not in track
    assert client.get(track).status_code == 200

    base = track.split("?")[0]
    assert client.get(f"{base}?t={placed.payment_token}").status_code == 404, (
        "the payment token tracks nothing"
    )
    assert client.get(f"/pay/sandbox/{placed.tracking_token}").status_code == 404, (
        "the tracking token pays nothing"
    )


def test_the_order_pages_speak_the_conversations_language_not_the_browsers(
    shop: Runtime, client: TestClient
) -> None:
    placed = buy(shop, Customer(shop, "tw-buyer", "zh-TW"), words=CHINESE_ANSWERS)
    tracking = client.get(placed.track_path, headers=ENGLISH_BROWSER)
    assert '<html lang="zh-TW">' in tracking.text and status_text(tracking.text) == "待付款"
    paying = client.get(placed.pay_path, headers=ENGLISH_BROWSER)
    assert '<html lang="zh-TW">' in paying.text and "Sandbox: no real money moves." not in paying.text


def test_an_explicit_language_choice_on_the_page_still_wins(shop: Runtime, client: TestClient) -> None:
    placed = buy(shop, Customer(shop, "tw-switcher", "zh-TW"), words=CHINESE_ANSWERS)
    page = client.get(placed.track_path + "&lang=en")
    assert status_text(page.text) == "waiting for payment"
    back = re.search(r'href="(\?[^"]*lang=zh-TW[^"]*)"', page.text)
    assert back is not None and "t=" in back.group(1), "the language links keep the tracking token"
    again = client.get(placed.track_path.split("?")[0] + back.group(1).replace("&amp;", "&"))
    assert again.status_code == 200 and status_text(again.text) == "待付款"


def test_a_cash_on_delivery_order_is_confirmed_not_waiting_for_payment(
    shop: Runtime, client: TestClient
) -> None:
    placed = buy(shop, Customer(shop, "cod-buyer"), method="cod")
    page = client.get(placed.track_path)
    assert status_text(page.text) == "confirmed — pay on delivery"
    assert 'data-status="pending_payment"' in page.text


def test_a_held_order_waits_for_the_team_not_for_the_customer(shop: Runtime, client: TestClient) -> None:
    customer = Customer(shop, "big-tracker")
    buy(shop, customer, sku=KETTLE_SKU)
    customer.taps("BOT")
    customer.taps("ORDERS")
    (tracking,) = link_urls(customer)
    page = client.get(tracking.removeprefix(BASE_URL))
    assert status_text(page.text) == "confirmed — our team will contact you about the payment"
