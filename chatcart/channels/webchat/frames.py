"""The web chat widget's frames, validated: what the browser may send, and what a bad
frame is told (docs/widget.md is the contract)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, TypeAdapter, ValidationError

from chatcart.messaging.inbound import EventKind, Identity, InboundEvent

CHANNEL = "webchat"
#: Larger frames are refused outright; the engine answers long-but-sane texts itself.
MAX_FRAME_BYTES = 16_384
FrameId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.:-]+$")]


class MessageFrame(BaseModel):
    type: Literal["message"]
    id: FrameId
    text: str = Field(max_length=10_000)


class PostbackFrame(BaseModel):
    type: Literal["postback"]
    id: FrameId
    payload: str = Field(min_length=1, max_length=300)
    title: str = Field(default="", max_length=300)


class OpenFrame(BaseModel):
    type: Literal["open"]
    id: FrameId
    product: str = Field(default="", max_length=128)


class HelloFrame(BaseModel):
    """The first frame of every socket: the session token the server issued (session.py)."""

    type: Literal["hello"]
    token: str = Field(min_length=1, max_length=200)


class AckFrame(BaseModel):
    """The frame `id` is stored; it will be processed even if the connection drops now."""

    type: Literal["ack"] = "ack"
    id: str


class ErrorFrame(BaseModel):
    """A frame refused for good: `reason` for developers, `message` for the customer."""

    type: Literal["error"] = "error"
    reason: str
    message: str
    id: str | None = None


class TypingFrame(BaseModel):
    type: Literal["typing"] = "typing"
    on: bool


class MessageOut(BaseModel):
    """One message of the history; `id` is the client frame id of the customer's own ones."""

    type: Literal["message"] = "message"
    seq: int
    direction: Literal["in", "out"] | str
    message: dict[str, Any]
    author: str
    id: str | None = None


ServerFrame = AckFrame | ErrorFrame | TypingFrame | MessageOut
ClientFrame = Annotated[MessageFrame | PostbackFrame | OpenFrame, Field(discriminator="type")]
_FRAME = TypeAdapter(ClientFrame)
_HELLO = TypeAdapter(HelloFrame)


class BadFrame(ValueError):
    """A frame the widget should not resend: `frame_id` when it could be read."""

    def __init__(self, reason: str, frame_id: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.frame_id = frame_id


def parse_frame(raw: str) -> MessageFrame | PostbackFrame | OpenFrame:
    if len(raw.encode()) > MAX_FRAME_BYTES:
        raise BadFrame(f"frame larger than {MAX_FRAME_BYTES} bytes")
    try:
        return _FRAME.validate_json(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ()))
        raise BadFrame(f"invalid frame: {where}: {first.get('msg')}", _frame_id(raw)) from None


def parse_hello(raw: str) -> HelloFrame | None:
    """The socket's opening frame, or None when it is anything else."""
    if len(raw.encode()) > MAX_FRAME_BYTES:
        return None
    try:
        return _HELLO.validate_json(raw)
    except ValidationError:
        return None


def event_id_of(visitor: str, frame_id: str) -> str:
    """The inbox's de-duplication key: frame ids are chosen by browsers, so they are unique
    only per sender; two visitors sending the same id are two events."""
    return f"{visitor}:{frame_id}"


def frame_id_of(event_id: str) -> str:
    """The frame id inside an inbox key (`event_id_of`); a key without a visitor is returned whole."""
    _visitor, separator, frame_id = event_id.partition(":")
    return frame_id if separator else event_id


def _frame_id(raw: str) -> str | None:
    try:
        value = TypeAdapter(dict[str, object]).validate_json(raw).get("id")
    except ValidationError:
        return None
    return value if isinstance(value, str) else None


def to_event(
    frame: MessageFrame | PostbackFrame | OpenFrame, workspace_id: str, visitor: str, lang: str, now: datetime
) -> InboundEvent:
    sender = Identity(channel=CHANNEL, external_id=visitor)
    common = {
        "workspace_id": workspace_id,
        "event_id": event_id_of(visitor, frame.id),
        "sender": sender,
        "received_at": now,
        "lang_hint": lang,
    }
    if isinstance(frame, MessageFrame):
        return InboundEvent(kind=EventKind.MESSAGE, text=frame.text, **common)
    if isinstance(frame, PostbackFrame):
        return InboundEvent(kind=EventKind.POSTBACK, payload=frame.payload, title=frame.title, **common)
    return InboundEvent(kind=EventKind.OPEN, payload=frame.product, **common)
