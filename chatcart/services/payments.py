"""Payment callbacks: the order flips to paid once, and the customer hears about it."""

from __future__ import annotations

from chatcart.i18n.catalogue import N_
from chatcart.services.notices import notify_order
from chatcart.services.orders import PaymentResult, pay
from chatcart.services.runtime import Runtime

PAID_NOTICE = N_(
    "Payment received, thank you! Order {number} ({total}) is paid and being prepared. "
    "You can follow it here."
)


def confirm_payment(rt: Runtime, payment_token: str) -> PaymentResult:
    """Idempotent: an unknown token changes nothing, a second callback sends nothing."""
    now = rt.clock()
    with rt.db.transaction() as session:
        result, order = pay(session, payment_token, now)
        if result is PaymentResult.PAID and order is not None:
            notify_order(rt, session, order, PAID_NOTICE, now)
    if result is PaymentResult.PAID and order is not None:
        rt.notifier.publish(order.workspace_id, order.contact_id)
    return result
