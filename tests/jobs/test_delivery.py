"""Replies on a channel the server pushes to are delivered by a job, on SQLite and
PostgreSQL, to a fake of the platform's HTTP API on loopback: once, with the outbox row's
idempotency key; a rate limit's Retry-After is honoured; a refusal is recorded as failed and
not retried; a resend after a crash carries the same key; the web chat schedules nothing."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from chatcart.demo.loader import ensure_demo
from chatcart.jobs.runner import run_due_jobs
from chatcart.messaging.delivery import SendResult, SendStatus
from chatcart.messaging.inbound import EventKind, Identity, InboundEvent
from chatcart.messaging.outbound import OutboundMessage
from chatcart.services.conversations import accept, process_contact
from chatcart.services.outbox import DELIVER_JOB
from chatcart.services.runtime import Runtime
from chatcart.storage.tables import JobRow, MessageRow
from tests.conftest import FakeClock

CHANNEL = "fakepush"


@dataclass
class Platform:
    """The platform's send endpoint: answers from a script, records every request."""

    answers: list[tuple[int, dict[str, str], dict[str, Any]]] = field(default_factory=list)
    received: list[dict[str, Any]] = field(default_factory=list)

    def answer(self) -> tuple[int, dict[str, str], dict[str, Any]]:
        return self.answers.pop(0) if self.answers else (200, {}, {"message_id": f"pm-{len(self.received)}"})


@pytest.fixture
def platform() -> Iterator[tuple[Platform, str]]:
    fake = Platform()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            fake.received.append({"key": self.headers["Idempotency-Key"], **body})
            status, headers, answer = fake.answer()
            data = json.dumps(answer).encode()
            self.send_response(status)
            for name, value in {**headers, "Content-Type": "application/json"}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class HttpSender:
    """A push channel as an adapter would write one: the native payload over HTTP, the
    idempotency key in a header, the platform's answer mapped to a `SendResult`."""

    def __init__(self, base_url: str) -> None:
        self.client = httpx.Client(base_url=base_url, timeout=5)

    def send(self, recipient: str, message: OutboundMessage, idempotency_key: str) -> SendResult:
        native = {"to": recipient, "text": message.text or "", "cards": len(message.cards)}
        answer = self.client.post("/messages", json=native, headers={"Idempotency-Key": idempotency_key})
        if answer.status_code == 200:
            return SendResult(SendStatus.SENT, platform_message_id=answer.json()["message_id"])
        if answer.status_code == 429 or answer.status_code >= 500:
            after = float(answer.headers.get("Retry-After", 0))
            return SendResult(SendStatus.RETRY, reason=f"HTTP {answer.status_code}", retry_after=after)
        return SendResult(SendStatus.FAILED, reason=f"HTTP {answer.status_code}: {answer.text}")


@pytest.fixture
def shop(runtime: Runtime, platform: tuple[Platform, str]) -> Iterator[Runtime]:
    ensure_demo(runtime)
    runtime.senders[CHANNEL] = HttpSender(platform[1])
    yield runtime


def customer_says(rt: Runtime, event_id: str, text: str, channel: str = CHANNEL) -> None:
    event = InboundEvent(
        workspace_id="demo",
        event_id=event_id,
        kind=EventKind.MESSAGE,
        sender=Identity(channel=channel, external_id="user-42"),
        received_at=rt.clock(),
        text=text,
        lang_hint="en",
    )
    process_contact(rt, "demo", accept(rt, event).contact_id)


def outbox(rt: Runtime) -> list[MessageRow]:
    with rt.db.transaction() as session:
        return list(
            session.scalars(select(MessageRow).where(MessageRow.direction == "out").order_by(MessageRow.id))
        )


def delivery_jobs(rt: Runtime) -> list[JobRow]:
    with rt.db.transaction() as session:
        return list(session.scalars(select(JobRow).where(JobRow.kind == DELIVER_JOB).order_by(JobRow.id)))


def test_each_reply_is_sent_once_with_its_idempotency_key(
    shop: Runtime, platform: tuple[Platform, str]
) -> None:
    fake, _ = platform
    customer_says(shop, "m-1", "hello")
    replies = outbox(shop)
    assert replies and all(r.status == "queued" for r in replies)
    assert len(delivery_jobs(shop)) == len(replies), "one delivery job per reply"

    run_due_jobs(shop)
    run_due_jobs(shop)
    assert [r["key"] for r in fake.received] == [r.idempotency_key for r in replies], (
        "each sent once, in order"
    )
    assert all(r["to"] == "user-42" for r in fake.received)
    sent = outbox(shop)
    assert [(r.status, r.platform_message_id) for r in sent] == [
        ("sent", f"pm-{n + 1}") for n in range(len(sent))
    ]


def test_a_rate_limit_is_honoured_and_the_resend_carries_the_same_key(
    shop: Runtime, platform: tuple[Platform, str], clock: FakeClock
) -> None:
    fake, _ = platform
    fake.answers = [(429, {"Retry-After": "120"}, {"error": "slow down"})]
    customer_says(shop, "m-2", "thanks")
    first_key = outbox(shop)[0].idempotency_key
    run_due_jobs(shop)
    waiting = outbox(shop)[0]
    assert waiting.status == "queued" and waiting.status_reason == "HTTP 429"
    job = next(j for j in delivery_jobs(shop) if j.key.endswith(str(first_key)))
    assert (job.run_at - clock()).total_seconds() >= 120, "not before the platform's Retry-After"

    clock.advance(seconds=119)
    run_due_jobs(shop)
    assert [r["key"] for r in fake.received].count(first_key) == 1, "not retried early"
    clock.advance(seconds=2)
    run_due_jobs(shop)
    assert [r["key"] for r in fake.received].count(first_key) == 2, "retried with the same key"
    assert outbox(shop)[0].status == "sent"


def test_a_refusal_is_recorded_as_failed_and_not_retried(
    shop: Runtime, platform: tuple[Platform, str], clock: FakeClock
) -> None:
    fake, _ = platform
    fake.answers = [(400, {}, {"error": "user blocked the account"})]
    customer_says(shop, "m-3", "thanks")
    run_due_jobs(shop)
    refused = outbox(shop)[0]
    assert refused.status == "failed" and "user blocked the account" in refused.status_reason
    clock.advance(hours=2)
    run_due_jobs(shop)
    assert [r["key"] for r in fake.received].count(refused.idempotency_key) == 1


def test_the_web_chat_schedules_no_delivery(shop: Runtime) -> None:
    customer_says(shop, "w-1", "hello", channel="webchat")
    assert outbox(shop) and delivery_jobs(shop) == []
