"""Scheduling is idempotent by key: a second schedule with the same key, even from a
transaction racing the first, makes no second job."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from chatcart.services.runtime import Runtime
from chatcart.storage.jobs import schedule
from tests.conftest import FakeClock

from .conftest import add_job, all_jobs, job


def test_scheduling_twice_with_one_key_makes_one_job(runtime: Runtime, clock: FakeClock) -> None:
    assert add_job(runtime, "expire", "expire:o-1", {"order_id": "o-1"}, max_attempts=3)
    later = clock.now + timedelta(hours=5)
    assert not add_job(runtime, "expire", "expire:o-1", {"order_id": "other"}, run_at=later)
    (only,) = all_jobs(runtime)
    assert (only.payload, only.run_at, only.max_attempts) == ({"order_id": "o-1"}, clock.now, 3)


def test_two_transactions_scheduling_one_key_at_once_make_one_job(runtime: Runtime, clock: FakeClock) -> None:
    with ThreadPoolExecutor(max_workers=1) as pool:
        with runtime.db.transaction() as first:
            assert schedule(first, "expire", "expire:o-1", {"order_id": "o-1"}, clock.now)
            second = pool.submit(add_job, runtime, "expire", "expire:o-1", {"order_id": "o-1"})
            time.sleep(0.2)  # the second waits on the first's uncommitted row (or SQLite's lock)
        assert second.result(timeout=60) is False
    assert job(runtime, "expire:o-1").payload == {"order_id": "o-1"}
    assert len(all_jobs(runtime)) == 1
