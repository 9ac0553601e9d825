"""Whole purchase journeys, as a customer lives them, in English and Traditional Chinese."""

from __future__ import annotations

import re
from decimal import Decimal

from sqlalchemy import select

from chatcart.core.money import Money
from chatcart.services.payments import confirm_payment
from chatcart.services.runtime import Runtime
from chatcart.storage.orders import order_by
from chatcart.storage.tables import OrderRow, VariantRow
from tests.conversations.conftest import Customer

ORDER_NUMBER = re.compile(r"CC-[3-9A-Z]{4}-[3-9A-Z]{4}")


def checkout_to_summary(c: Customer, *, store: str = "信義門市", phone: str = "0912345678") -> None:
    c.taps("CHECKOUT")
    c.taps(c.payload_starting("SHIP:store-711"))
    c.says(store)
    c.says("Amy Chen")
    c.says(phone)
    c.taps("PAY:sandbox")


def stock_of(rt: Runtime, sku: str) -> int:
    with rt.db.transaction() as session:
        return int(session.scalar(select(VariantRow.stock).where(VariantRow.sku == sku)) or 0)


def test_english_customer_finds_buys_pays_and_tracks_a_dress(customer: Customer, shop: Runtime) -> None:
    welcome = customer.says("hello")
    assert 1 <= len(welcome) <= 3, "the welcome is at most three messages"
    assert "Talk to a person" in customer.quick_reply_titles
    assert "?" not in (welcome[-1].get("text") or "").split(".")[-1], "no open-ended question up front"

    customer.says("red dress under 1000")
    assert customer.card_ids[0] == "APP-001", f"the red dress under 1000 comes first, got {customer.card_ids}"
    assert "APP-002" not in customer.card_ids, "the 2680 red dress is over budget"
    card = customer.cards[0]
    assert card["price_text"] == "NT$890" and card["url"].endswith("/shop/demo/p/APP-001")

    customer.taps("BUY:APP-001")
    assert "Which size" in customer.text
    customer.taps("SIZE:APP-001:M")
    customer.says("red")
    assert "Added 1 × Linen Wrap Dress (M, red)" in customer.text
    assert "How would you like to receive" in customer.text, "straight on to checkout"
    customer.says("make it 2")
    assert "Changed to 2 × Linen Wrap Dress (M, red)" in customer.text

    checkout_to_summary(customer)
    assert "Total: NT$1,780" in customer.text, "1,780 for two, shipping free over 1,000"
    customer.taps(customer.payload_starting("CONFIRM:"))
    number = ORDER_NUMBER.search(customer.text)
    assert number, f"an order number a person can read out: {customer.text}"
    pay_link = customer.url_button("Pay now")
    token = pay_link.rsplit("/", 1)[-1]

    assert confirm_payment(shop, token, Money.of("1780", "TWD")).value == "paid"
    with shop.db.transaction() as session:
        row = order_by(session, number=number.group(0))
        assert row is not None and row.status == "paid" and str(row.total) == "1780.00"

    customer.says("where is my order?")
    assert f"Order {number.group(0)}: paid, being prepared" in customer.text
    tracking = customer.url_button("Track order")
    assert f"/orders/{number.group(0)}?t=" in tracking and token not in tracking, "tracking links cannot pay"


def test_traditional_chinese_customer_buys_a_moisturising_lip_balm(
    tw_customer: Customer, shop: Runtime
) -> None:
    tw_customer.says("你好")
    assert "歡迎" in tw_customer.text, tw_customer.text
    tw_customer.says("保濕的唇膏")
    assert tw_customer.card_ids[0] == "SKN-001", tw_customer.card_ids
    card = tw_customer.cards[0]
    assert card["title"] == "玫瑰保濕潤色護唇膏" and card["price_text"] == "NT$390"

    before = stock_of(shop, "SKN-001-PNK")
    tw_customer.taps("BUY:SKN-001")
    tw_customer.says("粉紅色")
    assert "已" in tw_customer.text and "購物車" in tw_customer.text, tw_customer.text

    tw_customer.says("寄到家裡")
    tw_customer.says("台北市信義區市府路45號")
    tw_customer.says("陳美美 0912-345-678")
    tw_customer.says("貨到付款")
    assert "490" in tw_customer.text, "390 + 100 home delivery under the free-shipping threshold"
    tw_customer.taps("COUPON")
    tw_customer.says("WELCOME100")
    assert "500" in tw_customer.text, "WELCOME100 needs 500: the bot says the minimum, and asks again"
    tw_customer.says("沒有")
    assert "490" in tw_customer.text and "折扣" not in tw_customer.text, tw_customer.text
    tw_customer.says("確認")
    assert ORDER_NUMBER.search(tw_customer.text), tw_customer.text
    assert stock_of(shop, "SKN-001-PNK") == before - 1, "placing the order takes the stock"


def test_a_new_workspace_with_only_a_catalog_sells_end_to_end(shop: Runtime) -> None:
    from chatcart.commerce.catalog import Category, Product, Variant
    from chatcart.core.money import Money
    from chatcart.services.workspaces import create_workspace
    from chatcart.storage.catalog import save_category, save_product

    create_workspace(shop, "kettles", name="Kettle Co", lang="en", currency="EUR", timezone="Europe/Warsaw")
    with shop.db.transaction() as session:
        save_category(session, "kettles", Category("kitchen", {"en": "Kitchen"}), 0)
        save_product(
            session,
            "kettles",
            Product("K1", "kitchen", {"en": "Steel Kettle"}, Money.of("39.90", "EUR"), (Variant("K1-1", 5),)),
            0,
        )
    buyer = Customer(shop, "piotr", "en", workspace="kettles")
    buyer.says("hi")
    assert "Kettle Co" in buyer.text
    buyer.says("kettle")
    assert buyer.card_ids == ["K1"] and buyer.replies[-1]["cards"][0]["price_text"] == "€39.90"
    buyer.taps("BUY:K1")
    assert "Added 1 × Steel Kettle" in buyer.text
    buyer.taps("SHIP:home")
    buyer.says("ul. Marszałkowska 1, Warszawa")
    buyer.says("Piotr Nowak")
    buyer.says("+48 512 345 678")
    buyer.taps("PAY:bank_transfer")
    assert "€44.90" in buyer.text, "39.90 + 5.00 home delivery in EUR"
    buyer.taps(buyer.payload_starting("CONFIRM:"))
    assert "transfer €44.90" in buyer.text and ORDER_NUMBER.search(buyer.text), buyer.text
    with shop.db.transaction() as session:
        assert session.scalar(select(OrderRow.total).where(OrderRow.workspace_id == "kettles")) == Decimal(
            "44.90"
        )
