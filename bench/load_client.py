"""Many web chat customers at once, for bench/turns_bench.py: closed and paced load on a
`chatcart demo` server, and the same closed load on the bare echo app (bench/echo_app.py).

Every customer has a WebSocket of its own (`/channels/webchat/ws?workspace=demo`, opened
with a new session token, docs/widget.md) and works through bench/run.py's ENGLISH or CHINESE script, tapping
buttons of its previous reply. A turn is complete when the frame's `ack` (matched by id)
has arrived, then at least one bot message (`direction: "out"`) and a `typing` off frame
after it; the turn's time runs from sending the frame to the later of those two. Frames that
arrive before the ack are left over from the customer's previous turn and are ignored.

- **Closed loop**: each customer sends its next turn as soon as its reply is complete; the
  throughput is the turns completed within the window divided by its length.
- **Paced (open loop)**: each customer sends at Poisson-distributed times (seeded), all of
  them together at a given rate. A customer whose previous reply is still outstanding when
  its next send is due sends as soon as it completes (the server handles one frame per
  socket at a time anyway), and that turn's time is counted from when it was due, so a
  server falling behind shows as long replies rather than as fewer sends (no coordinated
  omission). `late_sends` says how often that happened.
- **Echo**: the same number of sockets, closed loop and then paced at chatcart's paced
  rate, against an app that sends each frame straight back; the frames are the scripts'
  texts as `message` frames.

Each window starts with a few seconds of closed-loop warm-up that is not counted; each
chatcart window runs on a `chatcart demo` of its own, started on a fresh data directory,
so both start from the demo shop's full stock. Its stock is small: within a window some
products sell out, and `skipped_taps` (a button the script wanted was not offered) and
`orders_confirmed` show how far; compare them between runs as well.

A turn the server refuses (an `error` frame) or does not complete within REPLY_TIMEOUT_S is
counted (`refused`, `timeouts`) and not timed; the customer goes on with its script.

The server's CPU time (the process and its children, psutil) and this client's own CPU
time are read around each window: on a 2-core machine the client competes with the server,
so a client near one full core means the figure is partly the client's.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import psutil
from websockets.asyncio.client import ClientConnection, connect

from bench.run import (
    BENCH_SESSION_RATE,
    CHINESE,
    ENGLISH,
    HOST,
    Customer,
    Server,
    chatcart_command,
    free_port,
    summary,
    webchat_token,
)

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
WORKSPACE = "demo"
#: Under full load a reply can take a while; a turn slower than this counts as a timeout.
REPLY_TIMEOUT_S = 30.0
SETTLE_AFTER_START_S = 2.0
#: The paced window sends at this share of the closed loop's throughput.
PACE = 0.5


class Client(Protocol):
    async def turn(self) -> tuple[int, int]:
        """(sent, complete) as perf_counter_ns; raises TimeoutError or Refused."""
        ...


class Refused(Exception):
    """The server answered a frame with an `error` frame."""


# ---------------------------------------------------------------- clients


@dataclass
class ChatClient:
    """One web chat customer on its own socket."""

    ws: ClientConnection
    customer: Customer
    typing_off_first: int = 0
    orders: int = 0

    async def turn(self) -> tuple[int, int]:
        text, payload = self.customer.next_input()
        self.orders += payload.startswith("CONFIRM:")
        frame_id = uuid.uuid4().hex
        frame = (
            {"type": "postback", "id": frame_id, "payload": payload, "title": payload}
            if payload
            else {"type": "message", "id": frame_id, "text": text}
        )
        sent = time.perf_counter_ns()
        await self.ws.send(json.dumps(frame, ensure_ascii=False))
        async with asyncio.timeout(REPLY_TIMEOUT_S):
            messages, done = await self._reply(frame_id)
        self.customer.saw(messages)
        return sent, done

    async def _reply(self, frame_id: str) -> tuple[list[dict[str, Any]], int]:
        acked, typing_off_early = False, False
        messages: list[dict[str, Any]] = []
        last_message = 0
        while True:
            frame = json.loads(await self.ws.recv())
            at = time.perf_counter_ns()
            kind = frame.get("type")
            if kind == "error" and frame.get("id") in (None, frame_id):
                raise Refused(str(frame.get("reason")))
            if kind == "ack" and frame.get("id") == frame_id:
                acked = True
            elif not acked:
                continue
            elif kind == "message" and frame.get("direction") == "out":
                messages.append(frame["message"])
                last_message = at
                if typing_off_early:  # typing ended before the reply: take the first message
                    self.typing_off_first += 1
                    return messages, at
            elif kind == "typing" and not frame.get("on"):
                if messages:
                    return messages, max(at, last_message)
                typing_off_early = True


@dataclass
class EchoClient:
    """One socket to the echo app, sending the scripts' texts in turn."""

    ws: ClientConnection
    texts: Sequence[str]
    step: int = 0

    async def turn(self) -> tuple[int, int]:
        text = self.texts[self.step % len(self.texts)]
        self.step += 1
        frame = json.dumps({"type": "message", "id": uuid.uuid4().hex, "text": text}, ensure_ascii=False)
        sent = time.perf_counter_ns()
        await self.ws.send(frame)
        async with asyncio.timeout(REPLY_TIMEOUT_S):
            echoed = await self.ws.recv()
        if echoed != frame:
            raise RuntimeError("the echo server answered something else")
        return sent, time.perf_counter_ns()


