"""The web chat against a hostile client, on SQLite and PostgreSQL: a visitor is proven by a
server-signed session token sent in the socket's first frame (never by an id in the URL);
connecting creates nothing; minting visitors is rate-limited per address; frame ids are
unique per sender, not per shop; a nonsense `after` is an error frame, not a dropped socket."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from chatcart.api.app import create_app
from chatcart.channels.webchat.session import SessionSigner, WebChatSession
from chatcart.demo.loader import ensure_demo
from chatcart.i18n import catalogue
from chatcart.services.runtime import Runtime
from chatcart.services.workspaces import create_workspace
from chatcart.settings import Settings
from chatcart.storage.tables import ContactRow, IdentityRow, InboxRow

from .conftest import assert_quiet, chat, count, exchange, history, messages, new_visitor, receive, socket_url

pytestmark = pytest.mark.timeout(120)
PHONE = "0912345678"
LETTERS = str.maketrans("0123456789", "abcdefghij")


def new_visitor_of(runtime: Runtime) -> WebChatSession:
    """A session signed as the server signs them, without spending the address's allowance."""
    return SessionSigner(runtime.secret_key).issue("demo")


def text_frame(text: str, frame_id: str | None = None) -> dict[str, Any]:
    return {"type": "message", "id": frame_id or uuid.uuid4().hex, "text": text}


def closed_code(client: TestClient, first_frame: dict[str, Any] | str | None, url: str = socket_url()) -> int:
    """The close code a socket gets after sending `first_frame` (None: sends nothing);
    fails if the server sends any frame before closing."""
    with client.websocket_connect(url) as ws:
        if isinstance(first_frame, dict):
            ws.send_json(first_frame)
        elif isinstance(first_frame, str):
            ws.send_text(first_frame)
        with pytest.raises(WebSocketDisconnect) as closed:
            frame = ws.receive_text()
            raise AssertionError(f"the server sent {frame} to an unproven socket")
    return closed.value.code


def victim_with_history(client: TestClient, runtime: Runtime) -> WebChatSession:
    victim = new_visitor(client)
    with chat(client, victim) as ws:
        exchange(ws, runtime, victim.visitor, text_frame(f"my phone is {PHONE}"))
    assert any(PHONE in str(body) for _seq, _d, body in history(runtime, victim.visitor))
    return victim


# ---------------------------------------------------------------------------- who the visitor is


def test_a_forged_token_for_someone_elses_visitor_id_gets_4401_and_nothing(
    client: TestClient, runtime: Runtime
) -> None:
    victim = victim_with_history(client, runtime)
    forged = [
        f"v1.{victim.visitor}.{'A' * 43}",
        f"v1.{victim.visitor}.",
        victim.visitor,
        victim.token + "x",
        victim.token.replace("v1.", "v2.", 1),
        "v1.é.é",
        "x" * 5_000,
    ]
    for token in forged:
        assert closed_code(client, {"type": "hello", "token": token}) == 4401, token


def test_a_socket_without_a_hello_gets_4401_and_nothing(client: TestClient, runtime: Runtime) -> None:
    victim = victim_with_history(client, runtime)
    # The old protocol: the visitor id in the URL, then a frame.
    url = socket_url() + f"&visitor={victim.visitor}"
    assert closed_code(client, text_frame("hello"), url) == 4401
    assert closed_code(client, "not json", url) == 4401
    assert closed_code(client, {"type": "hello"}, url) == 4401
    assert count(runtime, InboxRow) == 1, "only the victim's own message was ever stored"


def test_a_token_of_another_workspace_gets_4401(client: TestClient, runtime: Runtime) -> None:
    create_workspace(runtime, "other", name="Other", lang="en")
    elsewhere = new_visitor(client, workspace="other")
    assert closed_code(client, {"type": "hello", "token": elsewhere.token}) == 4401


def test_a_visitor_id_in_the_url_is_ignored(client: TestClient, runtime: Runtime) -> None:
    """The token alone says who the socket is: naming the victim in the URL replays nothing of theirs."""
    victim = victim_with_history(client, runtime)
    attacker = new_visitor(client)
    with client.websocket_connect(socket_url() + f"&visitor={victim.visitor}") as ws:
        ws.send_json({"type": "hello", "token": attacker.token})
        assert_quiet(ws, 0.5)
        frames = exchange(ws, runtime, attacker.visitor, text_frame("hi"))
    assert PHONE not in str(frames)
    assert messages(frames, "in")[0]["message"]["text"] == "hi"


def test_a_token_signed_with_another_secret_is_refused(client: TestClient, runtime: Runtime) -> None:
    other_server = SessionSigner("another-secret").issue("demo")
    assert closed_code(client, {"type": "hello", "token": other_server.token}) == 4401
    assert SessionSigner(runtime.secret_key).visitor_of("demo", other_server.token) is None


def test_the_token_survives_a_reconnect_and_replays_the_history(client: TestClient, runtime: Runtime) -> None:
    visitor = victim_with_history(client, runtime)
    stored = history(runtime, visitor.visitor)
    with chat(client, visitor) as ws:
        replay = [receive(ws) for _ in stored]
    assert [f["seq"] for f in replay] == [seq for seq, _d, _b in stored]


