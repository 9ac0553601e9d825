"""The web chat as an outbox channel, on SQLite and PostgreSQL: a reply is a stored row with
its idempotency key, pushed to the tab once and marked sent; a reply stored while no tab was
connected (or just before a crash) is delivered once after the reconnect; the customer's own
message comes back with its frame id; a refused frame is explained in the customer's language."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from chatcart.messaging.inbound import EventKind, Identity, InboundEvent
from chatcart.services.conversations import accept, process_contact
from chatcart.services.runtime import Runtime
from chatcart.storage.tables import MessageRow

from .conftest import chat, exchange, history, messages, new_visitor, receive

pytestmark = pytest.mark.timeout(120)


def text_frame(text: str) -> dict[str, Any]:
    return {"type": "message", "id": uuid.uuid4().hex, "text": text}


def outbox(rt: Runtime) -> list[MessageRow]:
    with rt.db.transaction() as session:
        return list(
            session.scalars(select(MessageRow).where(MessageRow.direction == "out").order_by(MessageRow.id))
        )


def test_the_echo_carries_the_frame_id_and_replies_are_sent_once_and_marked(
    client: TestClient, runtime: Runtime
) -> None:
    visitor = new_visitor(client)
    frame = text_frame("oolong tea")
    with chat(client, visitor) as ws:
        frames = exchange(ws, runtime, visitor.visitor, frame)
    echo = messages(frames, "in")
    assert [e["id"] for e in echo] == [frame["id"]], "the tab matches its pending bubble by id"
    replies = messages(frames, "out")
    assert replies and len({r["seq"] for r in replies}) == len(replies), "each reply pushed once"
    runtime.receipts.flush()
    stored = outbox(runtime)
    assert [r.id for r in stored] == [r["seq"] for r in replies]
    assert all(r.status == "sent" and r.idempotency_key for r in stored), [
        (r.status, r.idempotency_key) for r in stored
    ]


def test_a_reply_stored_while_no_tab_was_open_is_delivered_once_after_the_reconnect(
    client: TestClient, runtime: Runtime
) -> None:
    visitor = new_visitor(client)
    with chat(client, visitor) as ws:
        first = exchange(ws, runtime, visitor.visitor, text_frame("hello"))
    cursor = max(f["seq"] for f in messages(first))
    # The process stored the turn's replies and died before pushing them: the event went
    # through the inbox and was processed while no socket was there to send to.
    late = InboundEvent(
        workspace_id="demo",
        event_id="late-1",
        kind=EventKind.MESSAGE,
        sender=Identity(channel="webchat", external_id=visitor.visitor),
        received_at=runtime.clock(),
        text="oolong tea",
        lang_hint="en",
    )
    process_contact(runtime, "demo", accept(runtime, late).contact_id)
    queued = [r for r in outbox(runtime) if r.id > cursor]
    assert queued and all(r.status == "queued" for r in queued), "stored, not yet handed to any tab"

    with chat(client, visitor, after=cursor) as ws:
        replayed = [receive(ws) for _ in range(len(queued) + 1)]
    assert [f["seq"] for f in replayed if f["type"] == "message"] == [cursor + 1, *[r.id for r in queued]]
    stored_after = [seq for seq, _d, _b in history(runtime, visitor.visitor)]
    assert stored_after == sorted(set(stored_after)), "nothing was stored twice"
    runtime.receipts.flush()
    assert all(r.status == "sent" for r in outbox(runtime) if r.id > cursor)


def test_a_refused_frame_is_explained_to_the_customer_in_their_language(
    client: TestClient, runtime: Runtime
) -> None:
    with chat(client, new_visitor(client), lang="zh-TW") as ws:
        ws.send_json({"type": "message", "id": "bad id with spaces", "text": "hi"})
        error = receive(ws)
    assert error["type"] == "error" and "id" in error["reason"], error
    assert error["message"] == "很抱歉，這則訊息無法送出，請再試一次。"
