"""Delivering an outbox row to a platform the server pushes to.

The row is read and settled in transactions of their own; the send happens between them,
outside any transaction, with the row's idempotency key. So a worker that dies after the
platform took the message but before recording it sends again with the same key, which
the platform (or the adapter) recognises; a row already settled is never sent again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from chatcart.jobs.retry import RetryLater
from chatcart.messaging.delivery import SendResult, SendStatus
from chatcart.messaging.outbound import OutboundMessage
from chatcart.services.runtime import Runtime
from chatcart.storage.conversations import outbox_message, record_attempt, record_delivery


def deliver_message(rt: Runtime, payload: Mapping[str, Any]) -> None:
    key = str(payload["key"])
    with rt.db.transaction() as session:
        found = outbox_message(session, key)
    if found is None or found.status != "queued":
        return
    sender = rt.senders.get(found.channel)
    if sender is None:
        raise LookupError(f"no sender for channel {found.channel!r} in this process")
    result = sender.send(found.recipient, OutboundMessage.model_validate(found.body), key)
    _settle(rt, key, result)


def _settle(rt: Runtime, key: str, result: SendResult) -> None:
    with rt.db.transaction() as session:
        if result.status is SendStatus.RETRY:
            record_attempt(session, key, result.reason)
        else:
            record_delivery(session, key, result.status.value, result.reason, result.platform_message_id)
    if result.status is SendStatus.RETRY:
        after = timedelta(seconds=result.retry_after or 0)
        raise RetryLater(result.reason or "the platform asked to try again", after)
