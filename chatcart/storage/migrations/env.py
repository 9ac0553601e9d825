"""Alembic environment: the URL comes from the caller (`chatcart db upgrade`), never a file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from chatcart.storage.db import Database
from chatcart.storage.tables import Base

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    database = Database(config.get_main_option("sqlalchemy.url") or "")
    with database.engine.connect() as fresh:
        _run(fresh)
    database.dispose()


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
