"""The single door for order changes: placing, paying and expiring, each in the caller's
transaction, each recording its event. Paying and expiring are conditional status changes
(storage/orders.py: change_status), so each happens once, with one event, however many
callbacks and expiry jobs race."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from chatcart.commerce.orders import Order, OrderStatus
from chatcart.core.errors import CouponRejected, OutOfStock
from chatcart.core.events import EventName
from chatcart.core.money import Money
from chatcart.storage.catalog import return_stock, take_stock, use_coupon
from chatcart.storage.events import record_event
from chatcart.storage.jobs import schedule
from chatcart.storage.orders import (
    change_status,
    delivery_json,
    lines_json,
    order_by,
    order_of,
    payment_policy,
    phone_key,
)
from chatcart.storage.purchases import record_items
from chatcart.storage.tables import OrderRow

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
        record_items(session, order)
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
    window = payment_policy(session, order.workspace_id).hold(order.payment_method, order.held_for_person)
    if window is not None:
        run_at = order.created_at + window
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
        tracking_token=order.tracking_token,
        checkout_token=checkout_token,
        held_for=order.held_for,
        phone=phone_key(order.delivery.phone),
        created_at=order.created_at,
        updated_at=order.created_at,
    )


class PaymentResult(StrEnum):
    PAID = "paid"
    ALREADY_PAID = "already_paid"
    UNKNOWN = "unknown"
    NOT_PAYABLE = "not_payable"
    #: A person closes this order (high value); the customer cannot pay it on their own.
    HELD = "held"
    #: The provider reports an amount or currency other than the order's total.
    WRONG_AMOUNT = "wrong_amount"


_PAID_OR_LATER = frozenset(
    {OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED}
)


def payment_refusal(order: Order) -> PaymentResult | None:
    """Why this order cannot be paid now, or None when it can: what the payment page shows
    before any callback, and what a callback is checked against."""
    if order.status in _PAID_OR_LATER:
        return PaymentResult.ALREADY_PAID
    if order.status is not OrderStatus.PENDING_PAYMENT:
        return PaymentResult.NOT_PAYABLE
    if order.held_for_person:
        return PaymentResult.HELD
    return None


def pay(
    session: Session, payment_token: str, paid: Money, now: datetime
) -> tuple[PaymentResult, Order | None]:
    """A provider says `paid` was paid for this order. Changes it only if that is exactly the
    order's total and it is payable; of any number of identical callbacks, one is PAID."""
    row = order_by(session, payment_token=payment_token)
    if row is None:
        return PaymentResult.UNKNOWN, None
    order = order_of(row)
    if paid != order.quote.total:
        return PaymentResult.WRONG_AMOUNT, order
    refusal = payment_refusal(order)
    if refusal is not None:
        return refusal, order
    if not change_status(session, row.id, OrderStatus.PENDING_PAYMENT, OrderStatus.PAID, now, held_for=""):
        return payment_refusal(order_of(row)) or PaymentResult.NOT_PAYABLE, order_of(row)
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
    """Cancels an order still unpaid after its payment window and puts its stock back; None
    (and nothing done) when a payment or an earlier run got there first."""
    return cancel_unpaid(session, order_id, now, reason="payment_timeout")


def cancel_unpaid(session: Session, order_id: str, now: datetime, reason: str) -> Order | None:
    """Cancels an order still waiting for payment (its window ran out, or the customer asked)
    and puts its stock back, exactly once; None when a payment or another cancel was first."""
    if not change_status(session, order_id, OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED, now):
        return None
    row = session.get_one(OrderRow, order_id)
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
        reason=reason,
    )
    return order_of(row)
