"""The in-process job runner of the embedded default: due jobs from the database, run in a
thread beside the server. Production runs the same handlers in worker processes."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from chatcart.i18n.catalogue import N_
from chatcart.services.conversations import recover
from chatcart.services.notices import notify_order
from chatcart.services.orders import EXPIRE_JOB, expire_unpaid
from chatcart.services.runtime import Runtime
from chatcart.storage.jobs import due_jobs

log = logging.getLogger(__name__)
Handler = Callable[[Runtime, Session, dict[str, Any]], None]
CANCELLED_NOTICE = N_(
    "Order {number} was cancelled because the payment did not arrive in time. "
    "The items are back on sale; tap below if you still want them."
)


def _expire_order(rt: Runtime, session: Session, payload: dict[str, Any]) -> None:
    order = expire_unpaid(session, str(payload["order_id"]), rt.clock())
    if order is not None:
        notify_order(rt, session, order, CANCELLED_NOTICE, rt.clock())
        rt.notifier.publish(order.workspace_id, order.contact_id)


HANDLERS: dict[str, Handler] = {EXPIRE_JOB: _expire_order}


def run_due_jobs(rt: Runtime) -> int:
    """Runs every job that is due, each in its own transaction; returns how many ran."""
    ran = 0
    while True:
        with rt.db.transaction() as session:
            jobs = due_jobs(session, rt.clock(), limit=1)
            if not jobs:
                return ran
            job = jobs[0]
            job.attempts += 1
            try:
                with session.begin_nested():
                    HANDLERS[job.kind](rt, session, dict(job.payload))
                job.done_at = rt.clock()
            except Exception as error:
                log.exception("job %s failed", job.key)
                job.last_error = f"{type(error).__name__}: {error}"[:2000]
                job.run_at = rt.clock() + _backoff(job.attempts)
        ran += 1


def _backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(3600, 2**attempts * 5))


async def run_forever(rt: Runtime, interval: float = 1.0) -> None:
    """Processes inbound events left unprocessed (a crash, a kill) and runs due jobs, then
    polls again; both are no-ops when there is nothing to do."""
    while True:
        try:
            await asyncio.to_thread(recover, rt)
            await asyncio.to_thread(run_due_jobs, rt)
        except Exception:
            log.exception("job runner pass failed")
        await asyncio.sleep(interval)
