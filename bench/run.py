"""chatcart's benchmark, all in one run (docs/benchmarks.md explains the figures):

1. engine turns in process: accept + process_contact on a migrated SQLite demo shop, driven
   like `chatcart shell`, and `Engine.handle` alone;
2. web chat round trips through a real `chatcart demo` server (WebSocket);
3. the same round trip against a bare FastAPI echo app (bench/echo_app.py) served by uvicorn;
4. the resident memory of both servers after start-up.

    .venv/bin/python bench/run.py [--turns 1000] [--ws-turns 200] [--out bench/results/latest.json]

Everything listens on 127.0.0.1 only; the servers are subprocesses, stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import math
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import psutil
from websockets.asyncio.client import ClientConnection, connect

from chatcart.cli.shell import ShellSession
from chatcart.demo.loader import ensure_demo
from chatcart.services.runtime import build_runtime
from chatcart.storage.migrate import upgrade

BENCH_DIR = Path(__file__).resolve().parent
HOST = "127.0.0.1"
WORKSPACE = "demo"
WARMUP_TURNS = 100
#: A reply is complete once its ack, its `typing` off frame and a bot message have arrived;
#: frames arriving within this window afterwards still belong to it (the reply's message
#: frames and the `typing` off frame race). The wait itself is not timed; the echo baseline
#: pauses as long between round trips so both servers see the same pacing.
SETTLE_S = 0.1
REPLY_TIMEOUT_S = 10.0
START_TIMEOUT_S = 60.0
SETTLE_AFTER_START_S = 2.0

# What customers do. "text" is typed; "!PAYLOAD" taps a fixed button; "?PREFIX" taps the first
# button of the previous reply whose payload starts with PREFIX, and is skipped when the reply
# offered none (a product sold out during the run, say).
ENGLISH = (
    "hi",
    "!BROWSE",
    "!CAT:apparel",
    "!NEED:apparel:party",
    "red dress under 1000",
    "?BUY:",
    "?SIZE:",
    "?COLOR:",
    "?QTY:",
    "how long does shipping take",
    "!CART",
    "!CHECKOUT",
    "?SHIP:home",
    "No. 100, Songren Rd, Xinyi District, Taipei",
    "Amy Chen",
    "0912 345 678",
    "?COUPON_SKIP",
    "?PAY:cod",
    "?CONFIRM:",
    "where is my order",
    "oolong tea",
    "!FAQ",
    "?FAQ:returns",
    "asdf qwerty zxcv",
    "thanks!",
)
CHINESE = (
    "你好",
    "保濕的唇膏",
    "?BUY:",
    "?SIZE:",
    "?COLOR:",
    "?QTY:",
    "運送要多久",
    "購物車",
    "!CHECKOUT",
    "?SHIP:store-711",
    "信義松仁門市",
    "陳美玲",
    "0987654321",
    "?COUPON_SKIP",
    "?PAY:bank_transfer",
    "?CONFIRM:",
    "我的訂單",
    "烏龍茶",
    "?BUY:",
    "?SIZE:",
    "?QTY:",
    "!CART",
    "?CART_REMOVE:",
    "嗯嗯啊啊",
    "謝謝",
)


@dataclass
class Customer:
    """One contact working through a script, round and round."""

    name: str
    script: tuple[str, ...]
    step: int = 0
    offered: list[str] = field(default_factory=list)
    skipped: int = 0

    def next_input(self) -> tuple[str, str]:
        """(text, postback payload) of the next turn."""
        while True:
            item = self.script[self.step % len(self.script)]
            self.step += 1
            if item.startswith("!"):
                return "", item[1:]
            if not item.startswith("?"):
                return item, ""
            tap = next((p for p in self.offered if p.startswith(item[1:])), None)
            if tap is not None:
                return "", tap
            self.skipped += 1

    def saw(self, messages: list[dict[str, Any]]) -> None:
        self.offered = [
            button["payload"]
            for m in messages
            for button in [
                *(m.get("quick_replies") or []),
                *(m.get("buttons") or []),
                *(b for card in m.get("cards") or [] for b in card.get("buttons") or []),
            ]
            if button.get("payload")
        ]


def customers(prefix: str) -> list[Customer]:
    return [
        Customer(f"{prefix}-en-1", ENGLISH),
        Customer(f"{prefix}-zh-1", CHINESE),
        Customer(f"{prefix}-en-2", ENGLISH),
        Customer(f"{prefix}-zh-2", CHINESE),
    ]


def summary(samples_ns: list[int]) -> dict[str, float]:
    """n, p50, p99 (nearest rank), mean and max, in milliseconds."""
    ordered = sorted(samples_ns)

    def rank(p: float) -> float:
        return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] / 1e6

    return {
        "n": len(ordered),
        "p50_ms": round(rank(50), 3),
        "p99_ms": round(rank(99), 3),
        "mean_ms": round(sum(ordered) / len(ordered) / 1e6, 3),
        "max_ms": round(ordered[-1] / 1e6, 3),
    }


def ratio(a: float, b: float) -> float:
    return round(a / b, 2) if b else math.nan


# ---------------------------------------------------------------- 1. engine turns in process


def bench_engine(turns: int, data_dir: Path) -> dict[str, Any]:
    rt = build_runtime(f"sqlite:///{data_dir / 'engine.db'}", f"http://{HOST}:8000")
    upgrade(rt.db)
    ensure_demo(rt, WORKSPACE)
    handle_ns: list[int] = []
    handle = rt.engine.handle

    def timed_handle(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter_ns()
        try:
            return handle(*args, **kwargs)
        finally:
            handle_ns.append(time.perf_counter_ns() - start)

    rt.engine.handle = timed_handle  # type: ignore[method-assign]

    def run(people: list[Customer], count: int) -> tuple[list[int], list[int], int]:
        """Wall-clock and CPU time (of this thread) per turn, and the turns without a reply."""
        sessions = {c.name: ShellSession(rt, WORKSPACE, c.name) for c in people}
        samples, cpu, silent = [], [], 0
        for i in range(count):
            customer = people[i % len(people)]
            text, payload = customer.next_input()
            line = json.dumps({"postback": payload} if payload else {"text": text}, ensure_ascii=False)
            start, start_cpu = time.perf_counter_ns(), time.thread_time_ns()
            replies = sessions[customer.name].send(line)
            samples.append(time.perf_counter_ns() - start)
            cpu.append(time.thread_time_ns() - start_cpu)
            silent += not replies
            customer.saw(replies)
        return samples, cpu, silent

    try:
        run(customers("warmup"), WARMUP_TURNS)
        handle_ns.clear()
        people = customers("engine")
        turn_ns, cpu_ns, silent = run(people, turns)
    finally:
        rt.db.dispose()
    return {
        "turn": summary(turn_ns),
        "turn_cpu": summary(cpu_ns),
        "engine_handle": summary(handle_ns),
        "contacts": len(people),
        "turns_without_reply": silent,
        "skipped_taps": sum(c.skipped for c in people),
    }


# ---------------------------------------------------------------- servers


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path

    def rss_mib(self) -> float:
        return round(psutil.Process(self.process.pid).memory_info().rss / 2**20, 1)

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                tail = self.log.read_text(errors="replace")[-2000:]
                raise RuntimeError(f"{self.name} exited with {self.process.returncode}:\n{tail}")
            with contextlib.suppress(OSError):
                if http_get(self.port, path) == 200:
                    return
            time.sleep(0.1)
        raise TimeoutError(f"{self.name} did not answer {path} within {START_TIMEOUT_S} s")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


#: Benchmarks open hundreds of web chat sessions from one address; the default allowance is 20 a minute.
BENCH_SESSION_RATE = {"CHATCART_WEBCHAT_SESSION_RATE": "1000000/minute"}


def webchat_token(port: int) -> str:
    """A web chat session token from the server, as the widget gets one (docs/widget.md)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("POST", f"/channels/webchat/session?workspace={WORKSPACE}")
        token: str = json.loads(connection.getresponse().read())["token"]
    finally:
        connection.close()
    return token


