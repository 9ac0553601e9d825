"""The web application in-process (FastAPI's TestClient) over the demo shop, on SQLite and
on the real PostgreSQL (the `runtime` fixture), plus helpers that read what was stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from chatcart.api.app import create_app
from chatcart.channels.webchat.session import WebChatSession
from chatcart.cli.shell import ShellSession
from chatcart.commerce.orders import PaymentMethod
from chatcart.demo.loader import ensure_demo
from chatcart.payments.sandbox import SandboxProvider
from chatcart.services.runtime import Runtime
from chatcart.settings import Settings
from chatcart.storage.conversations import messages_after
from chatcart.storage.tables import Base, IdentityRow, MessageRow, OrderRow

BASE_URL = "http://shop.test"
#: A demo product (chatcart/demo/shop.yaml) with one variant, in stock: only the quantity is asked.
SINGLE_PRODUCT = "SKN-005"
SINGLE_SKU = "SKN-005-120"
SINGLE_TITLE_EN = "Gentle Amino Acid Cleanser"
SINGLE_TITLE_ZH = "胺基酸溫和洗面乳"
SINGLE_PRICE = "NT$450"
#: 450 plus home delivery (100).
ORDER_TOTAL = "NT$550"


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path, base_url=BASE_URL)


@pytest.fixture
def client(runtime: Runtime, settings: Settings) -> Iterator[TestClient]:
    """The whole app over the demo shop; no background jobs (the tests drive everything)."""
    ensure_demo(runtime)
    with TestClient(create_app(runtime, settings, run_jobs=False)) as test_client:
        yield test_client


def count(rt: Runtime, table: type[Base]) -> int:
    with rt.db.transaction() as session:
        return int(session.scalar(select(func.count()).select_from(table)) or 0)


def all_message_texts(rt: Runtime) -> list[str]:
    with rt.db.transaction() as session:
        return [str(body.get("text") or "") for body in session.scalars(select(MessageRow.body))]


def orders_snapshot(rt: Runtime) -> list[tuple[str, str]]:
    with rt.db.transaction() as session:
        rows = session.execute(select(OrderRow.number, OrderRow.status).order_by(OrderRow.number))
        return [(str(number), str(status)) for number, status in rows]


def order_status(rt: Runtime, number: str) -> str:
    with rt.db.transaction() as session:
        return str(session.scalar(select(OrderRow.status).where(OrderRow.number == number)))


# ---------------------------------------------------------------------------- placing an order


@dataclass(frozen=True)
class PlacedOrder:
    number: str
    pay_path: str
    track_path: str
    token: str


def _postback(payload: str) -> str:
    return json.dumps({"postback": payload})


def _path(url: str) -> str:
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == BASE_URL, url
    return parts.path + (f"?{parts.query}" if parts.query else "")


def place_order(rt: Runtime, contact: str = "c1") -> PlacedOrder:
    """A customer buys the single-variant product through the chat's checkout and confirms,
    paying by card on the sandbox page; the links are the ones the bot gave."""
    chat = ShellSession(rt, "demo", contact, "en")
    chat.send("hello")
    for step in (
        _postback(f"BUY:{SINGLE_PRODUCT}"),
        _postback("SHIP:home"),
        "No. 7, Section 5, Xinyi Road, Taipei",
        "Lin Mei-Ling",
        "0912345678",
    ):
        assert chat.send(step), f"no answer to {step!r}"
    summary = chat.send(_postback("PAY:sandbox"))[-1]
    assert (summary.get("text") or "").startswith("Please check your order"), summary
    confirm = next(
        b["payload"] for b in summary["buttons"] if (b.get("payload") or "").startswith("CONFIRM:")
    )
    placed = chat.send(_postback(confirm))
    assert any("is placed" in (m.get("text") or "") for m in placed), placed
    links = {b["title"]: b["url"] for m in placed for b in m.get("buttons") or [] if b.get("url")}
    pay_path, track_path = _path(links["Pay now"]), _path(links["Track order"])
    number = track_path.split("/orders/")[1].split("?")[0]
    return PlacedOrder(number, pay_path, track_path, pay_path.rsplit("/", 1)[1])


# ---------------------------------------------------------------------------- web chat sockets


def socket_url(after: int | str = 0, lang: str = "en", workspace: str = "demo") -> str:
    return f"/channels/webchat/ws?workspace={workspace}&lang={lang}&after={after}"


def new_visitor(client: TestClient, workspace: str = "demo") -> WebChatSession:
    """A visitor as the widget gets one: minted by the server, with its session token."""
    response = client.post("/channels/webchat/session", params={"workspace": workspace})
    assert response.status_code == 200, response.text
    body = response.json()
    return WebChatSession(visitor=body["visitor"], token=body["token"])


@contextmanager
def chat(
    client: TestClient,
    visitor: WebChatSession,
    after: int | str = 0,
    lang: str = "en",
    workspace: str = "demo",
) -> Iterator[Any]:
    """A socket opened as the widget opens it: the session token in its first frame."""
    with client.websocket_connect(socket_url(after, lang, workspace)) as ws:
        ws.send_json({"type": "hello", "token": visitor.token})
        yield ws


def receive(ws: Any, timeout: float = 10.0) -> dict[str, Any]:
    """The next server frame, failing after `timeout` s instead of blocking the suite forever
    (the TestClient's own receive has no timeout)."""

    async def next_message() -> dict[str, Any]:
        with anyio.fail_after(timeout):
            message: dict[str, Any] = await ws._send_rx.receive()
            return message

    message = ws.portal.call(next_message)
    assert message["type"] == "websocket.send", message
    frame: dict[str, Any] = json.loads(message["text"])
    return frame


def assert_quiet(ws: Any, seconds: float = 0.3) -> None:
    """Nothing more arrives for a moment."""
    try:
        frame = receive(ws, seconds)
    except TimeoutError:
        return
    raise AssertionError(f"unexpected frame {frame}")


def history(rt: Runtime, visitor: str, workspace: str = "demo") -> list[tuple[int, str, dict[str, Any]]]:
    """(seq, direction, message) of the visitor's conversation as stored, oldest first."""
    with rt.db.transaction() as session:
        contact_id = session.scalar(
            select(IdentityRow.contact_id).where(
                IdentityRow.workspace_id == workspace,
                IdentityRow.channel == "webchat",
                IdentityRow.external_id == visitor,
            )
        )
        stored = messages_after(session, workspace, contact_id, 0, limit=1000) if contact_id else []
    return [(m.cursor, m.direction, m.body) for m in stored]


def receive_until_seq(ws: Any, last_seq: int) -> list[dict[str, Any]]:
    """Every frame up to and including the message with seq `last_seq`."""
    frames: list[dict[str, Any]] = []
    while not (frames and frames[-1].get("type") == "message" and frames[-1]["seq"] >= last_seq):
        frames.append(receive(ws))
    return frames


def exchange(ws: Any, rt: Runtime, visitor: str, frame: dict[str, Any]) -> list[dict[str, Any]]:
    """Sends a new frame and returns every frame of its turn: the ack, the typing indicator
    on and off, and the messages the turn stored (pushed by another task, so they may come
    before or after `typing off`)."""
    ws.send_json(frame)
    frames: list[dict[str, Any]] = []
    while not any(f == {"type": "typing", "on": False} for f in frames):
        frames.append(receive(ws))
    stored = history(rt, visitor)
    last_seq = stored[-1][0] if stored else 0
    seen = max((f["seq"] for f in frames if f["type"] == "message"), default=0)
    if seen < last_seq:
        frames += receive_until_seq(ws, last_seq)
    return frames


def messages(frames: list[dict[str, Any]], direction: str | None = None) -> list[dict[str, Any]]:
    return [f for f in frames if f["type"] == "message" and direction in (None, f["direction"])]


def signed(runtime: Runtime, token: str, amount: str = "550.00", currency: str = "TWD") -> dict[str, str]:
    """The form fields the sandbox payment page posts: amount, currency and their signature
    (by default the amount of the order `place_order` places)."""
    provider = runtime.providers[PaymentMethod.SANDBOX]
    assert isinstance(provider, SandboxProvider)
    return {"amount": amount, "currency": currency, "signature": provider.signature(token, amount, currency)}
