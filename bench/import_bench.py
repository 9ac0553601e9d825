"""How long `chatcart catalog import` takes for a large generated feed, and how many SQL
statements it sends per product, on a fresh SQLite file and on the local PostgreSQL.

The statement count is what decides the time on a real network; it is counted with a
`before_cursor_execute` listener, so an executemany (or one of SQLAlchemy's batched
multi-row inserts) counts once, as the round trip it is.

    .venv/bin/python bench/import_bench.py [--sizes 1000 10000 50000] [--backends sqlite postgres]

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

from bench.catalog_gen import write_feed
from sqlalchemy import Engine, create_engine, event, text

from chatcart.services.catalog_import import import_catalog_file
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.workspaces import create_workspace
from chatcart.storage.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "CHATCART_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
WORKSPACE = "bench"


@dataclass(frozen=True)
class Result:
    backend: str
    products: int
    variants: int
    seconds: float
    statements: int

    def line(self) -> str:
        per_product = self.statements / self.products
        return (
            f"{self.backend:<9}{self.products:>8,}{self.variants:>10,}{self.seconds:>9.2f} s"
            f"{self.products / self.seconds:>10,.0f}/s{self.statements:>9,}{per_product:>10.3f}"
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


def timed_import(rt: Runtime, backend: str, feed: Path) -> Result:
    counter = StatementCounter()
    engine: Engine = rt.db.engine
    event.listen(engine, "before_cursor_execute", counter)
    try:
        started = time.perf_counter()
        report = import_catalog_file(rt, WORKSPACE, feed)
        seconds = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return Result(backend, report.imported_products, report.imported_variants, seconds, counter.count)


def run(backend: str, feed: Path, scratch: Path) -> Result:
    database = sqlite_url(scratch) if backend == "sqlite" else postgres_url()
    with database as url:
        rt = fresh_runtime(url)
        try:
            return timed_import(rt, backend, feed)
        finally:
            rt.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description="Time catalog imports of generated feeds.")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 50_000])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(f"{'backend':<9}{'products':>8}{'variants':>10}{'time':>11}{'rate':>12}{'stmts':>9}{'stmts/p':>10}")
    with tempfile.TemporaryDirectory(prefix="chatcart-import-bench-") as tmp:
        scratch = Path(tmp)
        for size in args.sizes:
            feed = scratch / f"feed-{size}.csv"
            write_feed(feed, size, args.seed)
            for backend in args.backends:
                print(run(backend, feed, scratch).line(), flush=True)


if __name__ == "__main__":
    main()
