"""Conversations and their ordered messages; outbound messages are also the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from chatcart.storage.tables import ConversationRow, MessageRow

#: A conversation idle this long is closed; the next message opens a new one that carries
#: over the unfinished step, so resuming still works.
IDLE_CLOSE = timedelta(days=7)
#: Outcome precedence: a conversation keeps the strongest outcome it reached.
OUTCOME_RANK = {"answered": 1, "handed_off": 2, "purchased": 3}


@dataclass(frozen=True)
class ConversationView:
    """A conversation as a turn's snapshot saw it; `version` guards the turn's write."""

    id: str
    owner: str
    assignee: str | None
    state: dict[str, Any]
    outcome: str | None
    next_seq: int
    version: int
    last_activity_at: datetime


@dataclass(frozen=True)
class NewMessage:
    direction: str
    body: dict[str, Any]
    channel: str
    recipient: str
    author: str
    status: str
    idempotency_key: str | None = None
    platform_message_id: str = ""
    inbox_id: int | None = None


@dataclass(frozen=True)
class StoredMessage:
    cursor: int
    direction: str
    body: dict[str, Any]
    author: str
    channel: str
    platform_message_id: str


_OPEN = select(
    ConversationRow.id,
    ConversationRow.owner,
    ConversationRow.assignee,
    ConversationRow.state,
    ConversationRow.outcome,
    ConversationRow.next_seq,
    ConversationRow.version,
    ConversationRow.last_activity_at,
).where(
    ConversationRow.workspace_id == bindparam("workspace_id"),
    ConversationRow.contact_id == bindparam("contact_id"),
    ConversationRow.is_open.is_(True),
)


def find_open(session: Session, workspace_id: str, contact_id: str) -> ConversationView | None:
    row = (
        session.connection().execute(_OPEN, {"workspace_id": workspace_id, "contact_id": contact_id}).first()
    )
    if row is None:
        return None
    return ConversationView(
        str(row[0]), str(row[1]), row[2], dict(row[3]), row[4], int(row[5]), int(row[6]), row[7]
    )


def lock_open(session: Session, workspace_id: str, contact_id: str) -> ConversationRow | None:
    """The open conversation locked for a change outside a turn (a notice, an agent's action)."""
    return session.scalar(
        select(ConversationRow)
        .where(
            ConversationRow.workspace_id == workspace_id,
            ConversationRow.contact_id == contact_id,
            ConversationRow.is_open.is_(True),
        )
        .with_for_update()
    )


def is_stale(view: ConversationView, now: datetime) -> bool:
    return now - view.last_activity_at >= IDLE_CLOSE


def update_if_unchanged(session: Session, view: ConversationView, **values: Any) -> bool:
    """Writes the turn's result only if nobody changed the conversation since the snapshot."""
    result = session.connection().execute(
        update(ConversationRow)
        .where(ConversationRow.id == view.id, ConversationRow.version == view.version)
        .values(version=view.version + 1, **values)
    )
    return bool(result.rowcount)


def insert_open(
    session: Session, conversation_id: str, workspace_id: str, contact_id: str, **values: Any
) -> None:
    """A new open conversation; the unique open-per-contact index refuses a second one."""
    session.execute(
        insert(ConversationRow).values(
            id=conversation_id,
            workspace_id=workspace_id,
            contact_id=contact_id,
            is_open=True,
            version=1,
            **values,
        )
    )


def append_messages(
    session: Session, conversation_id: str, first_seq: int, messages: Sequence[NewMessage], now: datetime
) -> None:
    if not messages:
        return
    session.connection().execute(
        insert(MessageRow),
        [
            {
                "conversation_id": conversation_id,
                "seq": first_seq + i,
                "direction": m.direction,
                "body": m.body,
                "inbox_id": m.inbox_id,
                "created_at": now,
                "channel": m.channel,
                "recipient": m.recipient,
                "author": m.author,
                "idempotency_key": m.idempotency_key,
                "status": m.status,
                "status_reason": "",
                "platform_message_id": m.platform_message_id,
                "attempts": 0,
            }
            for i, m in enumerate(messages)
        ],
    )


def better_outcome(current: str | None, candidate: str) -> str | None:
    """The stronger of two outcomes (purchased > handed_off > answered)."""
    if OUTCOME_RANK.get(candidate, 0) > OUTCOME_RANK.get(current or "", 0):
        return candidate
    return current


_HISTORY = (
    select(
        MessageRow.id,
        MessageRow.direction,
        MessageRow.body,
        MessageRow.author,
        MessageRow.channel,
        MessageRow.platform_message_id,
    )
    .join(ConversationRow, ConversationRow.id == MessageRow.conversation_id)
    .where(
        ConversationRow.workspace_id == bindparam("workspace_id"),
        ConversationRow.contact_id == bindparam("contact_id"),
        MessageRow.id > bindparam("after"),
    )
)
_HISTORY_AFTER = _HISTORY.order_by(MessageRow.id).limit(bindparam("limit"))
_HISTORY_LATEST = _HISTORY.order_by(MessageRow.id.desc()).limit(bindparam("limit"))


def messages_after(
    session: Session, workspace_id: str, contact_id: str, after: int, limit: int = 200
) -> list[StoredMessage]:
    """The contact's messages after `after`, oldest first; with `after` 0, the latest
    `limit` (a new page shows the recent history, not the first day).

    The cursor is the message row id: unique and increasing across the contact's
    conversations, so a client's "last seen" survives a conversation being closed.
    """
    params = {"workspace_id": workspace_id, "contact_id": contact_id, "after": after, "limit": limit}
    rows = [
        StoredMessage(int(r[0]), str(r[1]), dict(r[2]), str(r[3]), str(r[4]), str(r[5]))
        for r in session.connection().execute(_HISTORY_LATEST if after == 0 else _HISTORY_AFTER, params)
    ]
    return sorted(rows, key=lambda m: m.cursor) if after == 0 else rows


def mark_sent(session: Session, cursors: Sequence[int], channel: str) -> int:
    """Queued messages of this channel the channel has handed over; how many changed."""
    if not cursors:
        return 0
    result = session.execute(
        update(MessageRow)
        .where(MessageRow.id.in_(cursors), MessageRow.channel == channel, MessageRow.status == "queued")
        .values(status="sent", attempts=MessageRow.attempts + 1)
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class OutboxMessage:
    key: str
    channel: str
    recipient: str
    body: dict[str, Any]
    status: str


def outbox_message(session: Session, idempotency_key: str) -> OutboxMessage | None:
    row = session.execute(
        select(MessageRow.channel, MessageRow.recipient, MessageRow.body, MessageRow.status).where(
            MessageRow.idempotency_key == idempotency_key
        )
    ).first()
    if row is None:
        return None
    return OutboxMessage(idempotency_key, str(row[0]), str(row[1]), dict(row[2]), str(row[3]))


def record_delivery(
    session: Session, idempotency_key: str, status: str, reason: str = "", platform_message_id: str = ""
) -> bool:
    """Settles a queued message (sent or failed); False when it was settled before."""
    result = session.execute(
        update(MessageRow)
        .where(MessageRow.idempotency_key == idempotency_key, MessageRow.status == "queued")
        .values(
            status=status,
            status_reason=reason[:2000],
            platform_message_id=platform_message_id,
            attempts=MessageRow.attempts + 1,
        )
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def record_attempt(session: Session, idempotency_key: str, reason: str) -> None:
    """A send that will be tried again: counted, with why, and still queued."""
    session.execute(
        update(MessageRow)
        .where(MessageRow.idempotency_key == idempotency_key, MessageRow.status == "queued")
        .values(attempts=MessageRow.attempts + 1, status_reason=reason[:2000])
    )
