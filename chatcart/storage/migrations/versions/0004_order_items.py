"""order items: one row per product of an order, for "bought together" recommendations

Revision ID: 0004
Revises: 0003
Create Date: 2027-01-12 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_ORDERS = sa.table(
    "orders",
    sa.column("id", sa.String()),
    sa.column("workspace_id", sa.String()),
    sa.column("lines", sa.JSON()),
)
_ITEMS = sa.table(
    "order_items",
    sa.column("order_id", sa.String()),
    sa.column("product_id", sa.String()),
    sa.column("workspace_id", sa.String()),
)


def upgrade() -> None:
    op.create_table(
        "order_items",
        sa.Column("order_id", sa.String(length=32), nullable=False),
        sa.Column("product_id", sa.String(length=128), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"]),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"]),
        sa.PrimaryKeyConstraint("order_id", "product_id"),
    )
    op.create_index("ix_order_items_product", "order_items", ["workspace_id", "product_id", "order_id"])
    _backfill()


def _backfill() -> None:
    """Orders placed before this revision count as history too: their products are read out
    of the JSON lines once, here, so a shop with orders recommends from its first turn."""
    bind = op.get_bind()
    items = []
    for order_id, workspace_id, lines in bind.execute(
        sa.select(_ORDERS.c.id, _ORDERS.c.workspace_id, _ORDERS.c.lines)
    ):
        products = dict.fromkeys(str(line["product_id"]) for line in lines or [])
        items += [{"order_id": order_id, "product_id": p, "workspace_id": workspace_id} for p in products]
    if items:
        bind.execute(_ITEMS.insert(), items)


def downgrade() -> None:
    raise NotImplementedError("chatcart migrates forward only; restore a backup to go back")
