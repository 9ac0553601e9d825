"""Conversations and their ordered messages."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chatcart.core.ids import new_id
from chatcart.storage.tables import ConversationRow, MessageRow

#: A conversation idle this long is closed; the next message opens a new one that carries
#: over the unfinished step, so resuming still works.
IDLE_CLOSE = timedelta(days=7)
#: Outcome precedence: a conversation keeps the strongest outcome it reached.
OUTCOME_RANK = {"answered": 1, "handed_off": 2, "purchased": 3}


def open_conversation(session: Session, workspace_id: str, contact_id: str, now: datetime) -> ConversationRow:
    """The contact's open conversation, locked for this turn (one turn at a time per contact)."""
    row = session.scalar(
        select(ConversationRow)
        .where(
            ConversationRow.workspace_id == workspace_id,
            ConversationRow.contact_id == contact_id,
            ConversationRow.is_open.is_(True),
        )
        .with_for_update()
    )
    if row is not None and now - row.last_activity_at < IDLE_CLOSE:
        return row
    carried: dict[str, Any] = {}
    if row is not None:
        row.is_open = False
        carried = dict(row.state)
    fresh = ConversationRow(
        id=new_id(),
        workspace_id=workspace_id,
        contact_id=contact_id,
        is_open=True,
        owner=str(carried.get("owner", "bot")),
        state=carried,
        outcome=None,
        next_seq=1,
        started_at=now,
        last_activity_at=now,
    )
    session.add(fresh)
    session.flush()
    return fresh


def append_message(
    session: Session,
    conversation: ConversationRow,
    direction: str,
    body: dict[str, Any],
    now: datetime,
    inbox_id: int | None = None,
) -> int:
    seq = conversation.next_seq
    conversation.next_seq = seq + 1
    session.add(
        MessageRow(
            conversation_id=conversation.id,
            seq=seq,
            direction=direction,
            body=body,
            inbox_id=inbox_id,
            created_at=now,
        )
    )
    return seq


def set_outcome(conversation: ConversationRow, outcome: str) -> None:
    if OUTCOME_RANK.get(outcome, 0) > OUTCOME_RANK.get(conversation.outcome or "", 0):
        conversation.outcome = outcome


def messages_after(
    session: Session, workspace_id: str, contact_id: str, after: int, limit: int = 200
) -> list[tuple[int, str, dict[str, Any]]]:
    """(cursor, direction, body) of the contact's messages after `after`, oldest first; with
    `after` 0, the latest `limit` (a new page shows the recent history, not the first day).

    The cursor is the message row id: unique and increasing across the contact's
    conversations, so a client's "last seen" survives a conversation being closed.
    """
    query = (
        select(MessageRow.id, MessageRow.direction, MessageRow.body)
        .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
        .where(
            ConversationRow.workspace_id == workspace_id,
            ConversationRow.contact_id == contact_id,
            MessageRow.id > after,
        )
    )
    order = MessageRow.id.desc() if after == 0 else MessageRow.id
    rows = [(int(r[0]), str(r[1]), dict(r[2])) for r in session.execute(query.order_by(order).limit(limit))]
    return sorted(rows) if after == 0 else rows
