"""The web chat channel: a WebSocket per browser tab, the widget's config, and replay.

A frame is acknowledged only after it is stored in the inbox; processing follows, and the
replies reach every tab of the visitor through the notifier and the message history. The
history is the outbox: a reply a tab has been sent is marked `sent` (in batches, off the
turn's path); a tab that reconnects replays everything after its cursor, so a reply stored
before a crash or a lost connection is still delivered, once per tab.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse
from starlette.requests import Request

from chatcart.channels.base import BadSignature, WebhookRequest
from chatcart.channels.webchat.channel import VISITOR_HEADER, WebChatChannel
from chatcart.channels.webchat.frames import (
    CHANNEL,
    AckFrame,
    BadFrame,
    ErrorFrame,
    MessageOut,
    ServerFrame,
    TypingFrame,
    parse_frame,
    to_event,
)
from chatcart.core.text import pick
from chatcart.i18n.catalogue import N_, Translator, normalise_lang, supported_lang
from chatcart.messaging.inbound import Identity
from chatcart.services.contacts import identify
from chatcart.services.conversations import accept, process_contact
from chatcart.services.history import StoredMessage, history
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import find_workspace

log = logging.getLogger(__name__)
router = APIRouter(prefix="/channels/webchat", tags=["webchat"])
WEB_CHAT = WebChatChannel()
CLOSE_UNKNOWN_WORKSPACE = 4404
CLOSE_BAD_VISITOR = 4400
NOT_SENT = N_("Sorry, that message could not be sent. Please try again.")


def _runtime(request: Request | WebSocket) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


@router.get("/config")
def widget_config(request: Request, workspace: str, lang: str = "") -> JSONResponse:
    """The widget's strings in the visitor's language (the widget hard-codes none)."""
    found = find_workspace(_runtime(request), workspace)
    if found is None:
        return JSONResponse(
            {"error": "unknown workspace"}, status_code=404, headers={"Access-Control-Allow-Origin": "*"}
        )
    tr = Translator(supported_lang(lang) or found.lang)
    body = {
        "title": pick(found.name, tr.lang),
        "placeholder": tr("Type a message…"),
        "invite": tr("Questions about this product? Chat with us!"),
        "send": tr("Send"),
        "open": tr("Chat with us"),
        "close": tr("Close"),
        "offline": tr("Connection lost. Reconnecting…"),
        "person": tr("Talk to a person"),
        "lang": tr.lang,
    }
    return JSONResponse(body, headers={"Access-Control-Allow-Origin": "*"})


@router.websocket("/ws")
async def chat_socket(
    websocket: WebSocket,
    workspace: str,
    visitor: str,
    lang: str = "",
    after: Annotated[int, Query(ge=0)] = 0,
) -> None:
    rt = _runtime(websocket)
    try:
        WEB_CHAT.verify(WebhookRequest(workspace, {VISITOR_HEADER: visitor}, b""))
    except BadSignature as refused:
        await websocket.close(code=CLOSE_BAD_VISITOR, reason=str(refused))
        return
    identity = Identity(channel=CHANNEL, external_id=visitor)
    language = normalise_lang(lang) if lang else ""
    contact_id = await asyncio.to_thread(identify, rt, workspace, identity, language)
    if contact_id is None:
        await websocket.close(code=CLOSE_UNKNOWN_WORKSPACE, reason="unknown workspace")
        return
    await websocket.accept()
    session = _Connection(rt, websocket, workspace, visitor, contact_id, lang)
    await session.run(after)


class _Connection:
    """One browser tab: a pusher task sends new messages, the receive loop handles frames.

    Both deliver through `_flush`, which sends everything after the tab's cursor exactly
    once, so replies always precede the "typing off" that ends a turn.
    """

    def __init__(
        self, rt: Runtime, socket: WebSocket, workspace_id: str, visitor: str, contact_id: str, lang: str
    ) -> None:
        self.rt, self.socket = rt, socket
        self.workspace_id, self.visitor, self.contact_id, self.lang = workspace_id, visitor, contact_id, lang
        self.send_lock = asyncio.Lock()
        self.flush_lock = asyncio.Lock()
        self.cursor = 0
        #: The notifier's count of announcements for this contact when the last delivery began.
        self.delivered = 0

    async def run(self, after: int) -> None:
        self.cursor = after
        signal = self.rt.live.subscribe(self.workspace_id, self.contact_id)
        pusher = asyncio.create_task(self._push(signal))
        try:
            await self._receive()
        except WebSocketDisconnect:
            pass
        finally:
            pusher.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await pusher
            self.rt.live.unsubscribe(self.workspace_id, self.contact_id, signal)

    async def _send(self, frame: ServerFrame) -> None:
        async with self.send_lock:
            await self.socket.send_text(frame.model_dump_json(exclude_none=True))

    async def _push(self, signal: asyncio.Event) -> None:
        """Sends what is new, then sleeps until there is more (or 15 s, as a safety net)."""
        while True:
            signal.clear()
            await self._flush()
            await self._news(signal)

    async def _news(self, signal: asyncio.Event, patience: float = 15.0) -> None:
        """Returns on an announcement this tab has not delivered yet. The tab's own turn is
        announced too, but the receive loop has delivered it already: that signal is let
        pass without reading the history again."""
        deadline = asyncio.get_running_loop().time() + patience
        while (remaining := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                await asyncio.wait_for(signal.wait(), timeout=remaining)
            except TimeoutError:
                return
            signal.clear()
            if self._announced() > self.delivered:
                return

    def _announced(self) -> int:
        return self.rt.live.announced(self.workspace_id, self.contact_id)

    async def _flush(self) -> None:
        async with self.flush_lock:
            announced = self._announced()
            rows = await asyncio.to_thread(history, self.rt, self.workspace_id, self.contact_id, self.cursor)
            self.delivered = max(self.delivered, announced)
            for row in rows:
                await self._send(_message_frame(row))
                self.cursor = row.cursor
            self.rt.receipts.add(CHANNEL, (r.cursor for r in rows if r.direction == "out"))

    async def _receive(self) -> None:
        while True:
            received = await self.socket.receive()
            if received.get("type") == "websocket.disconnect":
                raise WebSocketDisconnect(int(received.get("code") or 1000))
            try:
                frame = parse_frame(_text_of(received))
            except BadFrame as bad:
                message = Translator(supported_lang(self.lang) or "en")(NOT_SENT)
                await self._send(ErrorFrame(reason=bad.reason, id=bad.frame_id, message=message))
                continue
            event = to_event(frame, self.workspace_id, self.visitor, self.lang, self.rt.clock())
            accepted = await asyncio.to_thread(accept, self.rt, event, self.contact_id)
            await self._send(AckFrame(id=frame.id))
            if not accepted.duplicate:
                await self._send(TypingFrame(on=True))
            # A resent frame may be one whose processing was cut short: pending events only run once.
            await asyncio.to_thread(process_contact, self.rt, self.workspace_id, accepted.contact_id)
            await self._flush()
            if not accepted.duplicate:
                await self._send(TypingFrame(on=False))


def _message_frame(row: StoredMessage) -> MessageOut:
    """The customer's own messages carry the id their frame had, so the tab that sent one
    matches its pending bubble by id, never by text."""
    frame_id = row.platform_message_id if row.direction == "in" and row.channel == CHANNEL else None
    return MessageOut(
        seq=row.cursor, direction=row.direction, message=row.body, author=row.author, id=frame_id
    )


def _text_of(received: Mapping[str, Any]) -> str:
    """The frame's text; binary frames are refused (the protocol is JSON text frames)."""
    text = received.get("text")
    if not isinstance(text, str):
        raise BadFrame("binary frames are not accepted; send JSON text frames")
    return text
