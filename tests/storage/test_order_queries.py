"""The order queries that guard money and stock, on SQLite and PostgreSQL: the contact's
unpaid orders (for the checkout's cap), earlier purchases by contact or phone (for
first-purchase offers), status changes that happen once, and the shop's payment policy."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from chatcart.commerce.content import Workspace
from chatcart.commerce.orders import OrderStatus, PaymentMethod
from chatcart.commerce.payment import DEFAULT_HOLDS, PaymentPolicy
from chatcart.core.errors import InvalidTransition
from chatcart.core.ids import new_id
from chatcart.messaging.inbound import Identity
from chatcart.storage.catalog import add_workspace
from chatcart.storage.contacts import contact_for
from chatcart.storage.db import Database
from chatcart.storage.orders import (
    change_status,
    count_unpaid,
    payment_policy,
    purchased_before,
    save_payment_policy,
)
from chatcart.storage.tables import OrderRow

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def db(database: Database) -> Iterator[Database]:
    """Two shops, so nothing of one is counted for the other."""
    with database.transaction() as session:
        for shop in ("shop-a", "shop-b"):
            add_workspace(session, Workspace(shop, {"en": shop}, "en", "TWD", "Asia/Taipei"), NOW)
    yield database


def contact(db: Database, name: str, shop: str = "shop-a") -> str:
    with db.transaction() as session:
        return contact_for(session, shop, Identity(channel="webchat", external_id=name), NOW)


def order(
    db: Database,
    contact_id: str,
    status: OrderStatus,
    phone: str = "",
    shop: str = "shop-a",
    method: str = "bank_transfer",
) -> str:
    order_id = new_id()
    with db.transaction() as session:
        session.add(
            OrderRow(
                id=order_id,
                workspace_id=shop,
                number=f"CC-{order_id[:8].upper()}",
                contact_id=contact_id,
                conversation_id=None,
                status=status.value,
                lines=[],
                currency="TWD",
                subtotal=Decimal(100),
                discount=Decimal(0),
                shipping_fee=Decimal(0),
                total=Decimal(100),
                coupon_code=None,
                delivery={"option_id": "home", "recipient": "A", "phone": phone},
                payment_method=method,
                payment_token=f"pay-{order_id}",
                tracking_token=f"track-{order_id}",
                checkout_token=f"checkout-{order_id}",
                phone=phone,
                created_at=NOW,
                updated_at=NOW,
            )
        )
    return order_id


def test_count_unpaid_counts_only_this_contacts_orders_still_waiting_for_payment(db: Database) -> None:
    amy, ben = contact(db, "amy"), contact(db, "ben")
    order(db, amy, OrderStatus.PENDING_PAYMENT, "+886911000001")
    order(db, amy, OrderStatus.PENDING_PAYMENT, "+886911000002")
    order(db, amy, OrderStatus.PAID, "+886911000003")
    order(db, amy, OrderStatus.CANCELLED, "+886911000004")
    order(db, ben, OrderStatus.PENDING_PAYMENT, "+886911000005")
    order(db, amy, OrderStatus.PENDING_PAYMENT, "+886911000006", method="cod")
    with db.snapshot() as session:
        assert count_unpaid(session, "shop-a", amy) == 2, "cash on delivery is confirmed, not waiting"
        assert count_unpaid(session, "shop-a", ben) == 1
        assert count_unpaid(session, "shop-b", amy) == 0
        assert count_unpaid(session, "shop-a", "nobody") == 0


def test_a_purchase_before_is_found_by_contact_or_by_phone_in_the_same_shop_only(db: Database) -> None:
    amy, fresh = contact(db, "amy"), contact(db, "fresh-visitor")
    order(db, amy, OrderStatus.PAID, "+886912345678")
    with db.snapshot() as session:
        assert purchased_before(session, "shop-a", amy, None)
        assert purchased_before(session, "shop-a", fresh, "+886912345678")
        assert purchased_before(session, "shop-a", fresh, " +886912 345678 "), "spaces make no new person"
        assert not purchased_before(session, "shop-a", fresh, "+886933444555")
        assert not purchased_before(session, "shop-a", fresh, None)
        assert not purchased_before(session, "shop-a", fresh, "")
        assert not purchased_before(session, "shop-b", fresh, "+886912345678"), "shops never share customers"


def test_a_cancelled_order_is_not_a_purchase(db: Database) -> None:
    amy, fresh = contact(db, "amy"), contact(db, "fresh")
    order(db, amy, OrderStatus.CANCELLED, "+886912345678")
    with db.snapshot() as session:
        assert not purchased_before(session, "shop-a", amy, "+886912345678")
        assert not purchased_before(session, "shop-a", fresh, "+886912345678")


def test_a_status_change_happens_only_from_the_expected_status(db: Database) -> None:
    order_id = order(db, contact(db, "amy"), OrderStatus.PENDING_PAYMENT)
    later = NOW + timedelta(minutes=5)
    with db.transaction() as session:
        assert change_status(session, order_id, OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, later)
        assert not change_status(session, order_id, OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED, later)
        row = session.get_one(OrderRow, order_id)
        assert (row.status, row.updated_at) == ("paid", later), "the session sees the change"


def test_a_status_change_the_state_machine_forbids_is_refused_before_anything_is_written(
    db: Database,
) -> None:
    order_id = order(db, contact(db, "amy"), OrderStatus.CANCELLED)
    with pytest.raises(InvalidTransition), db.transaction() as session:
        change_status(session, order_id, OrderStatus.CANCELLED, OrderStatus.PAID, NOW)
    with db.snapshot() as session:
        assert session.get_one(OrderRow, order_id).status == "cancelled"


def test_a_status_change_respects_extra_conditions(db: Database) -> None:
    order_id = order(db, contact(db, "amy"), OrderStatus.PENDING_PAYMENT)
    with db.transaction() as session:
        session.get_one(OrderRow, order_id).held_for = "high_value"
    with db.transaction() as session:
        assert not change_status(
            session, order_id, OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, NOW, held_for=""
        )
        assert session.get_one(OrderRow, order_id).status == "pending_payment"


def test_a_shops_payment_policy_is_stored_over_the_defaults(db: Database) -> None:
    with db.snapshot() as session:
        assert payment_policy(session, "shop-a") == PaymentPolicy()
    with db.transaction() as session:
        assert save_payment_policy(session, "shop-a", [PaymentMethod.CASH_ON_DELIVERY], {"bank_transfer": 90})
        assert not save_payment_policy(session, "nowhere", None, None)
    with db.snapshot() as session:
        policy = payment_policy(session, "shop-a")
        assert payment_policy(session, "shop-b") == PaymentPolicy()
    assert policy.methods == (PaymentMethod.CASH_ON_DELIVERY,)
    assert policy.hold(PaymentMethod.BANK_TRANSFER) == timedelta(minutes=90)
    assert policy.hold(PaymentMethod.SANDBOX) == DEFAULT_HOLDS[PaymentMethod.SANDBOX]
    assert policy.hold(PaymentMethod.CASH_ON_DELIVERY) is None
