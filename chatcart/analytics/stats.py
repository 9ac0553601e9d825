"""The numbers that show the bot works, computed from the event log and the orders.

Definitions (docs/stats.md): a conversation counts once it has a customer message;
containment = share of conversations never handed to a person; conversion = share of
conversations in which an order was placed; revenue = paid orders' totals (refunds and
cancellations excluded); revenue per conversation = revenue / conversations.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from chatcart.commerce.orders import OrderStatus
from chatcart.core.errors import NotFound
from chatcart.core.events import EventName
from chatcart.core.money import Money
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import get_workspace
from chatcart.storage.tables import ConversationRow, EventRow, OrderRow

PAID_STATES = [
    s.value for s in (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.DELIVERED, OrderStatus.COMPLETED)
]
#: A conversation with no outcome and no activity for this long counts as abandoned.
ABANDONED_AFTER = timedelta(hours=24)


@dataclass(frozen=True)
class Stats:
    workspace: str
    currency: str
    conversations: int
    handed_off: int
    containment_rate: float
    converted: int
    conversion_rate: float
    orders: int
    paid_orders: int
    revenue: str
    revenue_per_conversation: str
    understood_rate: float
    outcomes: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _conversations_with(session: Session, workspace_id: str, event: EventName) -> int:
    return int(
        session.scalar(
            select(func.count(distinct(EventRow.conversation_id))).where(
                EventRow.workspace_id == workspace_id, EventRow.name == event
            )
        )
        or 0
    )


def _count(session: Session, workspace_id: str, event: EventName) -> int:
    return int(
        session.scalar(
            select(func.count()).where(EventRow.workspace_id == workspace_id, EventRow.name == event)
        )
        or 0
    )


def _ratio(part: int | Decimal, whole: int) -> float:
    return round(float(part) / whole, 4) if whole else 0.0


def workspace_stats(rt: Runtime, workspace_id: str) -> Stats:
    with rt.db.snapshot() as session:
        workspace = get_workspace(session, workspace_id)
        if workspace is None:
            raise NotFound("unknown_workspace", workspace=workspace_id)
        conversations = _conversations_with(session, workspace_id, EventName.MESSAGE_IN)
        handed_off = _conversations_with(session, workspace_id, EventName.HANDOFF)
        converted = _conversations_with(session, workspace_id, EventName.ORDER_PLACED)
        revenue = Decimal(
            session.scalar(
                select(func.coalesce(func.sum(OrderRow.total), 0)).where(
                    OrderRow.workspace_id == workspace_id, OrderRow.status.in_(PAID_STATES)
                )
            )
            or 0
        )
        orders = int(session.scalar(select(func.count()).where(OrderRow.workspace_id == workspace_id)) or 0)
        paid = int(
            session.scalar(
                select(func.count()).where(
                    OrderRow.workspace_id == workspace_id, OrderRow.status.in_(PAID_STATES)
                )
            )
            or 0
        )
        understood = _count(session, workspace_id, EventName.UNDERSTOOD)
        missed = _count(session, workspace_id, EventName.NOT_UNDERSTOOD)
        outcomes = _outcomes(session, rt, workspace_id)
    money = Money(revenue, workspace.currency)
    per_conversation = Money(revenue / conversations if conversations else Decimal(0), workspace.currency)
    return Stats(
        workspace=workspace_id,
        currency=workspace.currency,
        conversations=conversations,
        handed_off=handed_off,
        containment_rate=_ratio(conversations - handed_off, conversations),
        converted=converted,
        conversion_rate=_ratio(converted, conversations),
        orders=orders,
        paid_orders=paid,
        revenue=str(money.rounded().amount),
        revenue_per_conversation=str(per_conversation.rounded().amount),
        understood_rate=_ratio(understood, understood + missed),
        outcomes=outcomes,
    )


def _outcomes(session: Session, rt: Runtime, workspace_id: str) -> dict[str, int]:
    """How conversations ended; one with no outcome is open, or abandoned once idle a day."""
    counts = {"purchased": 0, "handed_off": 0, "answered": 0, "abandoned": 0, "open": 0}
    idle_before = rt.clock() - ABANDONED_AFTER
    rows = session.execute(
        select(ConversationRow.outcome, ConversationRow.last_activity_at, ConversationRow.is_open).where(
            ConversationRow.workspace_id == workspace_id
        )
    )
    for outcome, last_activity, is_open in rows:
        if outcome:
            counts[outcome] = counts.get(outcome, 0) + 1
        elif is_open and last_activity > idle_before:
            counts["open"] += 1
        else:
            counts["abandoned"] += 1
    return counts
