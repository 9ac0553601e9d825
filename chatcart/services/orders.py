"""The single door for order changes: placing, paying and expiring, each in the caller's
transaction, each recording its event."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from chatcart.commerce.content import Workspace
from chatcart.commerce.orders import Order, OrderStatus, PaymentMethod, move
from chatcart.core.errors import CouponRejected, OutOfStock
from chatcart.core.ids import new_id, new_token, readable_order_number
from chatcart.engine.ports import OrderDraft
from chatcart.storage.catalog import return_stock, take_stock, use_coupon
from chatcart.storage.events import record_event
from chatcart.storage.jobs import schedule
from chatcart.storage.orders import delivery_json, lines_json, next_counter, order_by, order_of
from chatcart.storage.tables import OrderRow

#: An order waiting for an online payment holds its stock this long, then is cancelled.
PAYMENT_WINDOW = timedelta(hours=24)
EXPIRE_JOB = "expire_unpaid_order"


def place_order(
    session: Session,
    workspace: Workspace,
    contact_id: str,
    conversation_id: str | None,
    draft: OrderDraft,
    now: datetime,
) -> Order:
    """Takes stock and the coupon use atomically; nothing is kept if any line is short."""
    with session.begin_nested():
        for line in draft.quote.lines:
            if not take_stock(session, workspace.id, line.sku, line.quantity):
                raise OutOfStock("sold_out_meanwhile", product=line.product_id, sku=line.sku)
        code = draft.quote.coupon_code
        if code and not use_coupon(session, workspace.id, code):
            raise CouponRejected("coupon_used_up", code=code)
        row = _order_row(
            workspace,
            contact_id,
            conversation_id,
            draft,
            now,
            readable_order_number(next_counter(session, f"orders:{workspace.id}")),
        )
        session.add(row)
        session.flush()
    record_event(
        session,
        workspace.id,
        "order_placed",
        now,
        conversation_id,
        contact_id,
        order=row.number,
        total=str(row.total),
        currency=row.currency,
    )
    if draft.payment_method is not PaymentMethod.CASH_ON_DELIVERY:
        schedule(session, EXPIRE_JOB, f"{EXPIRE_JOB}:{row.id}", {"order_id": row.id}, now + PAYMENT_WINDOW)
    return order_of(row)


def _order_row(
    workspace: Workspace,
    contact_id: str,
    conversation_id: str | None,
    draft: OrderDraft,
    now: datetime,
    number: str,
) -> OrderRow:
    q = draft.quote
    return OrderRow(
        id=new_id(),
        workspace_id=workspace.id,
        number=number,
        contact_id=contact_id,
        conversation_id=conversation_id,
        status=OrderStatus.PENDING_PAYMENT.value,
        lines=lines_json(q),
        currency=q.subtotal.currency,
        subtotal=q.subtotal.amount,
        discount=q.discount.amount,
        shipping_fee=q.shipping_fee.amount,
        total=q.total.amount,
        coupon_code=q.coupon_code,
        delivery=delivery_json(draft.delivery),
        payment_method=draft.payment_method.value,
        payment_token=new_token(),
        checkout_token=draft.checkout_token,
        created_at=now,
        updated_at=now,
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
        "paid",
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
        "order_cancelled",
        now,
        row.conversation_id,
        row.contact_id,
        order=row.number,
        reason="payment_timeout",
    )
    return order_of(row)
