"""What a customer's own orders decide: a first-purchase coupon is for a new buyer (by
contact and by phone, not by visitor id), a checkout token finds only the contact's own
order, and the number of orders still unpaid is there for the checkout's cap."""

from __future__ import annotations

from sqlalchemy import select

from chatcart.engine.state import Owner
from chatcart.services.payments import confirm_payment
from chatcart.services.runtime import Runtime
from chatcart.services.shop import SnapshotShop
from chatcart.storage.catalog import workspace_of, workspace_row
from chatcart.storage.tables import IdentityRow, OrderRow
from tests.conversations.conftest import Customer

from .conftest import TEA_SKU, buy, order_row, to_payment_question
from .test_races import CLEANSER_TOTAL

FIRST_PURCHASE_ONLY = "for a first purchase only"


def test_a_fresh_visitor_giving_a_returning_buyers_phone_gets_no_first_purchase_coupon(shop: Runtime) -> None:
    buy(shop, Customer(shop, "first-visit"), phone="0912345678")
    again = Customer(shop, "fresh-visitor-id")
    if not to_payment_question(again, TEA_SKU, "0912 345 678", coupon="WELCOME100"):
        again.taps("PAY:sandbox")
        again.taps("COUPON")
        again.says("WELCOME100")
    assert FIRST_PURCHASE_ONLY in again.text


def test_a_new_buyer_with_a_new_phone_gets_the_first_purchase_coupon(shop: Runtime) -> None:
    buy(shop, Customer(shop, "someone-else"), phone="0912345678")
    newcomer = Customer(shop, "newcomer")
    placed = buy(shop, newcomer, sku=TEA_SKU, phone="0933444555", coupon="WELCOME100")
    assert order_row(shop, placed.number).coupon_code == "WELCOME100"


def test_a_cancelled_order_does_not_make_a_phone_a_returning_buyer(shop: Runtime) -> None:
    first = buy(shop, Customer(shop, "changed-mind"), phone="0912345678")
    with shop.db.transaction() as session:
        session.get_one(OrderRow, order_row(shop, first.number).id).status = "cancelled"
    placed = buy(shop, Customer(shop, "back-again"), sku=TEA_SKU, phone="0912345678", coupon="WELCOME100")
    assert order_row(shop, placed.number).coupon_code == "WELCOME100"


def test_confirming_with_another_customers_checkout_token_reveals_nothing(shop: Runtime) -> None:
    victim = Customer(shop, "victim")
    placed = buy(shop, victim)
    token = order_row(shop, placed.number).checkout_token
    snoop = Customer(shop, "snoop")
    snoop.says("hello")
    snoop.taps(f"CONFIRM:{token}")
    assert placed.number not in str(snoop.replies)
    assert "already placed" not in snoop.text


def test_unpaid_orders_counts_the_contacts_orders_still_waiting_for_payment(shop: Runtime) -> None:
    buyer = Customer(shop, "counted")
    first = buy(shop, buyer)
    assert unpaid_of(shop, "counted") == 1
    buy(shop, Customer(shop, "not-counted"), phone="0922333444")
    assert unpaid_of(shop, "counted") == 1, "another contact's orders are not counted"
    confirm_payment(shop, first.payment_token, CLEANSER_TOTAL)
    assert unpaid_of(shop, "counted") == 0


def unpaid_of(shop: Runtime, visitor: str) -> int:
    """What the engine's `Shop` port answers for this chat's contact, over a turn's snapshot."""
    with shop.db.snapshot() as session:
        contact_id = session.scalar(select(IdentityRow.contact_id).where(IdentityRow.external_id == visitor))
        row = workspace_row(session, "demo")
        assert contact_id is not None and row is not None
        cached = shop.catalogs.get(session, row)
        port = SnapshotShop(
            session,
            workspace_of(row),
            contact_id,
            Owner.BOT,
            cached,
            shop.clock(),
            shop.links,
            shop.providers,
        )
        return port.unpaid_orders()
