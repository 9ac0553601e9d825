"""One catalog size of bench/turns_bench.py, run in processes of its own.

`prepare` makes the database: a migrated SQLite file, the demo shop (`ensure_demo`) or a
workspace (`create_workspace`) with a generated bilingual feed imported
(`import_catalog_file`), and a second, three-product workspace used only to warm the process
up. `measure` then opens that database in a fresh process, so neither the import nor another
catalog size leaves anything in its memory, and drives customer turns through
`ShellSession.send` (accept + process_contact + the replies read back), one at a time:

1. warm-up turns in the three-product workspace (modules, translations and caches that every
   workspace needs get loaded), then the RSS is read;
2. the measured workspace's first turn (a search, by a contact of its own), then the RSS again:
   the growth is what loading this catalog costs the process;
3. a few warm-up turns, then up to `turns` measured turns, or fewer once `budget_s` seconds
   have gone by; two contacts (the English and the Chinese script of bench/turn_scripts.py)
   take turns, so every catalog size gets the same inputs in the same order.

Every turn records its wall time, the CPU time of this thread and of the whole process, and
the SQL statements and transactions it ran on every SQLAlchemy engine the runtime holds.

    python -m bench.catalog_turns prepare --size 1000 --dir /tmp/x
    python -m bench.catalog_turns measure --dir /tmp/x --turns 200 --budget 60
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psutil
from sqlalchemy import Engine, event
from sqlalchemy.ext.asyncio import AsyncEngine

from bench import catalog_gen
from bench.run import Customer
from bench.turn_scripts import DEMO_WORDS, Words, feed_words, scripts
from chatcart.cli.shell import ShellSession
from chatcart.demo.loader import ensure_demo
from chatcart.services.catalog_import.importer import import_catalog_file
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.workspaces import create_workspace
from chatcart.storage.migrate import upgrade

DEMO_SIZE = 36
WORKSPACE = "bench"
WARM_WORKSPACE = "warmup"
WARM_PRODUCTS = 3
BASE_URL = "http://127.0.0.1:8000"
#: Warm-up turns in the measured workspace before the counted ones, capped by WARMUP_SHARE.
WARMUP_TURNS = 10
#: At most this share of the budget goes to warm-up turns (they are slow on big catalogs).
WARMUP_SHARE = 0.15
_TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "END")


# ---------------------------------------------------------------- prepare


def feed_writer() -> tuple[str, Callable[[Path, int, int], Any]]:
    """bench/catalog_gen.py's `write_feed`, named with the SHA-1 of its file, since the
    catalog (and so every figure) changes with it."""
    source = Path(catalog_gen.__file__ or "")
    digest = hashlib.sha1(source.read_bytes()).hexdigest()[:12]
    return f"bench/{source.name} (sha1 {digest})", catalog_gen.write_feed


def prepare(size: int, workdir: Path) -> dict[str, Any]:
    rt = build_runtime(database_url(workdir), BASE_URL)
    try:
        upgrade(rt.db)
        generator, write_feed = feed_writer()
        warm_feed = workdir / "warmup.csv"
        write_feed(warm_feed, WARM_PRODUCTS, 7)
        create_workspace(rt, WARM_WORKSPACE, "Warm-up")
        import_catalog_file(rt, WARM_WORKSPACE, warm_feed)
        warm_words = asdict(feed_words(warm_feed))
        started = time.perf_counter()
        if size == DEMO_SIZE:
            ensure_demo(rt, WORKSPACE)
            return {
                "workspace": WORKSPACE,
                "words": asdict(DEMO_WORDS),
                "warm_words": warm_words,
                "generator": "demo shop",
            }
        feed = workdir / "feed.csv"
        write_feed(feed, size, 7)
        written = time.perf_counter()
        create_workspace(rt, WORKSPACE, "Bench Shop")
        report = import_catalog_file(rt, WORKSPACE, feed)
        return {
            "workspace": WORKSPACE,
            "words": asdict(feed_words(feed)),
            "warm_words": warm_words,
            "generator": generator,
            "feed_rows": sum(1 for _ in feed.open(encoding="utf-8")) - 1,
            "feed_write_s": round(written - started, 2),
            "import_s": round(time.perf_counter() - written, 2),
            "imported_products": report.imported_products,
            "imported_variants": report.imported_variants,
            "categories": report.categories,
            "rejected_rows": len(report.rejected),
        }
    finally:
        rt.db.dispose()


def database_url(workdir: Path) -> str:
    return f"sqlite:///{workdir / 'bench.db'}"


# ---------------------------------------------------------------- counting SQL


@dataclass
class SqlCounter:
    """Statements and transactions on every engine it is attached to.

    `statements` come from SQLAlchemy's `before_cursor_execute` (an executemany is one);
    `sqlite_statements` from SQLite itself (the trace callback of every pooled sqlite3
    connection: an executemany counts once per row), so a statement run on the raw driver
    connection, past SQLAlchemy, is still seen there."""

    statements: int = 0
    sqlite_statements: int = 0
    transactions: int = 0
    commits: int = 0
    rollbacks: int = 0
    engines: list[int] = field(default_factory=list)
    traced: set[int] = field(default_factory=set)

    def attach(self, engines: list[Engine]) -> None:
        for engine in engines:
            if id(engine) in self.engines:
                continue
            self.engines.append(id(engine))
            event.listen(engine, "before_cursor_execute", self._statement)
            event.listen(engine, "begin", self._begin)
            event.listen(engine, "commit", self._commit)
            event.listen(engine, "rollback", self._rollback)
            if engine.dialect.name == "sqlite":
                event.listen(engine, "checkout", self._trace)

    def snapshot(self) -> tuple[int, int, int, int, int]:
        return self.statements, self.sqlite_statements, self.transactions, self.commits, self.rollbacks

    def _statement(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # BEGIN IMMEDIATE (issued by the SQLite `begin` hook) and friends are transactions.
        if not statement.lstrip().upper().startswith(_TRANSACTION_CONTROL):
            self.statements += 1

    def _trace(self, dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        raw = getattr(dbapi_connection, "driver_connection", dbapi_connection)
        if id(raw) not in self.traced and hasattr(raw, "set_trace_callback"):
            self.traced.add(id(raw))
            raw.set_trace_callback(self._sqlite_statement)

    def _sqlite_statement(self, statement: str) -> None:
        # Trigger bodies are reported as "-- TRIGGER name"; transaction control is not counted.
        text = statement.lstrip().upper()
        if not text.startswith("--") and not text.startswith(_TRANSACTION_CONTROL):
            self.sqlite_statements += 1

    def _begin(self, _conn: Any) -> None:
        self.transactions += 1

    def _commit(self, _conn: Any) -> None:
        self.commits += 1

    def _rollback(self, _conn: Any) -> None:
        self.rollbacks += 1


def engines_of(rt: Runtime) -> list[Engine]:
    """Every SQLAlchemy engine among the attributes of `rt.db` and `rt` (one level deep,
    looking into lists, tuples and dicts too); an AsyncEngine counts by its sync engine."""
    found: dict[int, Engine] = {}
    for owner in (rt.db, rt):
        for value in _attributes(owner):
            for item in _flatten(value):
                engine = item.sync_engine if isinstance(item, AsyncEngine) else item
                if isinstance(engine, Engine):
                    found.setdefault(id(engine), engine)
    return list(found.values())


def _attributes(owner: object) -> list[Any]:
    try:
        return list(vars(owner).values())
    except TypeError:  # __slots__
        return [getattr(owner, name, None) for name in getattr(owner, "__slots__", ())]


def _flatten(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return list(value.values())
    if isinstance(value, list | tuple | set | frozenset):
        return list(value)
    return [value]


# ---------------------------------------------------------------- measuring turns


@dataclass
class TurnSample:
    label: str
    wall_ns: int
    thread_ns: int
    process_ns: int
    statements: int
    sqlite_statements: int
    transactions: int
    commits: int
    rollbacks: int
    replies: int


@dataclass
class Driver:
    """Sends customers' inputs through `ShellSession` and records each turn."""

    rt: Runtime
    workspace: str
    counter: SqlCounter
    sessions: dict[str, ShellSession] = field(default_factory=dict)

    def turn(self, customer: Customer) -> TurnSample:
        text, payload = customer.next_input()
        line = json.dumps({"postback": payload} if payload else {"text": text}, ensure_ascii=False)
        session = self.sessions.setdefault(
            customer.name, ShellSession(self.rt, self.workspace, customer.name)
        )
        before = self.counter.snapshot()
        wall, thread, process = time.perf_counter_ns(), time.thread_time_ns(), time.process_time_ns()
        replies = session.send(line)
        sample = TurnSample(
            label=payload.split(":")[0] if payload else text,
            wall_ns=time.perf_counter_ns() - wall,
            thread_ns=time.thread_time_ns() - thread,
            process_ns=time.process_time_ns() - process,
            statements=self.counter.statements - before[0],
            sqlite_statements=self.counter.sqlite_statements - before[1],
            transactions=self.counter.transactions - before[2],
            commits=self.counter.commits - before[3],
            rollbacks=self.counter.rollbacks - before[4],
            replies=len(replies),
        )
        customer.saw(replies)
        return sample

    def run(self, people: list[Customer], count: int, deadline: float) -> list[TurnSample]:
        """Up to `count` turns, the customers in turn, stopping at `deadline` (monotonic)."""
        samples: list[TurnSample] = []
        for i in range(count):
            if time.monotonic() >= deadline:
                break
            self.counter.attach(engines_of(self.rt))  # an engine made since the last turn
            samples.append(self.turn(people[i % len(people)]))
        return samples


