"""Order notices (payment received, order cancelled), in the contact's language, with a
tracking link; queued in the outbox like every other message."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from chatcart.commerce.orders import Order
from chatcart.i18n.catalogue import Translator
from chatcart.messaging.outbound import Button, buttons
from chatcart.services.outbox import send_from_shop
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import get_workspace
from chatcart.storage.contacts import load_contact


def notify_order(
    rt: Runtime, session: Session, order: Order, msgid: str, now: datetime, **params: Any
) -> None:
    """Tells the customer about their order, with a tracking link."""
    workspace = get_workspace(session, order.workspace_id)
    assert workspace is not None
    tr = Translator(load_contact(session, order.contact_id).lang or workspace.lang)
    total = order.quote.total.format(tr.lang)
    body = tr(msgid, number=order.number, total=total, **params)
    track = Button(title=tr("Track order"), url=rt.links.tracking(order))
    message = buttons(body, [track])
    send_from_shop(session, workspace.id, order.contact_id, message, now, "system", rt.senders.keys())
