"""Browser tests: the real app served by uvicorn on a free local port, driven by a headless
Debian Chromium through Playwright's sync API.

`network_link` is a TCP proxy in front of the server that a test can cut: Playwright's
`context.set_offline(True)` fails new requests but leaves an open WebSocket connected
(microsoft/playwright#4910), so it alone cannot make the widget lose its socket.

CI installs /usr/bin/chromium; when it is missing these tests fail loudly (they never skip),
and Playwright's own browser download is never used."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

from chatcart.api.app import create_app
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.settings import Settings
from chatcart.storage.migrate import upgrade

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INVITE_AFTER_SECONDS = 2
STARTUP_TIMEOUT_S = 20.0
SHUTDOWN_TIMEOUT_S = 15.0


@dataclass
class LiveServer:
    base_url: str
    rt: Runtime
    settings: Settings

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"


def _listening_socket() -> socket.socket:
    """A socket already bound to a free port: handed to uvicorn, so no other process can
    take the port between choosing it and serving on it."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _wait_healthy(base_url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    last_error = "no answer"
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the test server thread died during startup (see the captured log)")
        try:
            response = httpx.get(f"{base_url}/healthz", timeout=2.0)
            if response.status_code == 200:
                return
            last_error = f"HTTP {response.status_code}"
        except httpx.HTTPError as error:
            last_error = repr(error)
        time.sleep(0.1)
    raise RuntimeError(f"the test server did not become healthy in {STARTUP_TIMEOUT_S}s: {last_error}")


@pytest.fixture
def live_server(tmp_path: Path) -> Iterator[LiveServer]:
    """The whole app (webchat, storefront, sandbox payments, job runner) on 127.0.0.1."""
    sock = _listening_socket()
    host, port = sock.getsockname()[:2]
    base_url = f"http://{host}:{port}"
    # The base URL is known before the runtime is built, so payment and tracking links
    # in the chat point at this very server.
    settings = Settings(
        data_dir=tmp_path,
        base_url=base_url,
        host=host,
        port=port,
        invite_after_seconds=INVITE_AFTER_SECONDS,
    )
    rt = build_runtime(settings.resolved_database_url, settings.resolved_base_url)
    upgrade(rt.db)
    ensure_demo(rt)
    app = create_app(rt, settings)
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        lifespan="on",
        timeout_graceful_shutdown=5,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn", daemon=True)
    thread.start()
    try:
        _wait_healthy(base_url, thread)
        yield LiveServer(base_url, rt, settings)
    finally:
        server.should_exit = True
        thread.join(SHUTDOWN_TIMEOUT_S)
        sock.close()
        rt.db.dispose()
        assert not thread.is_alive(), "the test server did not stop"


class NetworkLink:
    """A TCP proxy between the browser and the server whose cable a test can pull.

    `cut()` closes every open connection (the browser sees its WebSocket drop) and refuses
    new ones until `restore()`. `deafen()` keeps connections open but throws away what the
    server sends: the browser's frames arrive and are processed, their acks are lost, as on
    a connection that died halfway."""

    def __init__(self, upstream: tuple[str, int]) -> None:
        self.upstream = upstream
        self._lock = threading.Lock()
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._up = True
        self._deaf = False
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        host, port = self._listener.getsockname()[:2]
        self.base_url = f"http://{host}:{port}"
        self._acceptor = threading.Thread(target=self._accept_loop, name="network-link", daemon=True)
        self._acceptor.start()

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # the listener was closed
            with self._lock:
                up = self._up
            if not up:
                _close(client)
                continue
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._pairs.append((client, server))
            for source, target, downstream in ((client, server, False), (server, client, True)):
                threading.Thread(
                    target=self._pump,
                    args=(source, target, downstream),
                    name="network-link-pump",
                    daemon=True,
                ).start()

    def _pump(self, source: socket.socket, target: socket.socket, downstream: bool) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                with self._lock:
                    drop = downstream and self._deaf
                if not drop:
                    target.sendall(data)
        except OSError:
            pass
        finally:
            _close(source)
            _close(target)

    def deafen(self) -> None:
        with self._lock:
            self._deaf = True

    def cut(self) -> None:
        with self._lock:
            self._up = False
            pairs, self._pairs = self._pairs, []
        for client, server in pairs:
            _close(client)
            _close(server)

    def restore(self) -> None:
        with self._lock:
            self._up = True
            self._deaf = False

    def close(self) -> None:
        _close(self._listener)
        self.cut()
        self._acceptor.join(5)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@pytest.fixture
def network_link(live_server: LiveServer) -> Iterator[NetworkLink]:
    host, port = live_server.base_url.removeprefix("http://").split(":")
    link = NetworkLink((host, int(port)))
    try:
        yield link
    finally:
        link.close()


@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    pw = sync_playwright().start()
    try:
        yield pw
    finally:
        pw.stop()


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: the browser tests need Debian's chromium package "
            "(apt-get install chromium). Do not run `playwright install`.",
            pytrace=False,
        )
    browser = playwright_instance.chromium.launch(
        executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
    )
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def context(browser: Browser, live_server: LiveServer) -> Iterator[BrowserContext]:
    """A fresh browser profile per test (new visitor id, empty storage), in English.
    It depends on the server so it is closed (sockets and all) before the server stops."""
    ctx = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 800})
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


_CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Remembers whether the test body failed, so `page` can print the chat afterwards."""
    report = yield
    if report.when == "call":
        item.stash[_CALL_FAILED] = report.failed
    return report


@pytest.fixture
def page(context: BrowserContext, request: pytest.FixtureRequest) -> Iterator[Page]:
    page = context.new_page()
    yield page
    if request.node.stash.get(_CALL_FAILED, False):
        _print_transcripts(context)


def _print_transcripts(context: BrowserContext) -> None:
    """On failure, what each tab showed: the chat (pierced shadow root) or the page text."""
    for number, tab in enumerate(context.pages):
        try:
            lines = [
                f"[{m.get_attribute('data-direction')}] {m.inner_text(timeout=1000)}"
                for m in tab.get_by_test_id("chatcart-msg").all()
            ]
            status = tab.get_by_test_id("chatcart-status")
            if status.count() and status.is_visible():
                lines.append(f"[status] {status.inner_text(timeout=1000)}")
            if not lines:
                lines = [tab.locator("body").inner_text(timeout=1000)]
        except Exception as error:  # the page may be gone; the transcript is best effort
            lines = [f"(no transcript: {error})"]
        print(f"\n--- tab {number}: {tab.url}")
        print("\n".join(lines))
