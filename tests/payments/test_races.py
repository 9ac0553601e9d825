"""Paying and expiring happen exactly once, with one event and one message, however many
callbacks and expiry runs arrive at the same moment: real concurrent transactions, each
thread with its own connection, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest

from chatcart.commerce.orders import Order
from chatcart.core.money import Money
from chatcart.demo.loader import ensure_demo
from chatcart.jobs.order_expiry import CANCELLED_NOTICE, expire_unpaid_order
from chatcart.services import orders as order_door
from chatcart.services.orders import PaymentResult, expire_unpaid
from chatcart.services.payments import PAID_NOTICE, confirm_payment
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.storage.migrate import upgrade
from tests.conftest import FakeClock, _postgres_database
from tests.conversations.conftest import Customer

from .conftest import (
    BASE_URL,
    CLEANSER_SKU,
    Placed,
    buy,
    events_named,
    messages_starting,
    order_row,
    stock_of,
)

T = TypeVar("T")
CALLBACKS = 20
CLEANSER_TOTAL = Money.of("510", "TWD")


def at_once(count: int, action: Callable[[int], T]) -> list[T]:
    """Runs `action(i)` in `count` threads released together by a barrier."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        barrier.wait()
        return action(index)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(run, range(count)))


def notice_count(shop: Runtime, msgid: str) -> int:
    return messages_starting(shop, msgid.split("{")[0])


def test_identical_callbacks_at_once_pay_once_with_one_event_and_one_message(shop: Runtime) -> None:
    placed = buy(shop, Customer(shop, "double-payer"))
    results = at_once(CALLBACKS, lambda _i: confirm_payment(shop, placed.payment_token, CLEANSER_TOTAL))
    assert results.count(PaymentResult.PAID) == 1
    assert results.count(PaymentResult.ALREADY_PAID) == CALLBACKS - 1
    assert order_row(shop, placed.number).status == "paid"
    assert events_named(shop, "paid") == 1
    assert notice_count(shop, PAID_NOTICE) == 1


def test_expiry_runs_at_once_cancel_once_and_return_the_stock_once(shop: Runtime) -> None:
    placed = buy(shop, Customer(shop, "never-pays"))
    held = stock_of(shop, CLEANSER_SKU)
    order_id = order_row(shop, placed.number).id
    at_once(8, lambda _i: expire_unpaid_order(shop, {"order_id": order_id}))
    assert order_row(shop, placed.number).status == "cancelled"
    assert stock_of(shop, CLEANSER_SKU) == held + 1
    assert events_named(shop, "order_cancelled") == 1
    assert notice_count(shop, CANCELLED_NOTICE) == 1


def test_a_payment_racing_the_expiry_ends_either_paid_or_cancelled_never_both(shop: Runtime) -> None:
    for round_ in range(3):
        placed = buy(shop, Customer(shop, f"racer-{round_}"))
        held = stock_of(shop, CLEANSER_SKU)
        order_id = order_row(shop, placed.number).id

        def pay_or_expire(index: int, placed: Placed = placed, order_id: str = order_id) -> None:
            if index % 2:
                confirm_payment(shop, placed.payment_token, CLEANSER_TOTAL)
            else:
                expire_unpaid_order(shop, {"order_id": order_id})

        at_once(10, pay_or_expire)
        assert_one_ending(shop, placed, held, round_)


def assert_one_ending(shop: Runtime, placed: Placed, held: int, earlier_endings: int) -> None:
    status = order_row(shop, placed.number).status
    paid, cancelled = events_named(shop, "paid"), events_named(shop, "order_cancelled")
    assert paid + cancelled == earlier_endings + 1, "one ending per order"
    if status == "paid":
        assert stock_of(shop, CLEANSER_SKU) == held, "a paid order keeps its stock"
    else:
        assert status == "cancelled" and stock_of(shop, CLEANSER_SKU) == held + 1


@pytest.fixture
def postgres_shop(clock: FakeClock) -> Iterator[Runtime]:
    """PostgreSQL only: there a payment's read and its write can straddle another commit
    (SQLite lets one writer in at a time, so the interleaving cannot happen)."""
    for url in _postgres_database():
        rt = build_runtime(url, BASE_URL, clock=clock)
        upgrade(rt.db)
        ensure_demo(rt)
        yield rt
        rt.db.dispose()


def test_an_expiry_committed_between_a_payments_read_and_write_wins_and_the_payment_changes_nothing(
    postgres_shop: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = postgres_shop
    placed = buy(shop, Customer(shop, "straddler"))
    held = stock_of(shop, CLEANSER_SKU)
    order_id = order_row(shop, placed.number).id
    real_refusal = order_door.payment_refusal
    expired: list[Order | None] = []

    def expire_meanwhile(order: Order) -> PaymentResult | None:
        """After the payment first read the order as payable, the expiry commits in another
        thread (once: a later read by the payment must not start another expiry)."""
        refusal = real_refusal(order)
        if not expired:
            worker = threading.Thread(target=lambda: expired.append(_expire(shop, order_id)))
            worker.start()
            worker.join()
        return refusal

    monkeypatch.setattr(order_door, "payment_refusal", expire_meanwhile)
    assert confirm_payment(shop, placed.payment_token, CLEANSER_TOTAL) is PaymentResult.NOT_PAYABLE
    assert len(expired) == 1 and expired[0] is not None, "the expiry ran once, in between, and cancelled"
    assert order_row(shop, placed.number).status == "cancelled"
    assert stock_of(shop, CLEANSER_SKU) == held + 1
    assert (events_named(shop, "paid"), notice_count(shop, PAID_NOTICE)) == (0, 0)


def _expire(shop: Runtime, order_id: str) -> Order | None:
    with shop.db.transaction() as session:
        return expire_unpaid(session, order_id, shop.clock())