def start(name: str, command: list[str], port: int, workdir: Path) -> Server:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATCART_")} | BENCH_SESSION_RATE
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT)
    return Server(name, port, process, log)


def chatcart_command() -> str:
    beside = Path(sys.executable).with_name("chatcart")
    found = str(beside) if beside.exists() else shutil.which("chatcart")
    if found is None:
        raise SystemExit("chatcart is not installed in this environment (pip install -e .)")
    return found


def http_get(port: int, path: str, connection: http.client.HTTPConnection | None = None) -> int:
    conn = connection or http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        if connection is None:
            conn.close()


def bench_http(port: int, path: str, count: int) -> dict[str, float]:
    """GET round trips on one keep-alive connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=REPLY_TIMEOUT_S)
    samples = []
    try:
        for i in range(WARMUP_TURNS // 5 + count):
            start = time.perf_counter_ns()
            status = http_get(port, path, conn)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
            if i >= WARMUP_TURNS // 5:
                samples.append(time.perf_counter_ns() - start)
    finally:
        conn.close()
    return summary(samples)


# ---------------------------------------------------------------- 2. and 3. WebSocket round trips


@dataclass
class Reply:
    """The frames one customer frame caused, with receive times (perf_counter_ns)."""

    acked: int = 0
    typing_off: int = 0
    last_message: int = 0
    messages: list[dict[str, Any]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return bool(self.acked and self.typing_off and self.messages)

    def take(self, raw: str | bytes, at: int) -> None:
        frame = json.loads(raw)
        kind = frame.get("type")
        if kind == "ack":
            self.acked = at
        elif kind == "typing" and not frame.get("on"):
            self.typing_off = at
        elif kind == "message" and frame.get("direction") == "out":
            self.messages.append(frame["message"])
            self.last_message = at
        elif kind == "error":
            raise RuntimeError(f"the server refused a frame: {frame}")


async def chat_turn(ws: ClientConnection, text: str, payload: str) -> tuple[int, int, Reply]:
    """(send → ack, send → last frame of the reply) in ns, and the reply."""
    frame_id = uuid.uuid4().hex
    frame = (
        {"type": "postback", "id": frame_id, "payload": payload, "title": payload}
        if payload
        else {"type": "message", "id": frame_id, "text": text}
    )
    reply = Reply()
    start = time.perf_counter_ns()
    await ws.send(json.dumps(frame, ensure_ascii=False))
    async with asyncio.timeout(REPLY_TIMEOUT_S):
        while not reply.complete:
            raw = await ws.recv()
            reply.take(raw, time.perf_counter_ns())
    with contextlib.suppress(TimeoutError):
        while True:
            raw = await asyncio.wait_for(ws.recv(), SETTLE_S)
            reply.take(raw, time.perf_counter_ns())
    return reply.acked - start, max(reply.typing_off, reply.last_message) - start, reply


async def chat_turns(port: int, people: list[Customer], count: int) -> tuple[list[int], list[int]]:
    async with contextlib.AsyncExitStack() as stack:
        sockets = {
            c.name: await stack.enter_async_context(
                connect(f"ws://{HOST}:{port}/channels/webchat/ws?workspace={WORKSPACE}", proxy=None)
            )
            for c in people
        }
        for ws in sockets.values():
            await ws.send(json.dumps({"type": "hello", "token": webchat_token(port)}))
        acks, replies = [], []
        for i in range(count):
            customer = people[i % len(people)]
            ack_ns, reply_ns, reply = await chat_turn(sockets[customer.name], *customer.next_input())
            customer.saw(reply.messages)
            acks.append(ack_ns)
            replies.append(reply_ns)
    return acks, replies


async def echo_turns(port: int, count: int) -> list[int]:
    texts = [t for t in ENGLISH + CHINESE if t[0] not in "!?"]
    samples = []
    async with connect(f"ws://{HOST}:{port}/ws", proxy=None) as ws:
        for i in range(WARMUP_TURNS + count):
            frame = json.dumps(
                {"type": "message", "id": uuid.uuid4().hex, "text": texts[i % len(texts)]}, ensure_ascii=False
            )
            start = time.perf_counter_ns()
            await ws.send(frame)
            echoed = await asyncio.wait_for(ws.recv(), REPLY_TIMEOUT_S)
            elapsed = time.perf_counter_ns() - start
            if echoed != frame:
                raise RuntimeError("the echo server answered something else")
            if i >= WARMUP_TURNS:
                samples.append(elapsed)
            await asyncio.sleep(SETTLE_S)
    return samples


async def bench_sockets(chat_port: int, echo_port: int, count: int) -> dict[str, Any]:
    await chat_turns(chat_port, customers("warmup"), WARMUP_TURNS)
    people = customers("webchat")
    acks, replies = await chat_turns(chat_port, people, count)
    echoes = await echo_turns(echo_port, count)
    return {
        "chatcart_ack": summary(acks),
        "chatcart_reply": summary(replies),
        "baseline_echo": summary(echoes),
        "skipped_taps": sum(c.skipped for c in people),
    }


# ---------------------------------------------------------------- the run


def measure(turns: int, ws_turns: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="chatcart-bench-") as tmp:
        workdir = Path(tmp)
        print(f"1/3 engine: {WARMUP_TURNS} warm-up + {turns} turns in process …", flush=True)
        engine = bench_engine(turns, workdir)
        chat_port, echo_port = free_port(), free_port()
        chat = [chatcart_command(), "demo", "--port", str(chat_port), "--data-dir", str(workdir / "demo")]
        echo = [sys.executable, "-m", "uvicorn", "echo_app:app", "--app-dir", str(BENCH_DIR)]
        echo += ["--host", HOST, "--port", str(echo_port), "--log-level", "warning"]
        servers: list[Server] = []
        try:
            print("2/3 servers: starting chatcart demo and the echo baseline …", flush=True)
            servers.append(start("chatcart", chat, chat_port, workdir))
            servers.append(start("baseline", echo, echo_port, workdir))
            servers[0].wait_ready("/healthz")
            servers[1].wait_ready("/echo")
            time.sleep(SETTLE_AFTER_START_S)
            rss = {s.name: s.rss_mib() for s in servers}
            print(f"3/3 round trips: {WARMUP_TURNS} warm-up + {ws_turns} per server …", flush=True)
            sockets = asyncio.run(bench_sockets(chat_port, echo_port, ws_turns))
            http_chatcart = bench_http(chat_port, "/healthz", ws_turns)
            http_baseline = bench_http(echo_port, "/echo?text=hi", ws_turns)
            rss_after = {s.name: s.rss_mib() for s in servers}
        finally:
            for server in servers:
                server.stop()
    return {
        "engine": engine,
        "webchat": sockets,
        "http": {"chatcart_healthz": http_chatcart, "baseline_echo": http_baseline},
        "memory": {
            "chatcart_rss_mib": rss["chatcart"],
            "baseline_rss_mib": rss["baseline"],
            "chatcart_rss_after_load_mib": rss_after["chatcart"],
            "baseline_rss_after_load_mib": rss_after["baseline"],
        },
    }


def add_ratios(results: dict[str, Any]) -> None:
    chat, echo = results["webchat"]["chatcart_reply"], results["webchat"]["baseline_echo"]
    health, bare = results["http"]["chatcart_healthz"], results["http"]["baseline_echo"]
    memory = results["memory"]
    results["ratios"] = {
        "webchat_reply_vs_echo_p50": ratio(chat["p50_ms"], echo["p50_ms"]),
        "webchat_reply_vs_echo_p99": ratio(chat["p99_ms"], echo["p99_ms"]),
        "webchat_reply_vs_echo_mean": ratio(chat["mean_ms"], echo["mean_ms"]),
        "http_healthz_vs_echo_p50": ratio(health["p50_ms"], bare["p50_ms"]),
        "rss_vs_baseline": ratio(memory["chatcart_rss_mib"], memory["baseline_rss_mib"]),
    }


def report(results: dict[str, Any]) -> str:
    rows = [
        ("engine turn: accept + process_contact", results["engine"]["turn"]),
        ("engine turn: CPU time of the thread", results["engine"]["turn_cpu"]),
        ("engine: Engine.handle alone", results["engine"]["engine_handle"]),
        ("web chat: send → ack", results["webchat"]["chatcart_ack"]),
        ("web chat: send → complete reply", results["webchat"]["chatcart_reply"]),
        ("baseline: WebSocket echo", results["webchat"]["baseline_echo"]),
        ("chatcart: GET /healthz", results["http"]["chatcart_healthz"]),
        ("baseline: GET /echo", results["http"]["baseline_echo"]),
    ]
    machine = results["machine"]
    lines = [
        f"chatcart benchmark: {machine['cpu_count']} CPUs, Python {machine['python']}, load average"
        f" {machine['load_average_before'][0]} before, {machine['load_average_after'][0]} after",
        f"{'':40} {'n':>5} {'p50':>10} {'p99':>10} {'mean':>10} {'max':>10}",
    ]
    for label, s in rows:
        lines.append(
            f"{label:40} {s['n']:>5} {s['p50_ms']:>7.3f} ms {s['p99_ms']:>7.3f} ms"
            f" {s['mean_ms']:>7.3f} ms {s['max_ms']:>7.3f} ms"
        )
    r, m = results["ratios"], results["memory"]
    lines += [
        f"web chat reply / echo baseline: p50 {r['webchat_reply_vs_echo_p50']}×, "
        f"p99 {r['webchat_reply_vs_echo_p99']}×, mean {r['webchat_reply_vs_echo_mean']}×",
        f"GET /healthz / GET /echo: p50 {r['http_healthz_vs_echo_p50']}×",
        f"RSS after start-up: chatcart {m['chatcart_rss_mib']} MiB, baseline {m['baseline_rss_mib']} MiB"
        f" ({r['rss_vs_baseline']}×); after the round trips {m['chatcart_rss_after_load_mib']} MiB"
        f" vs {m['baseline_rss_after_load_mib']} MiB",
        f"skipped taps (button not offered): engine {results['engine']['skipped_taps']}, "
        f"web chat {results['webchat']['skipped_taps']}; "
        f"engine turns without a reply: {results['engine']['turns_without_reply']}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--turns", type=int, default=1000, help="engine turns (default 1000)")
    parser.add_argument("--ws-turns", type=int, default=200, help="round trips per server (default 200)")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "latest.json")
    args = parser.parse_args(argv)
    if args.turns < 1 or args.ws_turns < 1:
        parser.error("--turns and --ws-turns must be positive")
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
        },
        "settings": {
            "turns": args.turns,
            "ws_turns": args.ws_turns,
            "warmup_turns": WARMUP_TURNS,
            "settle_s": SETTLE_S,
        },
        **measure(args.turns, args.ws_turns),
    }
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    add_ratios(results)
    print(report(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
