"""The payment window's end, as a job: the unpaid order is cancelled, its stock returns,
the customer is told once, and their chat is woken only after all that is committed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from chatcart.commerce.orders import PaymentMethod
from chatcart.commerce.payment import DEFAULT_HOLDS
from chatcart.core.money import Money
from chatcart.demo.loader import ensure_demo
from chatcart.jobs.order_expiry import expire_unpaid_order
from chatcart.jobs.runner import run_due_jobs
from chatcart.services.orders import EXPIRE_JOB, PaymentResult, pay
from chatcart.services.runtime import Runtime
from chatcart.storage.jobs import JobState
from chatcart.storage.tables import OrderRow, VariantRow
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer
from tests.conversations.test_purchase_journeys import checkout_to_summary

from .conftest import job

SKU = "TEA-006-12P"
#: The orders here are paid by card (the sandbox).
PAYMENT_WINDOW = DEFAULT_HOLDS[PaymentMethod.SANDBOX]


class RecordingNotifier:
    """Notes who was woken, and what the database said about their order at that moment."""

    def __init__(self, rt: Runtime, fail: bool = False) -> None:
        self.rt = rt
        self.fail = fail
        self.woken: list[tuple[str, str, str]] = []

    def publish(self, workspace_id: str, contact_id: str) -> None:
        self.woken.append((workspace_id, contact_id, order_status(self.rt)))
        if self.fail:
            raise ConnectionError("redis unreachable")


@pytest.fixture
def shop(runtime: Runtime) -> Iterator[Runtime]:
    ensure_demo(runtime)
    yield runtime


def place_unpaid_order(shop: Runtime) -> str:
    buyer = Customer(shop, "late-payer", "en")
    buyer.taps(f"QTY:{SKU}:2")
    checkout_to_summary(buyer)
    buyer.taps(buyer.payload_starting("CONFIRM:"))
    with shop.db.transaction() as session:
        order_id = session.scalar(select(OrderRow.id))
    assert order_id is not None, f"no order was placed: {buyer.text}"
    return order_id


def order_status(rt: Runtime) -> str:
    with rt.db.transaction() as session:
        return str(session.scalar(select(OrderRow.status)))


def stock(rt: Runtime) -> int:
    with rt.db.transaction() as session:
        return int(session.scalar(select(VariantRow.stock).where(VariantRow.sku == SKU)) or 0)


def test_the_expiry_handler_cancels_returns_stock_and_wakes_the_customer_after_commit(shop: Runtime) -> None:
    order_id = place_unpaid_order(shop)
    held = stock(shop)
    notifier = RecordingNotifier(shop)
    shop.notifier = notifier
    expire_unpaid_order(shop, {"order_id": order_id})
    assert order_status(shop) == "cancelled"
    assert stock(shop) == held + 2
    assert [status for _ws, _contact, status in notifier.woken] == ["cancelled"], (
        "the chat was woken before the cancellation was committed"
    )
    expire_unpaid_order(shop, {"order_id": order_id})
    assert stock(shop) == held + 2, "a second run returned the stock twice"
    assert len(notifier.woken) == 1, "a second run told the customer again"


def test_a_failed_wake_up_keeps_the_cancellation_and_the_retry_tells_no_one_twice(
    shop: Runtime, clock: FakeClock
) -> None:
    order_id = place_unpaid_order(shop)
    held = stock(shop)
    notifier = RecordingNotifier(shop, fail=True)
    shop.notifier = notifier
    clock.advance(seconds=PAYMENT_WINDOW.total_seconds())
    assert run_due_jobs(shop) == 1
    expiry = job(shop, f"{EXPIRE_JOB}:{order_id}")
    assert (expiry.state, expiry.last_error) == (JobState.PENDING, "ConnectionError: redis unreachable")
    assert order_status(shop) == "cancelled" and stock(shop) == held + 2
    clock.advance(hours=1)
    assert run_due_jobs(shop) == 1
    assert job(shop, f"{EXPIRE_JOB}:{order_id}").state is JobState.DONE
    assert stock(shop) == held + 2
    assert len(notifier.woken) == 1


def test_an_order_paid_in_time_is_not_cancelled(shop: Runtime, clock: FakeClock) -> None:
    order_id = place_unpaid_order(shop)
    with shop.db.transaction() as session:
        row = session.get_one(OrderRow, order_id)
        paid = Money(row.total, row.currency)
        assert pay(session, row.payment_token, paid, clock.now)[0] is PaymentResult.PAID
    clock.advance(seconds=(PAYMENT_WINDOW + timedelta(minutes=1)).total_seconds())
    assert run_due_jobs(shop) == 1
    assert order_status(shop) == "paid"
    assert job(shop, f"{EXPIRE_JOB}:{order_id}").state is JobState.DONE
