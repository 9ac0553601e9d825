"""What another site can and cannot do with chatcart in a real browser: it cannot frame the
payment page (or any shop page), but it can embed the chat widget, which then proves its
visitor with a server-issued token sent inside the socket (never in a URL), stops for good
on an unknown workspace, and replaces a token the server no longer accepts."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from playwright.sync_api import Page, WebSocket, expect

from chatcart.cli.shell import ShellSession

from .conftest import LiveServer

pytestmark = pytest.mark.browser

WAIT_MS = 15_000


class OtherSite:
    """Another origin (its own port) on this machine, serving whatever page a test sets."""

    def __init__(self) -> None:
        self.html = ""
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                body = site.html.encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *_args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def serve(self, html: str) -> str:
        self.html = html
        return self.url

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def other_site() -> Iterator[OtherSite]:
    site = OtherSite()
    try:
        yield site
    finally:
        site.close()


def pay_url(live_server: LiveServer, contact: str = "framing-customer", lang: str = "en") -> str:
    """A real order's payment page, placed through the chat as a customer would."""
    chat = ShellSession(live_server.rt, "demo", contact, lang)
    chat.send("hello")
    for step in ("QTY:SKN-005-120:1", "SHIP:home"):
        chat.send(json.dumps({"postback": step}))
    for text in ("No. 7, Section 5, Xinyi Road, Taipei", "Lin Mei-Ling", "0912345678"):
        chat.send(text)
    summary = chat.send(json.dumps({"postback": "PAY:sandbox"}))[-1]
    confirm = next(
        b["payload"] for b in summary["buttons"] if str(b.get("payload", "")).startswith("CONFIRM:")
    )
    placed = chat.send(json.dumps({"postback": confirm}))
    url = next(
        str(b["url"])
        for m in placed
        for b in m.get("buttons") or []
        if "/pay/sandbox/" in str(b.get("url", ""))
    )
    assert url.startswith(live_server.base_url), url
    return url


def widget_page(live_server: LiveServer, workspace: str = "demo") -> str:
    return (
        "<!doctype html><html><body><h1>Someone else's shop</h1>"
        f'<script src="{live_server.url("/static/widget.js")}" data-workspace="{workspace}" '
        'data-lang="en" defer></script></body></html>'
    )


def test_another_site_cannot_frame_the_payment_page(
    page: Page, live_server: LiveServer, other_site: OtherSite
) -> None:
    payment = pay_url(live_server)
    own = page.context.new_page()
    own.goto(payment)
    expect(own.locator("button.pay-button")).to_be_visible()  # the page itself renders its pay form
    framing = other_site.serve(
        "<!doctype html><html><body>"
        f'<iframe id="pay" name="pay" src="{payment}" width="600" height="600"></iframe>'
        f'<iframe id="health" name="health" src="{live_server.url("/healthz")}"></iframe>'
        "</body></html>",
    )
    page.goto(framing)
    health = page.frame_locator("#health")
    expect(health.locator("body")).to_contain_text('"status":"ok"', timeout=WAIT_MS)  # framing works here
    framed = page.frame(name="pay")
    assert framed is not None
    page.wait_for_load_state("load")
    assert "/pay/sandbox/" not in framed.url, "the browser blocked the page and shows its error page"
    assert framed.locator("form").count() == 0

    # On its own the page still works under its policy: the card form posts and pays.
    own.locator("button.pay-button").click()
    expect(own.locator("article.pay")).to_have_attribute("data-result", "paid", timeout=WAIT_MS)


def test_the_widget_works_on_another_site_and_proves_its_visitor_inside_the_socket(
    page: Page, live_server: LiveServer, other_site: OtherSite
) -> None:
    sockets: list[WebSocket] = []
    first_frames: list[dict[str, Any]] = []

    def watch(ws: WebSocket) -> None:
        sockets.append(ws)
        ws.on("framesent", lambda payload: first_frames.append(json.loads(payload)))

    page.on("websocket", watch)
    page.goto(other_site.serve(widget_page(live_server)))
    page.get_by_test_id("chatcart-launcher").click()
    greeting = page.locator("[data-testid=chatcart-msg][data-direction=out]").first
    expect(greeting).to_contain_text("Island Select", timeout=WAIT_MS)

    visitor = page.evaluate("localStorage.getItem('chatcart.visitor.demo')")
    token = page.evaluate("localStorage.getItem('chatcart.token.demo')")
    assert visitor and token and visitor in token
    assert len(sockets) == 1
    assert visitor not in sockets[0].url and token not in sockets[0].url
    assert first_frames[0] == {"type": "hello", "token": token}


def test_the_widget_stops_for_good_on_an_unknown_workspace(
    page: Page, live_server: LiveServer, other_site: OtherSite
) -> None:
    """Close code 4404 after the handshake: the widget stays offline instead of retrying."""
    sockets: list[WebSocket] = []
    page.on("websocket", lambda ws: sockets.append(ws))
    page.goto(other_site.serve(widget_page(live_server, workspace="closed-shop")))
    # A browser that chatted there before: it has a session, so it goes straight to the socket.
    page.evaluate(
        "localStorage.setItem('chatcart.visitor.closed-shop', 'abcdefgh-1234');"
        "localStorage.setItem('chatcart.token.closed-shop', 'v1.abcdefgh-1234.x');"
    )
    page.reload()
    page.get_by_test_id("chatcart-launcher").click()
    expect(page.get_by_test_id("chatcart-status")).to_be_visible(timeout=WAIT_MS)
    # Back-off starts at 0.5 s: three seconds would have seen several retries.
    page.wait_for_timeout(3_000)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_timeout(500)
    assert len(sockets) == 1, [ws.url for ws in sockets]


def test_a_token_the_server_refuses_is_replaced_by_a_new_session(
    page: Page, live_server: LiveServer, other_site: OtherSite
) -> None:
    page.goto(other_site.serve(widget_page(live_server)))
    page.evaluate(
        "localStorage.setItem('chatcart.visitor.demo', 'abcdefgh-1234');"
        "localStorage.setItem('chatcart.token.demo', 'v1.abcdefgh-1234.forged');"
        "localStorage.setItem('chatcart.seq.demo', '1');"
    )
    page.reload()
    page.get_by_test_id("chatcart-launcher").click()
    page.get_by_test_id("chatcart-input").fill("hello")
    page.get_by_test_id("chatcart-input").press("Enter")
    reply = page.locator("[data-testid=chatcart-msg][data-direction=out]").first
    expect(reply).to_be_visible(timeout=WAIT_MS)
    visitor = page.evaluate("localStorage.getItem('chatcart.visitor.demo')")
    assert visitor != "abcdefgh-1234"
    assert page.evaluate("localStorage.getItem('chatcart.token.demo')").startswith(f"v1.{visitor}.")


def test_the_payment_page_speaks_the_conversations_language_not_the_browsers(
    page: Page, live_server: LiveServer, tmp_path: Any
) -> None:
    payment = pay_url(live_server, contact="taipei-customer", lang="zh-TW")
    browser = page.context.browser
    assert browser is not None
    english = browser.new_context(locale="en-US", extra_http_headers={"Accept-Language": "en-US,en"})
    try:
        tab = english.new_page()
        tab.goto(payment)
        expect(tab.locator("html")).to_have_attribute("lang", "zh-TW")
        expect(tab.locator("button.pay-button")).to_be_visible()
        assert any("\u4e00" <= ch <= "\u9fff" for ch in tab.locator("button.pay-button").inner_text())
        tab.screenshot(path=str(tmp_path / "pay-zh.png"), full_page=True)
    finally:
        english.close()
