"""What a channel adapter is: one folder in `channels/` with a class implementing `Channel`.

An adapter verifies and parses the platform's webhook into normalised `InboundEvent`s,
renders a normalised `OutboundMessage` into the platform's native payloads (text is the
fallback for whatever the platform cannot show), and sends them with the outbox row's
idempotency key. Postback data a platform caps (Telegram's callback_data: 64 bytes) is
kept short with `fit_postbacks`: long payloads live on the server behind a short reference
(services/postbacks.py) and come back through `expand` before parsing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from chatcart.messaging.inbound import InboundEvent
from chatcart.messaging.outbound import Button, OutboundMessage


class BadSignature(Exception):
    """The request is not from the platform: 401, nothing stored."""


class BadPayload(ValueError):
    """The request is from the platform but cannot be read: 400 with this reason."""


@dataclass(frozen=True)
class WebhookRequest:
    workspace_id: str
    headers: Mapping[str, str]
    body: bytes


@dataclass(frozen=True)
class SendResult:
    """`sent` with the platform's message id, or `failed` with a reason; `retry_after`
    (seconds) when the platform asked to slow down."""

    status: str
    platform_message_id: str = ""
    reason: str = ""
    retry_after: float | None = None


class Channel(Protocol):
    name: str
    #: The longest postback payload the platform carries, in UTF-8 bytes; None: no cap.
    max_postback_bytes: int | None

    def verify(self, request: WebhookRequest) -> None:
        """Raises BadSignature unless the request is the platform's own."""
        ...

    def parse(self, request: WebhookRequest, now: datetime) -> list[InboundEvent]:
        """The request's events, each keyed by the platform's id; raises BadPayload."""
        ...

    def render(self, message: OutboundMessage) -> list[dict[str, Any]]:
        """The platform's native payloads for one message (several where it must split)."""
        ...


class Sender(Protocol):
    """A platform the server pushes to (LINE, WhatsApp, Messenger, Telegram): the job that
    delivers an outbox row calls this, retrying with back-off on failure. The web chat has
    none: its tabs pull every row after their cursor, so it needs no retry."""

    def send(self, recipient: str, payloads: list[dict[str, Any]], idempotency_key: str) -> SendResult: ...


def fit_postbacks(message: OutboundMessage, max_bytes: int, shorten: Callable[[str], str]) -> OutboundMessage:
    """The message with every payload longer than the platform allows replaced by `shorten`."""

    def fit(payload: str | None) -> str | None:
        return shorten(payload) if payload is not None and len(payload.encode()) > max_bytes else payload

    def fitted(buttons: list[Button]) -> list[Button]:
        return [b.model_copy(update={"payload": fit(b.payload)}) for b in buttons]

    quick = [q.model_copy(update={"payload": fit(q.payload)}) for q in message.quick_replies]
    cards = [c.model_copy(update={"buttons": fitted(c.buttons)}) for c in message.cards]
    return message.model_copy(
        update={"quick_replies": quick, "buttons": fitted(message.buttons), "cards": cards}
    )
