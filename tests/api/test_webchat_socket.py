"""The web chat WebSocket (docs/widget.md) on SQLite and PostgreSQL: greeting, acks, echoes
and replies, de-duplication of resent frames, refusal of malformed frames, close codes, and
replay after a reconnect."""

from __future__ import annotations

import itertools
import json
import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from chatcart.services.runtime import Runtime
from chatcart.storage.tables import InboxRow, MessageRow

from .conftest import (
    assert_quiet,
    chat,
    count,
    exchange,
    history,
    messages,
    new_visitor,
    receive,
    receive_until_seq,
    socket_url,
)

pytestmark = pytest.mark.timeout(120)


def frame_id() -> str:
    return uuid.uuid4().hex


def open_frame() -> dict[str, Any]:
    return {"type": "open", "id": frame_id()}


def text_frame(text: str) -> dict[str, Any]:
    return {"type": "message", "id": frame_id(), "text": text}


def seqs(frames: list[dict[str, Any]]) -> list[int]:
    return [f["seq"] for f in messages(frames)]


def greet(ws: Any, runtime: Runtime, visitor: str) -> list[dict[str, Any]]:
    return exchange(ws, runtime, visitor, open_frame())


def test_an_open_frame_is_answered_with_the_welcome(client: TestClient, runtime: Runtime) -> None:
    visitor = new_visitor(client)
    with chat(client, visitor) as ws:
        frame = open_frame()
        frames = exchange(ws, runtime, visitor.visitor, frame)
    assert frames[0] == {"type": "ack", "id": frame["id"]}
    welcome = messages(frames)
    assert welcome, frames
    assert all(m["direction"] == "out" for m in welcome)
    assert len(welcome) <= 3
    assert "Island Select" in welcome[0]["message"]["text"]
    assert welcome[-1]["message"]["quick_replies"], welcome[-1]
    assert seqs(frames) == sorted(set(seqs(frames)))


def test_a_message_is_acked_echoed_and_answered(client: TestClient, runtime: Runtime) -> None:
    visitor = new_visitor(client)
    with chat(client, visitor) as ws:
        greet(ws, runtime, visitor.visitor)
        frame = text_frame("hello")
        frames = exchange(ws, runtime, visitor.visitor, frame)
    assert frames[0] == {"type": "ack", "id": frame["id"]}
    typing = [f for f in frames if f["type"] == "typing"]
    assert typing == [{"type": "typing", "on": True}, {"type": "typing", "on": False}]
    assert frames.index({"type": "typing", "on": True}) < min(
        i for i, f in enumerate(frames) if f["type"] == "message"
    )
    replies = messages(frames)
    assert replies[0]["direction"] == "in"
    assert replies[0]["message"]["text"] == "hello"
    assert [m["direction"] for m in replies[1:]] == ["out"] * (len(replies) - 1)
    assert len(replies) >= 2
    assert seqs(frames) == sorted(set(seqs(frames)))
    stored = [seq for seq, _direction, _body in history(runtime, visitor.visitor)]
    assert seqs(frames) == stored[-len(replies) :]


def test_a_resent_frame_is_acked_again_but_processed_once(client: TestClient, runtime: Runtime) -> None:
    visitor = new_visitor(client)
    frame = text_frame("hello")
    with chat(client, visitor) as ws:
        greet(ws, runtime, visitor.visitor)
        exchange(ws, runtime, visitor.visitor, frame)
        stored = (count(runtime, InboxRow), history(runtime, visitor.visitor))
        ws.send_json(frame)
        assert receive(ws) == {"type": "ack", "id": frame["id"]}
        assert_quiet(ws, 0.5)
    assert (count(runtime, InboxRow), history(runtime, visitor.visitor)) == stored

    # The widget may resend it on a new connection too: still acknowledged, still once.
    with chat(client, visitor, after=stored[1][-1][0]) as ws:
        ws.send_json(frame)
        assert receive(ws) == {"type": "ack", "id": frame["id"]}
        assert_quiet(ws, 0.5)
    assert (count(runtime, InboxRow), history(runtime, visitor.visitor)) == stored

    with chat(client, visitor) as ws:
        replay = receive_until_seq(ws, stored[1][-1][0])
    echoes = [m for m in messages(replay, "in") if m["message"]["text"] == "hello"]
    assert len(echoes) == 1


def _long_chinese_text() -> str:
    text = "請問" * 3_000  # 6,000 characters, but 18,000 bytes
    assert len(text) <= 10_000
    return text


