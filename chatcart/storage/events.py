"""The event log: every conversation's facts, for analytics and (later) automations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from chatcart.core.events import EventName
from chatcart.storage.tables import EventRow


def record_event(
    session: Session,
    workspace_id: str,
    name: EventName,
    now: datetime,
    conversation_id: str | None = None,
    contact_id: str | None = None,
    **data: Any,
) -> None:
    session.add(
        EventRow(
            workspace_id=workspace_id,
            conversation_id=conversation_id,
            contact_id=contact_id,
            name=name,
            data=data,
            at=now,
        )
    )


def record_events(
    session: Session,
    workspace_id: str,
    events: list[tuple[EventName, dict[str, Any]]],
    now: datetime,
    conversation_id: str,
    contact_id: str,
) -> None:
    """A turn's events in one statement."""
    if not events:
        return
    session.connection().execute(
        insert(EventRow),
        [
            {
                "workspace_id": workspace_id,
                "conversation_id": conversation_id,
                "contact_id": contact_id,
                "name": name.value,
                "data": data,
                "at": now,
            }
            for name, data in events
        ],
    )
