"""The bot helps first and never traps: fallbacks vary, a person is one tap away, hand-offs
are recorded, and a customer who leaves mid-step is offered to continue days later."""

from __future__ import annotations

from itertools import pairwise

from sqlalchemy import func, select

from chatcart.services.runtime import Runtime
from chatcart.storage.tables import ConversationRow, EventRow, HandoffRow
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer


def count(rt: Runtime, model: type, **where: str) -> int:
    with rt.db.transaction() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(session.scalar(query) or 0)


def test_after_two_misunderstandings_the_bot_offers_a_person_and_never_repeats_itself(
    customer: Customer,
) -> None:
    customer.says("hello")
    texts = []
    for gibberish in ("qwzx vbnm", "plokij uhyg", "zzzz xxxx", "mnbv cxzl"):
        customer.says(gibberish)
        texts.append(customer.text)
    assert all(a != b for a, b in pairwise(texts)), f"a fallback repeated: {texts}"
    second = texts[1]
    assert "person" in second, f"the second miss offers a person: {second}"
    customer.says("qwzx vbnm")
    assert "Talk to a person" in customer.quick_reply_titles, "the way to a person stays one tap away"


def test_understanding_something_resets_the_misunderstanding_count(customer: Customer) -> None:
    customer.says("qwzx vbnm")
    customer.says("oolong tea")
    assert customer.card_ids, "a search in between is understood"
    customer.says("plokij uhyg")
    assert "person" not in customer.text, "one miss after a success is a first miss again"


def test_talk_to_a_person_records_a_hand_off_and_says_what_happens_next(
    customer: Customer, shop: Runtime
) -> None:
    customer.says("hi")
    customer.taps("HUMAN")
    assert "person" in customer.text and "Back to the bot" in customer.quick_reply_titles
    assert count(shop, HandoffRow, reason="customer_request") == 1
    customer.says("are you there?")
    assert customer.text == "", "while a person owns it, the bot does not answer in their place"
    customer.taps("HUMAN")
    assert "a person will reply" in customer.text and "Back to the bot" in customer.quick_reply_titles
    assert count(shop, HandoffRow, reason="customer_request") == 1, "asking twice is one hand-off"
    customer.taps("BOT")
    assert "I'm back" in customer.text
    with shop.db.transaction() as session:
        handoff = session.scalars(select(HandoffRow)).one()
        assert handoff.resolved_at is not None and handoff.resolution == "handed_back"
        assert session.scalar(select(ConversationRow.owner)) == "bot"
    customer.says("oolong tea")
    assert customer.card_ids


def test_a_complaint_goes_to_a_person_at_once(customer: Customer, shop: Runtime) -> None:
    customer.says("The mug arrived broken and I am very angry")
    assert "sorry" in customer.text.lower()
    assert count(shop, HandoffRow, reason="complaint") == 1
    with shop.db.transaction() as session:
        assert session.scalar(select(ConversationRow.outcome)) == "handed_off"


def test_a_customer_back_days_later_is_offered_to_continue_choosing_a_size(
    customer: Customer, shop: Runtime, clock: FakeClock
) -> None:
    customer.taps("BUY:APP-001")
    assert "Which size" in customer.text
    clock.advance(days=3)
    customer.says("hi")
    assert "Welcome back" in customer.text and "Linen Wrap Dress" in customer.text, customer.text
    customer.taps("RESUME")
    assert "Which size of Linen Wrap Dress" in customer.text
    customer.taps("SIZE:APP-001:S")
    assert "Which colour" in customer.text


def test_the_cart_survives_a_restart_and_days_away(shop: Runtime, clock: FakeClock) -> None:
    first = Customer(shop, "bob", "en")
    first.taps("QTY:TEA-002-150:2")
    clock.advance(days=10)
    again = Customer(shop, "bob", "en")
    again.taps("CART")
    assert "Dong Ding Roasted Oolong Tea" in str(again.replies) and "Quantity 2" in str(again.replies)


def test_a_checkout_left_half_way_is_resumed_where_it_stopped(
    customer: Customer, shop: Runtime, clock: FakeClock
) -> None:
    customer.taps("BUY:TEA-002")
    customer.taps("SHIP:home")
    clock.advance(hours=30)
    customer.says("hello")
    assert "Your cart still has Dong Ding Roasted Oolong Tea (150g) ×1" in customer.text, customer.text
    customer.taps("RESUME")
    assert "delivery address" in customer.text, "the shipping choice was kept; the next question is asked"


def test_every_conversation_records_its_events(customer: Customer, shop: Runtime) -> None:
    customer.says("oolong tea")
    customer.taps("BUY:TEA-002")
    customer.taps("QTY:TEA-002-150:1")
    customer.taps("CHECKOUT")
    names = set()
    with shop.db.transaction() as session:
        names = set(session.scalars(select(EventRow.name)))
    assert {
        "message_in",
        "message_out",
        "understood",
        "products_shown",
        "add_to_cart",
        "checkout_started",
    } <= names


def test_a_taiwanese_customer_back_the_next_day_continues_her_checkout(
    tw_customer: Customer, clock: FakeClock
) -> None:
    tw_customer.taps("BUY:TEA-002")
    tw_customer.taps("SHIP:store-family")
    clock.advance(days=1)
    tw_customer.says("哈囉")
    assert "歡迎回來" in tw_customer.text and "購物車" in tw_customer.text, tw_customer.text
    assert "全家" in tw_customer.text, f"asks for the store of the chosen carrier: {tw_customer.text}"
    tw_customer.says("台大門市")
    tw_customer.says("陳美美")
    assert "手機" in tw_customer.text
