"""Orders as rows; status changes that happen once however many callers race; the
queries that guard offers and stock (unpaid orders, first purchase); a shop's payment policy."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import CursorResult, func, or_, select, update
from sqlalchemy.orm import Session

from chatcart.commerce.orders import Delivery, Order, OrderStatus, PaymentMethod, move
from chatcart.commerce.payment import DEFAULT_HOLDS, DEFAULT_PERSON_HOLD, PaymentPolicy
from chatcart.commerce.pricing import PricedLine, Quote
from chatcart.core.money import Money
from chatcart.storage.tables import OrderRow, WorkspaceRow

#: Order states that count as a purchase made (for first-purchase offers).
PURCHASED = tuple(s.value for s in OrderStatus if s is not OrderStatus.CANCELLED)
#: The key of the person's hold in a workspace's `payment_holds`.
PERSON_HOLD_KEY = "person"


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
        row.tracking_token,
        row.held_for,
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


def phone_key(phone: str | None) -> str:
    """The phone as orders store it: checkout gives E.164; stray spaces never make a new person."""
    return "".join((phone or "").split())[:32]


def change_status(
    session: Session, order_id: str, current: OrderStatus, target: OrderStatus, now: datetime, **where: str
) -> bool:
    """Moves the order from `current` to `target` only if it is still in `current` (and
    matches `where`): one conditional UPDATE, so of any number of racing callers exactly
    one sees True — on PostgreSQL the others wait for its row lock, then find the status
    changed. The session's copy of the row is refreshed either way. A move the order state
    machine forbids raises InvalidTransition before anything is written."""
    move(current, target)
    statement = update(OrderRow).where(OrderRow.id == order_id, OrderRow.status == current.value)
    for column, value in where.items():
        statement = statement.where(getattr(OrderRow, column) == value)
    result = session.execute(
        statement.values(status=target.value, updated_at=now).execution_options(synchronize_session=False)
    )
    assert isinstance(result, CursorResult)
    session.get(OrderRow, order_id, populate_existing=True)
    return result.rowcount == 1


def release_hold(session: Session, order_id: str, now: datetime) -> bool:
    """Clears a person's hold, so the customer may pay; False if there was none."""
    statement = (
        update(OrderRow)
        .where(OrderRow.id == order_id, OrderRow.held_for != "")
        .values(held_for="", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    result = session.execute(statement)
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def count_unpaid(session: Session, workspace_id: str, contact_id: str) -> int:
    """The contact's orders waiting for a payment they must make before shipping (card,
    bank transfer). A cash-on-delivery order is confirmed and paid at the door: it does not
    count, so a regular customer's parcels in transit never block the next order."""
    query = select(func.count()).where(
        OrderRow.workspace_id == workspace_id,
        OrderRow.contact_id == contact_id,
        OrderRow.status == OrderStatus.PENDING_PAYMENT.value,
        OrderRow.payment_method != PaymentMethod.CASH_ON_DELIVERY.value,
    )
    return int(session.scalar(query) or 0)


def purchased_before(session: Session, workspace_id: str, contact_id: str, phone: str | None) -> bool:
    """Whether this contact, or anyone giving this phone, has an order in the shop that was
    not cancelled: a fresh visitor id does not make a returning buyer new."""
    who = [OrderRow.contact_id == contact_id]
    if phone_key(phone):
        who.append(OrderRow.phone == phone_key(phone))
    query = (
        select(OrderRow.id)
        .where(OrderRow.workspace_id == workspace_id, OrderRow.status.in_(PURCHASED), or_(*who))
        .limit(1)
    )
    return session.scalar(query) is not None


def payment_policy(session: Session, workspace_id: str) -> PaymentPolicy:
    """The shop's stored policy over the product's defaults."""
    row = session.get(WorkspaceRow, workspace_id)
    if row is None:
        return PaymentPolicy()
    methods = None if row.payment_methods is None else tuple(PaymentMethod(m) for m in row.payment_methods)
    minutes = dict(row.payment_holds or {})
    person = minutes.pop(PERSON_HOLD_KEY, None)
    holds = {**DEFAULT_HOLDS, **{PaymentMethod(k): timedelta(minutes=int(v)) for k, v in minutes.items()}}
    person_hold = DEFAULT_PERSON_HOLD if person is None else timedelta(minutes=int(person))
    return PaymentPolicy(methods, holds, person_hold)


def save_payment_policy(
    session: Session,
    workspace_id: str,
    methods: Sequence[PaymentMethod] | None,
    hold_minutes: dict[str, int] | None,
) -> bool:
    """Stores the shop's methods (None: the deployment's) and hold overrides; False if no
    such workspace."""
    row = session.get(WorkspaceRow, workspace_id)
    if row is None:
        return False
    row.payment_methods = None if methods is None else [m.value for m in methods]
    row.payment_holds = None if hold_minutes is None else dict(hold_minutes)
    return True
