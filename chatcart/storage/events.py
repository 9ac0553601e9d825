"""The event log: every conversation's facts, for analytics and (later) automations."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from chatcart.storage.tables import EventRow


def record_event(
    session: Session,
    workspace_id: str,
    name: str,
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
