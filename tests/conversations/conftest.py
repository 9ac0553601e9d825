"""A customer who chats with the demo shop through the whole stack (inbox, engine, storage)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from chatcart.cli.shell import ShellSession
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.storage.migrate import upgrade
from tests.conftest import FakeClock


class Customer:
    """Sends texts and taps buttons; keeps the bot's last replies for assertions."""

    def __init__(self, rt: Runtime, contact: str, lang: str = "en", workspace: str = "demo") -> None:
        self.session = ShellSession(rt, workspace, contact, lang)
        self.replies: list[dict[str, Any]] = []

    def says(self, text: str) -> list[dict[str, Any]]:
        self.replies = self.session.send(json.dumps({"text": text}))
        return self.replies

    def taps(self, payload: str) -> list[dict[str, Any]]:
        self.replies = self.session.send(json.dumps({"postback": payload}))
        return self.replies

    def taps_titled(self, title: str) -> list[dict[str, Any]]:
        """Taps the button or quick reply with this title among the last replies."""
        return self.taps(self.payload_of(title))

    def payload_of(self, title: str) -> str:
        for message in self.replies:
            options = list(message.get("quick_replies") or []) + list(message.get("buttons") or [])
            options += [b for card in message.get("cards") or [] for b in card.get("buttons") or []]
            for option in options:
                if option["title"] == title and option.get("payload"):
                    return str(option["payload"])
        raise AssertionError(f"no button {title!r} in the last replies: {self.text}")

    def payload_starting(self, prefix: str) -> str:
        for message in self.replies:
            options = list(message.get("quick_replies") or []) + list(message.get("buttons") or [])
            options += [b for card in message.get("cards") or [] for b in card.get("buttons") or []]
            for option in options:
                if str(option.get("payload") or "").startswith(prefix):
                    return str(option["payload"])
        raise AssertionError(f"no button with payload {prefix}… in: {self.text}")

    @property
    def text(self) -> str:
        return "\n".join(m.get("text") or "" for m in self.replies)

    def quick_reply_payloads(self) -> list[str]:
        return [q["payload"] for m in self.replies for q in m.get("quick_replies") or []]

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [c for m in self.replies for c in m.get("cards") or []]

    @property
    def card_ids(self) -> list[str]:
        return [c["product_id"] for m in self.replies for c in m.get("cards") or []]

    @property
    def quick_reply_titles(self) -> list[str]:
        return [q["title"] for m in self.replies for q in m.get("quick_replies") or []]

    def url_button(self, title: str) -> str:
        for message in self.replies:
            for button in message.get("buttons") or []:
                if button["title"] == title and button.get("url"):
                    return str(button["url"])
        raise AssertionError(f"no link button {title!r} in: {self.text}")


@contextmanager
def demo_shop_on(sqlite_url: str, clock: FakeClock, understander: str) -> Iterator[Runtime]:
    """The demo shop read by the understander named, whatever the suite runs with: for
    tests whose subject is one understander's behaviour."""
    rt = build_runtime(sqlite_url, "http://shop.test", clock=clock, understander=understander)
    upgrade(rt.db)
    ensure_demo(rt)
    try:
        yield rt
    finally:
        rt.db.dispose()


@pytest.fixture
def shop(sqlite_runtime: Runtime) -> Iterator[Runtime]:
    ensure_demo(sqlite_runtime)
    yield sqlite_runtime


@pytest.fixture
def customer(shop: Runtime) -> Customer:
    return Customer(shop, "alice", "en")


@pytest.fixture
def tw_customer(shop: Runtime) -> Customer:
    return Customer(shop, "mei", "zh-TW")


__all__ = ["Customer", "FakeClock"]
