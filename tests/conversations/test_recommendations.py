"""Recommendations in conversations (ADR 15), on real SQLite through the whole stack: what
other customers bought with a product is shown beside the first checkout question, in the
cart and after the order, each card saying why; Add puts it in the cart without losing the
checkout; a customer who asks gets picks from their own purchases, or honest bestsellers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from chatcart.commerce.catalog import Category, Need, Product, Variant
from chatcart.core.money import Money
from chatcart.nlu.choices import asks_recommendation
from chatcart.services.orders import cancel_unpaid
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import create_workspace
from chatcart.storage.catalog import save_category, save_product
from chatcart.storage.tables import OrderRow
from tests.conversations.conftest import Customer

SHOP, OTHER = "rec-tea", "other-tea"


def _products() -> list[Product]:
    def one(pid: str, category: str, en: str, zh: str, stock: int, needs: tuple[str, ...]) -> Product:
        price = Money.of("300", "TWD")
        return Product(pid, category, {"en": en, "zh-TW": zh}, price, (Variant(pid, stock),), needs=needs)

    return [
        one("DD", "tea", "Dong Ding Oolong", "凍頂烏龍茶", 50, ("brewing",)),
        one("ALI", "tea", "Alishan Tea", "阿里山茶", 50, ("brewing",)),
        one("CUP", "ware", "Tasting Cup", "品茗杯", 50, ("brewing",)),
        one("POT", "ware", "Clay Teapot", "紫砂壺", 1, ("brewing",)),
        one("COOKIE", "snacks", "Pineapple Cake", "鳳梨酥", 50, ()),
    ]


def _open(rt: Runtime, shop: str) -> None:
    create_workspace(rt, shop, name=shop, lang="en", currency="TWD", timezone="Asia/Taipei")
    brewing = (Need("brewing", {"en": "Brewing"}),)
    categories = [
        Category("tea", {"en": "Tea"}, brewing),
        Category("ware", {"en": "Teaware"}, brewing),
        Category("snacks", {"en": "Snacks"}),
    ]
    with rt.db.transaction() as session:
        for position, category in enumerate(categories):
            save_category(session, shop, category, position)
        for position, product in enumerate(_products()):
            save_product(session, shop, product, position)


@pytest.fixture
def rt(sqlite_runtime: Runtime) -> Iterator[Runtime]:
    _open(sqlite_runtime, SHOP)
    _open(sqlite_runtime, OTHER)
    yield sqlite_runtime


def buys(rt: Runtime, name: str, *product_ids: str, shop: str = SHOP, lang: str = "en") -> Customer:
    """A customer taps Buy on each product, then checks out and confirms."""
    c = Customer(rt, name, lang, workspace=shop)
    for product_id in product_ids:
        c.taps(f"BUY:{product_id}")
    c.taps(c.payload_starting("SHIP:store-711"))
    c.says("信義門市")
    c.says("Amy Chen")
    c.says("0912345678")
    c.taps(c.payload_starting("PAY:"))
    c.taps(c.payload_starting("CONFIRM:"))
    assert "is placed" in c.text or "已成立" in c.text, c.text
    return c


def cards_with(c: Customer, subtitle: str) -> list[str]:
    return [card["product_id"] for card in c.cards if card.get("subtitle") == subtitle]


def test_what_others_bought_with_it_is_shown_beside_the_first_checkout_question(rt: Runtime) -> None:
    buys(rt, "ann", "DD", "CUP")
    bob = Customer(rt, "bob", "en", workspace=SHOP)
    bob.taps("BUY:DD")
    assert "People who bought this also bought:" in bob.text
    assert cards_with(bob, "Often bought with Dong Ding Oolong") == ["CUP"]
    assert bob.payload_of("Add") == "ADD:CUP"
    assert bob.replies[-1]["quick_replies"], (
        "the checkout question is still the last message, with its choices"
    )
    assert any(q.startswith("SHIP:") for q in bob.quick_reply_payloads())


def test_add_puts_it_in_the_cart_and_the_checkout_goes_on_where_it_was(rt: Runtime) -> None:
    buys(rt, "ann", "DD", "CUP")
    bob = Customer(rt, "bob", "en", workspace=SHOP)
    bob.taps("BUY:DD")
    bob.taps(bob.payload_starting("SHIP:store-711"))
    asked_store = bob.text
    bob.taps("ADD:CUP")
    assert "Added 1 × Tasting Cup to your cart." in bob.text
    assert bob.text.endswith(asked_store.split("\n")[-1]), "the store is asked next, not the delivery again"
    bob.taps("CART")
    assert set(bob.card_ids) >= {"DD", "CUP"}


def test_the_cart_and_the_placed_order_offer_what_was_bought_with_it(rt: Runtime) -> None:
    buys(rt, "ann", "DD", "CUP")
    bob = Customer(rt, "bob", "en", workspace=SHOP)
    bob.taps("BUY:DD")
    bob.taps("CART")
    assert "You might also like:" in bob.text
    assert "CUP" in cards_with(bob, "Often bought with Dong Ding Oolong")
    carl = buys(rt, "carl", "DD")
    assert "You might also like:" in carl.text
    assert "CUP" in cards_with(carl, "Often bought with Dong Ding Oolong")
    assert {"ORDERS", "MENU"} <= set(carl.quick_reply_payloads())


def test_cancelled_orders_do_not_count_and_the_fallback_never_claims_a_purchase(rt: Runtime) -> None:
    buys(rt, "ann", "DD", "CUP")
    with rt.db.transaction() as session:
        order_id = session.scalars(select(OrderRow.id).where(OrderRow.workspace_id == SHOP)).one()
        assert cancel_unpaid(session, order_id, rt.clock(), "customer") is not None
    bob = Customer(rt, "bob", "en", workspace=SHOP)
    bob.taps("BUY:DD")
    assert "People who bought" not in bob.text, "a cancelled order is no purchase"
    bob.taps("CART")
    assert not any("Often bought" in (card.get("subtitle") or "") for card in bob.cards)
    assert "CUP" in cards_with(bob, "Goes well with Dong Ding Oolong"), (
        "teaware for the same need, said as such"
    )


def test_another_shops_orders_do_not_count(rt: Runtime) -> None:
    buys(rt, "oli", "DD", "COOKIE", shop=OTHER)
    buys(rt, "ola", "DD", "COOKIE", shop=OTHER)
    bob = Customer(rt, "bob", "en", workspace=SHOP)
    bob.taps("BUY:DD")
    assert "People who bought" not in bob.text
    bob.taps("CART")
    assert "COOKIE" not in bob.card_ids


def test_a_sold_out_product_is_never_recommended(rt: Runtime) -> None:
    buys(rt, "ann", "DD", "POT")  # the last teapot
    buys(rt, "amy", "DD", "POT", shop=OTHER)
    buys(rt, "cat", "DD", "CUP")
    bob = Customer(rt, "bob", "en", workspace=SHOP)
    bob.taps("BUY:DD")
    assert cards_with(bob, "Often bought with Dong Ding Oolong") == ["CUP"]
    bob.taps("CART")
    assert "POT" not in bob.card_ids


def test_a_returning_customer_gets_picks_from_what_they_bought_in_traditional_chinese(rt: Runtime) -> None:
    buys(rt, "ann", "DD", "CUP")
    mei = buys(rt, "mei", "DD", lang="zh-TW")
    mei.says("有什麼推薦")
    assert "依您買過的商品為您挑選：" in mei.text
    assert cards_with(mei, "因為您買過 凍頂烏龍茶")[0] == "CUP"
    assert "DD" not in mei.card_ids, "not what they already bought"
    assert mei.payload_of("加入") == "ADD:CUP"


def test_a_new_customer_asking_gets_the_bestsellers_said_as_such(rt: Runtime) -> None:
    buys(rt, "ann", "DD", "CUP")
    buys(rt, "ben", "DD")
    zoe = Customer(rt, "zoe", "en", workspace=SHOP)
    zoe.says("recommend something")
    assert "Popular right now:" in zoe.text
    assert zoe.card_ids[:2] == ["DD", "CUP"], "most orders first"
    assert cards_with(zoe, "Popular right now") == zoe.card_ids
    assert "Because you bought" not in str(zoe.cards)


def test_a_shop_without_orders_says_it_has_no_bestsellers(rt: Runtime) -> None:
    zoe = Customer(rt, "zoe", "en", workspace=SHOP)
    zoe.says("what do you recommend?")
    assert "We have no bestsellers yet" in zoe.text
    assert "Popular" not in zoe.text and "Popular" not in str(zoe.cards)
    assert zoe.card_ids == ["DD", "ALI", "CUP"], "the shop's first products in stock"


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("recommend something", True),
        ("有什麼推薦", True),
        ("おすすめは", True),
        ("co polecacie?", True),
        ("推薦 烏龍茶", False),
        ("recommend a tea", False),
        ("where is my order", False),
    ],
)
def test_a_bare_request_for_recommendations_is_told_from_one_that_names_a_product(
    text: str, asks: bool
) -> None:
    assert asks_recommendation(text) is asks
