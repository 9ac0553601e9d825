"""When a failed job is tried again: exponential back-off, capped, with jitter so that jobs
that failed together (a provider down) do not all come back in the same second."""

from __future__ import annotations

import random
from datetime import timedelta

FIRST_DELAY = timedelta(seconds=5)
MAX_DELAY = timedelta(hours=1)
#: A delay is shortened by up to this share at random; it still grows with every attempt.
JITTER = 0.2


def retry_delay(attempts: int) -> timedelta:
    """5 s after the first failure, doubling after each one, never over an hour."""
    doublings = min(max(attempts - 1, 0), 20)  # 5 s · 2^20 is weeks: past the cap, and no overflow
    delay = min(FIRST_DELAY * (1 << doublings), MAX_DELAY)
    return delay * (1 - JITTER * random.random())


class RetryLater(Exception):
    """Raised by a handler that must not run again before `after` (a platform's
    Retry-After); the runner waits at least that long, or the back-off if that is longer."""

    def __init__(self, reason: str, after: timedelta) -> None:
        super().__init__(reason)
        self.after = after


def delay_after(error: Exception, attempts: int) -> timedelta:
    """The back-off, or the wait the failure itself asked for when that is longer."""
    backoff = retry_delay(attempts)
    return max(backoff, error.after) if isinstance(error, RetryLater) else backoff
