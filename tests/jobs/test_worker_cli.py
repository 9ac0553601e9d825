"""`chatcart worker` and `chatcart jobs` as a person runs them, on SQLite and PostgreSQL:
the worker runs what is due, a dead job and its error are listed, a person retries it,
and a running worker picks up new jobs and stops cleanly on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from chatcart.storage.db import Database
from chatcart.storage.jobs import Job, JobState, list_jobs, schedule
from chatcart.storage.migrate import upgrade
from tests.cli.conftest import CHATCART, TIMEOUT_S, cli_env, ok, run_cli

pytestmark = pytest.mark.timeout(300)


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    database = Database(database_url)
    upgrade(database)
    yield database
    database.dispose()


def add_due_job(db: Database, kind: str, key: str, payload: dict[str, Any] | None = None) -> None:
    with db.transaction() as session:
        schedule(session, kind, key, payload or {}, datetime.now(UTC) - timedelta(seconds=1))


def jobs_in(db: Database) -> dict[str, Job]:
    with db.transaction() as session:
        return {j.key: j for j in list_jobs(session)}


def chatcart(db: Database, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, env=cli_env(CHATCART_DATABASE_URL=db.url), cwd=tmp_path)


def listed(db: Database, tmp_path: Path, state: str) -> list[dict[str, Any]]:
    jobs = json.loads(ok(chatcart(db, tmp_path, "jobs", "list", "--state", state, "--json")))
    assert isinstance(jobs, list)
    return jobs


@pytest.mark.parametrize(
    "command", [("worker",), ("jobs",), ("jobs", "list"), ("jobs", "retry")], ids=" ".join
)
def test_the_job_commands_have_help(command: tuple[str, ...], tmp_path: Path) -> None:
    result = run_cli(*command, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert " ".join(["chatcart", *command]) in result.stdout
    assert not list(tmp_path.iterdir()), "--help must not create anything"


def test_worker_once_runs_what_is_due_and_a_dead_job_is_listed_then_retried(
    db: Database, tmp_path: Path
) -> None:
    add_due_job(db, "expire_unpaid_order", "expire_unpaid_order:gone", {"order_id": "gone"})
    add_due_job(db, "send_survey", "send_survey:1")
    assert ok(chatcart(db, tmp_path, "worker", "--once")).strip() == "ran 2 jobs"

    (dead,) = listed(db, tmp_path, "dead")
    assert (dead["kind"], dead["key"], dead["attempts"]) == ("send_survey", "send_survey:1", 1)
    assert dead["last_error"] == "no handler for job kind 'send_survey'"
    assert [j["key"] for j in listed(db, tmp_path, "done")] == ["expire_unpaid_order:gone"]
    table = ok(chatcart(db, tmp_path, "jobs", "list"))
    assert "send_survey:1\t1/8\t" in table and "no handler for job kind 'send_survey'" in table

    assert "pending again" in ok(chatcart(db, tmp_path, "jobs", "retry", str(dead["id"])))
    (again,) = listed(db, tmp_path, "pending")
    assert (again["id"], again["attempts"]) == (dead["id"], 0)
    assert listed(db, tmp_path, "dead") == []


def test_jobs_retry_refuses_a_job_that_is_not_dead(db: Database, tmp_path: Path) -> None:
    add_due_job(db, "send_survey", "send_survey:1")
    (pending,) = jobs_in(db).values()
    refused = chatcart(db, tmp_path, "jobs", "retry", str(pending.id))
    assert refused.returncode == 1 and "is pending, not dead" in refused.stderr
    missing = chatcart(db, tmp_path, "jobs", "retry", "999999")
    assert missing.returncode == 1 and "no job 999999" in missing.stderr


def test_a_running_worker_takes_new_jobs_and_stops_cleanly_on_sigterm(db: Database, tmp_path: Path) -> None:
    worker = subprocess.Popen(
        [str(CHATCART), "worker", "--interval", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(CHATCART_DATABASE_URL=db.url),
        cwd=tmp_path,
    )
    try:
        add_due_job(db, "expire_unpaid_order", "expire_unpaid_order:gone", {"order_id": "gone"})
        deadline = time.monotonic() + 60
        while jobs_in(db)["expire_unpaid_order:gone"].state is not JobState.DONE:
            assert worker.poll() is None, worker.communicate()
            assert time.monotonic() < deadline, "the worker did not run the due job"
            time.sleep(0.1)
        worker.send_signal(signal.SIGTERM)
        _stdout, stderr = worker.communicate(timeout=TIMEOUT_S)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == 0, stderr
    assert "SIGTERM: stopping" in stderr
