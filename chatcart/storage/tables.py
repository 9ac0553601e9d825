"""The relational schema (SQLAlchemy 2). One schema for SQLite and PostgreSQL; Alembic
migrations in `migrations/` create it from the first table."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

Amount = Numeric(14, 2)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every database (SQLite has no time zones and returns naive ones)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; pass an aware UTC time")
        return (
            value.astimezone(UTC) if dialect.name != "sqlite" else value.astimezone(UTC).replace(tzinfo=None)
        )

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UtcDateTime(),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class WorkspaceRow(Base):
    __tablename__ = "workspaces"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[dict[str, Any]]
    lang: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str] = mapped_column(String(3))
    timezone: Mapped[str] = mapped_column(String(64))
    flows_yaml: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime]
    #: Bumped by every catalog import: a process's cached catalog and search index are
    #: rebuilt when it changes, and never otherwise.
    catalog_version: Mapped[int] = mapped_column(Integer, default=0)
    #: Bumped by every stock change; variants carry the value of their last change, so a
    #: cached catalog refreshes only the stock that moved.
    stock_version: Mapped[int] = mapped_column(BigInteger, default=0)
    #: The payment methods the shop takes; None: every method the deployment offers.
    payment_methods: Mapped[list[Any] | None] = mapped_column(JSON, nullable=True)
    #: Minutes an unpaid order holds its stock, by payment method (and "person" for orders
    #: a person closes); a method not listed keeps the product's default.
    payment_holds: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class CategoryRow(Base):
    __tablename__ = "categories"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    name: Mapped[dict[str, Any]]
    needs: Mapped[list[Any]]
    position: Mapped[int] = mapped_column(Integer, default=0)


class ProductRow(Base):
    __tablename__ = "products"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    category_id: Mapped[str] = mapped_column(String(128))
    title: Mapped[dict[str, Any]]
    description: Mapped[dict[str, Any]]
    brand: Mapped[str] = mapped_column(String(200), default="")
    price: Mapped[Decimal] = mapped_column(Amount)
    currency: Mapped[str] = mapped_column(String(3))
    image_url: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(Text, default="")
    needs: Mapped[list[Any]]
    keywords: Mapped[list[Any]]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class VariantRow(Base):
    __tablename__ = "variants"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    sku: Mapped[str] = mapped_column(String(128), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(128))
    size: Mapped[str | None] = mapped_column(String(64))
    color: Mapped[str | None] = mapped_column(String(64))
    stock: Mapped[int] = mapped_column(Integer)
    price: Mapped[Decimal | None] = mapped_column(Amount)
    position: Mapped[int] = mapped_column(Integer, default=0)
    stock_version: Mapped[int] = mapped_column(BigInteger, default=0)
    __table_args__ = (
        Index("ix_variants_product", "workspace_id", "product_id"),
        Index("ix_variants_stock_version", "workspace_id", "stock_version"),
    )


class CouponRow(Base):
    __tablename__ = "coupons"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Amount)
    min_spend: Mapped[Decimal] = mapped_column(Amount, default=Decimal(0))
    expires_at: Mapped[datetime | None]
    usage_limit: Mapped[int | None] = mapped_column(Integer)
    used: Mapped[int] = mapped_column(Integer, default=0)
    first_purchase_only: Mapped[bool] = mapped_column(Boolean, default=False)


class FaqRow(Base):
    __tablename__ = "faq_entries"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(128), primary_key=True)
    questions: Mapped[dict[str, Any]]
    answer: Mapped[dict[str, Any]]
    position: Mapped[int] = mapped_column(Integer, default=0)


class ShopIntentRow(Base):
    """An intent the shop taught from example phrases (commerce.content.ShopIntent)."""

    __tablename__ = "shop_intents"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    examples: Mapped[dict[str, Any]]
    answer: Mapped[dict[str, Any]]
    hand_off: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ContactRow(Base):
    __tablename__ = "contacts"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), index=True)
    lang: Mapped[str] = mapped_column(String(16), default="")
    lang_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(200), default="")
    entry_source: Mapped[str] = mapped_column(String(200), default="")
    profile: Mapped[dict[str, Any]]
    cart: Mapped[list[Any]]
    created_at: Mapped[datetime]


class IdentityRow(Base):
    """A contact's account on one channel; one contact may have several."""

    __tablename__ = "contact_identities"
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)


class ConversationRow(Base):
    __tablename__ = "conversations"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    is_open: Mapped[bool] = mapped_column(Boolean, default=True)
    #: Who answers: "bot" or "human" (handed off). The one place ownership is stored.
    owner: Mapped[str] = mapped_column(String(16), default="bot")
    #: The agent a human-owned conversation is assigned to; None while it waits in the queue.
    assignee: Mapped[str | None] = mapped_column(String(64))
    state: Mapped[dict[str, Any]]
    outcome: Mapped[str | None] = mapped_column(String(32))
    next_seq: Mapped[int] = mapped_column(Integer, default=1)
    started_at: Mapped[datetime]
    last_activity_at: Mapped[datetime]
    #: Optimistic concurrency: a turn's write succeeds only if nobody wrote since its snapshot.
    version: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        Index("ix_conversations_contact", "workspace_id", "contact_id", "is_open"),
        Index(
            "ux_conversations_one_open",
            "workspace_id",
            "contact_id",
            unique=True,
            sqlite_where=text("is_open"),
            postgresql_where=text("is_open"),
        ),
    )


