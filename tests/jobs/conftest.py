"""Helpers for job tests: schedule a job in its own transaction and read it back."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from chatcart.services.runtime import Runtime
from chatcart.storage.jobs import DEFAULT_MAX_ATTEMPTS, Job, list_jobs, schedule


def add_job(
    rt: Runtime,
    kind: str,
    key: str,
    payload: dict[str, Any] | None = None,
    run_at: datetime | None = None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> bool:
    """A job due now unless told otherwise."""
    with rt.db.transaction() as session:
        return schedule(session, kind, key, payload or {}, run_at or rt.clock(), max_attempts)


def job(rt: Runtime, key: str) -> Job:
    with rt.db.transaction() as session:
        found = [j for j in list_jobs(session, limit=10_000) if j.key == key]
    assert len(found) == 1, f"expected one job {key!r}, found {found}"
    return found[0]


def all_jobs(rt: Runtime) -> list[Job]:
    with rt.db.transaction() as session:
        return list_jobs(session, limit=10_000)


class Recorder:
    """A handler that remembers the payloads it was given."""

    def __init__(self) -> None:
        self.payloads: list[Mapping[str, Any]] = []

    def __call__(self, _rt: Runtime, payload: Mapping[str, Any]) -> None:
        self.payloads.append(dict(payload))
