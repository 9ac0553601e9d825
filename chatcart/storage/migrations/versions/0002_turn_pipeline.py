"""turn pipeline: catalog and stock versions, conversation version and assignee, the
outbox columns on messages, dead inbound events and jobs, order numbers per workspace,
server-side postbacks

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 15:03:50
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_WHEN = sa.DateTime(timezone=True)


def _column(name: str, kind: sa.types.TypeEngine[object], default: str | None = None) -> sa.Column[object]:
    """A new NOT NULL column needs a server default for the rows already there."""
    if default is None:
        return sa.Column(name, kind, nullable=True)
    return sa.Column(name, kind, nullable=False, server_default=sa.text(default))


def upgrade() -> None:
    op.create_table(
        "postbacks",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(["workspace_id"], ["workspaces.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("workspaces") as batch:
        batch.add_column(_column("catalog_version", sa.Integer(), "0"))
        batch.add_column(_column("stock_version", sa.BigInteger(), "0"))
    with op.batch_alter_table("variants") as batch:
        batch.add_column(_column("stock_version", sa.BigInteger(), "0"))
        batch.create_index("ix_variants_stock_version", ["workspace_id", "stock_version"])
    with op.batch_alter_table("conversations") as batch:
        batch.add_column(_column("assignee", sa.String(length=64)))
        batch.add_column(_column("version", sa.Integer(), "0"))
        batch.create_index(
            "ux_conversations_one_open",
            ["workspace_id", "contact_id"],
            unique=True,
            sqlite_where=sa.text("is_open"),
            postgresql_where=sa.text("is_open"),
        )
    with op.batch_alter_table("handoffs") as batch:
        batch.add_column(_column("assignee", sa.String(length=64)))
        batch.add_column(_column("resolution", sa.String(length=32), "''"))
    with op.batch_alter_table("inbox") as batch:
        batch.add_column(_column("state", sa.String(length=16), "'pending'"))
    op.execute("UPDATE inbox SET state = 'processed' WHERE processed_at IS NOT NULL")
    with op.batch_alter_table("jobs") as batch:
        batch.add_column(_column("state", sa.String(length=16), "'pending'"))
        batch.add_column(_column("max_attempts", sa.Integer(), "8"))
        batch.add_column(_column("locked_until", _WHEN))
        batch.create_index("ix_jobs_state", ["state", "run_at"])
    op.execute("UPDATE jobs SET state = 'done' WHERE done_at IS NOT NULL")
    with op.batch_alter_table("messages") as batch:
        batch.add_column(_column("channel", sa.String(length=32), "''"))
        batch.add_column(_column("recipient", sa.String(length=200), "''"))
        batch.add_column(_column("author", sa.String(length=64), "'bot'"))
        batch.add_column(_column("idempotency_key", sa.String(length=200)))
        batch.add_column(_column("status", sa.String(length=16), "'sent'"))
        batch.add_column(_column("status_reason", sa.Text(), "''"))
        batch.add_column(_column("platform_message_id", sa.String(length=200), "''"))
        batch.add_column(_column("attempts", sa.Integer(), "0"))
        batch.create_index("ix_messages_outbox", ["status", "channel"])
        batch.create_index("ux_messages_idempotency", ["idempotency_key"], unique=True)
    _order_numbers_per_workspace()
    # Order numbers are random now (chatcart.core.ids.new_order_number): no counter to lock.
    op.drop_table("counters")


def _order_numbers_per_workspace() -> None:
    """Two shops may each have order CC-3KH-…: the number is unique within a workspace."""
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint("orders_number_key", "orders", type_="unique")
        op.create_index("ux_orders_number", "orders", ["workspace_id", "number"], unique=True)
        return
    with op.batch_alter_table(
        "orders", recreate="always", copy_from=_orders_without_global_number()
    ) as batch:
        batch.create_index("ux_orders_number", ["workspace_id", "number"], unique=True)


def _orders_without_global_number() -> sa.Table:
    amount = sa.Numeric(precision=14, scale=2)
    return sa.Table(
        "orders",
        sa.MetaData(),
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.String(length=64), sa.ForeignKey("workspaces.id"), nullable=False),
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("contact_id", sa.String(length=32), sa.ForeignKey("contacts.id"), nullable=False),
        sa.Column("conversation_id", sa.String(length=32), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("subtotal", amount, nullable=False),
        sa.Column("discount", amount, nullable=False),
        sa.Column("shipping_fee", amount, nullable=False),
        sa.Column("total", amount, nullable=False),
        sa.Column("coupon_code", sa.String(length=64), nullable=True),
        sa.Column("delivery", sa.JSON(), nullable=False),
        sa.Column("payment_method", sa.String(length=32), nullable=False),
        sa.Column("payment_token", sa.String(length=64), nullable=False),
        sa.Column("checkout_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("checkout_token"),
        sa.UniqueConstraint("payment_token"),
        sa.Index("ix_orders_contact_id", "contact_id"),
    )


def downgrade() -> None:
    raise NotImplementedError("chatcart migrates forward only; restore a backup to go back")
