"""The web chat channel: a WebSocket per browser tab, the widget's config, and replay.

A visitor is who the server says it is: `POST /session` mints a visitor id and a signed
token (session.py), and a socket serves a visitor only after its first frame presents that
token. A frame is acknowledged only after it is stored in the inbox; processing follows, and
the replies reach every tab of the visitor through the notifier and the message history.
The history is the outbox: a reply a tab has been sent is marked `sent` (in batches, off the
turn's path); a tab that reconnects replays everything after its cursor, so a reply stored
before a crash or a lost connection is still delivered, once per tab.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from fastapi.responses import JSONResponse
from starlette.requests import Request

from chatcart.channels.webchat.frames import (
    CHANNEL,
    AckFrame,
    BadFrame,
    ErrorFrame,
    MessageOut,
    ServerFrame,
    TypingFrame,
    frame_id_of,
    parse_frame,
    parse_hello,
    to_event,
)
from chatcart.channels.webchat.session import SessionLimiter, SessionSigner
from chatcart.core.text import pick
from chatcart.i18n.catalogue import N_, Translator, language_tag, normalise_lang, supported_lang
from chatcart.messaging.inbound import Identity
from chatcart.services.contacts import find_contact
from chatcart.services.conversations import accept, process_contact
from chatcart.services.history import StoredMessage, history
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import find_workspace

log = logging.getLogger(__name__)
router = APIRouter(prefix="/channels/webchat", tags=["webchat"])
#: Close codes (docs/widget.md); the widget never retries 4400-4499 as they are.
CLOSE_UNKNOWN_WORKSPACE = 4404
#: No valid session token in the first frame: the widget forgets its session and asks for a new one.
CLOSE_NO_SESSION = 4401
#: How long a new socket may take to send its session token.
HELLO_TIMEOUT_S = 10.0
#: Message cursors are database integers (BIGINT).
MAX_CURSOR = 2**63 - 1
CORS = {"Access-Control-Allow-Origin": "*"}
NOT_SENT = N_("Sorry, that message could not be sent. Please try again.")
BAD_CURSOR = N_("Some earlier messages could not be loaded. Showing the whole conversation.")


def _runtime(request: Request | WebSocket) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


def _limiter(request: Request) -> SessionLimiter:
    """The app's allowance of new sessions (api/app.py sets it from the settings)."""
    limiter: SessionLimiter = request.app.state.webchat_sessions
    return limiter


@router.get("/config")
def widget_config(request: Request, workspace: str, lang: str = "") -> JSONResponse:
    """The widget's strings in the visitor's language (the widget hard-codes none). A
    language the server does not speak, or that is not a language tag at all, gets the
    shop's language: the widget keeps working whatever its page says."""
    found = find_workspace(_runtime(request), workspace)
    if found is None:
        return JSONResponse({"error": "unknown workspace"}, status_code=404, headers=CORS)
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
    return JSONResponse(body, headers=CORS)


@router.post("/session")
async def new_session(request: Request, workspace: str) -> JSONResponse:
    """A new visitor id and its token. Mints no contact (that waits for a first message);
    limited per client address so no one client can create visitors by the thousand."""
    rt = _runtime(request)
    if await asyncio.to_thread(find_workspace, rt, workspace) is None:
        return JSONResponse({"error": "unknown workspace"}, status_code=404, headers=CORS)
    address = request.client.host if request.client else "unknown"
    limiter = _limiter(request)
    if not limiter.allow(address):
        headers = {**CORS, "Retry-After": str(limiter.retry_after(address))}
        return JSONResponse({"error": "too many new sessions"}, status_code=429, headers=headers)
    session = SessionSigner(rt.secret_key).issue(workspace)
    return JSONResponse({"visitor": session.visitor, "token": session.token}, headers=CORS)


@router.websocket("/ws")
async def chat_socket(websocket: WebSocket, workspace: str = "", lang: str = "", after: str = "0") -> None:
    """Accepted first, so every refusal reaches the widget as a close code it understands
    (a refused handshake is only an HTTP 403, which browsers report as a network error)."""
    rt = _runtime(websocket)
    await websocket.accept()
    if await asyncio.to_thread(find_workspace, rt, workspace) is None:
        await websocket.close(code=CLOSE_UNKNOWN_WORKSPACE, reason="unknown workspace")
        return
    visitor = await _authenticate(websocket, rt, workspace)
    if visitor is None:
        return
    identity = Identity(channel=CHANNEL, external_id=visitor)
    contact_id = await asyncio.to_thread(find_contact, rt, workspace, identity)
    language = normalise_lang(lang) if language_tag(lang) else ""
    await _Connection(rt, websocket, workspace, visitor, contact_id, language).run(_cursor(after))


