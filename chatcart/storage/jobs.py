"""Durable jobs and timers: rows with a due time, so they survive restarts and crashes.

A worker claims one due job in a short transaction of its own — a lease (`locked_until`)
and one more attempt — and runs it after that transaction has committed, so a slow job
never holds a lock. A worker that crashes leaves only its lease, which lapses; another
worker then takes the job again. The claim (its attempt number and lease) is the fencing
token: a worker whose lease lapsed and was taken over can no longer settle the job.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import CursorResult, Update, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from chatcart.storage.tables import JobRow

#: How often a job is tried before it is kept as dead for a person to look at.
DEFAULT_MAX_ATTEMPTS = 8
#: `last_error` holds the cause, not a log: longer texts are cut.
MAX_ERROR_CHARS = 2000


class JobState(StrEnum):
    PENDING = "pending"
    DONE = "done"
    DEAD = "dead"


@dataclass(frozen=True)
class Job:
    """A job as a worker claimed it, or as `chatcart jobs list` shows it."""

    id: int
    kind: str
    key: str
    payload: Mapping[str, Any]
    state: JobState
    attempts: int
    max_attempts: int
    run_at: datetime
    done_at: datetime | None
    locked_until: datetime | None
    last_error: str


def schedule(
    session: Session,
    kind: str,
    key: str,
    payload: dict[str, Any],
    run_at: datetime,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> bool:
    """Schedules once per key; False when a job with this key exists already. The unique
    key decides, so two transactions scheduling the same key at once also make one job."""
    if session.scalar(select(JobRow.id).where(JobRow.key == key)) is not None:
        return False
    row = JobRow(
        kind=kind,
        key=key,
        payload=payload,
        run_at=run_at,
        done_at=None,
        attempts=0,
        last_error="",
        state=JobState.PENDING.value,
        max_attempts=max_attempts,
        locked_until=None,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def claim_next(session: Session, now: datetime, lease: timedelta) -> Job | None:
    """Takes the job due first that no live lease holds: leases it until `now + lease` and
    counts the attempt. Two workers never take the same job: PostgreSQL skips rows another
    claim has locked (SKIP LOCKED), SQLite lets one writer in at a time (`BEGIN IMMEDIATE`)."""
    query = (
        select(JobRow)
        .where(
            JobRow.state == JobState.PENDING.value,
            JobRow.run_at <= now,
            or_(JobRow.locked_until.is_(None), JobRow.locked_until <= now),
        )
        .order_by(JobRow.run_at, JobRow.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    row = session.scalars(query).first()
    if row is None:
        return None
    row.attempts += 1
    row.locked_until = now + lease
    session.flush()
    return _job(row)


def mark_done(session: Session, job: Job, now: datetime) -> bool:
    """Records success; False when the claim was lost (its lease lapsed and another worker
    took the job), so the result of this run is not recorded."""
    return _settle(session, job, state=JobState.DONE.value, done_at=now, locked_until=None)


def retry_later(session: Session, job: Job, error: str, run_at: datetime) -> bool:
    """Records a failure and releases the lease; the job is due again at `run_at`."""
    return _settle(session, job, run_at=run_at, last_error=error[:MAX_ERROR_CHARS], locked_until=None)


def mark_dead(session: Session, job: Job, error: str) -> bool:
    """Records the last failure and stops retrying: the job waits for a person."""
    return _settle(
        session, job, state=JobState.DEAD.value, last_error=error[:MAX_ERROR_CHARS], locked_until=None
    )


def _settle(session: Session, job: Job, **values: Any) -> bool:
    claim_still_held = update(JobRow).where(
        JobRow.id == job.id,
        JobRow.state == JobState.PENDING.value,
        JobRow.attempts == job.attempts,
        JobRow.locked_until == job.locked_until,
    )
    return _changed(session, claim_still_held.values(**values))


def retry_dead(session: Session, job_id: int, now: datetime) -> bool:
    """A person's second chance for a dead job: pending again, due now, attempts reset.
    `last_error` stays until the next run tells more. False unless the job was dead."""
    revive = (
        update(JobRow)
        .where(JobRow.id == job_id, JobRow.state == JobState.DEAD.value)
        .values(state=JobState.PENDING.value, attempts=0, run_at=now, locked_until=None)
    )
    return _changed(session, revive)


def _changed(session: Session, statement: Update) -> bool:
    result = session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)
    return result.rowcount == 1


def get_job(session: Session, job_id: int) -> Job | None:
    row = session.get(JobRow, job_id)
    return None if row is None else _job(row)


def list_jobs(session: Session, state: JobState | None = None, limit: int = 100) -> list[Job]:
    """Newest first, so the latest failures are on top of a long history."""
    query = select(JobRow).order_by(JobRow.id.desc()).limit(limit)
    if state is not None:
        query = query.where(JobRow.state == state.value)
    return [_job(row) for row in session.scalars(query)]


def _job(row: JobRow) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        key=row.key,
        payload=dict(row.payload),
        state=JobState(row.state),
        attempts=row.attempts,
        max_attempts=row.max_attempts,
        run_at=row.run_at,
        done_at=row.done_at,
        locked_until=row.locked_until,
        last_error=row.last_error,
    )
