"""The inbox of raw inbound events: stored once per platform id, processed once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chatcart.storage.tables import InboxRow


def store_event(
    session: Session,
    workspace_id: str,
    channel: str,
    event_id: str,
    contact_id: str,
    payload: dict[str, Any],
    now: datetime,
) -> int | None:
    """The new row id, or None when this platform id was stored before (a retry)."""
    existing = session.scalar(
        select(InboxRow.id).where(
            InboxRow.workspace_id == workspace_id, InboxRow.channel == channel, InboxRow.event_id == event_id
        )
    )
    if existing is not None:
        return None
    row = InboxRow(
        workspace_id=workspace_id,
        channel=channel,
        event_id=event_id,
        contact_id=contact_id,
        payload=payload,
        received_at=now,
        processed_at=None,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row.id


def oldest_pending(session: Session, contact_id: str) -> InboxRow | None:
    """The contact's next event to process: events run in arrival order, one at a time."""
    return session.scalar(
        select(InboxRow)
        .where(InboxRow.contact_id == contact_id, InboxRow.processed_at.is_(None))
        .order_by(InboxRow.id)
        .limit(1)
    )


def claim_event(session: Session, inbox_id: int, state: str, now: datetime) -> bool:
    """Marks the event done in the caller's transaction; False when another processor did
    first (the caller then rolls back its whole write)."""
    result = session.execute(
        update(InboxRow)
        .where(InboxRow.id == inbox_id, InboxRow.processed_at.is_(None))
        .values(processed_at=now, state=state)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


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
        .order_by(InboxRow.contact_id)
    )
    return [(str(w), str(c)) for w, c in rows]
