"""The demo shop loaded into a real database, chatted with and browsed: size names survive
storage without touching the stored sizes, and a Chinese-speaking customer reads them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from chatcart.api.app import create_app
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import Runtime
from chatcart.settings import Settings
from chatcart.storage.catalog import load_products
from chatcart.storage.tables import ProductRow
from tests.conversations.conftest import Customer


def test_size_names_survive_storage_beside_the_titles(runtime: Runtime) -> None:
    ensure_demo(runtime)
    with runtime.db.transaction() as session:
        products = {p.id: p for p in load_products(session, "demo")}

    cakes = products["TEA-004"]
    assert cakes.size_names == {"10-pack": {"zh-TW": "10入"}, "20-pack": {"zh-TW": "20入"}}
    assert cakes.title == {"en": "Pineapple Cake Gift Box", "zh-TW": "土鳳梨酥禮盒"}, (
        "titles hold languages only"
    )
    assert cakes.sizes == ("10-pack", "20-pack"), "the stored sizes are unchanged"
    assert products["APP-001"].size_names == {}, "a product of S/M/L has nothing to name"


def test_a_product_without_size_names_stores_its_titles_alone(runtime: Runtime) -> None:
    ensure_demo(runtime)
    with runtime.db.transaction() as session:
        stored = session.scalars(select(ProductRow.title).where(ProductRow.id == "APP-001")).one()

    assert stored == {"en": "Linen Wrap Dress", "zh-TW": "亞麻綁帶洋裝"}


@pytest.fixture
def mei(sqlite_runtime: Runtime) -> Customer:
    ensure_demo(sqlite_runtime)
    return Customer(sqlite_runtime, "mei", "zh-TW")


def _card(customer: Customer, product_id: str) -> dict[str, str]:
    return next(c for m in customer.replies for c in m.get("cards") or [] if c["product_id"] == product_id)


def test_a_chinese_customer_reads_pack_sizes_on_the_card(mei: Customer) -> None:
    mei.says("鳳梨酥")

    card = _card(mei, "TEA-004")
    assert card["subtitle"] == "10入 / 20入", card
    assert card["price_text"] == "NT$450", card


def test_a_chinese_customer_reads_the_pack_size_in_the_cart(mei: Customer) -> None:
    mei.taps("BUY:TEA-004")
    mei.taps("SIZE:TEA-004:20-pack")
    mei.taps("QTY:TEA-004-20P:1")
    mei.says("購物車")

    assert _card(mei, "TEA-004")["title"] == "土鳳梨酥禮盒 (20入)"
    assert "20-pack" not in mei.text, mei.text


def test_the_product_page_names_sizes_and_prices_in_the_reader_s_language(
    sqlite_runtime: Runtime, tmp_path: Path
) -> None:
    ensure_demo(sqlite_runtime)
    app = create_app(sqlite_runtime, Settings(data_dir=tmp_path, base_url="http://shop.test"), run_jobs=False)
    with TestClient(app) as client:
        chinese = client.get("/shop/demo/p/TEA-004?lang=zh-TW").text
        english = client.get("/shop/demo/p/TEA-004?lang=en").text

    assert "<td>20入</td>" in chinese and "20-pack" not in chinese
    assert "<td>20-pack</td>" in english
    assert "NT$450" in chinese and "NT$450" in english, "the same price sign in both languages"
