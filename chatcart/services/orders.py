"""The single door for order changes: placing, paying and expiring, each in the caller's
transaction, each recording its event."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from chatcart.commerce.orders import Order, OrderStatus, PaymentMethod, move
from chatcart.core.errors import CouponRejected, OutOfStock
from chatcart.core.events import EventName
from chatcart.storage.catalog import return_stock, take_stock, use_coupon
from chatcart.storage.events import record_event
from chatcart.storage.jobs import schedule
from chatcart.storage.orders import delivery_json, lines_json, order_by, order_of
from chatcart.storage.tables import OrderRow

#: An order waiting for an online payment holds its stock this long, then is cancelled.
PAYMENT_WINDOW = timedelta(hours=24)
EXPIRE_JOB = "expire_unpaid_order"


def place_order(session: Session, order: Order, checkout_token: str, conversation_id: str | None) -> None:
    """Takes stock and the coupon use atomically; raises OutOfStock or CouponRejected (and
    keeps nothing) if any of it was taken meanwhile. The order arrives priced and numbered
    by the engine; an order number or checkout token already used fails the unique index."""
    with session.begin_nested():
        for line in order.quote.lines:
            if not take_stock(session, order.workspace_id, line.sku, line.quantity):
                raise OutOfStock("sold_out_meanwhile", product=line.product_id, sku=line.sku)
        code = order.quote.coupon_code
        if code and not use_coupon(session, order.workspace_id, code):
            raise CouponRejected("coupon_used_up", code=code)
        session.add(_order_row(order, checkout_token, conversation_id))
        session.flush()
    record_event(
        session,
        order.workspace_id,
        EventName.ORDER_PLACED,
        order.created_at,
        conversation_id,
        order.contact_id,
        order=order.number,
        total=str(order.quote.total.amount),
        currency=order.quote.total.currency,
    )
    if order.payment_method is not PaymentMethod.CASH_ON_DELIVERY:
        run_at = order.created_at + PAYMENT_WINDOW
        schedule(session, EXPIRE_JOB, f"{EXPIRE_JOB}:{order.id}", {"order_id": order.id}, run_at)


def _order_row(order: Order, checkout_token: str, conversation_id: str | None) -> OrderRow:
    q = order.quote
    return OrderRow(
        id=order.id,
        workspace_id=order.workspace_id,
        number=order.number,
        contact_id=order.contact_id,
        conversation_id=conversation_id,
        status=order.status.value,
        lines=lines_json(q),
        currency=q.subtotal.currency,
        subtotal=q.subtotal.amount,
        discount=q.discount.amount,
        shipping_fee=q.shipping_fee.amount,
        total=q.total.amount,
        coupon_code=q.coupon_code,
        delivery=delivery_json(order.delivery),
        payment_method=order.payment_method.value,
        payment_token=order.payment_token,
        checkout_token=checkout_token,
        created_at=order.created_at,
        updated_at=order.created_at,
    )


class PaymentResult(StrEnum):
    PAID = "paid"
    ALREADY_PAID = "already_paid"
    UNKNOWN = "unknown"
    NOT_PAYABLE = "not_payable"


def pay(session: Session, payment_token: str, now: datetime) -> tuple[PaymentResult, Order | None]:
    """A provider says this order is paid. Idempotent: a second callback changes nothing."""
    row = order_by(session, payment_token=payment_token)
    if row is None:
        return PaymentResult.UNKNOWN, None
    status = OrderStatus(row.status)
    if status is not OrderStatus.PENDING_PAYMENT:
        already = status in (
            OrderStatus.PAID,
            OrderStatus.SHIPPED,
            OrderStatus.DELIVERED,
            OrderStatus.COMPLETED,
        )
        return (PaymentResult.ALREADY_PAID if already else PaymentResult.NOT_PAYABLE), order_of(row)
    row.status = move(status, OrderStatus.PAID).value
    row.updated_at = now
    record_event(
        session,
        row.workspace_id,
        EventName.PAID,
        now,
        row.conversation_id,
        row.contact_id,
        order=row.number,
        total=str(row.total),
        currency=row.currency,
    )
    return PaymentResult.PAID, order_of(row)


def expire_unpaid(session: Session, order_id: str, now: datetime) -> Order | None:
    """Cancels an order still unpaid after the payment window and puts its stock back."""
    row = session.get(OrderRow, order_id, with_for_update=True)
    if row is None or row.status != OrderStatus.PENDING_PAYMENT.value:
        return None
    row.status = move(OrderStatus(row.status), OrderStatus.CANCELLED).value
    row.updated_at = now
    for line in row.lines:
        return_stock(session, row.workspace_id, line["sku"], int(line["quantity"]))
    record_event(
        session,
        row.workspace_id,
        EventName.ORDER_CANCELLED,
        now,
        row.conversation_id,
        row.contact_id,
        order=row.number,
        reason="payment_timeout",
    )
    return order_of(row)
