"""Inbound events, independent of any platform: every channel adapter produces these."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel


class EventKind(StrEnum):
    MESSAGE = "message"
    POSTBACK = "postback"
    FOLLOW = "follow"
    UNFOLLOW = "unfollow"
    DELIVERY = "delivery"
    READ = "read"
    COMMENT = "comment"
    REFERRAL = "referral"
    OPEN = "open"


class Identity(BaseModel):
    """Who sent it on which platform: a contact may have several identities."""

    channel: str
    external_id: str


class InboundEvent(BaseModel):
    """One customer action. `event_id` is the platform's id and the de-duplication key."""

    workspace_id: str
    event_id: str
    kind: EventKind
    sender: Identity
    received_at: datetime
    text: str = ""
    payload: str = ""
    title: str = ""
    lang_hint: str = ""
    referral: str = ""