# ---------------------------------------------------------------------------- what connecting costs


def test_connecting_creates_no_contact_until_the_first_frame(client: TestClient, runtime: Runtime) -> None:
    visitor = new_visitor(client)
    for _ in range(20):
        with chat(client, visitor) as ws:
            assert_quiet(ws, 0.05)
    for _ in range(100):
        with chat(client, new_visitor_of(runtime)) as ws:
            assert_quiet(ws, 0.01)
    assert (count(runtime, ContactRow), count(runtime, IdentityRow)) == (0, 0)
    with chat(client, visitor) as ws:
        frames = exchange(ws, runtime, visitor.visitor, text_frame("hello"))
    assert messages(frames, "out")
    assert (count(runtime, ContactRow), count(runtime, IdentityRow)) == (1, 1)


def test_one_address_cannot_mint_visitors_by_the_thousand(client: TestClient, runtime: Runtime) -> None:
    granted = [
        client.post("/channels/webchat/session", params={"workspace": "demo"}).status_code
        for _ in range(1_000)
    ]
    assert granted.count(200) == 20, "the default allowance: 20 a minute per address"
    assert set(granted[20:]) == {429}
    refused = client.post("/channels/webchat/session", params={"workspace": "demo"})
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert refused.headers["access-control-allow-origin"] == "*", "the widget on another site reads it"
    assert (count(runtime, ContactRow), count(runtime, IdentityRow)) == (0, 0)


def test_the_allowance_is_configured_and_an_unknown_workspace_mints_nothing(
    runtime: Runtime, settings: Settings
) -> None:
    ensure_demo(runtime)
    strict = settings.model_copy(update={"webchat_session_rate": "3/minute"})
    with TestClient(create_app(runtime, strict, run_jobs=False)) as client:
        unknown = client.post("/channels/webchat/session", params={"workspace": "nowhere"})
        codes = [
            client.post("/channels/webchat/session", params={"workspace": "demo"}).status_code
            for _ in range(5)
        ]
    assert unknown.status_code == 404
    assert codes == [200, 200, 200, 429, 429]


# ---------------------------------------------------------------------------- frame ids per sender


def test_the_same_frame_id_from_one_sender_is_processed_once(client: TestClient, runtime: Runtime) -> None:
    visitor = new_visitor(client)
    frame = text_frame("hello", "frame-1")
    with chat(client, visitor) as ws:
        exchange(ws, runtime, visitor.visitor, frame)
        stored = history(runtime, visitor.visitor)
        ws.send_json(frame)
        assert receive(ws) == {"type": "ack", "id": "frame-1"}
        assert_quiet(ws, 0.5)
    assert history(runtime, visitor.visitor) == stored
    assert count(runtime, InboxRow) == 1


def test_the_same_frame_id_from_two_senders_is_two_messages(client: TestClient, runtime: Runtime) -> None:
    first, second = new_visitor(client), new_visitor(client)
    for visitor, text in ((first, "hello"), (second, "oolong tea")):
        with chat(client, visitor) as ws:
            frames = exchange(ws, runtime, visitor.visitor, text_frame(text, "frame-1"))
        echo = messages(frames, "in")
        assert [(e["id"], e["message"]["text"]) for e in echo] == [("frame-1", text)]
        assert messages(frames, "out"), f"{text!r} was answered"
    assert count(runtime, InboxRow) == 2


# ---------------------------------------------------------------------------- a nonsense cursor


@pytest.mark.parametrize("after", ["9223372036854775808", "99999999999999999999999", "-1", "abc", "١٢", ""])
def test_an_impossible_after_is_an_error_frame_and_the_socket_stays_usable(
    client: TestClient, runtime: Runtime, after: str
) -> None:
    visitor = new_visitor(client)
    with chat(client, visitor, after=after) as ws:
        error = receive(ws)
        assert error["type"] == "error" and "after" in error["reason"], error
        assert error["message"]
        frames = exchange(ws, runtime, visitor.visitor, text_frame("hello"))
    assert messages(frames, "out")


def test_the_largest_cursor_is_accepted_quietly(client: TestClient, runtime: Runtime) -> None:
    visitor = victim_with_history(client, runtime)
    with chat(client, visitor, after=str(2**63 - 1)) as ws:
        assert_quiet(ws, 0.3)


def test_a_socket_lang_that_is_no_language_is_ignored_and_remembers_nothing(
    client: TestClient, runtime: Runtime
) -> None:
    catalogue._is_known_locale.cache_clear()
    for n in range(300):
        with chat(client, new_visitor_of(runtime), lang=f"{n:04d}".translate(LETTERS) + "q" * 15_000) as ws:
            assert_quiet(ws, 0.01)
    assert catalogue._is_known_locale.cache_info().currsize <= catalogue._LOCALES_REMEMBERED
    visitor = new_visitor(client)
    with chat(client, visitor, lang="x" * 15_000) as ws:
        frames = exchange(ws, runtime, visitor.visitor, text_frame("hello"))
    assert "島嶼選物" in str(messages(frames, "out")), "answered in the shop's language (zh-TW)"
