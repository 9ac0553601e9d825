"""A shop customises its flows and FAQ without code, and bad customisations are refused."""

from __future__ import annotations

import pytest

from chatcart.core.errors import DomainError
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import set_faq, set_flows
from tests.conversations.conftest import Customer

OVERRIDE = """
welcome:
  - text: "Welcome to the tea corner!"
    quick_replies: [browse, human]
resume_after_minutes: 5
"""
FAQ = """
- id: wholesale
  questions: {en: ["do you sell wholesale", "bulk orders"], zh-TW: ["批發", "大量訂購"]}
  answer: {en: "Yes, from 50 boxes: ask a person.", zh-TW: "有的，50 盒起，請找真人客服。"}
"""


def test_a_shop_changes_its_welcome_and_the_bot_follows(customer: Customer, shop: Runtime) -> None:
    set_flows(shop, "demo", OVERRIDE)
    customer.says("hello")
    assert customer.text == "Welcome to the tea corner!"
    assert customer.quick_reply_titles == ["Browse products", "Talk to a person"]


def test_flows_with_four_welcome_messages_are_refused(shop: Runtime) -> None:
    four = "welcome:\n" + "".join(f"  - text: 'hi {n}'\n" for n in range(4))
    with pytest.raises(DomainError) as refusal:
        set_flows(shop, "demo", four)
    assert refusal.value.reason == "invalid_flows" and "welcome" in refusal.value.params["detail"]


def test_a_shop_replaces_its_faq_and_customers_get_the_new_answers(
    customer: Customer, tw_customer: Customer, shop: Runtime
) -> None:
    assert set_faq(shop, "demo", FAQ) == 1
    customer.says("Do you sell wholesale?")
    assert "50 boxes" in customer.text
    tw_customer.says("可以大量訂購嗎")
    assert "50 盒" in tw_customer.text
    customer.taps("FAQ")
    assert customer.quick_reply_titles == ["do you sell wholesale"], "the old entries are gone"


def test_a_malformed_faq_file_is_refused_and_the_old_faq_kept(customer: Customer, shop: Runtime) -> None:
    with pytest.raises(DomainError):
        set_faq(shop, "demo", "- id: x\n  questions: nope\n")
    customer.says("how long does shipping take")
    assert "business days" in customer.text
