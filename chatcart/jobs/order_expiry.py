"""The payment window's end: an order still unpaid is cancelled, its stock goes back on
sale and the customer is told, in the language they chat in."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chatcart.i18n.catalogue import N_
from chatcart.services.notices import notify_order
from chatcart.services.orders import expire_unpaid
from chatcart.services.runtime import Runtime

CANCELLED_NOTICE = N_(
    "Order {number} was cancelled because the payment did not arrive in time. "
    "The items are back on sale; tap below if you still want them."
)


def expire_unpaid_order(rt: Runtime, payload: Mapping[str, Any]) -> None:
    """Cancels and tells in one transaction, then wakes the customer's chat once that is
    committed. A second run finds the order no longer unpaid and does nothing."""
    now = rt.clock()
    with rt.db.transaction() as session:
        order = expire_unpaid(session, str(payload["order_id"]), now)
        if order is None:
            return
        notify_order(rt, session, order, CANCELLED_NOTICE, now)
    rt.notifier.publish(order.workspace_id, order.contact_id)
