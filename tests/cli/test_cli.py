"""The `chatcart` command line as a user runs it (a subprocess of this virtualenv's
executable): help everywhere, the schema, workspaces, a catalog import, and a brand-new
workspace with only an imported catalog selling through `shell --json`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from chatcart.storage.db import Database
from chatcart.storage.migrate import current_revision

from .conftest import CHATCART, FEED, ShellProcess, cli_env, ok, run_cli

pytestmark = pytest.mark.timeout(300)
PROTOCOL_CHECK = Path("/work/shared/tools/shell_protocol_check.py")


@pytest.mark.parametrize(
    "command",
    [
        (),
        ("demo",),
        ("serve",),
        ("workspace",),
        ("workspace", "create"),
        ("workspace", "list"),
        ("catalog",),
        ("catalog", "import"),
        ("shell",),
        ("db",),
        ("db", "upgrade"),
        ("stats",),
    ],
    ids=lambda command: " ".join(command) or "chatcart",
)
def test_every_command_has_help(command: tuple[str, ...], tmp_path: Path) -> None:
    result = subprocess.run(
        [str(CHATCART), *command, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_env(),
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Usage:" in result.stdout
    assert " ".join(["chatcart", *command]) in result.stdout
    assert not list(tmp_path.iterdir()), "--help must not create anything"


def test_db_upgrade_creates_the_database_and_prints_its_revision(data_dir: Path) -> None:
    out = ok(run_cli("db", "upgrade", data_dir=data_dir))
    found = re.fullmatch(r"database at revision (\S+)\n", out)
    assert found, out
    database = Database(f"sqlite:///{data_dir / 'chatcart.db'}")
    try:
        assert current_revision(database) == found.group(1)
    finally:
        database.dispose()
    # Idempotent.
    assert ok(run_cli("db", "upgrade", data_dir=data_dir)) == out


def test_the_data_dir_can_come_from_the_environment(tmp_path: Path) -> None:
    data_dir = tmp_path / "from-env"
    result = subprocess.run(
        [str(CHATCART), "db", "upgrade"],
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_env(CHATCART_DATA_DIR=str(data_dir)),
        cwd=tmp_path,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (data_dir / "chatcart.db").exists()


def test_a_workspace_is_created_listed_and_not_created_twice(data_dir: Path) -> None:
    create = (
        "workspace", "create", "outdoor", "--name", "Trail Co", "--lang", "en",
        "--currency", "TWD", "--timezone", "Asia/Taipei",
    )  # fmt: skip
    assert "outdoor" in ok(run_cli(*create, data_dir=data_dir))
    listed = ok(run_cli("workspace", "list", data_dir=data_dir)).splitlines()
    assert listed == ["outdoor\ten\tTWD\tAsia/Taipei\tTrail Co"]

    again = run_cli(*create, data_dir=data_dir)
    assert again.returncode == 1
    assert "exists" in again.stderr
    assert "outdoor" in again.stderr
    assert "Traceback" not in again.stderr
    assert ok(run_cli("workspace", "list", data_dir=data_dir)).splitlines() == listed


def test_an_invalid_workspace_id_is_refused(data_dir: Path) -> None:
    result = run_cli("workspace", "create", "Not An Id", data_dir=data_dir)
    assert result.returncode == 1
    assert "invalid workspace id" in result.stderr
    assert ok(run_cli("workspace", "list", data_dir=data_dir)) == ""


def test_catalog_import_reports_imported_and_rejected_rows(data_dir: Path) -> None:
    ok(run_cli("workspace", "create", "outdoor", "--lang", "en", data_dir=data_dir))
    out = ok(run_cli("catalog", "import", "--workspace", "outdoor", FEED, data_dir=data_dir))
    lines = out.splitlines()
    assert lines[0] == "imported 7 products (15 variants) in 7 categories; rejected 4 rows"
    # File lines (the header is line 1), as tests/fixtures/catalog/README.md's data rows 4, 9, 13, 18.
    rejected = [re.match(r"\s+line (\d+) id='([^']+)': (\w+)", line) for line in lines[1:]]
    assert all(rejected), lines
    assert [(int(m.group(1)), m.group(2), m.group(3)) for m in rejected if m] == [
        (5, "CHAIR-01", "missing_title"),
        (10, "STOVE-01", "invalid_price"),
        (14, "POLE-01", "missing_currency"),
        (19, "LAMP-200", "duplicate_id"),
    ]


def test_catalog_import_into_an_unknown_workspace_fails(data_dir: Path) -> None:
    result = run_cli("catalog", "import", "--workspace", "nowhere", FEED, data_dir=data_dir)
    assert result.returncode == 1
    assert "nowhere" in result.stderr


def test_the_shell_speaks_the_scripting_protocol(outdoor: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(PROTOCOL_CHECK),
            "--",
            str(CHATCART),
            "shell",
            "--workspace",
            "outdoor",
            "--data-dir",
            str(outdoor),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=cli_env(),
        cwd=outdoor,
        check=False,
    )
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    assert "protocol holds" in result.stdout


def _payload(turn: list[dict[str, Any]], prefix: str) -> str:
    """The first button, card button or quick reply of the turn whose payload starts so."""
    found = [
        option["payload"]
        for message in turn
        for option in [
            *(message.get("quick_replies") or []),
            *(message.get("buttons") or []),
            *(b for card in message.get("cards") or [] for b in card.get("buttons") or []),
        ]
        if (option.get("payload") or "").startswith(prefix)
    ]
    assert found, f"no {prefix!r} in {turn}"
    return str(found[0])


def _texts(turn: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in turn)


def test_a_new_workspace_with_an_imported_catalog_sells(shell: ShellProcess, outdoor: Path) -> None:
    assert shell.send("hello")
    found = shell.send("headlamp")
    cards = [c for m in found for c in m.get("cards") or []]
    assert "LAMP-200" in [c["product_id"] for c in cards], found
    added = shell.postback(_payload(found, "BUY:LAMP-200"))
    assert "Added 1" in _texts(added)
    address = shell.postback(_payload(added, "SHIP:home"))
    assert "address" in _texts(address)
    shell.send("No. 7, Section 5, Xinyi Road, Taipei")
    shell.send("Lin Mei-Ling")
    payment = shell.send("0912345678")
    summary = shell.postback(_payload(payment, "PAY:cod"))
    assert "Beacon 200 Lumen Headlamp" in _texts(summary)
    placed = shell.postback(_payload(summary, "CONFIRM:"))
    assert any("is placed" in line for line in _texts(placed).splitlines()), placed
    assert shell.close() == 0
    assert all(isinstance(json.loads(line), dict) for line in shell.stdout)

    stats = json.loads(ok(run_cli("stats", "--workspace", "outdoor", "--json", data_dir=outdoor)))
    assert stats["workspace"] == "outdoor"
    assert stats["conversations"] >= 1
    assert stats["orders"] == 1
    assert stats["converted"] == 1
    assert stats["conversion_rate"] > 0


def test_the_shell_refuses_an_unknown_workspace(data_dir: Path) -> None:
    result = subprocess.run(
        [str(CHATCART), "shell", "--workspace", "nowhere", "--json", "--data-dir", str(data_dir)],
        input="hello\n",
        capture_output=True,
        text=True,
        timeout=120,
        env=cli_env(),
        cwd=data_dir,
        check=False,
    )
    assert result.returncode == 1
    assert "no workspace 'nowhere'" in result.stderr
    assert result.stdout == ""


def test_stats_of_an_unknown_workspace_is_a_clear_error(data_dir: Path) -> None:
    result = run_cli("stats", "--workspace", "nowhere", data_dir=data_dir)
    assert result.returncode == 1
    assert "unknown workspace (workspace=nowhere)" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.postgres
@pytest.mark.parametrize("database_url", ["postgres"], indirect=True)
def test_chatcart_database_url_is_honoured(database_url: str, data_dir: Path) -> None:
    env = cli_env(CHATCART_DATABASE_URL=database_url, CHATCART_DATA_DIR=str(data_dir))
    assert ok(run_cli("db", "upgrade", env=env, cwd=data_dir)).startswith("database at revision ")
    ok(run_cli("workspace", "create", "pgshop", "--name", "PG Shop", "--lang", "en", env=env, cwd=data_dir))
    listed = ok(run_cli("workspace", "list", env=env, cwd=data_dir)).splitlines()
    assert listed == ["pgshop\ten\tTWD\tAsia/Taipei\tPG Shop"]
    assert not (data_dir / "chatcart.db").exists()

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            assert connection.execute(text("SELECT id FROM workspaces")).scalars().all() == ["pgshop"]
    finally:
        engine.dispose()
    # The same data directory without the variable is a different (empty, SQLite) database.
    assert ok(run_cli("workspace", "list", data_dir=data_dir)) == ""
