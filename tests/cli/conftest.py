"""The real `chatcart` executable of this virtualenv, run as a subprocess with its own data
directory (SQLite), and a driver for its `shell --json` scripting protocol."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import pytest

CHATCART = Path(sys.executable).parent / "chatcart"
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "catalog"
FEED = FIXTURES / "feed.csv"
TIMEOUT_S = 120
TURN_TIMEOUT_S = 60


def cli_env(**extra: str) -> dict[str, str]:
    """The caller's environment without any CHATCART_* setting (so SQLite in the data
    directory is used unless a test says otherwise)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHATCART_")}
    env.update(extra)
    return env


def run_cli(
    *args: str | Path,
    data_dir: Path | None = None,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """`chatcart ARGS [--data-dir D]`, run from `cwd` or `data_dir` (so no stray `.env` is read)."""
    argv = [str(CHATCART), *map(str, args)]
    if data_dir is not None:
        argv += ["--data-dir", str(data_dir)]
    return subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        env=dict(env) if env is not None else cli_env(),
        cwd=cwd or data_dir,
        check=False,
    )


def ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    path = tmp_path / "data"
    path.mkdir()
    return path


@pytest.fixture
def outdoor(data_dir: Path) -> Path:
    """A brand-new workspace `outdoor` whose only data is the imported feed."""
    ok(
        run_cli(
            "workspace", "create", "outdoor", "--name", "Trail Co", "--lang", "en",
            "--currency", "TWD", "--timezone", "Asia/Taipei", data_dir=data_dir,
        )
    )  # fmt: skip
    ok(run_cli("catalog", "import", "--workspace", "outdoor", FEED, data_dir=data_dir))
    return data_dir


class ShellProcess:
    """`chatcart shell --json`, one turn at a time: a line in, the bot's messages out up to
    `{"type": "end_of_turn"}`. Every stdout line is checked to be one JSON object."""

    def __init__(self, argv: list[str], env: Mapping[str, str], cwd: Path) -> None:
        self.proc = subprocess.Popen(
            argv,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            bufsize=1,
            env=dict(env),
            cwd=cwd,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stdout: list[str] = []
        self.stderr: list[str] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.lines), daemon=True).start()
        threading.Thread(target=self._collect, args=(self.proc.stderr,), daemon=True).start()

    @staticmethod
    def _pump(stream: IO[str], into: queue.Queue[str | None]) -> None:
        for line in stream:
            into.put(line)
        into.put(None)

    def _collect(self, stream: IO[str]) -> None:
        self.stderr.extend(stream)

    def send(self, line: str) -> list[dict[str, Any]]:
        assert self.proc.stdin is not None
        self.proc.stdin.write(line + "\n")
        self.proc.stdin.flush()
        turn: list[dict[str, Any]] = []
        while True:
            try:
                raw = self.lines.get(timeout=TURN_TIMEOUT_S)
            except queue.Empty:
                raise AssertionError(
                    f"no end_of_turn after {line!r}; stderr: {''.join(self.stderr)}"
                ) from None
            assert raw is not None, f"the shell exited after {line!r}; stderr: {''.join(self.stderr)}"
            self.stdout.append(raw)
            message = json.loads(raw)
            assert isinstance(message, dict), raw
            if message == {"type": "end_of_turn"}:
                return turn
            turn.append(message)

    def postback(self, payload: str) -> list[dict[str, Any]]:
        return self.send(json.dumps({"postback": payload}))

    def close(self) -> int:
        """Ends stdin like Ctrl-D; the rest of stdout is collected and checked too."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        code = self.proc.wait(timeout=TIMEOUT_S)
        while (raw := self.lines.get(timeout=TIMEOUT_S)) is not None:
            self.stdout.append(raw)
            assert isinstance(json.loads(raw), dict), raw
        return code


@pytest.fixture
def shell(outdoor: Path) -> Iterator[ShellProcess]:
    argv = [
        str(CHATCART),
        "shell",
        "--workspace",
        "outdoor",
        "--lang",
        "en",
        "--json",
        "--data-dir",
        str(outdoor),
    ]
    process = ShellProcess(argv, cli_env(), outdoor)
    try:
        yield process
    finally:
        if process.proc.poll() is None:
            process.proc.kill()
            process.proc.wait(timeout=TIMEOUT_S)
