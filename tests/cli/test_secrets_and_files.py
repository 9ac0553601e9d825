"""What the server signs with and where it keeps its data: `serve` refuses to start without
a secret key; `demo` makes one once, keeps it readable by its owner only and reuses it (a
visitor's session survives a restart); the data directory and the SQLite files are the
owner's alone."""

from __future__ import annotations

import json
import socket
import stat
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from websockets.sync.client import connect

from chatcart.cli.secret_key import SECRET_FILE, demo_secret
from chatcart.storage.db import Database
from chatcart.storage.migrate import upgrade

from .conftest import CHATCART, cli_env, ok, run_cli

pytestmark = pytest.mark.timeout(300)
STARTUP_S = 120


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_demo(data_dir: Path) -> Iterator[str]:
    """`chatcart demo` in the background until its health check answers; its base URL."""
    port = free_port()
    argv = [str(CHATCART), "demo", "--port", str(port), "--data-dir", str(data_dir)]
    process = subprocess.Popen(
        argv, env=cli_env(), cwd=data_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                assert time.monotonic() < deadline, "the demo did not start"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


def new_session(base: str) -> dict[str, str]:
    request = urllib.request.Request(f"{base}/channels/webchat/session?workspace=demo", method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        session: dict[str, str] = json.loads(response.read())
    return session


def first_answer(base: str, token: str) -> dict[str, object]:
    """The server's answer to an `open` frame sent after the token: its ack if it took the
    token, an error otherwise. Frames of other kinds (history, typing) are passed over."""
    with connect(base.replace("http", "ws") + "/channels/webchat/ws?workspace=demo&lang=en") as ws:
        ws.send(json.dumps({"type": "hello", "token": token}))
        ws.send(json.dumps({"type": "open", "id": "greet-1"}))
        while True:
            answer: dict[str, object] = json.loads(ws.recv(timeout=90))
            if answer.get("type") in ("ack", "error"):
                return answer


def test_serve_refuses_to_start_without_a_secret_key(data_dir: Path) -> None:
    result = run_cli("serve", "--port", str(free_port()), data_dir=data_dir)
    assert result.returncode == 1
    assert "CHATCART_SECRET_KEY" in result.stderr and "secrets.token_urlsafe" in result.stderr
    assert "running" not in result.stdout


def test_serve_refuses_a_production_setup_without_a_secret_key(data_dir: Path) -> None:
    result = run_cli("serve", data_dir=data_dir, env=cli_env(CHATCART_PRODUCTION="1"))
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and "CHATCART_SECRET_KEY" in result.stderr
    assert "Traceback" not in result.stderr


def test_the_demo_keeps_one_private_secret_and_sessions_survive_a_restart(data_dir: Path) -> None:
    with running_demo(data_dir) as base:
        session = new_session(base)
        assert first_answer(base, session["token"]) == {"type": "ack", "id": "greet-1"}
    secret_file = data_dir / SECRET_FILE
    secret = secret_file.read_text()
    assert mode(secret_file) == 0o600
    assert len(secret.strip()) >= 32

    with running_demo(data_dir) as base:
        assert first_answer(base, session["token"]) == {"type": "ack", "id": "greet-1"}
    assert secret_file.read_text() == secret


def test_two_demo_data_directories_get_different_secrets(tmp_path: Path) -> None:
    first, second = demo_secret(tmp_path / "a"), demo_secret(tmp_path / "b")
    assert first != second
    assert demo_secret(tmp_path / "a") == first
    assert mode(tmp_path / "a") == 0o700


def test_the_data_directory_and_the_database_are_the_owners_alone(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh" / "data"
    ok(run_cli("db", "upgrade", data_dir=data_dir, cwd=tmp_path))
    assert mode(data_dir) == 0o700
    assert mode(data_dir / "chatcart.db") == 0o600


def test_the_sqlite_file_and_its_wal_and_shm_are_created_0600(tmp_path: Path) -> None:
    path = tmp_path / "private" / "chatcart.db"
    database = Database(f"sqlite:///{path}")
    try:
        upgrade(database)
        with database.transaction() as session:
            session.connection().exec_driver_sql("CREATE TABLE probe (x INTEGER)")
        files = [path, path.with_name("chatcart.db-wal"), path.with_name("chatcart.db-shm")]
        assert all(f.exists() for f in files), list(path.parent.iterdir())
        assert {f.name: mode(f) for f in files} == {f.name: 0o600 for f in files}
        assert mode(path.parent) == 0o700
    finally:
        database.dispose()
