"""Long postback payloads kept on the server behind a short reference, for platforms that
cap them. The reference is `~` and a random id; it is only valid in its own workspace."""

from __future__ import annotations

import secrets

from chatcart.services.runtime import Runtime
from chatcart.storage.tables import PostbackRow

PREFIX = "~"


def shorten(rt: Runtime, workspace_id: str, payload: str) -> str:
    reference = secrets.token_urlsafe(12)
    with rt.db.transaction() as session:
        session.add(
            PostbackRow(id=reference, workspace_id=workspace_id, payload=payload, created_at=rt.clock())
        )
    return f"{PREFIX}{reference}"


def expand(rt: Runtime, workspace_id: str, payload: str) -> str | None:
    """The stored payload for a reference, the payload itself if it is none, or None for
    a reference this workspace never issued (the engine then says the button expired)."""
    if not payload.startswith(PREFIX):
        return payload
    with rt.db.snapshot() as session:
        row = session.get(PostbackRow, payload[len(PREFIX) :])
        return row.payload if row is not None and row.workspace_id == workspace_id else None