async def _authenticate(websocket: WebSocket, rt: Runtime, workspace: str) -> str | None:
    """The visitor whose token the first frame carries; closes the socket and returns None
    when there is none in time, or it is not one this server signed for this workspace."""
    try:
        first = await asyncio.wait_for(websocket.receive(), timeout=HELLO_TIMEOUT_S)
    except TimeoutError:
        await websocket.close(code=CLOSE_NO_SESSION, reason="no session token")
        return None
    if first.get("type") == "websocket.disconnect":
        return None
    text = first.get("text")
    hello = parse_hello(text) if isinstance(text, str) else None
    visitor = SessionSigner(rt.secret_key).visitor_of(workspace, hello.token) if hello else None
    if visitor is None:
        await websocket.close(code=CLOSE_NO_SESSION, reason="invalid session token")
    return visitor


def _cursor(after: str) -> int | None:
    """The replay cursor, or None when `after` is not a whole number a cursor can be."""
    text = after.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(MAX_CURSOR)):
        return None
    value = int(text)
    return value if value <= MAX_CURSOR else None


class _Connection:
    """One browser tab: a pusher task sends new messages, the receive loop handles frames.

    Both deliver through `_flush`, which sends everything after the tab's cursor exactly
    once, so replies always precede the "typing off" that ends a turn. A visitor who has
    never written has no contact yet: the pusher starts with the first stored frame.
    """

    def __init__(
        self,
        rt: Runtime,
        socket: WebSocket,
        workspace_id: str,
        visitor: str,
        contact_id: str | None,
        lang: str,
    ) -> None:
        self.rt, self.socket = rt, socket
        self.workspace_id, self.visitor, self.contact_id, self.lang = workspace_id, visitor, contact_id, lang
        self.send_lock = asyncio.Lock()
        self.flush_lock = asyncio.Lock()
        self.cursor = 0
        #: The notifier's count of announcements for this contact when the last delivery began.
        self.delivered = 0
        self.pusher: asyncio.Task[None] | None = None
        self.signal: asyncio.Event | None = None

    async def run(self, after: int | None) -> None:
        """Serves the tab from cursor `after`; None (an `after` that is no cursor) is told
        so and replays everything: the widget ignores what it has rendered already."""
        self.cursor = after or 0
        try:
            if after is None:
                await self.refuse(f"invalid after: an integer from 0 to {MAX_CURSOR}", BAD_CURSOR)
            self._start_pushing()
            await self._receive()
        except WebSocketDisconnect:
            pass
        finally:
            await self._stop_pushing()

    async def refuse(self, reason: str, msgid: str, frame_id: str | None = None) -> None:
        """An error frame: `reason` for developers, `msgid` translated for the visitor."""
        message = Translator(supported_lang(self.lang) or "en")(msgid)
        await self._send(ErrorFrame(reason=reason, id=frame_id, message=message))

    def _start_pushing(self) -> None:
        if self.contact_id is None or self.pusher is not None:
            return
        self.signal = self.rt.live.subscribe(self.workspace_id, self.contact_id)
        self.pusher = asyncio.create_task(self._push(self.signal))

    async def _stop_pushing(self) -> None:
        if self.pusher is None or self.signal is None or self.contact_id is None:
            return
        self.pusher.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.pusher
        self.rt.live.unsubscribe(self.workspace_id, self.contact_id, self.signal)

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
        return self.rt.live.announced(self.workspace_id, self.contact_id) if self.contact_id else 0

    async def _flush(self) -> None:
        if self.contact_id is None:
            return
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
                await self.refuse(bad.reason, NOT_SENT, bad.frame_id)
                continue
            event = to_event(frame, self.workspace_id, self.visitor, self.lang, self.rt.clock())
            # The first frame a visitor sends creates its contact (a connection alone never does).
            accepted = await asyncio.to_thread(accept, self.rt, event, self.contact_id)
            self.contact_id = accepted.contact_id
            await self._send(AckFrame(id=frame.id))
            if not accepted.duplicate:
                await self._send(TypingFrame(on=True))
            # A resent frame may be one whose processing was cut short: pending events only run once.
            await asyncio.to_thread(process_contact, self.rt, self.workspace_id, accepted.contact_id)
            await self._flush()
            self._start_pushing()
            if not accepted.duplicate:
                await self._send(TypingFrame(on=False))


def _message_frame(row: StoredMessage) -> MessageOut:
    """The customer's own messages carry the id their frame had, so the tab that sent one
    matches its pending bubble by id, never by text."""
    own = row.direction == "in" and row.channel == CHANNEL
    frame_id = frame_id_of(row.platform_message_id) if own else None
    return MessageOut(
        seq=row.cursor, direction=row.direction, message=row.body, author=row.author, id=frame_id
    )


def _text_of(received: Mapping[str, Any]) -> str:
    """The frame's text; binary frames are refused (the protocol is JSON text frames)."""
    text = received.get("text")
    if not isinstance(text, str):
        raise BadFrame("binary frames are not accepted; send JSON text frames")
    return text
