"""The checkout's choices and changes in the customer's own words, in English and Chinese."""

from __future__ import annotations

import pytest

from chatcart.nlu.choices import agrees, code_candidates, find_address, find_choices, is_chatter, is_question
from chatcart.nlu.interface import Context
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.text import normalise


@pytest.mark.parametrize(
    ("text", "shipping", "carrier", "payment"),
    [
        ("2 dong ding 300g, 7-11 pickup, cash on delivery", "store", "7-ELEVEN", "cod"),
        ("凍頂烏龍 300克 兩包 寄7-11 貨到付款", "store", "7-ELEVEN", "cod"),
        ("全家取貨 刷卡", "store", "FamilyMart", "sandbox"),
        ("寄到家裡，ATM轉帳", "home", None, "bank_transfer"),
        ("取貨付款", None, None, "cod"),
    ],
)
def test_choices_are_found_in_the_words_people_type(
    text: str, shipping: str | None, carrier: str | None, payment: str | None
) -> None:
    choices, _ = find_choices(normalise(text))
    assert (choices.shipping, choices.carrier, choices.payment) == (shipping, carrier, payment)


def test_a_carrier_is_not_read_as_a_price_range() -> None:
    u = KeywordUnderstander().understand("凍頂烏龍 寄7-11", Context("zh-TW"))
    assert u.entities.carrier == "7-ELEVEN" and u.entities.price_min is None and u.entities.price_max is None


@pytest.mark.parametrize(
    ("text", "removal", "change", "addition"),
    [
        ("維他命C那瓶不要了", True, False, False),
        ("drop the vitamin c", True, False, False),
        ("make that 2 packs", False, True, False),
        ("改成宅配", False, True, False),
        ("再加兩包阿里山 75g", False, False, True),
    ],
)
def test_changes_of_mind_are_told_apart(text: str, removal: bool, change: bool, addition: bool) -> None:
    u = KeywordUnderstander().understand(text, Context("zh-TW"))
    assert (u.wants_removal, u.wants_change, u.wants_addition) == (removal, change, addition)


def test_questions_are_recognised_with_or_without_a_question_mark() -> None:
    assert is_question("how long does delivery take")
    assert is_question("運費多少")
    assert is_question("可以超商取貨嗎")
    assert not is_question("信義門市")
    assert not is_question("Amy Chen 0912345678")


def test_a_plain_yes_confirms_but_a_sentence_containing_yes_does_not() -> None:
    assert agrees("好") and agrees("ok!") and agrees("確認下單")
    assert not agrees("好貴喔") and not agrees("ok but make it 2")


def test_chatter_is_laughter_greeting_or_emoji_alone() -> None:
    assert is_chatter("哈哈") and is_chatter("hello") and is_chatter("😊👍")
    assert not is_chatter("王小明") and not is_chatter("Shida")


def test_coupon_codes_are_picked_out_of_a_sentence() -> None:
    assert code_candidates("我有優惠碼 SAVE10") == ["SAVE10"]
    assert code_candidates("coupon welcome100 please") == ["WELCOME100"]
    assert code_candidates("no coupon") == []


@pytest.mark.parametrize(
    ("text", "address"),
    [
        ("其實要三包，然後改寄到我家 台北市信義路20巷8號", "台北市信義路20巷8號"),
        ("send it to my home instead, No. 8 Lane 20 Xinyi Rd", "No. 8 Lane 20 Xinyi Rd"),
        ("3F, No. 7, Yongkang St, Da'an, Taipei", "3F, No. 7, Yongkang St, Da'an, Taipei"),
        ("make it 3 please", None),
    ],
)
def test_an_address_inside_a_message_is_found_as_typed(text: str, address: str | None) -> None:
    assert find_address(text) == address
