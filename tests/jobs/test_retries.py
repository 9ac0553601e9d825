"""A job runs once and is done; a job that fails is tried again later and later, then kept
as dead with its error where a person sees it; a job nobody can run is dead at once."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from chatcart.jobs.retry import FIRST_DELAY, JITTER, MAX_DELAY, retry_delay
from chatcart.jobs.runner import run_due_jobs
from chatcart.services.runtime import Runtime
from chatcart.storage.jobs import JobState
from tests.conftest import FakeClock

from .conftest import Recorder, add_job, job


def test_a_due_job_runs_once_with_its_payload_and_is_done(runtime: Runtime, clock: FakeClock) -> None:
    recorder = Recorder()
    add_job(runtime, "remind", "remind:1", {"cart": "c-1"}, run_at=clock.now + timedelta(minutes=10))
    assert run_due_jobs(runtime, {"remind": recorder}) == 0, "not due for ten minutes"
    clock.advance(minutes=10)
    assert run_due_jobs(runtime, {"remind": recorder}) == 1
    assert run_due_jobs(runtime, {"remind": recorder}) == 0, "a done job does not run again"
    done = job(runtime, "remind:1")
    assert recorder.payloads == [{"cart": "c-1"}]
    assert (done.state, done.attempts, done.done_at, done.locked_until) == (JobState.DONE, 1, clock.now, None)


def test_a_failing_job_is_retried_later_each_time_then_dead_with_its_error(
    runtime: Runtime, clock: FakeClock
) -> None:
    runs: list[int] = []

    def provider_down(_rt: Runtime, _payload: Mapping[str, Any]) -> None:
        runs.append(1)
        raise ConnectionError("payment provider unreachable")

    handlers = {"sync_payment": provider_down}
    add_job(runtime, "sync_payment", "sync_payment:o-1", max_attempts=5)
    delays = []
    for attempt in range(1, 5):
        assert run_due_jobs(runtime, handlers) == 1
        waiting = job(runtime, "sync_payment:o-1")
        assert (waiting.state, waiting.attempts, waiting.locked_until) == (JobState.PENDING, attempt, None)
        assert waiting.last_error == "ConnectionError: payment provider unreachable"
        delays.append(waiting.run_at - clock.now)
        clock.now = waiting.run_at - timedelta(milliseconds=1)
        assert run_due_jobs(runtime, handlers) == 0, f"retry {attempt} ran before its back-off ended"
        clock.now = waiting.run_at
    assert run_due_jobs(runtime, handlers) == 1
    dead = job(runtime, "sync_payment:o-1")
    assert (dead.state, dead.attempts, dead.done_at) == (JobState.DEAD, 5, None)
    assert dead.last_error == "ConnectionError: payment provider unreachable"
    assert delays == sorted(delays) and len(set(delays)) == 4, f"delays do not grow: {delays}"
    for attempt, delay in enumerate(delays, start=1):
        full = FIRST_DELAY * 2 ** (attempt - 1)
        assert full * (1 - JITTER) <= delay <= full, f"attempt {attempt} waited {delay}"
    clock.advance(days=30)
    assert run_due_jobs(runtime, handlers) == 0, "a dead job waits for a person"
    assert len(runs) == 5


def test_the_back_off_is_capped_at_an_hour() -> None:
    delays = [retry_delay(attempts) for attempts in range(1, 60)]
    assert max(delays) <= MAX_DELAY
    assert min(delays[-20:]) >= MAX_DELAY * (1 - JITTER)
    assert min(delays) >= FIRST_DELAY * (1 - JITTER)


def test_a_job_of_an_unknown_kind_is_dead_at_once_with_a_clear_error(runtime: Runtime) -> None:
    add_job(runtime, "send_survey", "send_survey:1")
    assert run_due_jobs(runtime) == 1
    dead = job(runtime, "send_survey:1")
    assert (dead.state, dead.attempts) == (JobState.DEAD, 1)
    assert dead.last_error == "no handler for job kind 'send_survey'"


def test_a_long_error_is_kept_short(runtime: Runtime) -> None:
    def verbose(_rt: Runtime, _payload: Mapping[str, Any]) -> None:
        raise ValueError("x" * 10_000)

    add_job(runtime, "verbose", "verbose:1", max_attempts=1)
    run_due_jobs(runtime, {"verbose": verbose})
    dead = job(runtime, "verbose:1")
    assert dead.state is JobState.DEAD
    assert dead.last_error.startswith("ValueError: xxx") and len(dead.last_error) == 2000
