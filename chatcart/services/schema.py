"""The database schema for the command line: bring it up to date, say where it is."""

from __future__ import annotations

from chatcart.services.runtime import Runtime
from chatcart.storage.migrate import current_revision, upgrade


def migrate(rt: Runtime) -> None:
    """Idempotent: an up-to-date schema is left as it is."""
    upgrade(rt.db)


def schema_revision(rt: Runtime) -> str | None:
    return current_revision(rt.db)
