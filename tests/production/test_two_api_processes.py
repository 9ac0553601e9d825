"""Two API processes on one PostgreSQL and one Redis: a payment confirmed through one
reaches the customer's chat held open on the other, without a reload."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from chatcart.api.app import create_app
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.settings import Settings
from chatcart.storage.migrate import upgrade
from tests.api.conftest import signed
from tests.conftest import _postgres_database
from tests.production.test_redis_fanout import REDIS_URL

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres_url() -> Iterator[str]:
    yield from _postgres_database()


def api_process(url: str, tmp_path: Path) -> tuple[Runtime, TestClient]:
    rt = build_runtime(url, "http://shop.test", redis_url=REDIS_URL)
    settings = Settings(data_dir=tmp_path, database_url=url, redis_url=REDIS_URL, base_url="http://shop.test")
    return rt, TestClient(create_app(rt, settings, run_jobs=False))


def frames_until(socket: object, predicate: object, limit: int = 60) -> list[dict[str, object]]:
    seen: list[dict[str, object]] = []
    for _ in range(limit):
        frame = socket.receive_json()  # type: ignore[attr-defined]
        seen.append(frame)
        if predicate(frame):  # type: ignore[operator]
            return seen
    raise AssertionError(f"expected frame never came: {seen[-5:]}")


def send(socket: object, kind: str, **fields: str) -> list[dict[str, object]]:
    socket.send_text(json.dumps({"type": kind, "id": uuid.uuid4().hex, **fields}))  # type: ignore[attr-defined]
    return frames_until(socket, lambda f: f == {"type": "typing", "on": False})


def test_payment_on_one_process_is_pushed_to_the_chat_on_another(postgres_url: str, tmp_path: Path) -> None:
    first_rt, first = api_process(postgres_url, tmp_path)
    upgrade(first_rt.db)
    ensure_demo(first_rt)
    second_rt, second = api_process(postgres_url, tmp_path)
    with (
        first,
        second,
        second.websocket_connect("/channels/webchat/ws?workspace=demo&lang=en&after=0") as chat,
    ):
        session = second.post("/channels/webchat/session?workspace=demo").json()
        chat.send_text(json.dumps({"type": "hello", "token": session["token"]}))
        for payload in ("BUY:TEA-002", "SHIP:home"):
            send(chat, "postback", payload=payload)
        for text in ("No. 1, Section 5, Xinyi Road, Taipei", "Alice Lin", "0912345678"):
            send(chat, "message", text=text)
        summary = send(chat, "postback", payload="PAY:sandbox")
        confirm = next(
            b["payload"]
            for f in summary
            if f.get("type") == "message"
            for b in f["message"].get("buttons") or []  # type: ignore[union-attr]
            if str(b.get("payload", "")).startswith("CONFIRM:")
        )
        placed = send(chat, "postback", payload=confirm)
        pay_url = next(
            b["url"]
            for f in placed
            if f.get("type") == "message"
            for b in f["message"].get("buttons") or []  # type: ignore[union-attr]
            if b.get("url", "").count("/pay/sandbox/")
        )
        token = pay_url.rsplit("/", 1)[-1]
        response = first.post(
            pay_url.replace("http://shop.test", "") + "?lang=en", data=signed(first_rt, token, "750.00")
        )
        assert response.status_code == 200 and "Payment successful" in response.text
        notice = frames_until(chat, lambda f: "Payment received" in json.dumps(f))
    assert notice[-1]["direction"] == "out"
    first_rt.db.dispose()
    second_rt.db.dispose()
