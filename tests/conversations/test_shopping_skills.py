"""Guided discovery, the cart, FAQ answers, language and the high-value rule."""

from __future__ import annotations

from sqlalchemy import select

from chatcart.messaging.inbound import EventKind, Identity, InboundEvent
from chatcart.services.conversations import accept, process_contact
from chatcart.services.runtime import Runtime
from chatcart.storage.conversations import messages_after
from chatcart.storage.tables import ContactRow, HandoffRow, OrderRow
from tests.conversations.conftest import Customer
from tests.conversations.test_purchase_journeys import checkout_to_summary


def cart_of(rt: Runtime, customer: Customer) -> list[tuple[str, int]]:
    with rt.db.transaction() as session:
        rows = session.scalars(select(ContactRow.cart)).all()
    return [(line["sku"], line["quantity"]) for cart in rows for line in cart]


def test_guided_discovery_goes_category_then_need_then_products(customer: Customer) -> None:
    customer.taps("BROWSE")
    assert "Tea & Snacks" in customer.quick_reply_titles
    customer.taps_titled("Tea & Snacks")
    assert "Tea" in customer.quick_reply_titles and "Show all" in customer.quick_reply_titles
    customer.taps_titled("Tea")
    assert customer.card_ids and all(c.startswith("TEA-") for c in customer.card_ids)
    in_stock_first = [c["subtitle"] == "Out of stock" for m in customer.replies for c in m.get("cards") or []]
    assert in_stock_first == sorted(in_stock_first), "sold-out teas come last"


def test_the_cart_is_viewed_changed_and_emptied(customer: Customer, shop: Runtime) -> None:
    customer.taps("QTY:TEA-006-12P:2")
    customer.taps("QTY:ACC-005-3P:1")
    customer.taps("CART")
    assert "Subtotal: NT$950 (3 items)" in customer.text, customer.text
    customer.taps("CART_INC:ACC-005-3P")
    customer.taps("CART_DEC:TEA-006-12P")
    assert sorted(cart_of(shop, customer)) == [("ACC-005-3P", 2), ("TEA-006-12P", 1)]
    customer.taps("CART_REMOVE:TEA-006-12P")
    assert "Removed Scallion Nougat Crackers" in customer.text
    customer.taps("CART_DEC:ACC-005-3P")
    customer.taps("CART_DEC:ACC-005-3P")
    assert "Your cart is empty" in customer.text and cart_of(shop, customer) == []


def test_faq_is_answered_from_the_menu_and_from_free_text_in_both_languages(
    customer: Customer, tw_customer: Customer
) -> None:
    customer.taps("FAQ")
    assert len(customer.quick_reply_titles) >= 8
    customer.says("how long does shipping take?")
    assert "business days" in customer.text
    tw_customer.says("運送要多久")
    assert "工作天" in tw_customer.text


def test_the_customer_is_answered_in_the_language_they_write(customer: Customer) -> None:
    customer.says("你好")
    assert "歡迎" in customer.text, "an English-set contact who writes Chinese gets Chinese"
    customer.says("English please")
    assert "continue in English" in customer.text
    customer.says("烏龍茶")
    assert "Here is what I found" in customer.text, "a chosen language is kept"


def test_simplified_chinese_gets_simplified_replies_and_finds_traditional_products(shop: Runtime) -> None:
    mainland = Customer(shop, "li", "")
    mainland.says("我想买乌龙茶")
    assert "这" in mainland.text, f"Simplified script (这, not 這): {mainland.text}"
    assert any(c.startswith("TEA-") for c in mainland.card_ids)
    mainland.says("你好")
    assert "欢迎" in mainland.text, "characters common to both scripts keep the contact's Simplified"


def test_a_high_value_order_is_closed_by_a_person(customer: Customer, shop: Runtime) -> None:
    customer.taps("BUY:HOM-003")
    while "Added" not in customer.text:
        customer.taps(customer.quick_reply_payloads()[0])
    customer.says("make it 2")
    checkout_to_summary(customer)
    customer.taps(customer.payload_starting("CONFIRM:"))
    assert "a person from our team will contact you" in customer.text
    assert "Pay now" not in str(customer.replies), "the bot does not send a payment link for a big order"
    with shop.db.transaction() as session:
        assert session.scalar(select(HandoffRow.reason)) == "high_value"
        assert session.scalar(select(OrderRow.status)) == "pending_payment"


def test_a_chat_opened_on_a_product_page_greets_with_that_product(shop: Runtime) -> None:
    opened = InboundEvent(
        workspace_id="demo",
        event_id="open-1",
        kind=EventKind.OPEN,
        payload="APP-001",
        lang_hint="en",
        sender=Identity(channel="webchat", external_id="browser-1"),
        received_at=shop.clock(),
    )
    contact = accept(shop, opened).contact_id
    process_contact(shop, "demo", contact)
    with shop.db.transaction() as session:
        replies = [m.body for m in messages_after(session, "demo", contact, 0)]
    assert len(replies) <= 3, "still at most three welcome messages"
    assert [c["product_id"] for m in replies for c in m.get("cards") or []] == ["APP-001"]
    assert "Talk to a person" in [q["title"] for q in replies[-1]["quick_replies"]]


def test_simplified_chinese_reads_product_titles_in_simplified_script(shop: Runtime) -> None:
    """The demo wrote its titles in English and Traditional Chinese only."""
    mainland = Customer(shop, "wang", "zh-CN")

    mainland.says("有没有连衣裙")

    titles = [card["title"] for card in mainland.cards]
    assert "亚麻绑带洋装" in titles, titles
    assert not any("Dress" in title for title in titles)