MALFORMED = {
    "not JSON": ("this is not json", None),
    "JSON but not an object": ("[1, 2, 3]", None),
    "unknown type": (json.dumps({"type": "shout", "id": "frame-1", "text": "hi"}), "frame-1"),
    "missing id": (json.dumps({"type": "message", "text": "hi"}), None),
    "empty id": (json.dumps({"type": "message", "id": "", "text": "hi"}), ""),
    "missing text": (json.dumps({"type": "message", "id": "frame-2"}), "frame-2"),
    "text over 10,000 chars": (
        json.dumps({"type": "message", "id": "frame-3", "text": "x" * 10_001}),
        "frame-3",
    ),
    "frame over 16 KB": (
        json.dumps({"type": "message", "id": "frame-4", "text": "x" * 9_000, "pad": "y" * 8_000}),
        None,
    ),
    "frame over 16 KB in bytes": (
        json.dumps({"type": "message", "id": "frame-5", "text": _long_chinese_text()}, ensure_ascii=False),
        None,
    ),
    "empty postback": (json.dumps({"type": "postback", "id": "frame-6", "payload": ""}), "frame-6"),
}


@pytest.mark.parametrize(("raw", "expected_id"), list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_frame_gets_an_error_and_nothing_is_stored(
    client: TestClient, runtime: Runtime, raw: str, expected_id: str | None
) -> None:
    """The error names the frame when its id could be read, so the widget drops it."""
    visitor = new_visitor(client)
    with chat(client, visitor) as ws:
        ws.send_text(raw)
        error = receive(ws)
        assert error["type"] == "error"
        assert isinstance(error["reason"], str) and error["reason"]
        assert error.get("id") == expected_id
        assert_quiet(ws)
        assert count(runtime, InboxRow) == 0
        assert count(runtime, MessageRow) == 0
        # The connection stays usable.
        assert messages(greet(ws, runtime, visitor.visitor))
    assert count(runtime, InboxRow) == 1


def test_a_binary_frame_gets_an_error_and_the_connection_stays_usable(
    client: TestClient, runtime: Runtime
) -> None:
    visitor = new_visitor(client)
    with chat(client, visitor) as ws:
        ws.send_bytes(json.dumps(text_frame("hi")).encode())
        error = receive(ws)
        assert error["type"] == "error" and "text frames" in error["reason"]
        assert count(runtime, InboxRow) == 0
        assert messages(greet(ws, runtime, visitor.visitor))


def test_a_text_of_exactly_10000_characters_is_accepted(client: TestClient, runtime: Runtime) -> None:
    visitor = new_visitor(client)
    with chat(client, visitor) as ws:
        frame = text_frame("a" * 10_000)
        frames = exchange(ws, runtime, visitor.visitor, frame)
    assert frames[0] == {"type": "ack", "id": frame["id"]}
    assert messages(frames, "in")[0]["message"]["text"] == "a" * 10_000
    assert messages(frames, "out")


def test_an_unknown_workspace_is_accepted_then_closed_with_4404(client: TestClient, runtime: Runtime) -> None:
    """A refused handshake reaches a browser as HTTP 403 with close code 1006, which the
    widget retries for ever; 4404 after the handshake tells it to stop (docs/widget.md)."""
    with (
        client.websocket_connect(socket_url(workspace="nowhere")) as ws,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        ws.receive_text()
    assert closed.value.code == 4404
    assert count(runtime, InboxRow) == 0


def test_a_reconnect_replays_only_newer_messages(client: TestClient, runtime: Runtime) -> None:
    visitor = new_visitor(client)
    with chat(client, visitor) as ws:
        seen = seqs(greet(ws, runtime, visitor.visitor))
    last_seen = seen[-1]
    # Messages the tab missed: the customer wrote from another tab meanwhile.
    with chat(client, visitor, after=last_seen) as other_tab:
        newer = seqs(exchange(other_tab, runtime, visitor.visitor, text_frame("hello")))
    assert newer and min(newer) > last_seen

    with chat(client, visitor, after=last_seen) as ws:
        replay = receive_until_seq(ws, newer[-1])
        assert_quiet(ws)
    assert seqs(replay) == newer
    assert messages(replay, "in")[0]["message"]["text"] == "hello"


def test_a_connection_with_after_0_replays_the_history_in_order(client: TestClient, runtime: Runtime) -> None:
    visitor = new_visitor(client)
    with chat(client, visitor) as ws:
        greet(ws, runtime, visitor.visitor)
        exchange(ws, runtime, visitor.visitor, text_frame("hello"))
        exchange(
            ws,
            runtime,
            visitor.visitor,
            {"type": "postback", "id": frame_id(), "payload": "BROWSE", "title": "Browse products"},
        )
    stored = history(runtime, visitor.visitor)

    with chat(client, visitor) as ws:
        replay = receive_until_seq(ws, stored[-1][0])
        assert_quiet(ws)
    assert all(f["type"] == "message" for f in replay)
    order = seqs(replay)
    assert all(a < b for a, b in itertools.pairwise(order))
    assert [(f["seq"], f["direction"], f["message"]) for f in replay] == stored
    assert [m["message"]["text"] for m in messages(replay, "in")] == ["hello", "Browse products"]
