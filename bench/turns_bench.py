"""The turn pipeline's benchmark: how a customer turn scales with the catalog, and how many
web chat customers one `chatcart demo` serves next to a bare FastAPI echo app.

    .venv/bin/python bench/turns_bench.py [--sizes 36,1000,10000,50000] [--turns 200]
        [--budget 60] [--seconds 15] [--clients 50] [--skip-ws] [--out bench/results/turns.json]

Everything runs on 127.0.0.1; servers and workers are subprocesses, stopped at the end even
on error. At the defaults a run takes about 2 minutes on 2 cores when turns stay fast on a
big catalog, and about 6 when they take seconds (each size's measured turns stop after
`--budget` seconds; the slow 50,000-product import of commit 2abb143 took one to two).
It prints two tables and writes every figure, and every turn, as JSON. No figure is
asserted: compare a run with a run of the same command on the same machine at a similar
load average (both are printed), before and after a change, and only when the catalog
generator is the same (its SHA-1 is in the JSON: the catalog, and so the searched words,
change with it).

## 1. Turn latency against catalog size (bench/catalog_turns.py)

For each size, a migrated SQLite database in a temporary directory gets either the demo shop
(36 products, `ensure_demo`) or a workspace with a generated bilingual feed of that many
products imported (`import_catalog_file`; the feed comes from bench/catalog_gen.py). A fresh
process then drives turns through `ShellSession.send`, as `chatcart shell` does: two
contacts, one on an English and one on a Chinese script (bench/turn_scripts.py: greeting,
browse → category, searches with the catalog's own words, a typo and an English-Chinese mix,
buy → size → colour → quantity, the cart, a checkout confirmed with cash on delivery). Per
size:

- `n`: measured turns. Each size runs `--turns` turns but stops after `--budget` seconds, so
  a slow catalog gets fewer; the inputs come in the same order on every size, so the first
  n turns of any two sizes are the same inputs.
- wall / CPU p50 and p99: the turn's wall time and the CPU time of the thread that ran it
  (wall ≈ CPU: the turn computed all along; wall ≫ CPU: it waited, on a lock or on another
  thread). The process CPU time per turn is in the JSON as well (`process_cpu`): if work
  moves to other threads it shows there and not in the thread's.
- `×36`: the figure divided by the 36-product figure over the same first n turns.
- RSS +MiB: the process's resident memory after the workspace's first turn (a search) minus
  before it, the process having been warmed up on a three-product workspace first; so it is
  what loading that catalog costs. `end`: after the measured turns, minus the same. A catalog
  kept in memory shows in both; one loaded per turn shows as allocator high water, mostly in
  `end` (`rss_mib` in the JSON has the readings).
- SQL / txn per turn (mean): statements and transactions on every SQLAlchemy engine the
  runtime holds (engine events `before_cursor_execute`, `begin`; engines are looked for
  among the attributes of `rt.db` and `rt` before every turn); `BEGIN IMMEDIATE` and the
  like count as transactions, not statements. `sqlite`: statement executions as SQLite
  itself saw them (its trace callback): a batched insert (executemany) counts once per row
  there but once in SQL/turn, and a statement run on the raw driver connection, past
  SQLAlchemy, shows only there.
- first turn: the workspace's first turn, which may load and index the catalog.

## 2. Web chat under 50 customers (bench/load_client.py)

`chatcart demo` runs as a subprocess on a fresh data directory; `--clients` customers, each
on a WebSocket of its own, run bench/run.py's English and Chinese scripts on the demo shop.
(a) closed loop for `--seconds`: turns/s and the reply p50/p99; (b) paced, on another fresh
`chatcart demo` (so it starts from full stock too): Poisson sends at half the closed-loop
rate, each reply timed from when it was due. The baseline is bench/echo_app.py under the
same number of clients: closed loop (messages/s, echo p50/p99), then paced at chatcart's
paced rate. The ratios are chatcart/echo. `lost`: turns that timed out (30 s) or were
refused with an `error` frame, not timed. Server CPU per turn is the server process's CPU
time over the window divided by the turns. The client runs in this process and shares the
2 cores, so its CPU use is given too: the echo closed loop is bound by the client (about
one core of it), so the echo throughput, and the throughput ratio, understate what the
echo server could do. Under a closed loop the reply time is mostly queueing (≈ clients /
throughput); the paced p50 is closer to one turn's cost under load. The demo shop's stock
is small: `orders confirmed` and `skipped taps` (a button a script wanted was not offered,
mostly sold out) show how far the scripts' mix drifted within a window.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a file: make the `bench` package importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.load_client import bench_webchat
from bench.run import summary

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
DEFAULT_SIZES = (36, 1000, 10_000, 50_000)
PREPARE_TIMEOUT_S = 600.0
WS_WARMUP_S = 3.0


# ---------------------------------------------------------------- 1. catalog sizes


def run_worker(step: str, workdir: Path, options: list[str], timeout: float) -> dict[str, Any]:
    """Runs bench/catalog_turns.py in a fresh process; its JSON, or RuntimeError with its log."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATCART_")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "bench.catalog_turns", step, "--dir", str(workdir), *options]
    log = workdir / f"{step}.log"
    with log.open("wb") as out:
        done = subprocess.run(
            command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT, timeout=timeout
        )
    if done.returncode != 0:
        tail = log.read_text(errors="replace")[-3000:]
        raise RuntimeError(f"{step} exited with {done.returncode}:\n{tail}")
    result: dict[str, Any] = json.loads((workdir / f"{step}.json").read_text(encoding="utf-8"))
    return result


