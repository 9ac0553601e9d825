"""The inbox of raw inbound events: stored once per platform id, processed once.

The statements every turn runs are built once, at import: building a statement costs more
Python than executing it on SQLite."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from chatcart.storage.tables import InboxRow

_UNIQUE_EVENT = [InboxRow.workspace_id, InboxRow.channel, InboxRow.event_id]
_STORE = {
    "sqlite": sqlite_insert(InboxRow)
    .on_conflict_do_nothing(index_elements=_UNIQUE_EVENT)
    .returning(InboxRow.id),
    "postgresql": postgresql_insert(InboxRow)
    .on_conflict_do_nothing(index_elements=_UNIQUE_EVENT)
    .returning(InboxRow.id),
}
_OLDEST_PENDING = (
    select(InboxRow.id, InboxRow.workspace_id, InboxRow.payload)
    .where(InboxRow.contact_id == bindparam("contact_id"), InboxRow.processed_at.is_(None))
    .order_by(InboxRow.id)
    .limit(1)
)
_CLAIM = (
    update(InboxRow)
    .where(InboxRow.id == bindparam("inbox_id"), InboxRow.processed_at.is_(None))
    .values(processed_at=bindparam("now"), state=bindparam("state"))
)


@dataclass(frozen=True)
class PendingEvent:
    id: int
    workspace_id: str
    payload: dict[str, Any]


def store_event(
    session: Session,
    workspace_id: str,
    channel: str,
    event_id: str,
    contact_id: str,
    payload: dict[str, Any],
    now: datetime,
) -> int | None:
    """The new row id, or None when this platform id was stored before (a retry): one
    statement, safe when the same event arrives twice at once."""
    values = {
        "workspace_id": workspace_id,
        "channel": channel,
        "event_id": event_id,
        "contact_id": contact_id,
        "payload": payload,
        "received_at": now,
        "processed_at": None,
        "attempts": 0,
        "last_error": "",
        "state": "pending",
    }
    dialect = session.get_bind().dialect.name
    inserted = session.connection().execute(_STORE[dialect], values).scalar_one_or_none()
    return int(inserted) if inserted is not None else None


def oldest_pending(session: Session, contact_id: str) -> PendingEvent | None:
    """The contact's next event to process: events run in arrival order, one at a time."""
    row = session.connection().execute(_OLDEST_PENDING, {"contact_id": contact_id}).first()
    return PendingEvent(int(row[0]), str(row[1]), dict(row[2])) if row is not None else None


def claim_event(session: Session, inbox_id: int, state: str, now: datetime) -> bool:
    """Marks the event done in the caller's transaction; False when another processor did
    first (the caller then rolls back its whole write)."""
    result = session.connection().execute(_CLAIM, {"inbox_id": inbox_id, "now": now, "state": state})
    return bool(result.rowcount)


def count_failure(session: Session, inbox_id: int, error: str) -> int:
    """Records a failed attempt; the number of attempts so far."""
    session.execute(
        update(InboxRow)
        .where(InboxRow.id == inbox_id)
        .values(attempts=InboxRow.attempts + 1, last_error=error[:2000])
    )
    return int(session.scalar(select(InboxRow.attempts).where(InboxRow.id == inbox_id)) or 0)


def contacts_with_pending(session: Session) -> list[tuple[str, str]]:
    """(workspace, contact) pairs with events left unprocessed, e.g. by a crash."""
    rows = session.execute(
        select(InboxRow.workspace_id, InboxRow.contact_id)
        .where(InboxRow.processed_at.is_(None))
        .group_by(InboxRow.workspace_id, InboxRow.contact_id)
        .order_by(func.min(InboxRow.id))
    )
    return [(str(w), str(c)) for w, c in rows]
