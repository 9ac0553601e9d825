"""The web chat as a `Channel`. Its "webhook" is a frame on the tab's own WebSocket, whose
visitor the session token of the socket's first frame proved (session.py); its native format is the normalised
message itself (the widget renders every message type), and sending is waking the
visitor's tabs, which pull everything after their cursor from the outbox (no `Sender`)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from chatcart.channels.base import BadPayload, BadSignature, WebhookRequest
from chatcart.channels.webchat.frames import CHANNEL, BadFrame, parse_frame, to_event
from chatcart.messaging.inbound import InboundEvent
from chatcart.messaging.outbound import OutboundMessage

VISITOR_HEADER = "x-chatcart-visitor"
LANG_HEADER = "x-chatcart-lang"
#: A visitor id: no `:`, so `<visitor>:<frame id>` (the inbox key) splits unambiguously.
VISITOR_ID = re.compile(r"^[A-Za-z0-9-]{8,64}$")


class WebChatChannel:
    name = CHANNEL
    max_postback_bytes: int | None = None

    def verify(self, request: WebhookRequest) -> None:
        if not VISITOR_ID.match(request.headers.get(VISITOR_HEADER, "")):
            raise BadSignature("invalid visitor id")

    def parse(self, request: WebhookRequest, now: datetime) -> list[InboundEvent]:
        try:
            frame = parse_frame(request.body.decode())
        except (BadFrame, UnicodeDecodeError) as bad:
            raise BadPayload(getattr(bad, "reason", "frames are UTF-8 JSON text")) from None
        visitor, lang = request.headers[VISITOR_HEADER], request.headers.get(LANG_HEADER, "")
        return [to_event(frame, request.workspace_id, visitor, lang, now)]

    def render(self, message: OutboundMessage) -> list[dict[str, Any]]:
        return [message.model_dump(mode="json")]
