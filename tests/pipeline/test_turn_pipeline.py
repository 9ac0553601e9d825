"""The turn pipeline on SQLite and the real PostgreSQL: snapshot → decide → short write,
exactly once and in order under concurrent processors, poison events handed to a person,
ownership in one place, re-deciding when the world changed, and the outbox."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from chatcart.demo.loader import ensure_demo
from chatcart.engine.core import TurnResult
from chatcart.messaging.inbound import EventKind, Identity, InboundEvent
from chatcart.services import ownership
from chatcart.services.conversations import accept, process_contact
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.workspaces import create_workspace
from chatcart.storage.catalog import take_stock
from chatcart.storage.tables import (
    ContactRow,
    ConversationRow,
    HandoffRow,
    IdentityRow,
    InboxRow,
    MessageRow,
    OrderRow,
    VariantRow,
)
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer
from tests.conversations.test_purchase_journeys import checkout_to_summary


@pytest.fixture
def shop(runtime: Runtime) -> Iterator[Runtime]:
    ensure_demo(runtime)
    yield runtime


def event(event_id: str, who: str, text: str = "", payload: str = "") -> InboundEvent:
    return InboundEvent(
        workspace_id="demo",
        event_id=event_id,
        kind=EventKind.POSTBACK if payload else EventKind.MESSAGE,
        sender=Identity(channel="webchat", external_id=who),
        received_at=datetime(2026, 3, 2, tzinfo=UTC),
        text=text,
        payload=payload,
        lang_hint="en",
    )


def scalar(rt: Runtime, query: Any) -> Any:
    with rt.db.transaction() as session:
        return session.scalar(query)


def inbound_texts(rt: Runtime, who: str) -> list[str]:
    with rt.db.transaction() as session:
        bodies = session.scalars(
            select(MessageRow.body)
            .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
            .join(IdentityRow, IdentityRow.contact_id == ConversationRow.contact_id)
            .where(IdentityRow.external_id == who, MessageRow.direction == "in")
            .order_by(MessageRow.id)
        )
        return [b["text"] for b in bodies]


def replies_to(rt: Runtime, event_id: str) -> list[dict[str, Any]]:
    with rt.db.transaction() as session:
        rows = session.scalars(
            select(MessageRow.body)
            .where(MessageRow.direction == "out", MessageRow.idempotency_key.like(f"%:{event_id}:%"))
            .order_by(MessageRow.id)
        )
        return list(rows)


# ------------------------------------------------------------------ concurrency, order, once


def test_two_processors_and_many_customers_process_every_event_once_in_order(
    shop: Runtime, database_url: str, clock: FakeClock
) -> None:
    second = build_runtime(database_url, "http://shop.test", clock=clock)
    customers = [f"web-{n}" for n in range(12)]
    texts = ["hello", "oolong tea", "where is my order", "lip balm", "thanks"]
    errors: list[BaseException] = []

    def customer_writes(who: str) -> None:
        try:
            for index, text in enumerate(texts):
                accepted = accept(shop, event(f"{who}-{index}", who, text))
                processor = shop if index % 2 else second
                process_contact(processor, "demo", accepted.contact_id)
        except BaseException as error:  # the test fails below with the error
            errors.append(error)

    def sweeper(rt: Runtime) -> None:
        for _ in range(30):
            for contact_id in _contacts(rt):
                process_contact(rt, "demo", contact_id)

    threads = [threading.Thread(target=customer_writes, args=(who,)) for who in customers]
    threads += [threading.Thread(target=sweeper, args=(rt,)) for rt in (shop, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    second.db.dispose()
    assert not errors, errors
    assert scalar(shop, select(func.count()).where(InboxRow.processed_at.is_(None))) == 0
    assert scalar(shop, select(func.count()).where(InboxRow.state == "dead")) == 0
    for who in customers:
        assert inbound_texts(shop, who) == texts, f"{who}'s messages are each handled once, in order"
    per_event = scalar(
        shop,
        select(func.count()).select_from(
            select(MessageRow.inbox_id)
            .where(MessageRow.direction == "in")
            .group_by(MessageRow.inbox_id)
            .having(func.count() > 1)
            .subquery()
        ),
    )
    assert per_event == 0, "no event was echoed twice"


def _contacts(rt: Runtime) -> list[str]:
    with rt.db.transaction() as session:
        return list(session.scalars(select(ContactRow.id)))


def test_two_first_events_of_a_new_identity_at_once_make_one_contact(
    shop: Runtime, database_url: str, clock: FakeClock
) -> None:
    runtimes = [build_runtime(database_url, "http://shop.test", clock=clock) for _ in range(4)]
    barrier = threading.Barrier(len(runtimes))
    results: list[str] = []
    errors: list[BaseException] = []

    def first_event(rt: Runtime, n: int) -> None:
        try:
            barrier.wait()
            results.append(accept(rt, event(f"first-{n}", "brand-new-visitor", "hi")).contact_id)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=first_event, args=(rt, n)) for n, rt in enumerate(runtimes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for rt in runtimes:
        rt.db.dispose()
    assert not errors, errors
    assert len(set(results)) == 1, "every first event found the same contact"
    assert scalar(shop, select(func.count()).select_from(ContactRow)) == 1


# ------------------------------------------------------------------------- poison events


def test_a_quantity_postback_with_a_superscript_digit_is_answered_and_later_messages_flow(
    shop: Runtime,
) -> None:
    poison = accept(shop, event("bad-1", "web-p", payload="QTY:SKN-006-50:²"))
    later = accept(shop, event("ok-2", "web-p", text="oolong tea"))
    assert process_contact(shop, "demo", poison.contact_id) == 2
    assert "no longer active" in replies_to(shop, "bad-1")[0]["text"], (
        "a malformed tap is answered, not fatal"
    )
    assert later.inbox_id is not None
    assert replies_to(shop, "ok-2")[0]["type"] == "text"


def test_an_event_whose_turn_keeps_failing_goes_to_a_person_with_one_clear_reply(
    shop: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_handle = shop.engine.handle

    def fails_on_tea(event: InboundEvent, *args: Any, **kwargs: Any) -> TurnResult:
        if "tea" in event.text:
            raise ValueError("a skill crashed")
        return real_handle(event, *args, **kwargs)

    monkeypatch.setattr(shop.engine, "handle", fails_on_tea)
    poison = accept(shop, event("e-1", "web-q", text="oolong tea"))
    accept(shop, event("e-2", "web-q", text="hello"))
    accept(shop, event("e-3", "web-q", text="thanks"))
    assert process_contact(shop, "demo", poison.contact_id) == 3, "the later messages were not held up"

    with shop.db.transaction() as session:
        dead = session.scalars(select(InboxRow).where(InboxRow.event_id == "e-1")).one()
        assert dead.state == "dead" and dead.attempts == 3 and "a skill crashed" in dead.last_error
        assert session.scalar(select(ConversationRow.owner)) == "human"
        assert session.scalar(select(HandoffRow.reason)) == "bot_error"
    (apology,) = replies_to(shop, "e-1")
    assert "A person from our team will reply" in apology["text"]
    assert [q["payload"] for q in apology["quick_replies"]] == ["BOT"], "the way back to the bot stays open"
    assert replies_to(shop, "e-2") == [] and replies_to(shop, "e-3") == [], (
        "a person has it: the bot is silent"
    )
    assert inbound_texts(shop, "web-q") == ["oolong tea", "hello", "thanks"], "the person sees every message"


# ----------------------------------------------------------------------------- ownership


def test_after_a_person_is_assigned_the_bot_is_silent_until_handed_back(shop: Runtime) -> None:
    customer = Customer(shop, "olga", "en")
    customer.says("hello")
    conversation_id = scalar(shop, select(ConversationRow.id))
    ownership.assign(shop, conversation_id, "agent-ann")
    assert customer.says("are you there?") == [], "the bot does not answer in the person's place"
    assert customer.taps("BROWSE") == []
    with shop.db.transaction() as session:
        row = session.get_one(ConversationRow, conversation_id)
        assert (row.owner, row.assignee) == ("human", "agent-ann")
        assert "owner" not in row.state, "ownership is stored in one place only"
        assert session.scalar(select(HandoffRow.assignee)) == "agent-ann"

    ownership.hand_back(shop, conversation_id, by="agent-ann")
    customer.says("oolong tea")
    assert customer.card_ids, "the bot answers again"
    with shop.db.transaction() as session:
        row = session.get_one(ConversationRow, conversation_id)
        assert (row.owner, row.assignee) == ("bot", None)
        assert session.scalar(select(HandoffRow.resolution)) == "handed_back"


def test_a_takeover_while_a_bot_turn_is_deciding_is_not_undone(
    shop: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = Customer(shop, "pete", "en")
    customer.says("hello")
    conversation_id = scalar(shop, select(ConversationRow.id))
    real_handle = shop.engine.handle
    took_over: list[bool] = []

    def agent_takes_over_meanwhile(*args: Any, **kwargs: Any) -> TurnResult:
        result = real_handle(*args, **kwargs)
        if not took_over:
            took_over.append(True)
            ownership.assign(shop, conversation_id, "agent-bo")
        return result

    monkeypatch.setattr(shop.engine, "handle", agent_takes_over_meanwhile)
    assert customer.says("oolong tea") == [], "the turn was decided again, now silent"
    with shop.db.transaction() as session:
        assert session.get_one(ConversationRow, conversation_id).owner == "human"


# --------------------------------------------------------------- the world changed meanwhile


def test_the_last_item_taken_between_decide_and_write_is_told_kindly_and_not_oversold(
    shop: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer = Customer(shop, "quinn", "en")
    buyer.taps("BUY:SKN-006")
    buyer.taps("QTY:SKN-006-50:1")
    checkout_to_summary(buyer)
    confirm = buyer.payload_starting("CONFIRM:")
    real_handle = shop.engine.handle

    def someone_else_buys_meanwhile(*args: Any, **kwargs: Any) -> TurnResult:
        result = real_handle(*args, **kwargs)
        with shop.db.transaction() as session:
            stock = session.scalar(select(VariantRow.stock).where(VariantRow.sku == "SKN-006-50"))
            if stock:
                assert take_stock(session, "demo", "SKN-006-50", int(stock))
        return result

    monkeypatch.setattr(shop.engine, "handle", someone_else_buys_meanwhile)
    buyer.taps(confirm)
    assert "someone bought the last" in buyer.text, buyer.text
    assert scalar(shop, select(func.count()).select_from(OrderRow)) == 0
    assert scalar(shop, select(VariantRow.stock).where(VariantRow.sku == "SKN-006-50")) == 0


def test_a_cached_catalog_sees_stock_sold_by_another_process(
    shop: Runtime, database_url: str, clock: FakeClock
) -> None:
    browsing = Customer(shop, "rita", "en")
    browsing.says("hello")
    other_process = build_runtime(database_url, "http://shop.test", clock=clock)
    with other_process.db.transaction() as session:
        for sku in ("SKN-006-50",):
            stock = session.scalar(select(VariantRow.stock).where(VariantRow.sku == sku))
            assert take_stock(session, "demo", sku, int(stock or 0))
    other_process.db.dispose()
    browsing.taps("BUY:SKN-006")
    assert "sold out" in browsing.text, "the first process's cached catalog took the new stock"


# -------------------------------------------------------------------------------- outbox


def test_replies_are_outbox_rows_addressed_to_the_sender_with_idempotency_keys(shop: Runtime) -> None:
    accepted = accept(shop, event("evt-9", "web-o", text="hello"))
    process_contact(shop, "demo", accepted.contact_id)
    with shop.db.transaction() as session:
        rows = list(session.scalars(select(MessageRow).order_by(MessageRow.id)))
    echo, *replies = rows
    assert (echo.author, echo.status, echo.platform_message_id) == ("customer", "received", "evt-9")
    assert replies and all(r.status == "queued" and r.author == "bot" for r in replies)
    assert all((r.channel, r.recipient) == ("webchat", "web-o") for r in replies)
    keys = [r.idempotency_key for r in replies]
    assert keys == [f"demo:webchat:evt-9:{n}" for n in range(len(replies))]


def test_order_numbers_are_unique_per_workspace_not_across_workspaces(shop: Runtime) -> None:
    create_workspace(shop, "second", name="Second", lang="en")
    buyer = Customer(shop, "sam", "en")
    buyer.taps("BUY:SKN-006")
    buyer.taps("QTY:SKN-006-50:1")
    checkout_to_summary(buyer)
    buyer.taps(buyer.payload_starting("CONFIRM:"))
    with shop.db.transaction() as session:
        order = session.scalars(select(OrderRow)).one()
        copied = {c.name: getattr(order, c.name) for c in OrderRow.__table__.columns}
    copied.update(id="other-order", checkout_token="other-ct", payment_token="other-pt")
    with shop.db.transaction() as session:
        session.add(OrderRow(**{**copied, "workspace_id": "second"}))
    assert scalar(shop, select(func.count()).where(OrderRow.number == order.number)) == 2
    with pytest.raises(IntegrityError), shop.db.transaction() as session:
        session.add(OrderRow(**{**copied, "id": "third", "checkout_token": "c3", "payment_token": "p3"}))


# ------------------------------------------------------------- deciding holds no lock


def test_a_slow_decision_blocks_no_other_conversation(shop: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Customer A's turn waits inside the engine (as an LLM call would) until customer B's
    whole turn is stored: were A holding a database lock, B could never finish."""
    real_handle = shop.engine.handle
    a_deciding, b_stored = threading.Event(), threading.Event()

    def slow_for_a(event: InboundEvent, *args: Any, **kwargs: Any) -> TurnResult:
        if event.sender.external_id == "web-a":
            a_deciding.set()
            assert b_stored.wait(timeout=30), "B's turn could not be stored while A was deciding"
        return real_handle(event, *args, **kwargs)

    monkeypatch.setattr(shop.engine, "handle", slow_for_a)
    a = accept(shop, event("a-1", "web-a", text="oolong tea"))
    b = accept(shop, event("b-1", "web-b", text="oolong tea"))
    a_turn = threading.Thread(target=process_contact, args=(shop, "demo", a.contact_id))
    a_turn.start()
    assert a_deciding.wait(timeout=30)
    assert process_contact(shop, "demo", b.contact_id) == 1
    assert replies_to(shop, "b-1"), "B was answered while A was still deciding"
    b_stored.set()
    a_turn.join(timeout=30)
    assert replies_to(shop, "a-1"), "A's turn completed afterwards"
