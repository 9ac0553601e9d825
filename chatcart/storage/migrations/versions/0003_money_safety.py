"""money safety: separate tracking and payment tokens, holds for a person, the delivery
phone on orders, payment methods and unpaid-order holds per workspace

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 04:30:00
"""

from __future__ import annotations

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_ORDERS = sa.table(
    "orders",
    sa.column("id", sa.String()),
    sa.column("delivery", sa.JSON()),
    sa.column("tracking_token", sa.String()),
    sa.column("phone", sa.String()),
)


def upgrade() -> None:
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(sa.Column("payment_methods", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("payment_holds", sa.JSON(), nullable=True))
    with op.batch_alter_table("orders") as batch:
        batch.add_column(
            sa.Column("tracking_token", sa.String(length=64), nullable=False, server_default=sa.text("''"))
        )
        batch.add_column(
            sa.Column("held_for", sa.String(length=32), nullable=False, server_default=sa.text("''"))
        )
        batch.add_column(
            sa.Column("phone", sa.String(length=32), nullable=False, server_default=sa.text("''"))
        )
        batch.create_index("ix_orders_phone", ["workspace_id", "phone"])
    _backfill_orders()


def _backfill_orders() -> None:
    """Orders placed before get a tracking token of their own: their old tracking links
    carried the payment token, which must not keep opening anything but the payment. The
    phone is copied out of the delivery so first-purchase checks see earlier orders."""
    bind = op.get_bind()
    rows = bind.execute(sa.select(_ORDERS.c.id, _ORDERS.c.delivery)).all()
    for order_id, delivery in rows:
        phone = str((delivery or {}).get("phone") or "")
        bind.execute(
            _ORDERS.update()
            .where(_ORDERS.c.id == order_id)
            .values(tracking_token=secrets.token_urlsafe(24), phone="".join(phone.split())[:32])
        )


def downgrade() -> None:
    raise NotImplementedError("chatcart migrates forward only; restore a backup to go back")