def bench_catalog(size: int, turns: int, budget: float, root: Path) -> dict[str, Any]:
    workdir = root / f"catalog-{size}"
    workdir.mkdir()
    started = time.monotonic()
    prepared = run_worker("prepare", workdir, ["--size", str(size)], PREPARE_TIMEOUT_S)
    options = ["--turns", str(turns), "--budget", str(budget)]
    measured = run_worker("measure", workdir, options, 2 * budget + 300)
    for leftover in workdir.glob("*.db*"):
        leftover.unlink()
    return {
        "size": size,
        "prepared": prepared,
        **measured,
        "elapsed_s": round(time.monotonic() - started, 1),
    }


def turn_figures(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Latency summaries and SQL counts of a run's turns."""
    if not samples:
        return {"n": 0}
    return {
        "n": len(samples),
        "wall": summary([s["wall_ns"] for s in samples]),
        "thread_cpu": summary([s["thread_ns"] for s in samples]),
        "process_cpu": summary([s["process_ns"] for s in samples]),
        "statements": counts([s["statements"] for s in samples]),
        "sqlite_statements": counts([s.get("sqlite_statements", 0) for s in samples]),
        "transactions": counts([s["transactions"] for s in samples]),
        "commits": counts([s["commits"] for s in samples]),
        "rollbacks": counts([s["rollbacks"] for s in samples]),
        "turns_without_reply": sum(1 for s in samples if not s["replies"]),
    }


def counts(values: list[int]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "mean": round(sum(ordered) / len(ordered), 2),
        "p50": ordered[(len(ordered) - 1) // 2],
        "max": ordered[-1],
    }


def baseline_of(catalogs: list[dict[str, Any]]) -> int | None:
    """The size ratios are taken against: 36 (the demo shop), else the first that ran."""
    ran = [c["size"] for c in catalogs if c.get("turns")]
    return 36 if 36 in ran else (ran[0] if ran else None)


def add_catalog_ratios(catalogs: list[dict[str, Any]]) -> None:
    """Each size's p50/p99 over the 36-product run's (or the first size's) same first n turns."""
    base = next((c for c in catalogs if c["size"] == baseline_of(catalogs) and c.get("turns")), None)
    if base is None:
        return
    for catalog in catalogs:
        if "turns" not in catalog or not catalog["turns"]:
            continue
        n = len(catalog["turns"])
        same = turn_figures(base["turns"][:n])
        mine = catalog["figures"]
        catalog["ratios"] = {
            "baseline_size": base["size"],
            "baseline_turns": same["n"],
            **{
                f"{kind}_{p}": share(mine[kind][f"{p}_ms"], same[kind][f"{p}_ms"])
                for kind in ("wall", "thread_cpu")
                for p in ("p50", "p99")
            },
        }


def bench_catalogs(sizes: list[int], turns: int, budget: float, root: Path) -> list[dict[str, Any]]:
    results = []
    for number, size in enumerate(sizes, 1):
        print(f"1/2 catalog {number}/{len(sizes)}: {size:,} products …", flush=True)
        try:
            result = bench_catalog(size, turns, budget, root)
            result["figures"] = turn_figures(result["turns"])
        except (RuntimeError, subprocess.TimeoutExpired, OSError, ValueError) as error:
            print(f"    failed: {str(error)[-400:]}", flush=True)
            result = {"size": size, "error": str(error)}
        results.append(result)
    add_catalog_ratios(results)
    return results


# ---------------------------------------------------------------- 2. web chat


def bench_ws(clients: int, seconds: float, root: Path) -> dict[str, Any]:
    print(
        f"2/2 web chat: {clients} clients; {seconds:g} s windows: echo closed loop, chatcart closed"
        " loop, chatcart paced, echo paced …",
        flush=True,
    )
    results = bench_webchat(clients, seconds, WS_WARMUP_S, root / "webchat")
    echo, chat = results["echo"], results["chatcart"]
    pairs = {
        "throughput": (chat["closed_loop"], echo["closed_loop"], "turns_per_s"),
        "closed_p50": (chat["closed_loop"], echo["closed_loop"], "p50_ms"),
        "closed_p99": (chat["closed_loop"], echo["closed_loop"], "p99_ms"),
        "paced_p50": (chat["paced"], echo["paced"], "p50_ms"),
        "paced_p99": (chat["paced"], echo["paced"], "p99_ms"),
    }
    results["ratios"] = {
        f"{name}_chatcart_vs_echo": share(figure(mine, key), figure(theirs, key))
        for name, (mine, theirs, key) in pairs.items()
    }
    return results


def figure(window: dict[str, Any], key: str) -> float:
    value = window[key] if key in window else window.get("reply", {}).get(key, math.nan)
    return float(value)


def share(a: float, b: float) -> float:
    """a / b to three significant digits (NaN when b is 0 or missing)."""
    return float(f"{a / b:.3g}") if b and not math.isnan(b) else math.nan


# ---------------------------------------------------------------- report


def ms(value: float) -> str:
    if math.isnan(value):
        return "—"
    return f"{value:.1f} ms" if value >= 10 else f"{value:.2f} ms"


def times(value: float) -> str:
    return "—" if math.isnan(value) else f"{value:.3g}×"


def catalog_rows(catalogs: list[dict[str, Any]]) -> list[str]:
    lines = [
        f"{'catalog':>8} {'n':>4} {'wall p50':>18} {'wall p99':>18} {'CPU p50':>18} {'CPU p99':>18}"
        f" {'RSS +MiB':>8} {'end':>6} {'SQL/turn':>8} {'sqlite':>6} {'txn/turn':>8} {'first turn':>11}",
    ]
    for c in catalogs:
        if "error" in c:
            said = [line for line in c["error"].splitlines() if line.strip()] or ["?"]
            lines.append(f"{c['size']:>8,} failed: {said[0][:60]} … {said[-1][:100]}")
            continue
        f, r = c["figures"], c.get("ratios", {})
        if not f["n"]:
            lines.append(f"{c['size']:>8,} no turn within the budget")
            continue
        cells = [
            f"{ms(f[kind][f'{p}_ms'])} ({times(r.get(f'{kind}_{p}', math.nan))})"
            for kind in ("wall", "thread_cpu")
            for p in ("p50", "p99")
        ]
        rss = c["rss_mib"]
        first_rss = rss["after_first_turn"] - rss["before_first_turn"]
        end_rss = rss["after_turns"] - rss["before_first_turn"]
        first = c["first_turn"]["wall_ns"] / 1e6
        lines.append(
            f"{c['size']:>8,} {f['n']:>4} "
            + " ".join(f"{cell:>18}" for cell in cells)
            + f" {first_rss:>8.1f} {end_rss:>6.1f} {f['statements']['mean']:>8.1f}"
            f" {f['sqlite_statements']['mean']:>6.1f} {f['transactions']['mean']:>8.1f} {ms(first):>11}"
        )
    return lines


def webchat_rows(ws: dict[str, Any]) -> list[str]:
    rate = ws["chatcart"]["paced"]["target_turns_per_s"]
    rows = [
        ("echo app, closed loop", ws["echo"]["closed_loop"]),
        ("chatcart, closed loop", ws["chatcart"]["closed_loop"]),
        (f"chatcart, paced {rate}/s", ws["chatcart"]["paced"]),
        (f"echo app, paced {rate}/s", ws["echo"]["paced"]),
    ]
    lines = [
        f"{'':28} {'turns/s':>8} {'p50':>10} {'p99':>10} {'lost':>6} {'srv CPU/turn':>12}"
        f" {'srv cores':>9} {'client cores':>12}"
    ]
    for label, w in rows:
        lines.append(
            f"{label:28} {w['turns_per_s']:>8.1f} {ms(figure(w, 'p50_ms')):>10} {ms(figure(w, 'p99_ms')):>10}"
            f" {w['timeouts'] + w['refused']:>6} {w['server_cpu_ms_per_turn']:>9.2f} ms"
            f" {w['server_cpu_cores']:>9.2f} {w['client_cpu_cores']:>12.2f}"
        )
    r = ws["ratios"]
    lines.append(
        f"chatcart / echo: throughput {times(r['throughput_chatcart_vs_echo'])}, closed loop p50"
        f" {times(r['closed_p50_chatcart_vs_echo'])} p99 {times(r['closed_p99_chatcart_vs_echo'])},"
        f" paced p50 {times(r['paced_p50_chatcart_vs_echo'])} p99 {times(r['paced_p99_chatcart_vs_echo'])}"
    )
    chat, echo = ws["chatcart"], ws["echo"]
    closed, paced = chat["closed_loop"], chat["paced"]
    lines.append(
        f"RSS: chatcart {chat['rss_mib']} → {chat['rss_after_mib']} MiB, echo {echo['rss_mib']}"
        f" → {echo['rss_after_mib']} MiB; chatcart orders confirmed {closed['orders_confirmed']} closed"
        f" loop / {paced['orders_confirmed']} paced, skipped taps {closed['skipped_taps']} /"
        f" {paced['skipped_taps']}"
    )
    return lines


def report(results: dict[str, Any]) -> str:
    machine = results["machine"]
    lines = [
        f"turns benchmark: {machine['cpu_count']} CPUs, Python {machine['python']}, load average"
        f" {machine['load_average_before'][0]} before, {machine['load_average_after'][0]} after",
        "",
        f"1. turn latency against catalog size (× = over the {baseline_of(results['catalogs'])}-product"
        " run's same first n turns)",
        *catalog_rows(results["catalogs"]),
    ]
    if "webchat_error" in results:
        lines += ["", f"2. web chat failed: {results['webchat_error'][-300:]}"]
    if "webchat" in results:
        lines += [
            "",
            f"2. web chat, {results['settings']['clients']} customers",
            *webchat_rows(results["webchat"]),
        ]
    return "\n".join(lines)


# ---------------------------------------------------------------- the run


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help="catalog sizes (36: demo)")
    parser.add_argument("--turns", type=int, default=200, help="measured turns per catalog size")
    parser.add_argument(
        "--budget", type=float, default=60.0, help="seconds of measured turns per size, at most"
    )
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each web chat window")
    parser.add_argument("--clients", type=int, default=50, help="concurrent web chat customers")
    parser.add_argument("--skip-ws", action="store_true", help="only the catalog sizes")
    parser.add_argument("--out", type=Path, default=BENCH_DIR / "results" / "turns.json")
    args = parser.parse_args(argv)
    try:
        args.sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    except ValueError:
        parser.error("--sizes is a comma-separated list of product counts")
    if args.turns < 1 or args.clients < 1 or args.seconds <= 0 or args.budget <= 0:
        parser.error("--turns, --clients, --seconds and --budget must be positive")
    if any(s < 1 for s in args.sizes):
        parser.error("catalog sizes must be positive")
    return args


def stop_on_sigterm() -> None:
    """SIGTERM unwinds like Ctrl-C, so the servers and workers started so far are stopped."""

    def leave(signum: int, _frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, leave)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    stop_on_sigterm()
    results: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu_count": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": [round(x, 2) for x in os.getloadavg()],
        },
        "settings": {
            "sizes": args.sizes,
            "turns": args.turns,
            "budget_s": args.budget,
            "seconds": args.seconds,
            "clients": args.clients,
            "ws_warmup_s": WS_WARMUP_S,
        },
    }
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="chatcart-turns-") as tmp:
        root = Path(tmp)
        results["catalogs"] = bench_catalogs(args.sizes, args.turns, args.budget, root)
        if not args.skip_ws:
            (root / "webchat").mkdir()
            try:
                results["webchat"] = bench_ws(args.clients, args.seconds, root)
            except Exception as error:  # keep the catalog figures; say what broke
                results["webchat_error"] = f"{type(error).__name__}: {error}"
                print(f"    web chat failed: {results['webchat_error'][-600:]}", flush=True)
    results["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    results["elapsed_s"] = round(time.monotonic() - started, 1)
    print(report(results))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written to {args.out} ({results['elapsed_s']:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
