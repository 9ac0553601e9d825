"""Intents a shop teaches from a few example phrases: recognised in words the shop never
wrote, answered as the shop wrote, learnt by a running server without a restart, and
never in the way of what the bot already understands. Runs with either understander."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from chatcart.core.errors import DomainError
from chatcart.services.intents import find_intents, set_intents
from chatcart.services.runtime import Runtime
from chatcart.storage.tables import ConversationRow, HandoffRow
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer, demo_shop_on
from tests.conversations.teashop import TEA_SHOP, open_tea_shop

INTENTS = """
- id: wholesale
  examples:
    en: [do you sell wholesale, bulk order for my cafe, what are your trade prices,
         I run a restaurant and want to buy in bulk, wholesale price list please]
    zh-TW: [可以批發嗎, 大量訂購有優惠嗎, 店家進貨價格怎麼算, 我開餐廳想大量叫貨, 有批發價嗎]
  answer:
    en: We sell wholesale from 20 packs.
    zh-TW: 20 包起即可批發。
  hand_off: true
- id: tasting
  examples:
    en: [can I come for a tea tasting, do you hold tasting sessions, book a tea tasting,
         is there a tea class I can join, tasting event this weekend]
    zh-TW: [可以去試茶嗎, 有品茶課程嗎, 想預約品茶, 有開泡茶教學嗎, 週末有試喝活動嗎]
  answer:
    en: Tastings are every Saturday at 2 pm in our Taipei shop; book by replying with a date.
    zh-TW: 每週六下午兩點在台北門市有品茶會，回覆日期即可預約。
"""


@pytest.fixture
def teahouse(shop: Runtime) -> Iterator[Runtime]:
    open_tea_shop(shop)
    set_intents(shop, TEA_SHOP, INTENTS)
    yield shop


def _customer(rt: Runtime, name: str, lang: str) -> Customer:
    return Customer(rt, name, lang, workspace=TEA_SHOP)


def _owner(rt: Runtime) -> str | None:
    with rt.db.transaction() as session:
        return session.scalar(select(ConversationRow.owner))


@pytest.fixture
def trained_teahouse(sqlite_url: str, clock: FakeClock) -> Iterator[Runtime]:
    """The trained understander whatever the suite runs with: recognising phrasings far from
    the shop's own is what it adds over retrieval (bench/shop_intents_bench.py)."""
    with demo_shop_on(sqlite_url, clock, "trained") as rt:
        open_tea_shop(rt)
        set_intents(rt, TEA_SHOP, INTENTS)
        yield rt


@pytest.mark.parametrize(
    ("lang", "message", "answer"),
    [
        ("en", "hi, any chance of tea tasting sessions next month?", "Tastings are every Saturday"),
        ("zh-TW", "週末有沒有品茶活動？", "品茶會"),
        ("zh-TW", "請問你們有品茶課程嗎 想帶朋友去", "品茶會"),
    ],
)
def test_a_taught_intent_is_answered_in_words_the_shop_never_wrote(
    trained_teahouse: Runtime, lang: str, message: str, answer: str
) -> None:
    customer = _customer(trained_teahouse, "tina", lang)
    customer.says(message)
    assert answer in customer.text


@pytest.mark.parametrize(
    ("lang", "message", "answer"),
    [
        ("en", "do you hold tasting sessions?", "Tastings are every Saturday"),
        ("zh-TW", "想預約品茶", "品茶會"),
    ],
)
def test_a_phrase_close_to_the_shops_own_is_answered_by_either_understander(
    teahouse: Runtime, lang: str, message: str, answer: str
) -> None:
    customer = _customer(teahouse, "tom", lang)
    customer.says(message)
    assert answer in customer.text


def test_an_intent_with_a_hand_off_answers_and_asks_a_person_to_join(teahouse: Runtime) -> None:
    customer = _customer(teahouse, "owen", "en")
    customer.says("I own a cafe, do you sell wholesale?")
    assert "We sell wholesale from 20 packs." in customer.text
    assert "person" in customer.text
    assert _owner(teahouse) == "human"
    with teahouse.db.transaction() as session:
        assert session.scalar(select(HandoffRow.reason)) == "shop_intent"


def test_what_the_bot_already_understood_is_not_taken_by_a_shop_intent(teahouse: Runtime) -> None:
    customer = _customer(teahouse, "bea", "en")
    customer.says("dong ding oolong 150g")
    assert "Tastings" not in customer.text and "wholesale" not in customer.text
    assert customer.cards or "150g" in customer.text
    customer.says("where is my order?")
    assert "Tastings" not in customer.text and "wholesale" not in customer.text


def test_asked_in_the_middle_of_a_purchase_it_is_answered_and_the_step_asked_again(
    teahouse: Runtime,
) -> None:
    customer = _customer(teahouse, "yu", "zh-TW")
    customer.says("凍頂烏龍 150g 一包")
    customer.says("結帳")
    question = customer.text
    customer.says("對了 你們有品茶課程嗎？")
    assert "品茶會" in customer.text
    assert _owner(teahouse) == "bot"
    assert question.splitlines()[-1] in customer.text, "the checkout question comes again"


def test_a_running_server_learns_a_new_intent_without_a_restart(shop: Runtime) -> None:
    open_tea_shop(shop)
    customer = _customer(shop, "lee", "en")
    customer.says("can I join a tea tasting session?")
    assert "Tastings are every Saturday" not in customer.text
    set_intents(shop, TEA_SHOP, INTENTS)
    customer.says("can I join a tea tasting session?")
    assert "Tastings are every Saturday" in customer.text


def test_intents_taken_away_are_no_longer_answered(teahouse: Runtime) -> None:
    set_intents(teahouse, TEA_SHOP, "[]")
    assert not find_intents(teahouse, TEA_SHOP)
    customer = _customer(teahouse, "max", "en")
    customer.says("do you hold tasting sessions")
    assert "Tastings are every Saturday" not in customer.text


def test_a_wrong_file_changes_nothing(teahouse: Runtime) -> None:
    with pytest.raises(DomainError):
        set_intents(teahouse, TEA_SHOP, "- id: broken\n  examples: {en: [only one]}\n  answer: {en: x}\n")
    assert [i.id for i in find_intents(teahouse, TEA_SHOP).intents] == ["wholesale", "tasting"]