@contextlib.asynccontextmanager
async def sockets(urls: Sequence[str]) -> AsyncIterator[list[ClientConnection]]:
    """Open WebSockets, closed on exit (no pings: a browser sends none either)."""
    async with contextlib.AsyncExitStack() as stack:
        opened = []
        for url in urls:
            ws = connect(url, proxy=None, ping_interval=None, open_timeout=30, max_size=2**22)
            opened.append(await stack.enter_async_context(ws))
        yield opened


def chat_url(port: int) -> str:
    return f"ws://{HOST}:{port}/channels/webchat/ws?workspace={WORKSPACE}"


def demo_customers(count: int) -> list[Customer]:
    """Half on bench/run.py's English script, half on its Chinese one."""
    return [Customer(f"ws-{i}", ENGLISH if i % 2 == 0 else CHINESE) for i in range(count)]


# ---------------------------------------------------------------- load shapes


@dataclass
class Window:
    """What one load window recorded: per turn (intended or actual send, completion)."""

    seconds: float
    turns: list[tuple[int, int]] = field(default_factory=list)
    timeouts: int = 0
    refused: int = 0
    late_sends: int = 0
    started_ns: int = 0
    client_cpu_s: float = 0.0
    server_cpu_s: float = 0.0

    @contextlib.contextmanager
    def counting(self) -> Iterator[None]:
        """Counts a turn that timed out or was refused, instead of failing the window."""
        try:
            yield
        except TimeoutError:
            self.timeouts += 1
        except Refused:
            self.refused += 1

    def report(self, clients: int) -> dict[str, Any]:
        deadline = self.started_ns + int(self.seconds * 1e9)
        completed_in_window = sum(1 for _, done in self.turns if done <= deadline)
        figures: dict[str, Any] = {
            "clients": clients,
            "seconds": self.seconds,
            "turns": len(self.turns),
            "turns_per_s": round(completed_in_window / self.seconds, 1),
            "timeouts": self.timeouts,
            "refused": self.refused,
            "late_sends": self.late_sends,
            "server_cpu_s": round(self.server_cpu_s, 2),
            "server_cpu_cores": round(self.server_cpu_s / self.seconds, 2),
            "server_cpu_ms_per_turn": round(1000 * self.server_cpu_s / max(1, completed_in_window), 2),
            "client_cpu_cores": round(self.client_cpu_s / self.seconds, 2),
        }
        if self.turns:
            figures["reply"] = summary([done - start for start, done in self.turns])
        return figures


