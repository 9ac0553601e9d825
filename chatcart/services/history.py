"""A contact's messages as channels deliver and replay them, and their delivery state."""

from __future__ import annotations

from chatcart.services.runtime import Runtime
from chatcart.storage.conversations import StoredMessage, messages_after

__all__ = ["StoredMessage", "history", "latest_cursor"]


def history(
    rt: Runtime, workspace_id: str, contact_id: str, after: int, limit: int = 200
) -> list[StoredMessage]:
    """Messages after the cursor, oldest first (with 0: the latest `limit`). Read without a
    write lock, so delivering never queues behind turns."""
    with rt.db.snapshot() as session:
        return messages_after(session, workspace_id, contact_id, after, limit)


def latest_cursor(rt: Runtime, workspace_id: str, contact_id: str) -> int:
    found = history(rt, workspace_id, contact_id, 0, limit=1)
    return found[-1].cursor if found else 0
