"""Storage on SQLite and the real PostgreSQL: migrations, exactly-once inbound handling,
recovery after a crash, atomic stock, unique order numbers and durable timers."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, inspect, select

from chatcart.demo.loader import ensure_demo
from chatcart.jobs.runner import run_due_jobs
from chatcart.messaging.inbound import EventKind, Identity, InboundEvent
from chatcart.services.conversations import accept, process_contact, recover
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.storage.migrate import current_revision
from chatcart.storage.tables import Base, InboxRow, MessageRow, OrderRow, VariantRow
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer
from tests.conversations.test_purchase_journeys import checkout_to_summary


@pytest.fixture
def shop(runtime: Runtime) -> Iterator[Runtime]:
    ensure_demo(runtime)
    yield runtime


def event(event_id: str, text: str, who: str = "web-1") -> InboundEvent:
    return InboundEvent(
        workspace_id="demo",
        event_id=event_id,
        kind=EventKind.MESSAGE,
        sender=Identity(channel="webchat", external_id=who),
        received_at=datetime(2026, 3, 2, tzinfo=UTC),
        text=text,
    )


def rows(rt: Runtime, model: type) -> int:
    with rt.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_migrations_create_every_table_at_the_latest_revision(runtime: Runtime) -> None:
    assert current_revision(runtime.db) == "0005"
    tables = set(inspect(runtime.db.engine).get_table_names())
    assert set(Base.metadata.tables) <= tables, set(Base.metadata.tables) - tables


def test_a_retried_webhook_is_stored_and_processed_once(shop: Runtime) -> None:
    first = accept(shop, event("evt-1", "oolong tea"))
    again = accept(shop, event("evt-1", "oolong tea"))
    assert not first.duplicate and again.duplicate
    assert process_contact(shop, "demo", first.contact_id) == 1
    assert process_contact(shop, "demo", first.contact_id) == 0
    assert rows(shop, InboxRow) == 1
    with shop.db.transaction() as session:
        echoes = session.scalar(select(func.count()).where(MessageRow.direction == "in"))
    assert echoes == 1, "the customer's message appears once in the history"


def test_events_of_one_contact_are_processed_in_arrival_order(shop: Runtime) -> None:
    texts = ["hello", "oolong tea", "where is my order", "thanks"]
    contact = ""
    for index, text in enumerate(texts):
        contact = accept(shop, event(f"evt-{index}", text)).contact_id
    assert process_contact(shop, "demo", contact) == len(texts)
    with shop.db.transaction() as session:
        inbound = list(
            session.scalars(
                select(MessageRow.body).where(MessageRow.direction == "in").order_by(MessageRow.seq)
            )
        )
    assert [b["text"] for b in inbound] == texts


def test_a_turn_that_crashes_leaves_the_event_to_be_processed_after_restart(
    shop: Runtime, database_url: str, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    accepted = accept(shop, event("evt-crash", "oolong tea"))

    def process_dies(*_args: object, **_kwargs: object) -> None:
        raise SystemExit("the worker process was killed mid-turn")

    monkeypatch.setattr(shop.engine, "handle", process_dies)
    with pytest.raises(SystemExit):
        process_contact(shop, "demo", accepted.contact_id)
    assert rows(shop, MessageRow) == 0, "a turn cut short stores nothing half-way"
    with shop.db.transaction() as session:
        inbox = session.scalars(select(InboxRow)).one()
        assert inbox.processed_at is None and inbox.state == "pending"

    restarted = build_runtime(database_url, "http://shop.test", clock=clock)
    assert recover(restarted) == 1
    with restarted.db.transaction() as session:
        bodies = list(session.scalars(select(MessageRow.body).where(MessageRow.direction == "out")))
    assert any(b.get("cards") for b in bodies), "after the restart the customer gets the search results"
    restarted.db.dispose()


def test_an_event_stored_but_never_processed_is_recovered(
    shop: Runtime, database_url: str, clock: FakeClock
) -> None:
    accept(shop, event("evt-killed", "hello"))
    restarted = build_runtime(database_url, "http://shop.test", clock=clock)
    assert recover(restarted) == 1
    assert recover(restarted) == 0
    restarted.db.dispose()


def test_two_customers_race_for_the_last_item_on_every_database(shop: Runtime) -> None:
    buyers = [Customer(shop, name, "en") for name in ("ann", "ben", "cy")]
    for buyer in buyers:
        buyer.taps("BUY:SKN-006")
        checkout_to_summary(buyer)
    confirms = [b.payload_starting("CONFIRM:") for b in buyers]
    threads = [threading.Thread(target=b.taps, args=(c,)) for b, c in zip(buyers, confirms, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [b for b in buyers if "is placed" in b.text]
    assert len(winners) == 1, [b.text for b in buyers]
    for loser in (b for b in buyers if b not in winners):
        assert "someone bought the last" in loser.text and "sorry" in loser.text.lower(), loser.text
        assert loser.card_ids, "the customer who missed out is offered alternatives"
    with shop.db.transaction() as session:
        assert session.scalar(select(VariantRow.stock).where(VariantRow.sku == "SKN-006-50")) == 0
        assert session.scalar(select(func.count()).select_from(OrderRow)) == 1


def test_an_unpaid_card_order_is_cancelled_after_its_window_and_its_stock_returns(
    shop: Runtime, clock: FakeClock
) -> None:
    buyer = Customer(shop, "late-payer", "en")
    buyer.taps("QTY:TEA-006-12P:2")
    checkout_to_summary(buyer)
    buyer.taps(buyer.payload_starting("CONFIRM:"))
    with shop.db.transaction() as session:
        stock_after_order = session.scalar(select(VariantRow.stock).where(VariantRow.sku == "TEA-006-12P"))
    clock.advance(minutes=29)
    assert run_due_jobs(shop) == 0, "a card payment's window is 30 minutes"
    clock.advance(minutes=2)
    assert run_due_jobs(shop) == 1
    assert run_due_jobs(shop) == 0, "a timer fires once"
    with shop.db.transaction() as session:
        assert session.scalar(select(OrderRow.status)) == "cancelled"
        stock = session.scalar(select(VariantRow.stock).where(VariantRow.sku == "TEA-006-12P"))
    assert stock == (stock_after_order or 0) + 2
    buyer.taps("ORDERS")
    assert "cancelled" in buyer.text
