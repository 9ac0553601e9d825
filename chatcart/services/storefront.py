"""What the shop's own pages read: the catalog (the same cached one turns use) and an
order by its link token. Read-only, through snapshots."""

from __future__ import annotations

from chatcart.commerce.catalog import Catalog
from chatcart.commerce.content import Workspace
from chatcart.commerce.orders import Order
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import workspace_of
from chatcart.storage.orders import order_by, order_of
from chatcart.storage.tables import WorkspaceRow


def shop_catalog(rt: Runtime, workspace_id: str) -> tuple[Workspace, Catalog] | None:
    with rt.db.snapshot() as session:
        row = session.get(WorkspaceRow, workspace_id)
        if row is None:
            return None
        return workspace_of(row), rt.catalogs.get(session, row).catalog


def order_for_payment(rt: Runtime, payment_token: str) -> tuple[Order, Workspace] | None:
    """The order a payment link is for, and its shop."""
    with rt.db.snapshot() as session:
        row = order_by(session, payment_token=payment_token)
        workspace = session.get(WorkspaceRow, row.workspace_id) if row is not None else None
        return (order_of(row), workspace_of(workspace)) if row is not None and workspace is not None else None


def tracked_order(
    rt: Runtime, workspace_id: str, number: str, token: str
) -> tuple[Workspace | None, Order | None]:
    """The order for whoever holds its link's token: nobody can browse others' orders."""
    with rt.db.snapshot() as session:
        row = session.get(WorkspaceRow, workspace_id)
        order = order_by(session, number=number, workspace_id=workspace_id)
        matches = order is not None and bool(token) and order.payment_token == token
        return (workspace_of(row) if row else None), (
            order_of(order) if order is not None and matches else None
        )
