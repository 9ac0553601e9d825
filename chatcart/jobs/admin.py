"""What a person does with jobs (`chatcart jobs`): look at them, the dead ones and their
errors above all, and give a dead job another chance. The command line's one door to the
jobs table, so it never reaches into storage itself."""

from __future__ import annotations

from chatcart.core.errors import InvalidTransition, NotFound
from chatcart.services.runtime import Runtime
from chatcart.storage.jobs import Job, JobState, get_job, list_jobs, retry_dead

__all__ = ["Job", "JobState", "find_jobs", "retry_job"]


def find_jobs(rt: Runtime, state: JobState | None = None, limit: int = 100) -> list[Job]:
    """Newest first, so the latest failures are on top of a long history."""
    with rt.db.transaction() as session:
        return list_jobs(session, state, limit)


def retry_job(rt: Runtime, job_id: int) -> Job:
    """Puts a dead job back to pending, due now, with its attempts reset. Only a dead job:
    a pending one is already on its way, and a done one must not run twice."""
    with rt.db.transaction() as session:
        revived = retry_dead(session, job_id, rt.clock())
        job = get_job(session, job_id)
    if job is None:
        raise NotFound("no_such_job", job=job_id)
    if not revived:
        raise InvalidTransition("job_not_dead", job=job_id, state=job.state.value)
    return job