async def closed_loop(clients: Sequence[Client], seconds: float) -> Window:
    """Every client sends again as soon as its previous turn is complete."""
    window = Window(seconds, started_ns=time.perf_counter_ns())
    deadline = window.started_ns + int(seconds * 1e9)

    async def customer(client: Client) -> None:
        while time.perf_counter_ns() < deadline:
            with window.counting():
                window.turns.append(await client.turn())

    await asyncio.gather(*(customer(c) for c in clients))
    return window


async def paced(clients: Sequence[Client], rate: float, seconds: float, seed: int = 7) -> Window:
    """Poisson sends at `rate` turns/s in all, each turn timed from when it was due."""
    window = Window(seconds, started_ns=time.perf_counter_ns())
    deadline = window.started_ns + int(seconds * 1e9)
    per_client = rate / len(clients)

    async def customer(client: Client, rng: random.Random) -> None:
        due = window.started_ns + int(rng.expovariate(per_client) * 1e9)
        while due < deadline:
            wait = due - time.perf_counter_ns()
            if wait > 0:
                await asyncio.sleep(wait / 1e9)
            elif wait < -1_000_000:
                window.late_sends += 1
            with window.counting():
                _, done = await client.turn()
                window.turns.append((due, done))
            due += int(rng.expovariate(per_client) * 1e9)

    await asyncio.gather(*(customer(c, random.Random(seed * 1000 + i)) for i, c in enumerate(clients)))
    return window


async def measured(server: Server, run: Callable[[], Awaitable[Window]]) -> Window:
    """Runs a window, adding the server's and this process's CPU time over it."""
    server_cpu, client_cpu = cpu_seconds(server.process.pid), time.process_time()
    window = await run()
    window.server_cpu_s = cpu_seconds(server.process.pid) - server_cpu
    window.client_cpu_s = time.process_time() - client_cpu
    return window


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its live children."""
    process = psutil.Process(pid)
    total = 0.0
    for p in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            times = p.cpu_times()
            total += times.user + times.system
    return total


# ---------------------------------------------------------------- servers


def start_server(name: str, command: list[str], port: int, workdir: Path) -> Server:
    """A server subprocess running this checkout's code (PYTHONPATH = the repository)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATCART_")} | BENCH_SESSION_RATE
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Server(name, port, process, log)


def echo_command(port: int) -> list[str]:
    return [
        *(sys.executable, "-m", "uvicorn", "echo_app:app", "--app-dir", str(BENCH_DIR)),
        *("--host", HOST, "--port", str(port), "--log-level", "warning"),
    ]


def demo_command(port: int, data_dir: Path) -> list[str]:
    return [chatcart_command(), "demo", "--port", str(port), "--data-dir", str(data_dir)]


# ---------------------------------------------------------------- the two servers


@contextlib.contextmanager
def serving(name: str, command: Callable[[int], list[str]], ready: str, workdir: Path) -> Iterator[Server]:
    """A server on a free port, answering `ready`, stopped on exit."""
    port = free_port()
    server = start_server(name, command(port), port, workdir)
    try:
        server.wait_ready(ready)
        time.sleep(SETTLE_AFTER_START_S)
        yield server
    finally:
        server.stop()


async def echo_window(
    server: Server, clients: int, seconds: float, warmup_s: float, rate: float | None = None
) -> dict[str, Any]:
    """Closed loop on the echo app, or paced at `rate` when one is given."""
    texts = [t for t in ENGLISH + CHINESE if t[0] not in "!?"]
    async with sockets([f"ws://{HOST}:{server.port}/ws"] * clients) as opened:
        echo = [EchoClient(ws, texts, step=i) for i, ws in enumerate(opened)]
        await closed_loop(echo, warmup_s)
        if rate is None:
            return (await measured(server, lambda: closed_loop(echo, seconds))).report(clients)
        window = await measured(server, lambda: paced(echo, rate, seconds))
    return {**window.report(clients), "target_turns_per_s": round(rate, 1), "arrivals": "poisson"}


