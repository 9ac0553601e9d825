"""The job interface: one handler per job kind, called with the runtime and the payload the
job was scheduled with (`chatcart.storage.jobs.schedule`).

The contract, so that the worker here and a task-queue engine later call the same
handlers with the same payloads:

- A handler is `handler(rt, payload)`. The payload is the JSON object given to `schedule`
  and nothing else: no session, no row, no worker state.
- A handler owns its transactions: it opens them with `rt.db.transaction()`, and each one
  commits or rolls back as a whole.
- What leaves the database (`rt.notifier.publish`, later a channel send) happens only
  after the transaction that makes it true has committed, so nothing is announced that a
  rollback then takes back.
- Delivery is at least once: a worker that dies after the commit, or whose lease lapses,
  leaves the job to run again. A handler is therefore idempotent: it checks the state it
  changes (an order no longer awaiting payment is not cancelled twice).
- Failing is raising. `RetryLater(reason, after)` (jobs/retry.py) asks for at least that
  wait (a platform's Retry-After). The runner records `Type: message`, retries with back-off and, after
  the job's `max_attempts`, keeps it as dead for a person (`chatcart jobs list --state
  dead`, `chatcart jobs retry`); a handler never catches to retry itself.
- Time is `rt.clock()`, never the system clock, so a test moves a day in a microsecond.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from chatcart.jobs.delivery import deliver_message
from chatcart.jobs.order_expiry import expire_unpaid_order
from chatcart.services.orders import EXPIRE_JOB
from chatcart.services.outbox import DELIVER_JOB
from chatcart.services.runtime import Runtime

Handler = Callable[[Runtime, Mapping[str, Any]], None]
Handlers = Mapping[str, Handler]

#: Every job kind chatcart schedules, and who runs it.
HANDLERS: Handlers = {EXPIRE_JOB: expire_unpaid_order, DELIVER_JOB: deliver_message}
