"""Understanding is chosen by configuration, and the engine honours its confidence: an
intent below the shop's threshold is not acted on (the text goes to the FAQ and the
catalog, and a miss ends in the fallback that offers the menu, then a person)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.registry import understander_named
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.workspaces import set_flows
from tests.conftest import FakeClock

from .conftest import Customer, demo_shop_on


@pytest.fixture
def keyword_shop(sqlite_url: str, clock: FakeClock) -> Iterator[Runtime]:
    """The keyword understander, whose confidences are known: a typo is guessed at 0.8, an
    exact keyword at 0.95 (whatever understander the suite runs with)."""
    with demo_shop_on(sqlite_url, clock, "keyword") as rt:
        yield rt


def test_a_typo_guessed_with_enough_confidence_is_acted_on(keyword_shop: Runtime) -> None:
    customer = Customer(keyword_shop, "alice", "en")
    customer.says("chekout")
    assert "Your cart is empty" in customer.text


def test_a_shop_that_wants_more_confidence_gets_no_guess_and_no_trap(keyword_shop: Runtime) -> None:
    customer = Customer(keyword_shop, "alice", "en")
    set_flows(keyword_shop, "demo", "min_confidence: 0.9\n")
    customer.says("chekout")
    assert "Your cart is empty" not in customer.text, "a fuzzy guess (0.8) is below the shop's 0.9"
    assert "Menu" in customer.quick_reply_titles or "Talk to a person" in customer.quick_reply_titles
    customer.says("checkout")
    assert "Your cart is empty" in customer.text, "an exact keyword (0.95) still is acted on"


def test_the_understander_is_chosen_by_name_and_an_unknown_name_stops_start_up(sqlite_url: str) -> None:
    assert isinstance(understander_named("keyword"), KeywordUnderstander)
    with pytest.raises(
        ValueError, match="unknown understander 'gpt-9'; known: keyword, trained, trained-embeddings"
    ):
        build_runtime(sqlite_url, "http://shop.test", understander="gpt-9")
