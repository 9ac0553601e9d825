"""`chatcart worker` runs background jobs in a process of its own; `chatcart jobs` shows a
person what is pending, what is dead and why, and gives a dead job another chance."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from types import FrameType
from typing import Annotated, Any

import typer

from chatcart.cli.context import DataDir, fail, load_settings, open_runtime
from chatcart.core.errors import InvalidTransition, NotFound
from chatcart.jobs.admin import Job, JobState, find_jobs, retry_job
from chatcart.jobs.runner import run_pass, work
from chatcart.services.runtime import Runtime

jobs_app = typer.Typer(help="Background jobs: what is pending, what is dead and why.", no_args_is_help=True)


def worker(
    interval: Annotated[
        float, typer.Option(min=0.05, help="Seconds between looks for due jobs when none is due.")
    ] = 1.0,
    once: Annotated[bool, typer.Option("--once", help="Run what is due now, then exit.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Run background jobs in this process until SIGTERM or Ctrl-C.

    Due jobs run and unprocessed messages are recovered, as the API process does for the
    embedded default; any number of workers and API processes may share one database."""
    logging.basicConfig(
        stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    rt = open_runtime(load_settings(data_dir))
    try:
        if once:
            typer.echo(f"ran {run_pass(rt)} jobs")
        else:
            _work_until_signalled(rt, interval)
    finally:
        rt.db.dispose()


def _work_until_signalled(rt: Runtime, interval: float) -> None:
    """The loop runs on its own thread while this one only waits for it, so a signal stops
    the loop between jobs (never inside a handler's transaction), and the signal handler
    never runs inside the loop's own wait on `stop`."""
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger(__name__).info("%s: stopping after the job in hand", signal.Signals(signum).name)
        stop.set()

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, request_stop)
    loop = threading.Thread(target=work, args=(rt, interval, stop), name="chatcart-worker")
    loop.start()
    logging.getLogger(__name__).info("worker started; polling every %gs", interval)
    loop.join()


@jobs_app.command("list")
def jobs_list(
    state: Annotated[JobState | None, typer.Option(help="Only jobs in this state.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many, newest first.")] = 100,
    data_dir: DataDir = None,
) -> None:
    """List jobs, newest first: kind, key, attempts, when due and the last error."""
    jobs = find_jobs(open_runtime(load_settings(data_dir)), state, limit)
    if as_json:
        typer.echo(json.dumps([_as_json(job) for job in jobs], ensure_ascii=False))
        return
    for job in jobs:
        typer.echo("\t".join(_as_row(job)))
    if not jobs:
        typer.echo("no jobs", err=True)


def _as_row(job: Job) -> list[str]:
    error = job.last_error.splitlines()[0] if job.last_error else ""
    attempts = f"{job.attempts}/{job.max_attempts}"
    return [str(job.id), job.state, job.kind, job.key, attempts, job.run_at.isoformat(), error]


def _as_json(job: Job) -> dict[str, Any]:
    return {
        "id": job.id,
        "kind": job.kind,
        "key": job.key,
        "state": job.state.value,
        "attempts": job.attempts,
        "max_attempts": job.max_attempts,
        "run_at": job.run_at.isoformat(),
        "done_at": job.done_at.isoformat() if job.done_at else None,
        "locked_until": job.locked_until.isoformat() if job.locked_until else None,
        "last_error": job.last_error,
        "payload": dict(job.payload),
    }


@jobs_app.command("retry")
def jobs_retry(
    job_id: Annotated[int, typer.Argument(help="The job's id, as `chatcart jobs list` shows it.")],
    data_dir: DataDir = None,
) -> None:
    """Put a dead job back to pending, due now, with its attempts reset."""
    try:
        job = retry_job(open_runtime(load_settings(data_dir)), job_id)
    except NotFound:
        fail(f"no job {job_id}")
    except InvalidTransition as refusal:
        fail(f"job {job_id} is {refusal.params['state']}, not dead; only dead jobs are retried")
    else:
        typer.echo(f"job {job_id} ({job.kind}, {job.key}) is pending again")
