"""Migration 0003 on a database with orders placed before it: each order gets a tracking
token of its own (its old tracking link carried the payment token) and its delivery phone,
on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from chatcart.storage.db import Database
from chatcart.storage.migrate import current_revision, upgrade
from chatcart.storage.tables import OrderRow, WorkspaceRow

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def before_0003(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    upgrade(db, "0002")
    yield db
    db.dispose()


def _insert_old_order(db: Database, order_id: str, phone: str) -> None:
    """Rows as revision 0002 stored them, written with plain SQL (no columns of today)."""
    with db.engine.begin() as connection:
        connection.execute(
            _OLD_ORDERS.insert().values(
                id=order_id,
                workspace_id="old-shop",
                number=f"CC-{order_id.upper()}",
                contact_id="c1",
                status="pending_payment",
                lines=[],
                currency="TWD",
                subtotal=100,
                discount=0,
                shipping_fee=0,
                total=100,
                delivery={"option_id": "home", "recipient": "A", "phone": phone},
                payment_method="sandbox",
                payment_token=f"pay-{order_id}",
                checkout_token=f"checkout-{order_id}",
                created_at=NOW,
                updated_at=NOW,
            )
        )


_OLD_ORDERS = sa.table(
    "orders",
    *(
        sa.column(name, kind)
        for name, kind in [
            ("id", sa.String()),
            ("workspace_id", sa.String()),
            ("number", sa.String()),
            ("contact_id", sa.String()),
            ("status", sa.String()),
            ("lines", sa.JSON()),
            ("currency", sa.String()),
            ("subtotal", sa.Numeric()),
            ("discount", sa.Numeric()),
            ("shipping_fee", sa.Numeric()),
            ("total", sa.Numeric()),
            ("delivery", sa.JSON()),
            ("payment_method", sa.String()),
            ("payment_token", sa.String()),
            ("checkout_token", sa.String()),
            ("created_at", sa.DateTime(timezone=True)),
            ("updated_at", sa.DateTime(timezone=True)),
        ]
    ),
)


def _seed_shop_and_contact(db: Database) -> None:
    workspace = sa.table(
        "workspaces",
        *(sa.column(n) for n in ("id", "lang", "currency", "timezone", "flows_yaml")),
        sa.column("name", sa.JSON()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    contact = sa.table(
        "contacts",
        *(sa.column(n) for n in ("id", "workspace_id", "lang", "lang_chosen", "name", "entry_source")),
        sa.column("profile", sa.JSON()),
        sa.column("cart", sa.JSON()),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    with db.engine.begin() as connection:
        connection.execute(
            workspace.insert().values(
                id="old-shop",
                name={"en": "Old"},
                lang="en",
                currency="TWD",
                timezone="UTC",
                flows_yaml="",
                created_at=NOW,
            )
        )
        connection.execute(
            contact.insert().values(
                id="c1",
                workspace_id="old-shop",
                lang="en",
                lang_chosen=False,
                name="",
                entry_source="",
                profile={},
                cart=[],
                created_at=NOW,
            )
        )


def test_orders_placed_before_get_their_own_tracking_token_and_their_phone(before_0003: Database) -> None:
    _seed_shop_and_contact(before_0003)
    _insert_old_order(before_0003, "o1", "+886912345678")
    _insert_old_order(before_0003, "o2", "")
    upgrade(before_0003, "0003")
    assert current_revision(before_0003) == "0003"
    with before_0003.transaction() as session:
        rows = {r.id: r for r in session.scalars(sa.select(OrderRow))}
        shop = session.get_one(WorkspaceRow, "old-shop")
    assert {r.phone for r in rows.values()} == {"+886912345678", ""}
    tokens = [r.tracking_token for r in rows.values()]
    assert all(len(t) >= 32 for t in tokens) and len(set(tokens)) == 2
    assert all(r.tracking_token != r.payment_token and r.held_for == "" for r in rows.values())
    assert (shop.payment_methods, shop.payment_holds) == (None, None), "the product's defaults apply"
