"""Payment callbacks: the order flips to paid once, and the customer hears about it once."""

from __future__ import annotations

from chatcart.core.money import Money
from chatcart.i18n.catalogue import N_
from chatcart.services.notices import notify_order
from chatcart.services.orders import PaymentResult, pay
from chatcart.services.runtime import Runtime
from chatcart.storage.orders import order_by, release_hold

PAID_NOTICE = N_(
    "Payment received, thank you! Order {number} ({total}) is paid and being prepared. "
    "You can follow it here."
)


def confirm_payment(rt: Runtime, payment_token: str, paid: Money) -> PaymentResult:
    """Idempotent: an unknown token, a wrong amount or a second callback changes nothing and
    sends nothing; the notice is queued in the same transaction as the status change."""
    now = rt.clock()
    with rt.db.transaction() as session:
        result, order = pay(session, payment_token, paid, now)
        if result is PaymentResult.PAID and order is not None:
            notify_order(rt, session, order, PAID_NOTICE, now)
    if result is PaymentResult.PAID and order is not None:
        rt.notifier.publish(order.workspace_id, order.contact_id)
    return result


def release_held_order(rt: Runtime, workspace_id: str, number: str) -> bool:
    """A person who closed a held (high-value) order with the customer opens it for payment:
    its payment link works from then on. False if the order is unknown or was not held."""
    with rt.db.transaction() as session:
        row = order_by(session, workspace_id=workspace_id, number=number)
        return row is not None and release_hold(session, row.id, rt.clock())
