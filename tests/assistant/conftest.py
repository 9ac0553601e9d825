"""A fake OpenAI-compatible endpoint on loopback that replays scripted chat completions
(some with tool calls, some hostile) and records every request, and a demo shop whose
runtime is configured to use it, as `CHATCART_LLM_*` would."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import select

from chatcart.assistant.endpoint import Endpoint
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.storage.migrate import upgrade
from chatcart.storage.tables import ContactRow, ConversationRow, IdentityRow, OrderRow
from tests.conftest import UNDERSTANDER, FakeClock
from tests.conversations.conftest import Customer

MODEL = "chatcart-test-model"
API_KEY = "sk-test-0123456789"
ORDER_NUMBER = re.compile(r"CC-[3-9A-Z]{4}-[3-9A-Z]{4}")
#: Reaches no rule of the demo shop (no FAQ entry, no product, not an intent): today's bot
#: says it cannot answer, which is where the model is asked.
OPEN_QUESTION = "do you think quantum chromodynamics is real?"


@dataclass
class Scripted:
    """One answer of the fake endpoint: a body (JSON or raw bytes), a status, a delay."""

    body: Any
    status: int = 200
    delay: float = 0.0


@dataclass
class FakeEndpoint:
    """Answers from a queue, in order; an empty queue answers 500. `received` holds each
    request's path, authorization header and JSON body."""

    url: str = ""
    script: list[Scripted] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)

    def replies(self, *answers: Scripted | dict[str, Any]) -> None:
        self.script += [a if isinstance(a, Scripted) else Scripted(a) for a in answers]

    def next(self) -> Scripted:
        return self.script.pop(0) if self.script else Scripted({"error": "nothing scripted"}, status=500)

    @property
    def everything_received(self) -> str:
        return json.dumps(self.received, ensure_ascii=False)


def completion(text: str | None = None, *calls: dict[str, Any]) -> dict[str, Any]:
    """A chat completion body: a final text, or tool calls."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if calls:
        message["tool_calls"] = list(calls)
    return {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": MODEL,
        "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if calls else "stop"}],
    }


def call(name: str, arguments: dict[str, Any] | str | None = None, call_id: str = "") -> dict[str, Any]:
    """One tool call as the API writes it: arguments as JSON text (or any raw string)."""
    raw = arguments if isinstance(arguments, str) else json.dumps(arguments or {})
    return {"id": call_id or f"call_{name}", "type": "function", "function": {"name": name, "arguments": raw}}


def tool_messages(request: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in request["body"]["messages"] if m["role"] == "tool"]


@pytest.fixture
def endpoint() -> Iterator[FakeEndpoint]:
    fake = FakeEndpoint()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.received.append(
                {"path": self.path, "authorization": self.headers.get("Authorization"), "body": body}
            )
            answer = fake.next()
            time.sleep(answer.delay)
            data = answer.body if isinstance(answer.body, bytes) else json.dumps(answer.body).encode()
            self.send_response(answer.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, *_args: object) -> None:
            """The client gave up (a timeout test): nothing to report."""

    server = Server(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield fake
    server.shutdown()
    server.server_close()


def runtime_for(url: str, clock: FakeClock, llm: Endpoint | None) -> Runtime:
    rt = build_runtime(url, "http://shop.test", clock=clock, understander=UNDERSTANDER, llm=llm)
    upgrade(rt.db)
    ensure_demo(rt)
    return rt


@pytest.fixture
def shop(sqlite_url: str, clock: FakeClock, endpoint: FakeEndpoint) -> Iterator[Runtime]:
    """The demo shop, its engine configured with the fake endpoint."""
    rt = runtime_for(sqlite_url, clock, Endpoint(endpoint.url, MODEL, API_KEY, timeout_seconds=2.0))
    yield rt
    rt.db.dispose()


@pytest.fixture
def customer(shop: Runtime) -> Customer:
    return Customer(shop, "alice", "en")


def place_order(c: Customer, product: str, name: str, phone: str, store: str = "信義門市") -> str:
    """A whole purchase through the usual checkout; the order's number."""
    c.taps(f"BUY:{product}")
    c.taps(c.payload_starting("SHIP:store-711"))
    c.says(store)
    c.says(name)
    c.says(phone)
    c.taps("PAY:sandbox")
    c.taps(c.payload_starting("CONFIRM:"))
    found = ORDER_NUMBER.search(c.text)
    assert found, f"no order placed: {c.text}"
    return found.group(0)


def order_count(rt: Runtime) -> int:
    with rt.db.transaction() as session:
        return len(session.scalars(select(OrderRow)).all())


def _contact_id(rt: Runtime, external_id: str) -> str:
    with rt.db.transaction() as session:
        row = session.scalar(select(IdentityRow).where(IdentityRow.external_id == external_id))
        assert row is not None, f"no contact {external_id}"
        return row.contact_id


def cart_of(rt: Runtime, external_id: str) -> list[Any]:
    contact_id = _contact_id(rt, external_id)
    with rt.db.transaction() as session:
        row = session.get(ContactRow, contact_id)
        assert row is not None
        return list(row.cart)


def owner_of(rt: Runtime, external_id: str) -> str:
    """Who owns the contact's open conversation: "bot" or "human"."""
    contact_id = _contact_id(rt, external_id)
    with rt.db.transaction() as session:
        owner = session.scalar(
            select(ConversationRow.owner).where(
                ConversationRow.contact_id == contact_id, ConversationRow.is_open
            )
        )
        return str(owner)


__all__ = ["Customer", "FakeClock"]
