"""`chatcart stats` counts from the event log: containment, conversion and revenue per
conversation for a known set of conversations, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chatcart.analytics.stats import workspace_stats
from chatcart.core.errors import NotFound
from chatcart.core.money import Money
from chatcart.demo.loader import ensure_demo
from chatcart.services.payments import confirm_payment
from chatcart.services.runtime import Runtime
from tests.conftest import FakeClock
from tests.conversations.conftest import Customer
from tests.conversations.test_purchase_journeys import checkout_to_summary


@pytest.fixture
def shop(runtime: Runtime) -> Iterator[Runtime]:
    ensure_demo(runtime)
    yield runtime


def test_four_conversations_give_the_expected_figures(shop: Runtime, clock: FakeClock) -> None:
    buyer = Customer(shop, "buyer", "en")
    buyer.taps("QTY:TEA-002-150:2")
    checkout_to_summary(buyer)
    buyer.taps(buyer.payload_starting("CONFIRM:"))
    confirm_payment(shop, buyer.url_button("Pay now").rsplit("/", 1)[-1], Money.of("1300", "TWD"))
    Customer(shop, "unhappy", "en").says("this is a complaint, the tea was damaged")
    Customer(shop, "curious", "en").says("how long does shipping take")
    Customer(shop, "lost", "en").says("qwzx vbnm")

    figures = workspace_stats(shop, "demo")
    assert figures.conversations == 4
    assert (figures.handed_off, figures.containment_rate) == (1, 0.75)
    assert (figures.converted, figures.conversion_rate) == (1, 0.25)
    assert (figures.orders, figures.paid_orders) == (1, 1)
    assert figures.revenue == "1300" and figures.revenue_per_conversation == "325", "2 × 650, free shipping"
    assert figures.outcomes == {"purchased": 1, "handed_off": 1, "answered": 1, "abandoned": 0, "open": 1}
    assert 0 < figures.understood_rate < 1

    clock.advance(hours=25)
    assert workspace_stats(shop, "demo").outcomes["abandoned"] == 1, "a day idle without outcome is abandoned"


def test_an_empty_workspace_has_zero_rates_not_errors(shop: Runtime) -> None:
    figures = workspace_stats(shop, "demo")
    assert (figures.conversations, figures.containment_rate, figures.revenue_per_conversation) == (
        0,
        0.0,
        "0",
    )


def test_stats_of_an_unknown_workspace_is_refused(shop: Runtime) -> None:
    with pytest.raises(NotFound):
        workspace_stats(shop, "nowhere")
