"""The job runner: claims due jobs one at a time and runs their handlers (see
`chatcart.jobs.registry` for the contract). One loop, `work`, runs in a thread of the API
process (the embedded default, `run_forever`) or in `chatcart worker` processes; any number
of them may share a database, since a claim is a lease only one worker holds."""

from __future__ import annotations

import asyncio
import logging
import threading
from datetime import timedelta

from chatcart.jobs.registry import HANDLERS, Handlers
from chatcart.jobs.retry import delay_after
from chatcart.services.catalogs import warm_catalogs
from chatcart.services.conversations import recover
from chatcart.services.runtime import Runtime
from chatcart.storage.jobs import Job, claim_next, mark_dead, mark_done, retry_later

log = logging.getLogger(__name__)
#: How long a claim lasts; a handler must finish well within it, or another worker takes
#: the job again while it runs.
LEASE = timedelta(minutes=5)


def run_one(rt: Runtime, handlers: Handlers = HANDLERS, lease: timedelta = LEASE) -> bool:
    """Claims the next due job in a short transaction, then runs it outside that
    transaction, since the handler opens its own; False when no job is due."""
    with rt.db.transaction() as session:
        job = claim_next(session, rt.clock(), lease)
    if job is None:
        return False
    handler = handlers.get(job.kind)
    if handler is None:
        _bury(rt, job, f"no handler for job kind {job.kind!r}")
        return True
    try:
        handler(rt, job.payload)
    except Exception as error:
        _record_failure(rt, job, error)
    else:
        _record_success(rt, job)
    return True


def _record_success(rt: Runtime, job: Job) -> None:
    with rt.db.transaction() as session:
        settled = mark_done(session, job, rt.clock())
    if not settled:
        log.warning("job %s (%s) finished after its lease was taken over", job.id, job.key)


def _record_failure(rt: Runtime, job: Job, error: Exception) -> None:
    cause = f"{type(error).__name__}: {error}"
    if job.attempts >= job.max_attempts:
        _bury(rt, job, cause, error)
        return
    run_at = rt.clock() + delay_after(error, job.attempts)
    with rt.db.transaction() as session:
        retry_later(session, job, cause, run_at)
    log.warning(
        "job %s (%s) failed, attempt %d of %d; next try at %s",
        *(job.id, job.key, job.attempts, job.max_attempts, run_at.isoformat()),
        exc_info=error,
    )


def _bury(rt: Runtime, job: Job, cause: str, error: Exception | None = None) -> None:
    """Dead jobs wait for a person, so they are logged where a person looks: at ERROR."""
    with rt.db.transaction() as session:
        mark_dead(session, job, cause)
    log.error(
        "job %s (%s) is dead after %d attempts: %s; see `chatcart jobs list --state dead`",
        *(job.id, job.key, job.attempts, cause),
        exc_info=error,
    )


def run_due_jobs(rt: Runtime, handlers: Handlers = HANDLERS, stop: threading.Event | None = None) -> int:
    """Runs due jobs until none is due or `stop` is set; returns how many ran."""
    ran = 0
    while not (stop is not None and stop.is_set()) and run_one(rt, handlers):
        ran += 1
    return ran


def run_pass(rt: Runtime, handlers: Handlers = HANDLERS, stop: threading.Event | None = None) -> int:
    """One round of background work: inbound events left unprocessed (a crash, a kill)
    first, then the due jobs, then catalogs imported meanwhile; returns how many jobs ran."""
    recover(rt)
    ran = run_due_jobs(rt, handlers, stop)
    warm_catalogs(rt.db, rt.catalogs)
    return ran


def work(rt: Runtime, interval: float, stop: threading.Event, handlers: Handlers = HANDLERS) -> None:
    """The runner's loop: a pass, then a wait of `interval` (ended early by `stop`), so a due
    job waits at most that long. A failed pass is logged and the next one tries again."""
    while not stop.is_set():
        try:
            run_pass(rt, handlers, stop)
        except Exception:
            log.exception("job runner pass failed")
        stop.wait(interval)


async def run_forever(rt: Runtime, interval: float = 1.0, handlers: Handlers = HANDLERS) -> None:
    """The embedded default: `work` on a thread of the API process until this is cancelled;
    then it finishes the job in hand, so no lease is left to lapse."""
    stop = threading.Event()
    thread = threading.Thread(
        target=work, args=(rt, interval, stop, handlers), name="chatcart-jobs", daemon=True
    )
    thread.start()
    try:
        await asyncio.Event().wait()
    finally:
        stop.set()
        await asyncio.to_thread(thread.join)
