"""One turn of a conversation: the inputs a skill reads and the replies it builds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from chatcart.core.money import Money
from chatcart.engine.flows import FlowBook
from chatcart.engine.ports import Shop
from chatcart.engine.state import ConversationState
from chatcart.i18n.catalogue import Translator
from chatcart.messaging.outbound import Button, OutboundMessage, QuickReply, buttons, text
from chatcart.nlu.interface import Understanding


@dataclass
class Turn:
    shop: Shop
    state: ConversationState
    flows: FlowBook
    tr: Translator
    now: datetime
    new_token: Callable[[], str]
    understanding: Understanding | None = None
    replies: list[OutboundMessage] = field(default_factory=list)

    @property
    def lang(self) -> str:
        return self.tr.lang

    def say(self, msgid: str, quick_replies: list[QuickReply] | None = None, **params: Any) -> None:
        self.replies.append(text(self.tr(msgid, **params), quick_replies))

    def say_with_buttons(
        self, msgid: str, items: list[Button], quick_replies: list[QuickReply] | None = None, **params: Any
    ) -> None:
        self.replies.append(buttons(self.tr(msgid, **params), items, quick_replies))

    def send(self, message: OutboundMessage) -> None:
        self.replies.append(message)

    def button(self, name: str) -> QuickReply:
        """A named button of the flows (browse, cart, human…), translated."""
        spec = self.flows.buttons[name]
        return QuickReply(title=self.tr(spec.title), payload=spec.payload)

    def buttons_named(self, *names: str) -> list[QuickReply]:
        return [self.button(name) for name in names]

    def quick(self, msgid: str, payload: str, **params: Any) -> QuickReply:
        return QuickReply(title=self.tr(msgid, **params), payload=payload)

    def menu_replies(self) -> list[QuickReply]:
        return self.buttons_named(*self.flows.menu.quick_replies)

    def money(self, amount: Money | None) -> str:
        return amount.format(self.lang) if amount is not None else ""
