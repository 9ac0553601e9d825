"""What the shop's own pages read: the catalog (the same cached one turns use) and an
order by its link's token, with the language its customer chats in. Read-only, through
snapshots."""

from __future__ import annotations

import hmac
from dataclasses import dataclass

from sqlalchemy.orm import Session

from chatcart.commerce.catalog import Catalog
from chatcart.commerce.content import Workspace
from chatcart.commerce.orders import Order
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import workspace_of
from chatcart.storage.contacts import load_contact
from chatcart.storage.orders import order_by, order_of
from chatcart.storage.tables import OrderRow, WorkspaceRow


@dataclass(frozen=True)
class OrderView:
    """An order as its own pages show it: with its shop, and the conversation's language
    (the contact's, else the shop's), which the pages speak whatever the browser prefers."""

    order: Order
    workspace: Workspace
    lang: str


def shop_catalog(rt: Runtime, workspace_id: str) -> tuple[Workspace, Catalog] | None:
    with rt.db.snapshot() as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            return None
        return workspace_of(row), rt.catalogs.get(session, row).catalog


def order_for_payment(rt: Runtime, payment_token: str) -> OrderView | None:
    """The order a payment link is for."""
    if not payment_token:
        return None
    with rt.db.snapshot() as session:
        row = order_by(session, payment_token=payment_token)
        return _view(session, row) if row is not None else None


def tracked_order(
    rt: Runtime, workspace_id: str, number: str, token: str
) -> tuple[Workspace | None, OrderView | None]:
    """The order for whoever holds its tracking link's token: nobody can browse others'
    orders, and the payment token does not open it."""
    with rt.db.snapshot() as session:
        row = session.get(WorkspaceRow, workspace_id)
        order = order_by(session, number=number, workspace_id=workspace_id)
        matches = order is not None and _same_token(order.tracking_token, token)
        view = _view(session, order) if order is not None and matches else None
        return (workspace_of(row) if row else None), view


def _same_token(expected: str, given: str) -> bool:
    """Constant-time, and an order without a tracking token (none is ever empty) matches nothing."""
    return bool(expected) and hmac.compare_digest(expected.encode(), given.encode())


def _view(session: Session, row: OrderRow) -> OrderView | None:
    workspace = session.get(WorkspaceRow, row.workspace_id)
    if workspace is None:
        return None
    lang = load_contact(session, row.contact_id).lang or workspace.lang
    return OrderView(order_of(row), workspace_of(workspace), lang)
