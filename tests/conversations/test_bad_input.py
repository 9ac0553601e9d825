"""Bad input gets a clear answer and breaks nothing: empty and huge messages, unknown and
sold-out products, silly quantities, wrong coupons, double taps and a race for the last item."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import func, select

from chatcart.core.money import Money
from chatcart.services.payments import confirm_payment
from chatcart.services.runtime import Runtime
from chatcart.storage.tables import ContactRow, CouponRow, OrderRow
from tests.conversations.conftest import Customer
from tests.conversations.test_purchase_journeys import checkout_to_summary


def orders(rt: Runtime) -> int:
    with rt.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(OrderRow)) or 0)


def test_empty_and_whitespace_messages_get_a_clear_reply(customer: Customer) -> None:
    for blank in ("", "   ", "\t\n"):
        customer.says(blank)
        assert "empty" in customer.text, repr(blank)


def test_an_oversized_message_is_refused_politely(customer: Customer) -> None:
    customer.says("tea " * 800)
    assert "too long" in customer.text and "2000" in customer.text


def test_an_unknown_product_and_a_broken_button_are_explained(customer: Customer) -> None:
    customer.taps("BUY:NO-SUCH-THING")
    assert "can't find that product" in customer.text
    customer.taps("QTY:SKN-001-PNK:lots")
    assert "no longer active" in customer.text
    customer.taps("WHATEVER:1:2")
    assert "no longer active" in customer.text


def test_a_sold_out_product_offers_in_stock_alternatives(customer: Customer) -> None:
    customer.taps("BUY:SKN-004")
    assert "sold out" in customer.text
    assert customer.card_ids and "SKN-004" not in customer.card_ids
    assert all(c["subtitle"] != "Out of stock" for m in customer.replies for c in m.get("cards") or [])


def test_quantities_zero_negative_and_absurd_are_refused(customer: Customer, shop: Runtime) -> None:
    customer.taps("QTY:TEA-002-150:0")
    assert "at least 1" in customer.text
    customer.taps("QTY:TEA-002-150:-3")
    assert "at least 1" in customer.text
    customer.taps("QTY:TEA-002-150:5000")
    assert "a person from our team will help" in customer.text
    customer.taps("QTY:TEA-002-150:30")
    assert "only 24 left" in customer.text or "a person" in customer.text
    with shop.db.transaction() as session:
        assert session.scalar(select(ContactRow.cart)) == [], "nothing silly reached the cart"


def test_more_than_in_stock_says_how_many_are_left(customer: Customer) -> None:
    customer.taps("BUY:SKN-006")
    customer.says("make it 3")
    assert "only 1 of Daily Mineral Sunscreen SPF50+ (50ml) left" in customer.text
    assert "kept your cart as it was" in customer.text


def test_expired_and_foreign_coupons_are_refused_with_the_reason(customer: Customer, shop: Runtime) -> None:
    from chatcart.commerce.coupons import Coupon, CouponKind
    from chatcart.services.workspaces import create_workspace
    from chatcart.storage.catalog import save_coupon

    create_workspace(shop, "other", name="Other Shop", lang="en", currency="TWD")
    with shop.db.transaction() as session:
        save_coupon(session, Coupon("OTHER10", "other", CouponKind.PERCENT, Decimal(10)))
    customer.taps("BUY:TEA-002")
    customer.taps("SHIP:home")
    customer.says("No. 1, Section 5, Xinyi Road, Taipei")
    customer.says("Alice Lin")
    customer.says("0912345678")
    customer.taps("PAY:cod")
    assert "Coupon" not in customer.text, "no discount line without a coupon"
    customer.taps("COUPON")
    customer.says("OLD50")
    assert "expired" in customer.text
    customer.says("OTHER10")
    assert "don't know the coupon code OTHER10" in customer.text, (
        "a coupon of another shop does not exist here"
    )
    customer.says("SAVE10")
    assert "minimum spend of NT$1,000" in customer.text
    customer.says("welcome100")
    assert "Coupon WELCOME100: -NT$100" in customer.text, "codes are case-insensitive"


def test_a_wrong_phone_number_is_asked_again_and_a_person_offered_after_two_tries(customer: Customer) -> None:
    customer.taps("BUY:TEA-002")
    customer.taps("QTY:TEA-002-150:1")
    customer.taps("CHECKOUT")
    customer.taps("SHIP:home")
    customer.says("No. 1, Section 5, Xinyi Road, Taipei")
    customer.says("Alice Lin")
    customer.says("12345")
    assert "mobile number" in customer.text and "Talk to a person" not in customer.quick_reply_titles
    customer.says("abc")
    assert "Talk to a person" in customer.quick_reply_titles


def test_buy_pressed_twice_gives_one_cart_line_and_confirm_twice_one_order(
    customer: Customer, shop: Runtime
) -> None:
    customer.taps("BUY:TEA-002")
    customer.taps("BUY:TEA-002")
    customer.taps("QTY:TEA-002-150:1")
    customer.taps("QTY:TEA-002-150:1")
    with shop.db.transaction() as session:
        cart = session.scalar(select(ContactRow.cart))
    assert cart is not None and len(cart) == 1, f"one line for one variant: {cart}"
    checkout_to_summary(customer)
    confirm = customer.payload_starting("CONFIRM:")
    customer.taps(confirm)
    first = customer.text
    customer.taps(confirm)
    assert "already placed" in customer.text and orders(shop) == 1, (first, customer.text)


def test_a_coupon_with_one_use_left_is_used_once(shop: Runtime) -> None:
    buyers = [Customer(shop, name, "en") for name in ("cat", "dan")]
    for buyer in buyers:
        buyer.taps("QTY:HOM-002-2P:1")
        buyer.taps("SHIP:home")
        buyer.says("No. 7, Lane 3, Taipei")
        buyer.says("Someone Else")
        buyer.says("0912345678")
        buyer.taps("PAY:cod")
        buyer.taps("COUPON")
        buyer.says("ONCE200")
    for buyer in buyers:
        buyer.taps(buyer.payload_starting("CONFIRM:"))
    assert "is placed" in buyers[0].text
    assert "used up" in buyers[1].text, buyers[1].text
    with shop.db.transaction() as session:
        assert session.scalar(select(CouponRow.used).where(CouponRow.code == "ONCE200")) == 1


def test_payment_callbacks_for_unknown_and_already_paid_orders_change_nothing(
    customer: Customer, shop: Runtime
) -> None:
    assert confirm_payment(shop, "no-such-token", Money.of("150", "TWD")).value == "unknown"
    customer.taps("BUY:TEA-002")
    customer.taps("QTY:TEA-002-150:1")
    checkout_to_summary(customer)
    customer.taps(customer.payload_starting("CONFIRM:"))
    token = customer.url_button("Pay now").rsplit("/", 1)[-1]
    with shop.db.transaction() as session:
        row = session.scalars(select(OrderRow)).one()
    total = Money(row.total, row.currency)
    assert confirm_payment(shop, token, total).value == "paid"
    assert confirm_payment(shop, token, total).value == "already_paid"
    notices = [m for m in customer.session.send('{"postback": "ORDERS"}')]
    assert notices and "paid, being prepared" in str(notices)
