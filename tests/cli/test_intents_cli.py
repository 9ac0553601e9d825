"""`chatcart content intents`: a shop teaches the bot its own intents from a YAML file; a
wrong file is refused with the reason and the line, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from chatcart.core.errors import DomainError
from chatcart.services.intents import parse_intents
from tests.cli.conftest import ShellProcess, ok, run_cli

GOOD = """\
- id: rentals
  examples:
    en: [can I rent a tent, do you rent out gear, tent rental for the weekend, hire a sleeping bag]
    zh-TW: [可以租帳篷嗎, 有裝備出租嗎, 週末想租睡袋]
  answer:
    en: We rent tents and sleeping bags from NT$300 a night.
    zh-TW: 帳篷與睡袋出租，每晚 NT$300 起。
"""


def _file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "intents.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("- id: rentals\n  examples: {en: [rent a tent]}\n  answer: {en: sure}\n", "at least 3 example"),
        ("- id: Rentals!\n  examples: {en: [a, b, c]}\n  answer: {en: sure}\n", "lower-case letters"),
        ("- id: rentals\n  examples: {en: [a, b, c]}\n", "an answer, or hand_off"),
        ("- id: rentals\n  examples: {en: [a, b, c]}\n  answer: {en: sure}\n  handoff: true\n", "handoff"),
        ("- id: rentals\n  examples: {xx-!!: [a, b, c]}\n  answer: {en: sure}\n", "not a language"),
        ("- id: rentals\n  examples: {en: [a, b, c]\n", "line 3"),
        ("id: rentals\n", "a list of intents"),
        (
            "- {id: one, examples: {en: [a, b, rent]}, answer: {en: x}}\n"
            "- {id: two, examples: {en: [c, d, Rent]}, answer: {en: y}}\n",
            "'Rent' is an example of both one and two",
        ),
        (
            "- {id: one, examples: {en: [a, b, c]}, answer: {en: x}}\n"
            "- {id: one, examples: {en: [d, e, f]}, answer: {en: y}}\n",
            "the id one is used twice",
        ),
    ],
)
def test_a_wrong_file_is_refused_with_its_reason(text: str, reason: str) -> None:
    with pytest.raises(DomainError) as refused:
        parse_intents(text)
    assert refused.value.reason == "invalid_intents"
    assert reason in str(refused.value.params["detail"])


def test_the_command_refuses_a_wrong_file_and_keeps_what_was_there(
    outdoor: Path, tmp_path: Path, shell: ShellProcess
) -> None:
    out = ok(run_cli("content", "intents", "--workspace", "outdoor", _file(tmp_path, GOOD), data_dir=outdoor))
    assert "1 intents set: rentals" in out
    wrong = "- id: rentals\n  examples: {en: [a, b]}\n  answer: {en: sure}\n"
    result = run_cli("content", "intents", "--workspace", "outdoor", _file(tmp_path, wrong), data_dir=outdoor)
    assert result.returncode == 1
    assert "invalid intents" in result.stderr and "at least 3 example" in result.stderr, result.stderr
    replies = shell.send("can I rent a tent?")
    assert any("NT$300 a night" in (r.get("text") or "") for r in replies), replies


def test_an_unknown_workspace_is_refused(data_dir: Path, tmp_path: Path) -> None:
    result = run_cli("content", "intents", "--workspace", "nowhere", _file(tmp_path, GOOD), data_dir=data_dir)
    assert result.returncode == 1
    assert "unknown workspace" in result.stderr
