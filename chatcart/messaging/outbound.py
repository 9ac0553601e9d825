"""Outbound messages, independent of any platform. Each channel renders them natively and
degrades what it cannot show (text is the universal fallback)."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class MessageType(StrEnum):
    TEXT = "text"
    CARDS = "cards"
    BUTTONS = "buttons"
    IMAGE = "image"


class QuickReply(BaseModel):
    title: str
    payload: str


class Button(BaseModel):
    """A button either sends a postback `payload` or opens `url`."""

    title: str
    payload: str | None = None
    url: str | None = None


class ProductCard(BaseModel):
    product_id: str
    title: str
    subtitle: str = ""
    price: str
    currency: str
    price_text: str
    image_url: str = ""
    url: str = ""
    buttons: list[Button] = Field(default_factory=list)


class OutboundMessage(BaseModel):
    type: MessageType = MessageType.TEXT
    text: str | None = None
    quick_replies: list[QuickReply] = Field(default_factory=list)
    cards: list[ProductCard] = Field(default_factory=list)
    buttons: list[Button] = Field(default_factory=list)
    image_url: str | None = None

    def with_quick_replies(self, replies: list[QuickReply]) -> OutboundMessage:
        return self.model_copy(update={"quick_replies": replies})


def text(body: str, quick_replies: list[QuickReply] | None = None) -> OutboundMessage:
    return OutboundMessage(type=MessageType.TEXT, text=body, quick_replies=quick_replies or [])


def buttons(body: str, items: list[Button], quick_replies: list[QuickReply] | None = None) -> OutboundMessage:
    return OutboundMessage(
        type=MessageType.BUTTONS, text=body, buttons=items, quick_replies=quick_replies or []
    )


def carousel(cards: list[ProductCard], quick_replies: list[QuickReply] | None = None) -> OutboundMessage:
    return OutboundMessage(type=MessageType.CARDS, cards=cards, quick_replies=quick_replies or [])
