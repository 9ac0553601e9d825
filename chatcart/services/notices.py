"""Messages the shop sends on its own (payment received, order cancelled): appended to the
contact's conversation like any bot reply, in the contact's language."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from chatcart.commerce.orders import Order
from chatcart.i18n.catalogue import Translator
from chatcart.messaging.outbound import Button, buttons
from chatcart.services.conversations import append_outbound
from chatcart.services.runtime import Runtime
from chatcart.services.shop import StoredShop
from chatcart.storage.catalog import get_workspace
from chatcart.storage.conversations import open_conversation


def notify_order(
    rt: Runtime, session: Session, order: Order, msgid: str, now: datetime, **params: Any
) -> None:
    """Tells the customer about their order, with a tracking link."""
    workspace = get_workspace(session, order.workspace_id)
    assert workspace is not None
    conversation = open_conversation(session, workspace.id, order.contact_id, now)
    shop = StoredShop(session, workspace, order.contact_id, conversation, now, rt.links, rt.providers)
    tr = Translator(shop.contact.lang or workspace.lang)
    total = order.quote.total.format(tr.lang)
    body = tr(msgid, number=order.number, total=total, **params)
    track = Button(title=tr("Track order"), url=rt.links.tracking(order))
    append_outbound(session, shop, buttons(body, [track]))
