"""Claims are leases: a crashed worker's job is taken again once its lease lapses (not
before), a worker whose lease was taken over cannot record a result, and two workers
draining one queue run every job exactly once."""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chatcart.jobs.runner import LEASE, run_due_jobs
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.storage.jobs import JobState, claim_next, mark_done, retry_later, schedule
from tests.conftest import FakeClock

from .conftest import Recorder, add_job, all_jobs, job


def test_a_crashed_workers_job_is_taken_again_after_its_lease_lapses_but_not_before(
    runtime: Runtime, clock: FakeClock
) -> None:
    add_job(runtime, "remind", "remind:1", {"cart": "c-1"})
    with runtime.db.transaction() as session:
        assert claim_next(session, clock.now, LEASE) is not None  # and the worker dies here
    recorder = Recorder()
    clock.advance(seconds=LEASE.total_seconds() - 1)
    assert run_due_jobs(runtime, {"remind": recorder}) == 0, "the crashed worker's lease still holds"
    clock.advance(seconds=1)
    assert run_due_jobs(runtime, {"remind": recorder}) == 1
    done = job(runtime, "remind:1")
    assert recorder.payloads == [{"cart": "c-1"}]
    assert (done.state, done.attempts) == (JobState.DONE, 2)


def test_a_worker_whose_lease_was_taken_over_cannot_record_its_result(
    runtime: Runtime, clock: FakeClock
) -> None:
    add_job(runtime, "remind", "remind:1")
    with runtime.db.transaction() as session:
        slow = claim_next(session, clock.now, LEASE)
    clock.advance(seconds=LEASE.total_seconds())
    with runtime.db.transaction() as session:
        successor = claim_next(session, clock.now, LEASE)
    assert slow is not None and successor is not None, "the lapsed lease let another worker claim"
    with runtime.db.transaction() as session:
        assert not mark_done(session, slow, clock.now), "the slow worker recorded over its successor"
        assert not retry_later(session, slow, "TimeoutError: too slow", clock.now)
    running = job(runtime, "remind:1")
    assert (running.state, running.attempts, running.last_error) == (JobState.PENDING, 2, "")
    assert running.locked_until == successor.locked_until
    with runtime.db.transaction() as session:
        assert mark_done(session, successor, clock.now)
    assert job(runtime, "remind:1").state is JobState.DONE


def test_two_workers_draining_200_jobs_run_each_exactly_once(
    runtime: Runtime, database_url: str, clock: FakeClock
) -> None:
    with runtime.db.transaction() as session:
        for n in range(200):
            schedule(session, "count", f"count:{n}", {"n": n}, clock.now)
    runs: list[tuple[str, int]] = []
    lock = threading.Lock()

    def count(_rt: Runtime, payload: Mapping[str, Any]) -> None:
        with lock:
            runs.append((threading.current_thread().name, int(payload["n"])))
        time.sleep(0.001)  # long enough for the other worker to claim meanwhile

    workers = [build_runtime(database_url, "http://shop.test", clock=clock) for _ in range(2)]
    try:
        with ThreadPoolExecutor(max_workers=2, thread_name_prefix="worker") as pool:
            drained = [pool.submit(run_due_jobs, rt, {"count": count}) for rt in workers]
            ran = [future.result(timeout=120) for future in drained]
    finally:
        for rt in workers:
            rt.db.dispose()
    assert sum(ran) == 200, f"the workers ran {ran}"
    assert sorted(n for _worker, n in runs) == list(range(200)), "a job ran twice or never"
    jobs = all_jobs(runtime)
    assert {(j.state, j.attempts, j.locked_until) for j in jobs} == {(JobState.DONE, 1, None)}
    assert len(jobs) == 200
