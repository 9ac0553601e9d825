"""The HTTP side of the app on SQLite and PostgreSQL: health, the storefront pages and their
languages, the widget's config and script, the sandbox payment page and order tracking."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from chatcart.demo.loader import read_demo
from chatcart.services.runtime import Runtime
from chatcart.storage.tables import InboxRow, MessageRow

from .conftest import (
    ORDER_TOTAL,
    SINGLE_PRICE,
    SINGLE_PRODUCT,
    SINGLE_TITLE_EN,
    SINGLE_TITLE_ZH,
    all_message_texts,
    count,
    order_status,
    orders_snapshot,
    place_order,
    signed,
)

DEMO = read_demo()
PAID_NOTICE = "Payment received"


def title(html: str) -> str:
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    assert found, html[:300]
    return found.group(1).strip()


def tile_ids(html: str) -> list[str]:
    return re.findall(r'<li class="tile[^"]*" data-product-id="([^"]+)"', html)


def result_of(html: str) -> str:
    found = re.search(r'data-result="([^"]*)"', html)
    assert found, html[:300]
    return found.group(1)


def test_health_check_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


# ---------------------------------------------------------------------------- storefront


def test_home_lists_every_demo_product(client: TestClient) -> None:
    response = client.get("/?lang=en")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert SINGLE_TITLE_EN in response.text
    assert "Cold Brew Oolong Tea Bags" in response.text
    assert sorted(tile_ids(response.text)) == sorted(p["id"] for p in DEMO["products"])


def test_a_category_page_lists_only_that_category(client: TestClient) -> None:
    response = client.get("/shop/demo/c/skincare?lang=en")
    assert response.status_code == 200
    assert "Skincare &amp; Beauty" in title(response.text)
    expected = [p["id"] for p in DEMO["products"] if p["category"] == "skincare"]
    assert expected
    assert tile_ids(response.text) == expected
    assert "Cold Brew Oolong Tea Bags" not in response.text


def test_a_product_page_shows_the_product_and_the_widget_with_its_context(client: TestClient) -> None:
    response = client.get(f"/shop/demo/p/{SINGLE_PRODUCT}?lang=en")
    assert response.status_code == 200
    assert title(response.text).startswith(SINGLE_TITLE_EN)
    assert f"<h1>{SINGLE_TITLE_EN}</h1>" in response.text
    assert SINGLE_PRICE in response.text
    script = re.search(r'<script src="/static/widget\.js"[^>]*>', response.text)
    assert script, "no widget script tag"
    assert 'data-workspace="demo"' in script.group(0)
    assert f'data-context-product="{SINGLE_PRODUCT}"' in script.group(0)


UNKNOWN_PAGES = (
    "/shop/demo/p/NO-SUCH-PRODUCT",
    "/shop/demo/c/no-such-category",
    "/shop/nowhere/",
    f"/shop/nowhere/p/{SINGLE_PRODUCT}",
    "/shop/nowhere/c/skincare",
)


def test_unknown_product_category_or_workspace_is_a_404_page(client: TestClient) -> None:
    for path in UNKNOWN_PAGES:
        response = client.get(f"{path}?lang=en")
        assert response.status_code == 404, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert title(response.text) == "Not found", path
        assert tile_ids(response.text) == [], path


def test_the_lang_parameter_chooses_the_page_language(client: TestClient) -> None:
    english = client.get(f"/shop/demo/p/{SINGLE_PRODUCT}?lang=en")
    chinese = client.get(f"/shop/demo/p/{SINGLE_PRODUCT}?lang=zh-TW")
    assert english.status_code == chinese.status_code == 200
    assert title(english.text) == f"{SINGLE_TITLE_EN} · Island Select"
    assert title(chinese.text) == f"{SINGLE_TITLE_ZH} · 島嶼選物"
    assert '<html lang="en">' in english.text
    assert '<html lang="zh-TW">' in chinese.text
    assert title(client.get("/?lang=en").text) != title(client.get("/?lang=zh-TW").text)


ACCEPT_LANGUAGE = (
    ("en-US,en;q=0.9", "Island Select"),
    ("zh-TW,zh;q=0.9,en;q=0.5", "島嶼選物"),
    ("fr-FR,en;q=0.5", "Island Select"),  # the first language the shop speaks
    ("fr-FR", "島嶼選物"),  # none: the shop's own language
    (None, "島嶼選物"),
)


def test_accept_language_is_honoured(client: TestClient) -> None:
    for accept_language, expected in ACCEPT_LANGUAGE:
        headers = {"Accept-Language": accept_language} if accept_language else {}
        response = client.get("/", headers=headers)
        assert response.status_code == 200, accept_language
        assert title(response.text) == expected, accept_language


@pytest.mark.parametrize("lang", ["xx", "zz-ZZ", "123", "<script>"])
def test_an_unknown_lang_parameter_falls_back_to_the_shop_language(client: TestClient, lang: str) -> None:
    for path in ("/", "/shop/demo/c/skincare", "/shop/demo/p/SKN-005"):
        response = client.get(path, params={"lang": lang})
        assert response.status_code == 200, (path, lang)
        assert 'lang="zh-TW"' in response.text, "the demo shop's own language"
    config = client.get("/channels/webchat/config", params={"workspace": "demo", "lang": lang}).json()
    assert config["lang"] == "zh-TW"


def test_the_lang_parameter_wins_over_accept_language(client: TestClient) -> None:
    response = client.get("/?lang=en", headers={"Accept-Language": "zh-TW"})
    assert title(response.text) == "Island Select"


# ---------------------------------------------------------------------------- widget


def test_widget_config_is_translated_and_allowed_cross_origin(client: TestClient) -> None:
    english = client.get("/channels/webchat/config?workspace=demo&lang=en")
    chinese = client.get("/channels/webchat/config?workspace=demo&lang=zh-TW")
    for response in (english, chinese):
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == "*"
    en, zh = english.json(), chinese.json()
    keys = {"title", "placeholder", "invite", "send", "open", "close", "offline", "person", "lang"}
    assert set(en) == set(zh) == keys
    assert (en["lang"], zh["lang"]) == ("en", "zh-TW")
    assert en["title"] == "Island Select"
    assert zh["title"] == "島嶼選物"
    for key in keys:
        assert isinstance(en[key], str) and en[key], key
        assert en[key] != zh[key], key


def test_widget_and_pages_speak_japanese_and_polish_to_visitors_who_read_them(client: TestClient) -> None:
    japanese = client.get("/channels/webchat/config", params={"workspace": "demo", "lang": "ja-JP"}).json()
    assert (japanese["lang"], japanese["placeholder"], japanese["person"]) == (
        "ja",
        "メッセージを入力…",
        "スタッフに相談する",
    )
    assert japanese["title"] == "Island Select", "the shop wrote no Japanese name: its English one"
    polish = client.get("/channels/webchat/config", params={"workspace": "demo", "lang": "pl"}).json()
    assert (polish["lang"], polish["send"], polish["open"]) == ("pl", "Wyślij", "Napisz do nas")
    page = client.get(f"/shop/demo/p/{SINGLE_PRODUCT}", headers={"Accept-Language": "pl-PL,pl;q=0.9"})
    assert '<html lang="pl">' in page.text and "Kup przez czat" in page.text
    assert SINGLE_TITLE_EN in page.text, "the product's title as the shop wrote it"


def test_widget_config_defaults_to_the_shop_language(client: TestClient) -> None:
    response = client.get("/channels/webchat/config?workspace=demo")
    assert response.status_code == 200
    assert response.json()["lang"] == "zh-TW"


def test_widget_config_of_an_unknown_workspace_is_404(client: TestClient) -> None:
    response = client.get("/channels/webchat/config?workspace=nowhere&lang=en")
    assert response.status_code == 404
    assert response.headers["access-control-allow-origin"] == "*"


def test_the_widget_script_is_served(client: TestClient) -> None:
    response = client.get("/static/widget.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert "/channels/webchat/ws" in response.text


# ---------------------------------------------------------------------------- sandbox payment


def test_an_unknown_payment_token_is_404_and_changes_nothing(client: TestClient, runtime: Runtime) -> None:
    place_order(runtime)
    before = (orders_snapshot(runtime), count(runtime, MessageRow), count(runtime, InboxRow))
    page = client.get("/pay/sandbox/unknown-token?lang=en")
    assert page.status_code == 404
    paid = client.post("/pay/sandbox/unknown-token?lang=en", data=signed(runtime, "unknown-token"))
    assert paid.status_code == 404
    assert result_of(paid.text) == "unknown"
    assert "Payment link not found" in paid.text
    after = (orders_snapshot(runtime), count(runtime, MessageRow), count(runtime, InboxRow))
    assert after == before
    assert all(status == "pending_payment" for _number, status in after[0])


def test_paying_an_order_on_the_sandbox_page_is_idempotent(client: TestClient, runtime: Runtime) -> None:
    order = place_order(runtime)
    assert order_status(runtime, order.number) == "pending_payment"

    page = client.get(order.pay_path + "?lang=en")
    assert page.status_code == 200
    assert order.number in page.text
    assert ORDER_TOTAL in page.text
    assert '<form method="post">' in page.text

    paid = client.post(order.pay_path + "?lang=en", data=signed(runtime, order.token))
    assert paid.status_code == 200
    assert result_of(paid.text) == "paid"
    assert order_status(runtime, order.number) == "paid"
    notices = [t for t in all_message_texts(runtime) if t.startswith(PAID_NOTICE)]
    assert len(notices) == 1
    assert order.number in notices[0]
    assert ORDER_TOTAL in notices[0]

    again = client.post(order.pay_path + "?lang=en", data=signed(runtime, order.token))
    assert again.status_code == 200
    assert result_of(again.text) == "already_paid"
    assert order_status(runtime, order.number) == "paid"
    assert len([t for t in all_message_texts(runtime) if t.startswith(PAID_NOTICE)]) == 1

    after = client.get(order.pay_path + "?lang=en")
    assert after.status_code == 200
    assert '<form method="post">' not in after.text


def test_an_unsigned_or_wrongly_signed_payment_callback_is_401_and_changes_nothing(
    client: TestClient, runtime: Runtime
) -> None:
    order = place_order(runtime)
    before = (orders_snapshot(runtime), count(runtime, MessageRow))
    for form in ({}, {"signature": "0" * 64}, signed(runtime, "another-token")):
        response = client.post(order.pay_path, data=form)
        assert response.status_code == 401, form
    assert (orders_snapshot(runtime), count(runtime, MessageRow)) == before
    assert order_status(runtime, order.number) == "pending_payment"


# ---------------------------------------------------------------------------- order tracking


def test_order_tracking_needs_the_order_token(client: TestClient, runtime: Runtime) -> None:
    order = place_order(runtime)
    page = client.get(order.track_path + "&lang=en")
    assert page.status_code == 200
    assert f'data-order-number="{order.number}"' in page.text
    assert 'data-status="pending_payment"' in page.text
    assert SINGLE_TITLE_EN in page.text
    assert ORDER_TOTAL in page.text

    base = order.track_path.split("?")[0]
    for path in (
        f"{base}?lang=en",
        f"{base}?t=&lang=en",
        f"{base}?t=not-the-token&lang=en",
        f"{base}?t={order.token[:-1]}&lang=en",
        f"/shop/nowhere/orders/{order.number}?t={order.token}&lang=en",
        f"/shop/demo/orders/CC-000-000?t={order.token}&lang=en",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert order.number not in response.text, path


def test_the_tracking_page_follows_the_payment(client: TestClient, runtime: Runtime) -> None:
    order = place_order(runtime)
    assert client.post(order.pay_path, data=signed(runtime, order.token)).status_code == 200
    page = client.get(order.track_path + "&lang=en")
    assert page.status_code == 200
    assert 'data-status="paid"' in page.text
