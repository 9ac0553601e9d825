"""Hand-offs: when a conversation went to a person, why, to whom, and how it ended."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from chatcart.storage.tables import HandoffRow


def open_handoff(
    session: Session, workspace_id: str, conversation_id: str, reason: str, now: datetime
) -> None:
    session.add(
        HandoffRow(
            workspace_id=workspace_id,
            conversation_id=conversation_id,
            reason=reason,
            created_at=now,
            resolved_at=None,
            assignee=None,
            resolution="",
        )
    )


def assign_open(session: Session, conversation_id: str, agent: str) -> None:
    session.execute(
        update(HandoffRow)
        .where(HandoffRow.conversation_id == conversation_id, HandoffRow.resolved_at.is_(None))
        .values(assignee=agent)
    )


def resolve_open(session: Session, conversation_id: str, resolution: str, now: datetime) -> None:
    session.execute(
        update(HandoffRow)
        .where(HandoffRow.conversation_id == conversation_id, HandoffRow.resolved_at.is_(None))
        .values(resolved_at=now, resolution=resolution)
    )
