"""What the model asks to do goes through the doors the bot already has: Buy (which asks
for what is still open), the checkout whose summary only the customer confirms, and the
hand-off to a person — also when the model runs out of rounds."""

from __future__ import annotations

from chatcart.services.runtime import Runtime
from tests.assistant.conftest import (
    OPEN_QUESTION,
    ORDER_NUMBER,
    FakeEndpoint,
    call,
    cart_of,
    completion,
    order_count,
    owner_of,
)
from tests.conversations.conftest import Customer


def test_add_to_cart_goes_through_buy_which_asks_the_size_and_keeps_the_quantity(
    shop: Runtime, customer: Customer, endpoint: FakeEndpoint
) -> None:
    endpoint.replies(completion(None, call("add_to_cart", {"product_id": "TEA-001", "quantity": 2})))
    customer.says(OPEN_QUESTION)
    assert len(endpoint.received) == 1, "a write tool ends the exchange"
    assert "Which size of Alishan High Mountain Oolong Tea?" in customer.text
    assert cart_of(shop, "alice") == [], "nothing in the cart until the size is chosen"
    customer.taps("SIZE:TEA-001:150g")
    assert "Added 2 × Alishan High Mountain Oolong Tea (150g) to your cart." in customer.text
    assert cart_of(shop, "alice") == [{"product_id": "TEA-001", "sku": "TEA-001-150", "quantity": 2}]


def test_start_checkout_leads_to_the_usual_summary_and_no_order_until_the_customer_confirms(
    shop: Runtime, customer: Customer, endpoint: FakeEndpoint
) -> None:
    customer.taps("BUY:TEA-002")
    customer.taps("CANCEL")
    assert "nothing was ordered" in customer.text
    endpoint.replies(completion(None, call("start_checkout")))
    customer.says(OPEN_QUESTION)
    assert "How would you like to receive your order?" in customer.text
    customer.taps(customer.payload_starting("SHIP:store-711"))
    customer.says("信義門市")
    customer.says("Amy Chen")
    customer.says("0912345678")
    customer.taps("PAY:sandbox")
    assert "Total: NT$710" in customer.text, f"650 + 60 store pickup: {customer.text}"
    assert order_count(shop) == 0, "a summary is not an order"
    assert len(endpoint.received) == 1, "the checkout's own steps never ask the model"
    customer.taps(customer.payload_starting("CONFIRM:"))
    assert ORDER_NUMBER.search(customer.text) and order_count(shop) == 1


def test_the_model_asking_for_a_person_hands_off_through_the_usual_door(
    shop: Runtime, customer: Customer, endpoint: FakeEndpoint
) -> None:
    endpoint.replies(completion(None, call("hand_off", {"reason": "unsure"})))
    customer.says(OPEN_QUESTION)
    assert "I'm not sure enough to answer that myself." in customer.text
    assert "I've asked a person from our team to join" in customer.text
    assert "Back to the bot" in customer.quick_reply_titles
    assert owner_of(shop, "alice") == "human"
    customer.says(OPEN_QUESTION)
    assert customer.replies == [] and len(endpoint.received) == 1, "silent while a person owns it"


def test_a_model_that_keeps_calling_tools_is_handed_to_a_person_after_four_rounds(
    shop: Runtime, customer: Customer, endpoint: FakeEndpoint
) -> None:
    endpoint.replies(*[completion(None, call("search_products", {"query": f"tea {i}"})) for i in range(6)])
    customer.says(OPEN_QUESTION)
    assert len(endpoint.received) == 4
    assert owner_of(shop, "alice") == "human"
    assert "I've asked a person from our team to join" in customer.text
