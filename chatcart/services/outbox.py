"""Messages the shop sends on its own initiative (payment received, order cancelled, and
later an agent's reply or a broadcast): stored as outbox rows in the contact's open
conversation, addressed to the channel the contact last wrote from."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from chatcart.core.ids import new_id
from chatcart.messaging.outbound import OutboundMessage
from chatcart.storage.contacts import last_identity
from chatcart.storage.conversations import NewMessage, append_messages, insert_open, lock_open


def send_from_shop(
    session: Session, workspace_id: str, contact_id: str, message: OutboundMessage, now: datetime, author: str
) -> str:
    """Queues one message; returns its idempotency key. Bumps the conversation's version,
    so a bot turn decided before it is decided again and sees it."""
    identity = last_identity(session, contact_id)
    key = f"{workspace_id}:{author}:{new_id()}"
    outbound = NewMessage(
        direction="out",
        body=message.model_dump(mode="json"),
        channel=identity.channel if identity else "",
        recipient=identity.external_id if identity else "",
        author=author,
        status="queued",
        idempotency_key=key,
    )
    row = lock_open(session, workspace_id, contact_id)
    if row is None:
        conversation_id = new_id()
        insert_open(
            session,
            conversation_id,
            workspace_id,
            contact_id,
            owner="bot",
            state={},
            outcome=None,
            next_seq=2,
            started_at=now,
            last_activity_at=now,
        )
        append_messages(session, conversation_id, 1, [outbound], now)
        return key
    append_messages(session, row.id, row.next_seq, [outbound], now)
    row.next_seq += 1
    row.version += 1
    return key
