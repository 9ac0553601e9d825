"""What a customer sees after a turn: the bot's texts and everything tappable in them
(quick replies, buttons, card buttons), plus the stored step the harness peeks at."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bench.customers.shop import Peek


@dataclass(frozen=True)
class Option:
    """A tappable thing: its title, and the payload a tap sends."""

    title: str
    payload: str


@dataclass(frozen=True)
class BotView:
    texts: tuple[str, ...]
    options: tuple[Option, ...]
    peek: Peek

    @property
    def step(self) -> str | None:
        return self.peek.step

    @property
    def text(self) -> str:
        return "\n".join(t for t in self.texts if t)

    def option(self, payload: str) -> Option | None:
        """The option sending exactly this payload, or starting with it when it ends in ':'."""
        for option in self.options:
            if option.payload == payload or (payload.endswith(":") and option.payload.startswith(payload)):
                return option
        return None

    def option_named(self, payload_name: str) -> Option | None:
        """The first option whose payload is `NAME` or `NAME:…`."""
        for option in self.options:
            if option.payload.split(":", 1)[0] == payload_name:
                return option
        return None

    def titled(self, title: str) -> Option | None:
        for option in self.options:
            if option.title == title:
                return option
        return None


def read_view(replies: list[dict[str, Any]], peek: Peek) -> BotView:
    texts: list[str] = []
    options: list[Option] = []
    for message in replies:
        if message.get("text"):
            texts.append(str(message["text"]))
        tappable = list(message.get("quick_replies") or []) + list(message.get("buttons") or [])
        for card in message.get("cards") or []:
            texts.append(f"[card] {card.get('title', '')} {card.get('price_text', '')}".rstrip())
            tappable += list(card.get("buttons") or [])
        options += [
            Option(str(o.get("title") or ""), str(o["payload"])) for o in tappable if o.get("payload")
        ]
    return BotView(tuple(texts), tuple(options), peek)