class MessageRow(Base):
    """Every message of a conversation in order (`seq`), as the customer saw it; outbound
    rows are also the outbox: addressed to one channel identity, keyed for idempotent
    sends, with their delivery state (docs/decisions/0008-outbox.md)."""

    __tablename__ = "messages"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    seq: Mapped[int] = mapped_column(Integer)
    direction: Mapped[str] = mapped_column(String(3))
    body: Mapped[dict[str, Any]]
    inbox_id: Mapped[int | None] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))
    created_at: Mapped[datetime]
    channel: Mapped[str] = mapped_column(String(32), default="")
    #: The channel identity (platform user id) it goes to or came from.
    recipient: Mapped[str] = mapped_column(String(200), default="")
    #: customer, bot, system (notices) or agent:<id>.
    author: Mapped[str] = mapped_column(String(64), default="bot")
    idempotency_key: Mapped[str | None] = mapped_column(String(200))
    #: received (inbound), queued, sent, delivered, read or failed.
    status: Mapped[str] = mapped_column(String(16), default="queued")
    status_reason: Mapped[str] = mapped_column(Text, default="")
    #: The platform's id of this message (inbound: the event id; outbound: the send's answer).
    platform_message_id: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        Index("ux_messages_seq", "conversation_id", "seq", unique=True),
        Index("ux_messages_idempotency", "idempotency_key", unique=True),
        Index("ix_messages_outbox", "status", "channel"),
    )


class InboxRow(Base):
    """Raw inbound events, stored before the platform gets its acknowledgement and
    de-duplicated by the platform's own id; `processed_at` is set in the turn's transaction."""

    __tablename__ = "inbox"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    channel: Mapped[str] = mapped_column(String(32))
    event_id: Mapped[str] = mapped_column(String(200))
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"))
    payload: Mapped[dict[str, Any]]
    received_at: Mapped[datetime]
    processed_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: pending, processed or dead (failed every attempt; the conversation went to a person).
    state: Mapped[str] = mapped_column(String(16), default="pending")
    __table_args__ = (
        Index("ux_inbox_event", "workspace_id", "channel", "event_id", unique=True),
        Index("ix_inbox_pending", "processed_at", "contact_id"),
    )


class EventRow(Base):
    """The analytics and automation event log: what happened in which conversation."""

    __tablename__ = "events"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    conversation_id: Mapped[str | None] = mapped_column(String(32))
    contact_id: Mapped[str | None] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]]
    at: Mapped[datetime]
    __table_args__ = (Index("ix_events_workspace_name", "workspace_id", "name"),)


class OrderRow(Base):
    __tablename__ = "orders"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    number: Mapped[str] = mapped_column(String(32))
    contact_id: Mapped[str] = mapped_column(ForeignKey("contacts.id"), index=True)
    conversation_id: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(32))
    lines: Mapped[list[Any]]
    currency: Mapped[str] = mapped_column(String(3))
    subtotal: Mapped[Decimal] = mapped_column(Amount)
    discount: Mapped[Decimal] = mapped_column(Amount)
    shipping_fee: Mapped[Decimal] = mapped_column(Amount)
    total: Mapped[Decimal] = mapped_column(Amount)
    coupon_code: Mapped[str | None] = mapped_column(String(64))
    delivery: Mapped[dict[str, Any]]
    payment_method: Mapped[str] = mapped_column(String(32))
    #: Only in the payment link; `tracking_token` is what tracking links carry.
    payment_token: Mapped[str] = mapped_column(String(64), unique=True)
    tracking_token: Mapped[str] = mapped_column(String(64), default="")
    checkout_token: Mapped[str] = mapped_column(String(64), unique=True)
    #: Why a person must close the order before it can be paid ("" when nobody must).
    held_for: Mapped[str] = mapped_column(String(32), default="")
    #: The delivery phone (E.164), for first-purchase offers tied to a person, not a visitor id.
    phone: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    __table_args__ = (
        Index("ux_orders_number", "workspace_id", "number", unique=True),
        Index("ix_orders_phone", "workspace_id", "phone"),
    )


class OrderItemRow(Base):
    """One product of an order, so "bought together" is an indexed self-join instead of a
    scan of every order's JSON lines (ADR 15). Written with the order; its status stays on
    the order row, which the queries join by primary key."""

    __tablename__ = "order_items"
    order_id: Mapped[str] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    product_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    __table_args__ = (Index("ix_order_items_product", "workspace_id", "product_id", "order_id"),)


class HandoffRow(Base):
    __tablename__ = "handoffs"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    conversation_id: Mapped[str] = mapped_column(ForeignKey("conversations.id"))
    reason: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    assignee: Mapped[str | None] = mapped_column(String(64))
    #: How it ended: handed_back (to the bot) or closed.
    resolution: Mapped[str] = mapped_column(String(32), default="")


class JobRow(Base):
    """Durable background work and timers; `key` makes scheduling idempotent. A job that
    fails is retried with back-off until `max_attempts`, then kept as `dead` for a person."""

    __tablename__ = "jobs"
    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    payload: Mapped[dict[str, Any]]
    run_at: Mapped[datetime]
    done_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    #: pending, done or dead.
    state: Mapped[str] = mapped_column(String(16), default="pending")
    max_attempts: Mapped[int] = mapped_column(Integer, default=8)
    #: A worker's claim: until then no other worker takes the job (a crashed worker's claim lapses).
    locked_until: Mapped[datetime | None]
    __table_args__ = (Index("ix_jobs_due", "done_at", "run_at"), Index("ix_jobs_state", "state", "run_at"))


class PostbackRow(Base):
    """A long button payload kept on the server behind a short id, for platforms that cap
    postback data (Telegram's callback_data is 64 bytes)."""

    __tablename__ = "postbacks"
    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[str] = mapped_column(ForeignKey("workspaces.id"))
    payload: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime]
