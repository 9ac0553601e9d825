"""How the customer feels reaches the engine: an angry message goes to a person at once in
any of the five languages, whatever else it asks and wherever the purchase stands; an
unhappy but calm one does not; and every understood message carries its mood into the
event log, for the agents' queue and the numbers. Runs with either understander."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from chatcart.services.runtime import Runtime
from chatcart.storage.tables import ConversationRow, EventRow, HandoffRow
from tests.conversations.conftest import Customer
from tests.conversations.teashop import TEA_SHOP, open_tea_shop


@pytest.fixture
def tea(shop: Runtime) -> Iterator[Runtime]:
    open_tea_shop(shop)
    yield shop


@pytest.mark.parametrize(
    ("lang", "angry", "apology"),
    [
        ("en", "WHERE IS MY ORDER?? this is a joke, worst shop ever", "I'm sorry"),
        ("zh-TW", "搞什麼 都等一個禮拜了 爛透了", "抱歉"),
        ("zh-CN", "什么破店 骗子 我要去投诉", "抱歉"),
        ("ja", "ふざけるな！いつまで待たせるんだ", "申し訳"),
        ("pl", "Skandal! Oszuści, tydzień czekam na paczkę!!", "przykro"),
    ],
)
def test_an_angry_message_reaches_a_person_at_once_even_mid_purchase(
    tea: Runtime, lang: str, angry: str, apology: str
) -> None:
    customer = Customer(tea, f"angry-{lang}", lang, workspace=TEA_SHOP)
    customer.taps("BUY:DD")
    customer.says(angry)
    assert apology in customer.text, customer.text
    with tea.db.transaction() as session:
        # Named a complaint by the intent, or heard as anger by the mood: a person either way.
        assert session.scalar(select(HandoffRow.reason)) in ("complaint", "angry")
        assert session.scalar(select(ConversationRow.owner)) == "human"


@pytest.mark.parametrize(
    ("lang", "calm"),
    [
        ("en", "the 150g was a bit too small for me, do you have a bigger one?"),
        ("zh-TW", "上次買的有點太淡 有沒有濃一點的茶"),
        ("en", "which of these would suit someone who never brewed loose leaf before?"),
        ("zh-TW", "如果收到的茶不喜歡 可以退嗎？"),
    ],
)
def test_an_unhappy_but_calm_customer_stays_with_the_bot(tea: Runtime, lang: str, calm: str) -> None:
    customer = Customer(tea, f"calm-{lang}", lang, workspace=TEA_SHOP)
    customer.says(calm)
    with tea.db.transaction() as session:
        assert session.scalar(select(HandoffRow.reason)) is None
        assert session.scalar(select(ConversationRow.owner)) == "bot"


def test_the_mood_of_each_understood_message_is_in_the_event_log(tea: Runtime) -> None:
    customer = Customer(tea, "mood", "en", workspace=TEA_SHOP)
    customer.says("love your oolong, do you have the dong ding?")
    customer.says("I need it by tomorrow please, it's urgent")
    with tea.db.transaction() as session:
        data = [e.data for e in session.scalars(select(EventRow).where(EventRow.name == "understood"))]
    assert data[0]["sentiment"] > 0 and data[0]["urgent"] is False
    assert data[-1]["urgent"] is True