def customers(prefix: str, words: Words) -> list[Customer]:
    english, chinese = scripts(words)
    return [Customer(f"{prefix}-en", english), Customer(f"{prefix}-zh", chinese)]


def rss_mib() -> float:
    gc.collect()
    return round(float(psutil.Process().memory_info().rss) / 2**20, 1)


def measure(workdir: Path, turns: int, budget_s: float) -> dict[str, Any]:
    prepared = json.loads((workdir / "prepare.json").read_text(encoding="utf-8"))
    words = Words(**prepared["words"])
    warm_words = Words(**prepared["warm_words"])
    rt = build_runtime(database_url(workdir), BASE_URL)
    counter = SqlCounter()
    counter.attach(engines_of(rt))
    try:
        rss_start = rss_mib()
        warm = Driver(rt, WARM_WORKSPACE, counter)
        warm.run(customers("warm", warm_words), 2 * len(scripts(warm_words)[0]), time.monotonic() + 60)
        rss_before = rss_mib()
        driver = Driver(rt, prepared["workspace"], counter)
        first = driver.turn(Customer("first", (words.en_query,)))
        rss_after_first = rss_mib()
        started = time.monotonic()
        warmup = driver.run(customers("warmup", words), WARMUP_TURNS, started + WARMUP_SHARE * budget_s)
        samples = driver.run(customers("measured", words), turns, time.monotonic() + budget_s)
        return {
            "first_turn": asdict(first),
            "warmup_turns": len(warmup),
            "turns": [asdict(s) for s in samples],
            "budget_exhausted": len(samples) < turns,
            "engines_counted": len(counter.engines),
            "rss_mib": {
                "start": rss_start,
                "before_first_turn": rss_before,
                "after_first_turn": rss_after_first,
                "after_turns": rss_mib(),
            },
        }
    finally:
        rt.db.dispose()


# ---------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("step", choices=("prepare", "measure"))
    parser.add_argument("--dir", type=Path, required=True, help="the catalog size's work directory")
    parser.add_argument("--size", type=int, default=DEMO_SIZE, help="products (36: the demo shop)")
    parser.add_argument("--turns", type=int, default=200)
    parser.add_argument("--budget", type=float, default=60.0, help="seconds of measured turns at most")
    args = parser.parse_args(argv)
    if args.step == "prepare":
        result = prepare(args.size, args.dir)
    else:
        result = measure(args.dir, args.turns, args.budget)
    out = args.dir / f"{args.step}.json"
    out.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
