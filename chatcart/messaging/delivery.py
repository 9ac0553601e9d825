"""Sending to a platform that the server pushes to, as an interface: the delivery job calls a
channel's `Sender` with an outbox row, and the channel adapter does the HTTP. Pure types:
the I/O lives in each `channels/<platform>` folder."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from chatcart.messaging.outbound import OutboundMessage


class SendStatus(StrEnum):
    #: The platform took it; `platform_message_id` says under which id.
    SENT = "sent"
    #: The platform refused it for good (blocked, outside the window, malformed): no retry.
    FAILED = "failed"
    #: Try again later (a timeout, a 5xx, a rate limit with `retry_after`).
    RETRY = "retry"


@dataclass(frozen=True)
class SendResult:
    status: SendStatus
    platform_message_id: str = ""
    reason: str = ""
    #: Seconds the platform asked us to wait (Retry-After); None when it did not say.
    retry_after: float | None = None


class Sender(Protocol):
    """A platform the server pushes to (LINE, WhatsApp, Messenger, Telegram). The web chat
    and the terminal chat have none: they read every row after their cursor."""

    def send(self, recipient: str, message: OutboundMessage, idempotency_key: str) -> SendResult:
        """Renders the message natively and sends it once per idempotency key: the key goes
        to the platform where it has one, so a resend after a crash is not delivered twice."""
        ...
