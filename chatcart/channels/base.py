"""What a channel adapter is: one folder in `channels/` with a class implementing `Channel`.

An adapter verifies and parses the platform's webhook into normalised `InboundEvent`s and
renders a normalised `OutboundMessage` into the platform's native payloads (text is the
fallback for whatever the platform cannot show); a platform the server pushes to also
implements `messaging.delivery.Sender`, which the delivery job calls with each outbox row
and its idempotency key. Postback data a platform caps (Telegram's callback_data: 64 bytes) is
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
