"""`chatcart catalog import` draws a progress bar on a terminal, and prints only plain lines
when its output goes to a pipe or a file, as in scripts and these tests."""

from __future__ import annotations

import os
import pty
import subprocess
from pathlib import Path

from .conftest import CHATCART, FEED, TIMEOUT_S, cli_env, ok, run_cli

SUMMARY = "imported 7 products (15 variants) in 7 categories; rejected 4 rows"


def make_outdoor(data_dir: Path) -> None:
    ok(run_cli("workspace", "create", "outdoor", "--lang", "en", data_dir=data_dir))


def run_on_a_terminal(*args: str | Path, data_dir: Path) -> tuple[int, str]:
    """Runs `chatcart ARGS` with stdout on a pseudo-terminal; (exit code, all it wrote)."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen(
        [str(CHATCART), *map(str, args), "--data-dir", str(data_dir)],
        stdout=terminal,
        stderr=subprocess.PIPE,
        env=cli_env(TERM="xterm-256color", COLUMNS="100"),
        cwd=data_dir,
    )
    os.close(terminal)
    written = bytearray()
    while chunk := _read(controller):
        written += chunk
    os.close(controller)
    return process.wait(timeout=TIMEOUT_S), written.decode("utf-8", errors="replace")


def _read(controller: int) -> bytes:
    """The next bytes the command wrote; empty once it closed the terminal (Linux reports
    that as EIO)."""
    try:
        return os.read(controller, 4096)
    except OSError:
        return b""


def test_a_piped_import_prints_plain_lines_without_a_bar(data_dir: Path) -> None:
    make_outdoor(data_dir)

    result = run_cli("catalog", "import", "--workspace", "outdoor", FEED, data_dir=data_dir)

    out = ok(result)
    assert out.splitlines()[0] == SUMMARY
    for stream in (result.stdout, result.stderr):
        assert "\x1b" not in stream and "\r" not in stream, f"control characters in {stream!r}"
    assert "━" not in out


def test_an_import_on_a_terminal_shows_a_progress_bar_then_the_summary(data_dir: Path) -> None:
    make_outdoor(data_dir)

    code, written = run_on_a_terminal("catalog", "import", "--workspace", "outdoor", FEED, data_dir=data_dir)

    assert code == 0, written
    assert "Importing feed.csv" in written and "━" in written, f"no progress bar in {written!r}"
    assert SUMMARY in written
