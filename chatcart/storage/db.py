"""Opening the database named by a URL: SQLite for the embedded default, PostgreSQL in
production. The same code runs on both; the differences are confined to this module."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

#: Execution option that marks a read-only transaction (SQLite then takes no write lock).
READ_ONLY = "chatcart_read_only"


class Database:
    """An engine and session factories: `transaction()` is the one way to write, and
    `snapshot()` reads without taking SQLite's write lock (a turn's snapshot, history)."""

    def __init__(self, url: str, echo: bool = False) -> None:
        self.url = url
        self.engine = _create(url, echo)
        #: SQLite has one writer at a time, and a blocked writer polls with sleeps of up to
        #: 100 ms; this process's writers queue on a lock instead and start the moment the
        #: previous one commits. Other processes still meet SQLite's busy timeout.
        self._writers: AbstractContextManager[object] = (
            threading.RLock() if self.engine.dialect.name == "sqlite" else nullcontext()
        )
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(
            self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False
        )

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self._writers, self._sessions() as session, session.begin():
            yield session

    @contextmanager
    def snapshot(self) -> Iterator[Session]:
        """A read transaction: one consistent view, no write lock held while a turn decides.
        Writes through it are refused by SQLite (a deferred transaction that would have to
        upgrade) and must not be attempted."""
        with self._readers() as session, session.begin():
            yield session

    def dispose(self) -> None:
        self.engine.dispose()


def _create(url: str, echo: bool) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() != "sqlite":
        return create_engine(parsed, echo=echo, pool_pre_ping=True, pool_size=10, max_overflow=20)
    _create_private_file(parsed)
    engine = create_engine(parsed, echo=echo, connect_args={"check_same_thread": False, "timeout": 30})
    event.listen(engine, "connect", _sqlite_connect)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _create_private_file(url: URL) -> None:
    """Creates a new SQLite database file readable by its owner only (0600, in a 0700
    folder) before SQLite would create it with the umask's usual 0644: it holds customers'
    names, phones and addresses. SQLite gives its -wal and -shm files the database file's
    own mode. An existing file is left as its owner set it."""
    name = url.database or ""
    if not name or name == ":memory:" or name.startswith("file:") or url.query.get("mode") == "memory":
        return
    path = Path(name)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return


def _sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets readers run beside the writer; autocommit mode lets `_sqlite_begin` take the
    write lock up front, so two turns never deadlock upgrading a read lock."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _sqlite_begin(connection: Any) -> None:
    """Writers take the write lock up front; snapshot readers take none (WAL)."""
    read_only = connection.get_execution_options().get(READ_ONLY, False)
    connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
