"""What a shop's customers bought together, on SQLite and PostgreSQL: orders placed through
the services' door write their items; the co-purchase query counts standing orders of the
same shop only, best first, and migration 0004 fills the items of orders placed before it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from chatcart.commerce.catalog import Category, Product, Variant
from chatcart.commerce.content import Workspace
from chatcart.commerce.orders import Delivery, Order, OrderStatus, PaymentMethod
from chatcart.commerce.pricing import PricedLine, Quote
from chatcart.core.ids import new_id
from chatcart.core.money import Money
from chatcart.messaging.inbound import Identity
from chatcart.services.orders import cancel_unpaid, place_order
from chatcart.storage.catalog import add_workspace, save_category, save_product
from chatcart.storage.contacts import contact_for
from chatcart.storage.db import Database
from chatcart.storage.migrate import upgrade
from chatcart.storage.purchases import BoughtWith, bestsellers, bought_with
from chatcart.storage.tables import OrderItemRow
from tests.storage.test_migration_money_safety import _insert_old_order, _seed_shop_and_contact

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
PRODUCTS = ("TEA", "CUP", "POT", "SNACK")


@pytest.fixture
def db(database: Database) -> Iterator[Database]:
    """Two shops selling the same product ids, so nothing of one is counted for the other."""
    with database.transaction() as session:
        for shop in ("shop-a", "shop-b"):
            add_workspace(session, Workspace(shop, {"en": shop}, "en", "TWD", "Asia/Taipei"), NOW)
            save_category(session, shop, Category("all", {"en": "All"}), 0)
            for position, pid in enumerate(PRODUCTS):
                product = Product(pid, "all", {"en": pid}, Money.of("100", "TWD"), (Variant(pid, 50),))
                save_product(session, shop, product, position)
    yield database


def buy(db: Database, shop: str, *product_ids: str) -> str:
    """An order placed through the services' door, as a turn's write places it."""
    lines = tuple(PricedLine(p, p, p, 1, Money.of("100", "TWD")) for p in product_ids)
    total = Money.of(str(100 * len(lines)), "TWD")
    zero = Money.of("0", "TWD")
    with db.transaction() as session:
        contact = contact_for(session, shop, Identity(channel="webchat", external_id=new_id()), NOW)
        order = Order(
            new_id(),
            f"CC-{new_id()[:8].upper()}",
            shop,
            contact,
            OrderStatus.PENDING_PAYMENT,
            Quote(lines, total, zero, zero, None),
            Delivery("home", "A", "+886912345678", "Taipei"),
            PaymentMethod.BANK_TRANSFER,
            NOW,
            new_id(),
            new_id(),
            "",
        )
        place_order(session, order, new_id(), None)
    return order.id


def test_products_bought_in_the_same_orders_come_best_first(db: Database) -> None:
    buy(db, "shop-a", "TEA", "CUP")
    buy(db, "shop-a", "TEA", "CUP", "POT")
    buy(db, "shop-a", "TEA", "POT")
    buy(db, "shop-a", "TEA", "CUP")
    buy(db, "shop-a", "SNACK")
    with db.snapshot() as session:
        found = bought_with(session, "shop-a", ["TEA"], (), 10)
    assert found == [BoughtWith("TEA", "CUP", 3), BoughtWith("TEA", "POT", 2)]


def test_cancelled_orders_and_other_shops_do_not_count(db: Database) -> None:
    buy(db, "shop-a", "TEA", "CUP")
    cancelled = buy(db, "shop-a", "TEA", "POT")
    buy(db, "shop-b", "TEA", "SNACK")
    buy(db, "shop-b", "TEA", "SNACK")
    with db.transaction() as session:
        assert cancel_unpaid(session, cancelled, NOW, "customer") is not None
    with db.snapshot() as session:
        assert bought_with(session, "shop-a", ["TEA"], (), 10) == [BoughtWith("TEA", "CUP", 1)]
        assert bought_with(session, "shop-b", ["TEA"], (), 10) == [BoughtWith("TEA", "SNACK", 2)]
        assert bestsellers(session, "shop-a", 10) == ["CUP", "TEA"], "the cancelled pot sold nothing"


def test_what_is_excluded_or_asked_about_is_never_returned(db: Database) -> None:
    buy(db, "shop-a", "TEA", "CUP", "POT")
    buy(db, "shop-a", "CUP", "SNACK")
    with db.snapshot() as session:
        found = bought_with(session, "shop-a", ["TEA", "CUP"], ["POT"], 10)
        assert {(f.anchor_id, f.product_id) for f in found} == {("CUP", "SNACK")}
        assert bought_with(session, "shop-a", [], (), 10) == []
        assert len(bought_with(session, "shop-a", ["TEA"], (), 1)) == 1


def test_bestsellers_count_orders_in_the_shop(db: Database) -> None:
    for _ in range(3):
        buy(db, "shop-a", "POT")
    buy(db, "shop-a", "TEA", "CUP")
    buy(db, "shop-a", "TEA")
    with db.snapshot() as session:
        assert bestsellers(session, "shop-a", 2) == ["POT", "TEA"]
        assert bestsellers(session, "shop-b", 2) == []


def test_migration_0004_fills_the_items_of_orders_placed_before(database_url: str) -> None:
    old = Database(database_url)
    try:
        upgrade(old, "0002")
        _seed_shop_and_contact(old)
        _insert_old_order(old, "o1", "")
        with old.engine.begin() as connection:
            lines = [
                {"product_id": p, "sku": p, "title": p, "quantity": 1, "unit_price": "1"}
                for p in ("A", "B", "A")
            ]
            connection.execute(
                sa.text("UPDATE orders SET lines = :lines WHERE id = 'o1'").bindparams(
                    sa.bindparam("lines", lines, type_=sa.JSON())
                )
            )
        upgrade(old)
        with old.snapshot() as session:
            items = session.scalars(sa.select(OrderItemRow.product_id).where(OrderItemRow.order_id == "o1"))
            assert sorted(items) == ["A", "B"], "one row per distinct product"
            assert bought_with(session, "old-shop", ["A"], (), 5) == [BoughtWith("A", "B", 1)]
    finally:
        old.dispose()
