"""The inbox of raw inbound events: stored once per platform id, processed once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
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


def pending_for_contact(session: Session, contact_id: str) -> list[InboxRow]:
    """Unprocessed events of one contact in arrival order, locked for this transaction."""
    return list(
        session.scalars(
            select(InboxRow)
            .where(InboxRow.contact_id == contact_id, InboxRow.processed_at.is_(None))
            .order_by(InboxRow.id)
            .with_for_update()
        )
    )


def contacts_with_pending(session: Session) -> list[str]:
    """Contacts with events left unprocessed, e.g. by a crash: recovered at start-up."""
    return list(
        session.scalars(
            select(InboxRow.contact_id)
            .where(InboxRow.processed_at.is_(None))
            .group_by(InboxRow.contact_id)
            .order_by(InboxRow.contact_id)
        )
    )
