"""Messages the shop sends on its own initiative (payment received, order cancelled, and
later an agent's reply or a broadcast): stored as outbox rows in the contact's open
conversation, addressed to the channel the contact last wrote from."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from chatcart.core.ids import new_id
from chatcart.messaging.outbound import OutboundMessage
from chatcart.storage.contacts import last_identity
from chatcart.storage.conversations import NewMessage, append_messages, insert_open, lock_open
from chatcart.storage.jobs import schedule


def send_from_shop(
    session: Session,
    workspace_id: str,
    contact_id: str,
    message: OutboundMessage,
    now: datetime,
    author: str,
    push: Collection[str] = (),
) -> str:
    """Queues one message (with its delivery job on a push channel); returns its idempotency
    key. Bumps the conversation's version, so a bot turn decided before it is decided again
    and sees it."""
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
    if outbound.channel in push:
        schedule_deliveries(session, [key], now)
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


#: The job that hands one outbox row to a push channel's `Sender` (jobs/delivery.py).
DELIVER_JOB = "deliver_message"
#: A message not delivered after this many tries is failed for good and shown as such.
DELIVERY_ATTEMPTS = 10


def schedule_deliveries(session: Session, keys: Iterable[str], now: datetime) -> None:
    """One delivery job per message, in the transaction that stores the messages, so a
    stored reply is always delivered and a rolled-back one never is."""
    for key in keys:
        schedule(session, DELIVER_JOB, f"{DELIVER_JOB}:{key}", {"key": key}, now, DELIVERY_ATTEMPTS)
