"""Durable jobs and timers: rows with a due time, so they survive restarts and crashes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chatcart.storage.tables import JobRow


def schedule(session: Session, kind: str, key: str, payload: dict[str, Any], run_at: datetime) -> bool:
    """Schedules once per key; False when a job with this key exists already."""
    if session.scalar(select(JobRow.id).where(JobRow.key == key)) is not None:
        return False
    session.add(JobRow(kind=kind, key=key, payload=payload, run_at=run_at, done_at=None))
    session.flush()
    return True


def due_jobs(session: Session, now: datetime, limit: int = 50) -> list[JobRow]:
    """Due jobs, locked so two workers never take the same one (SKIP LOCKED on PostgreSQL)."""
    query = (
        select(JobRow)
        .where(JobRow.done_at.is_(None), JobRow.run_at <= now)
        .order_by(JobRow.run_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.scalars(query))
