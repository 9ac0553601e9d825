"""Shared fixtures: real databases (SQLite file and the local PostgreSQL), a runtime with a
controllable clock, and a small shop to sell from."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from chatcart.services.runtime import Runtime, build_runtime
from chatcart.storage.db import Database
from chatcart.storage.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get(
    "CHATCART_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


class FakeClock:
    """A clock tests move by hand (days pass in a microsecond)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _postgres_database() -> Iterator[str]:
    """A fresh schema in the real PostgreSQL for one test, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{POSTGRES_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every storage test runs on SQLite and on the real PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'chatcart.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'chatcart.db'}"


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    db = Database(database_url)
    upgrade(db)
    yield db
    db.dispose()


#: The understander the engine's tests run with: the default (`trained`) unless
#: CHATCART_TEST_UNDERSTANDER names another; `make test` runs the conversations again with
#: `keyword`, so the engine keeps working with the simple matcher too.
UNDERSTANDER = os.environ.get("CHATCART_TEST_UNDERSTANDER", "trained")


@pytest.fixture
def runtime(database_url: str, clock: FakeClock) -> Iterator[Runtime]:
    rt = build_runtime(database_url, "http://shop.test", clock=clock, understander=UNDERSTANDER)
    upgrade(rt.db)
    yield rt
    rt.db.dispose()


@pytest.fixture
def sqlite_runtime(sqlite_url: str, clock: FakeClock) -> Iterator[Runtime]:
    """For conversation tests whose subject is the engine, not the database."""
    rt = build_runtime(sqlite_url, "http://shop.test", clock=clock, understander=UNDERSTANDER)
    upgrade(rt.db)
    yield rt
    rt.db.dispose()