async def chat_window(
    server: Server, clients: int, seconds: float, warmup_s: float, rate: float | None = None
) -> dict[str, Any]:
    """Fresh customers on the demo shop: closed loop, or paced at `rate` when one is given."""
    people = demo_customers(clients)
    async with sockets([chat_url(server.port) for _ in people]) as opened:
        for ws in opened:  # each customer proves its own new visitor (docs/widget.md)
            await ws.send(json.dumps({"type": "hello", "token": webchat_token(server.port)}))
        chat = [ChatClient(ws, c) for ws, c in zip(opened, people, strict=True)]
        await closed_loop(chat, warmup_s)
        before = script_progress(chat)
        if rate is None:
            window = await measured(server, lambda: closed_loop(chat, seconds))
        else:
            window = await measured(server, lambda: paced(chat, rate, seconds))
        figures = {**window.report(clients), **script_progress(chat, before)}
    figures["typing_off_before_reply"] = sum(c.typing_off_first for c in chat)
    if rate is not None:
        figures |= {"target_turns_per_s": round(rate, 1), "arrivals": "poisson"}
    return figures


def script_progress(chat: Sequence[ChatClient], since: dict[str, int] | None = None) -> dict[str, int]:
    """Orders confirmed and taps skipped (the button was not offered: a product sold out in
    the demo shop's small stock, or a step the bot did not ask) so far, or since `since`."""
    now = {
        "orders_confirmed": sum(c.orders for c in chat),
        "skipped_taps": sum(c.customer.skipped for c in chat),
    }
    return {k: v - (since or {}).get(k, 0) for k, v in now.items()}


def run_async(work: Awaitable[dict[str, Any]]) -> dict[str, Any]:
    """Runs on uvloop when it is installed (as the servers do), else asyncio's own loop."""
    try:
        import uvloop

        factory: Callable[[], asyncio.AbstractEventLoop] | None = uvloop.new_event_loop
    except ImportError:
        factory = None

    async def main() -> dict[str, Any]:
        return await work

    with asyncio.Runner(loop_factory=factory) as runner:
        return runner.run(main())


def bench_webchat(clients: int, seconds: float, warmup_s: float, workdir: Path) -> dict[str, Any]:
    """Echo closed loop; chatcart closed loop; chatcart paced at PACE × that rate; echo paced
    at the same rate. Each chatcart window gets a fresh `chatcart demo` (its own data
    directory), so both start from the demo shop's full stock whatever the other sold."""
    results: dict[str, Any] = {"echo": {}, "chatcart": {}}
    echo_out, chat_out = results["echo"], results["chatcart"]
    with serving("baseline", echo_command, "/echo", workdir) as echo:
        echo_out["rss_mib"] = echo.rss_mib()
        echo_out["closed_loop"] = run_async(echo_window(echo, clients, seconds, warmup_s))
        with serving("chatcart", demo_at(workdir / "demo-closed"), "/healthz", workdir) as chat:
            chat_out["rss_mib"] = chat.rss_mib()
            chat_out["closed_loop"] = run_async(chat_window(chat, clients, seconds, warmup_s))
            chat_out["rss_after_mib"] = chat.rss_mib()
        rate = max(0.5, PACE * chat_out["closed_loop"]["turns_per_s"])
        with serving("chatcart-paced", demo_at(workdir / "demo-paced"), "/healthz", workdir) as chat:
            chat_out["paced"] = run_async(chat_window(chat, clients, seconds, warmup_s, rate))
        echo_out["paced"] = run_async(echo_window(echo, clients, seconds, warmup_s, rate))
        echo_out["rss_after_mib"] = echo.rss_mib()
    return results


def demo_at(data_dir: Path) -> Callable[[int], list[str]]:
    return lambda port: demo_command(port, data_dir)
