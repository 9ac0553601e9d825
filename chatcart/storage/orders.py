"""Orders as rows, and the order-number sequence."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chatcart.commerce.orders import Delivery, Order, OrderStatus, PaymentMethod
from chatcart.commerce.pricing import PricedLine, Quote
from chatcart.core.money import Money
from chatcart.storage.tables import OrderRow


def order_of(row: OrderRow) -> Order:
    currency = row.currency
    lines = tuple(
        PricedLine(
            li["product_id"],
            li["sku"],
            li["title"],
            int(li["quantity"]),
            Money(Decimal(li["unit_price"]), currency),
        )
        for li in row.lines
    )
    quote = Quote(
        lines,
        Money(row.subtotal, currency),
        Money(row.discount, currency),
        Money(row.shipping_fee, currency),
        row.coupon_code,
    )
    return Order(
        row.id,
        row.number,
        row.workspace_id,
        row.contact_id,
        OrderStatus(row.status),
        quote,
        Delivery(**row.delivery),
        PaymentMethod(row.payment_method),
        row.created_at,
        row.payment_token,
    )


def lines_json(quote: Quote) -> list[dict[str, Any]]:
    return [
        {
            "product_id": li.product_id,
            "sku": li.sku,
            "title": li.title,
            "quantity": li.quantity,
            "unit_price": str(li.unit_price.amount),
        }
        for li in quote.lines
    ]


def delivery_json(delivery: Delivery) -> dict[str, Any]:
    return asdict(delivery)


def orders_of_contact(session: Session, contact_id: str) -> Sequence[Order]:
    rows = session.scalars(
        select(OrderRow).where(OrderRow.contact_id == contact_id).order_by(OrderRow.created_at.desc())
    )
    return [order_of(r) for r in rows]


def order_by(session: Session, **criteria: str) -> OrderRow | None:
    query = select(OrderRow)
    for column, value in criteria.items():
        query = query.where(getattr(OrderRow, column) == value)
    return session.scalar(query)
