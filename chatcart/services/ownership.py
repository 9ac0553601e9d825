"""The doors for who owns a conversation: `hand_off`, `assign`, `hand_back`, `close`.

Ownership lives in one place, the conversation row's `owner` and `assignee`; each door
checks, changes it, bumps the row's version and records its event in one transaction. The
engine only reads ownership. A bot turn decided before a person took over fails its
versioned write and is decided again, now silent — so a takeover is never undone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from chatcart.core.errors import DomainError, NotFound
from chatcart.core.events import EventName
from chatcart.engine.state import Owner
from chatcart.messaging.outbound import text
from chatcart.services.outbox import send_from_shop
from chatcart.services.runtime import Runtime
from chatcart.storage.events import record_event
from chatcart.storage.handoffs import assign_open, open_handoff, resolve_open
from chatcart.storage.tables import ConversationRow


def handed_off(
    session: Session, workspace_id: str, conversation_id: str, contact_id: str, reason: str, now: datetime
) -> None:
    """The records of a hand-off, for a caller that sets the owner itself (a turn's write)."""
    open_handoff(session, workspace_id, conversation_id, reason, now)
    record_event(session, workspace_id, EventName.HANDOFF, now, conversation_id, contact_id, reason=reason)


def handed_back(
    session: Session, workspace_id: str, conversation_id: str, contact_id: str, by: str, now: datetime
) -> None:
    resolve_open(session, conversation_id, "handed_back", now)
    record_event(session, workspace_id, EventName.HANDED_BACK, now, conversation_id, contact_id, by=by)


def hand_off(rt: Runtime, conversation_id: str, reason: str) -> None:
    """A person is needed (an agent or a rule says so); the bot falls silent."""
    now = rt.clock()
    with rt.db.transaction() as session:
        row = _locked(session, conversation_id)
        if row.owner == Owner.HUMAN.value:
            return
        _change(row, Owner.HUMAN, None)
        handed_off(session, row.workspace_id, row.id, row.contact_id, reason, now)


def assign(rt: Runtime, conversation_id: str, agent: str) -> None:
    """A person takes the conversation (from the queue, from the bot, or from a colleague)."""
    now = rt.clock()
    with rt.db.transaction() as session:
        row = _locked(session, conversation_id)
        if row.owner != Owner.HUMAN.value:
            handed_off(session, row.workspace_id, row.id, row.contact_id, "agent_took_over", now)
        _change(row, Owner.HUMAN, agent)
        assign_open(session, row.id, agent)
        record_event(session, row.workspace_id, EventName.ASSIGNED, now, row.id, row.contact_id, agent=agent)


def hand_back(rt: Runtime, conversation_id: str, by: str) -> None:
    """The bot answers again."""
    now = rt.clock()
    with rt.db.transaction() as session:
        row = _locked(session, conversation_id)
        if row.owner == Owner.BOT.value:
            return
        _change(row, Owner.BOT, None)
        handed_back(session, row.workspace_id, row.id, row.contact_id, by, now)


def close(rt: Runtime, conversation_id: str, by: str) -> None:
    """Ends the conversation; the customer's next message opens a new one with the bot."""
    now = rt.clock()
    with rt.db.transaction() as session:
        row = _locked(session, conversation_id)
        if not row.is_open:
            raise DomainError("conversation_closed", conversation=conversation_id)
        resolve_open(session, row.id, "closed", now)
        _change(row, Owner.BOT, None)
        row.is_open = False
        record_event(
            session, row.workspace_id, EventName.CONVERSATION_CLOSED, now, row.id, row.contact_id, by=by
        )


def _locked(session: Session, conversation_id: str) -> ConversationRow:
    row = session.scalar(
        select(ConversationRow).where(ConversationRow.id == conversation_id).with_for_update()
    )
    if row is None:
        raise NotFound("unknown_conversation", conversation=conversation_id)
    return row


def _change(row: ConversationRow, owner: Owner, assignee: str | None) -> None:
    row.owner = owner.value
    row.assignee = assignee
    row.version += 1


@dataclass(frozen=True)
class OpenConversation:
    id: str
    contact_id: str
    owner: str
    assignee: str | None
    last_activity_at: datetime


def open_conversations(rt: Runtime, workspace_id: str, owner: Owner | None = None) -> list[OpenConversation]:
    """The workspace's open conversations, most recently active first (optionally one owner's)."""
    query = select(ConversationRow).where(
        ConversationRow.workspace_id == workspace_id, ConversationRow.is_open.is_(True)
    )
    if owner is not None:
        query = query.where(ConversationRow.owner == owner.value)
    with rt.db.snapshot() as session:
        rows = session.scalars(query.order_by(ConversationRow.last_activity_at.desc()).limit(200))
        return [OpenConversation(r.id, r.contact_id, r.owner, r.assignee, r.last_activity_at) for r in rows]


def reply_as_agent(rt: Runtime, conversation_id: str, agent: str, body: str) -> None:
    """A person's message to the customer, through the outbox like every other; only the
    person who has the conversation may write in it."""
    now = rt.clock()
    with rt.db.transaction() as session:
        row = _locked(session, conversation_id)
        if row.owner != Owner.HUMAN.value or row.assignee != agent:
            raise DomainError("not_assigned_to_you", conversation=conversation_id, agent=agent)
        workspace_id, contact_id = row.workspace_id, row.contact_id
        send_from_shop(
            session, workspace_id, contact_id, text(body), now, f"agent:{agent}", rt.senders.keys()
        )
    rt.notifier.publish(workspace_id, contact_id)
