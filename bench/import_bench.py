"""How long `chatcart catalog import` takes for a large generated feed (bench/catalog_gen.py),
and how many SQL statements it sends per product, on a fresh SQLite file and on the local
PostgreSQL; then the same file again into the same database (every product replaced).

    .venv/bin/python -m bench.import_bench [--sizes 1000 10000 50000] [--backends sqlite postgres]

The time is `import_catalog_file` from start to end: reading and parsing the file included,
the interpreter's start-up not. `cpu` is this process's CPU time over the same span: on a
busy machine the wall time grows and it does not (PostgreSQL's own work is not in it). The
statement count is what decides the time over a network; a `before_cursor_execute` listener
counts it, so an executemany counts once, as the one round trip it is.

PostgreSQL is the one at CHATCART_TEST_POSTGRES (default postgres@127.0.0.1:5432/test, as
the tests use); each run gets a fresh schema, dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text

from bench.catalog_gen import write_feed
from chatcart.services.catalog_import import import_catalog_file
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.workspaces import create_workspace
from chatcart.storage.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "CHATCART_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
WORKSPACE = "bench"


HEADER = (
    f"{'backend':<10}{'import':<8}{'products':>9}{'variants':>10}{'time':>10}{'cpu':>9}"
    f"{'products/s':>12}{'stmts':>8}{'stmts/product':>15}"
)


@dataclass(frozen=True)
class Result:
    backend: str
    run: str
    products: int
    variants: int
    seconds: float
    cpu_seconds: float
    statements: int

    def line(self) -> str:
        per_product = self.statements / self.products
        return (
            f"{self.backend:<10}{self.run:<8}{self.products:>9,}{self.variants:>10,}"
            f"{self.seconds:>8.2f} s{self.cpu_seconds:>7.2f} s{self.products / self.seconds:>12,.0f}"
            f"{self.statements:>8,}{per_product:>15.4f}"
        )


class StatementCounter:
    """Counts what reaches the driver: one per execute or executemany."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, *_args: Any) -> None:
        self.count += 1


@contextmanager
def sqlite_url(directory: Path) -> Iterator[str]:
    yield f"sqlite:///{directory / f'{uuid.uuid4().hex}.db'}"


@contextmanager
def postgres_url() -> Iterator[str]:
    """A fresh schema in the local PostgreSQL, as tests/conftest.py makes one per test."""
    schema = f"bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def fresh_runtime(url: str) -> Runtime:
    rt = build_runtime(url, "http://bench.test")
    upgrade(rt.db)
    create_workspace(rt, WORKSPACE, name="Bench Shop", lang="en", currency="TWD", timezone="Asia/Taipei")
    return rt


def timed_import(rt: Runtime, backend: str, run: str, feed: Path) -> Result:
    counter = StatementCounter()
    engine: Engine = rt.db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        report = import_catalog_file(rt, WORKSPACE, feed)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return Result(
        backend, run, report.imported_products, report.imported_variants, seconds, cpu_seconds, counter.count
    )


def run(backend: str, feed: Path, scratch: Path) -> list[Result]:
    """The first import into an empty workspace, then the same file again."""
    database = sqlite_url(scratch) if backend == "sqlite" else postgres_url()
    with database as url:
        rt = fresh_runtime(url)
        try:
            return [timed_import(rt, backend, name, feed) for name in ("fresh", "again")]
        finally:
            rt.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description="Time catalog imports of generated feeds.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument(
        "--backends", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"]
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(HEADER)
    with tempfile.TemporaryDirectory(prefix="chatcart-import-bench-") as tmp:
        scratch = Path(tmp)
        for size in args.sizes:
            feed = scratch / f"feed-{size}.csv"
            write_feed(feed, size, args.seed)
            for backend in args.backends:
                for result in run(backend, feed, scratch):
                    print(result.line(), flush=True)


if __name__ == "__main__":
    main()
