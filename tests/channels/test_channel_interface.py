"""The channel interface as the web chat implements it, and postbacks kept short for
platforms that cap them (Telegram's callback_data is 64 bytes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chatcart.channels.base import BadPayload, BadSignature, WebhookRequest, fit_postbacks
from chatcart.channels.webchat.channel import LANG_HEADER, VISITOR_HEADER, WebChatChannel
from chatcart.demo.loader import ensure_demo
from chatcart.messaging.inbound import EventKind
from chatcart.messaging.outbound import Button, ProductCard, QuickReply, carousel, text
from chatcart.services.postbacks import expand, shorten
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import create_workspace

NOW = datetime(2026, 3, 2, tzinfo=UTC)
VISITOR = {VISITOR_HEADER: "visitor-1234", LANG_HEADER: "zh-TW"}


def test_the_web_chat_refuses_a_frame_without_a_valid_visitor() -> None:
    with pytest.raises(BadSignature):
        WebChatChannel().verify(WebhookRequest("demo", {VISITOR_HEADER: "x"}, b"{}"))
    WebChatChannel().verify(WebhookRequest("demo", VISITOR, b"{}"))


def test_the_web_chat_parses_a_frame_into_one_normalised_event() -> None:
    body = b'{"type":"postback","id":"f-1","payload":"BUY:TEA-001","title":"Buy"}'
    (event,) = WebChatChannel().parse(WebhookRequest("demo", VISITOR, body), NOW)
    assert (event.kind, event.event_id, event.payload, event.lang_hint) == (
        EventKind.POSTBACK,
        "visitor-1234:f-1",
        "BUY:TEA-001",
        "zh-TW",
    )
    assert (event.sender.channel, event.sender.external_id) == ("webchat", "visitor-1234")


def test_a_malformed_frame_is_a_bad_payload_with_a_reason() -> None:
    with pytest.raises(BadPayload, match="text"):
        WebChatChannel().parse(WebhookRequest("demo", VISITOR, b'{"type":"message","id":"f-2"}'), NOW)


def test_long_payloads_are_shortened_and_short_ones_kept() -> None:
    long_payload = "CONFIRM:" + "x" * 80
    message = carousel(
        [
            ProductCard(
                product_id="P",
                title="T",
                price="1",
                currency="TWD",
                price_text="NT$1",
                buttons=[Button(title="Buy", payload=long_payload)],
            )
        ],
        [QuickReply(title="Menu", payload="MENU")],
    )
    fitted = fit_postbacks(message, 64, lambda p: f"~ref{len(p)}")
    assert fitted.cards[0].buttons[0].payload == "~ref88"
    assert fitted.quick_replies[0].payload == "MENU"
    assert message.cards[0].buttons[0].payload == long_payload, "the original message is unchanged"
    assert fit_postbacks(text("hi"), 64, lambda p: "~") == text("hi")


def test_a_shortened_postback_comes_back_whole_in_its_own_workspace_only(sqlite_runtime: Runtime) -> None:
    ensure_demo(sqlite_runtime)
    create_workspace(sqlite_runtime, "other", name="Other", lang="en")
    payload = "CONFIRM:" + "t" * 100
    reference = shorten(sqlite_runtime, "demo", payload)
    assert len(reference.encode()) <= 64
    assert expand(sqlite_runtime, "demo", reference) == payload
    assert expand(sqlite_runtime, "other", reference) is None, "a reference does not cross workspaces"
    assert expand(sqlite_runtime, "demo", "~unknown") is None
    assert expand(sqlite_runtime, "demo", "MENU") == "MENU"
