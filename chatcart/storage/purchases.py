"""What a shop's customers bought, product by product, for recommendations (ADR 15): the
products bought in the same orders as some others, and the shop's bestsellers. Only
orders that were placed and stand count: cancelled (by the customer or by expiry) and
refunded orders are not purchases anyone should be told about."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from chatcart.commerce.orders import STANDING, Order
from chatcart.storage.tables import OrderItemRow, OrderRow

#: The order states that count, as stored.
_STANDING = tuple(s.value for s in STANDING)


@dataclass(frozen=True)
class BoughtWith:
    """`product_id` was bought in `orders` orders that also held `anchor_id`."""

    anchor_id: str
    product_id: str
    orders: int


def record_items(session: Session, order: Order) -> None:
    """One row per distinct product of the order, in the caller's (the order's) transaction."""
    for product_id in dict.fromkeys(line.product_id for line in order.quote.lines):
        session.add(OrderItemRow(order_id=order.id, product_id=product_id, workspace_id=order.workspace_id))


def bought_with(
    session: Session, workspace_id: str, anchors: Collection[str], exclude: Collection[str], limit: int
) -> list[BoughtWith]:
    """Products bought in the same standing orders as any of `anchors`, most orders first
    (ties by product id, so the answer is stable); none of `anchors` or `exclude`. One query:
    the anchors' items by `ix_order_items_product`, their orders' other items by primary key."""
    if not anchors:
        return []
    mine, other = aliased(OrderItemRow), aliased(OrderItemRow)
    count = func.count(mine.order_id).label("orders")
    query = (
        select(mine.product_id, other.product_id, count)
        .join(other, other.order_id == mine.order_id)
        .join(OrderRow, OrderRow.id == mine.order_id)
        .where(
            mine.workspace_id == workspace_id,
            mine.product_id.in_(list(anchors)),
            other.product_id.not_in([*anchors, *exclude]),
            OrderRow.status.in_(_STANDING),
        )
        .group_by(mine.product_id, other.product_id)
        .order_by(count.desc(), other.product_id, mine.product_id)
        .limit(limit)
    )
    return [BoughtWith(anchor, product, int(n)) for anchor, product, n in session.execute(query)]


def bestsellers(session: Session, workspace_id: str, limit: int) -> list[str]:
    """The shop's products by how many standing orders hold them, most first."""
    count = func.count(OrderItemRow.order_id).label("orders")
    query = (
        select(OrderItemRow.product_id, count)
        .join(OrderRow, OrderRow.id == OrderItemRow.order_id)
        .where(OrderItemRow.workspace_id == workspace_id, OrderRow.status.in_(_STANDING))
        .group_by(OrderItemRow.product_id)
        .order_by(count.desc(), OrderItemRow.product_id)
        .limit(limit)
    )
    return [str(product_id) for product_id, _ in session.execute(query)]
