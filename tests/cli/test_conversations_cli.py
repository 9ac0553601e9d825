"""`chatcart conversations` as an agent uses it: take a customer's conversation from the
bot, write to the customer, and hand it back; nobody else writes in it meanwhile."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .conftest import ShellProcess, ok, run_cli


def conversations(data_dir: Path, *extra: str) -> list[dict[str, Any]]:
    found = json.loads(
        ok(run_cli("conversations", "list", "-w", "outdoor", "--json", *extra, data_dir=data_dir))
    )
    assert isinstance(found, list)
    return found


def test_an_agent_takes_over_replies_and_hands_back(shell: ShellProcess, outdoor: Path) -> None:
    assert shell.send("trail running shoes"), "the bot answers at first"
    (conversation,) = conversations(outdoor)
    assert conversation["owner"] == "bot"

    ok(run_cli("conversations", "assign", conversation["id"], "--agent", "mei", data_dir=outdoor))
    assert [c["assignee"] for c in conversations(outdoor, "--owner", "human")] == ["mei"]
    assert shell.send("are you a real person?") == [], "the bot is silent while a person has it"

    ok(
        run_cli(
            "conversations", "reply", conversation["id"], "--agent", "mei", "Hi, Mei here!", data_dir=outdoor
        )
    )
    refused = run_cli("conversations", "reply", conversation["id"], "--agent", "bob", "hi", data_dir=outdoor)
    assert refused.returncode == 1 and "not assigned to you" in refused.stderr

    ok(run_cli("conversations", "hand-back", conversation["id"], "--agent", "mei", data_dir=outdoor))
    assert conversations(outdoor, "--owner", "human") == []
    replies = shell.send("trail running shoes")
    assert "Hi, Mei here!" in [m.get("text") for m in replies], "the agent's message reached the customer"
    assert any(m.get("cards") for m in replies), "the bot answers again"
