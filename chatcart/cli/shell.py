"""`chatcart shell`: talk to the bot as a customer, for people and (with --json) for scripts.

The JSON protocol (docs/shell-protocol.md): each stdin line is plain text, `{"text": ...}`
or `{"postback": ...}`; for each, every bot message is printed as one JSON object per line,
then `{"type": "end_of_turn"}`. Logs go to stderr, never stdout.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from chatcart.core.errors import NotFound
from chatcart.core.ids import new_id
from chatcart.messaging.inbound import EventKind, Identity, InboundEvent
from chatcart.services.contacts import identify
from chatcart.services.conversations import accept, process_contact
from chatcart.services.history import history, latest_cursor
from chatcart.services.runtime import Runtime

CHANNEL = "shell"
END_OF_TURN = {"type": "end_of_turn"}


@dataclass
class ShellSession:
    rt: Runtime
    workspace_id: str
    contact: str
    lang: str = ""
    cursor: int = -1

    def send(self, line: str) -> list[dict[str, Any]]:
        """One customer input; the bot messages it caused."""
        if self.cursor < 0:
            self.cursor = self._latest()
        event = self._event(line)
        accepted = accept(self.rt, event)
        process_contact(self.rt, self.workspace_id, accepted.contact_id)
        return self._new_bot_messages(accepted.contact_id)

    def _latest(self) -> int:
        identity = Identity(channel=CHANNEL, external_id=self.contact)
        contact_id = identify(self.rt, self.workspace_id, identity, self.lang)
        if contact_id is None:
            raise NotFound("unknown_workspace", workspace=self.workspace_id)
        return latest_cursor(self.rt, self.workspace_id, contact_id)

    def _event(self, line: str) -> InboundEvent:
        text, payload = parse_input(line)
        return InboundEvent(
            workspace_id=self.workspace_id,
            event_id=new_id(),
            kind=EventKind.POSTBACK if payload else EventKind.MESSAGE,
            sender=Identity(channel=CHANNEL, external_id=self.contact),
            received_at=self.rt.clock(),
            text=text,
            payload=payload,
            lang_hint=self.lang,
        )

    def _new_bot_messages(self, contact_id: str) -> list[dict[str, Any]]:
        rows = history(self.rt, self.workspace_id, contact_id, self.cursor, limit=1000)
        if rows:
            self.cursor = rows[-1].cursor
        return [row.body for row in rows if row.direction == "out"]


def parse_input(line: str) -> tuple[str, str]:
    """(text, postback payload) from a line: plain text, or a JSON object with one of them."""
    stripped = line.rstrip("\n")
    if stripped.lstrip().startswith("{"):
        try:
            data = json.loads(stripped)
        except json.JSONDecodeError:
            return stripped, ""
        if isinstance(data, dict):
            return str(data.get("text") or ""), str(data.get("postback") or "")
    return stripped, ""


def run_json(session: ShellSession, lines: Iterator[str], out: TextIO = sys.stdout) -> None:
    for line in lines:
        for message in session.send(line):
            out.write(json.dumps(message, ensure_ascii=False) + "\n")
        out.write(json.dumps(END_OF_TURN) + "\n")
        out.flush()


def render_text(message: dict[str, Any]) -> str:
    """A readable rendering for a person at a terminal; `!PAYLOAD` taps a button."""
    lines = [message["text"]] if message.get("text") else []
    for card in message.get("cards") or []:
        lines.append(f"  ▸ {card['title']}  {card['price_text']}  {card.get('subtitle', '')}")
        lines += [
            f"      [{b['title']}] {'!' + b['payload'] if b.get('payload') else b.get('url')}"
            for b in card.get("buttons") or []
        ]
    for button in message.get("buttons") or []:
        lines.append(
            f"  [{button['title']}] {'!' + button['payload'] if button.get('payload') else button.get('url')}"
        )
    if message.get("quick_replies"):
        lines.append("  " + "  ".join(f"[{q['title']}] !{q['payload']}" for q in message["quick_replies"]))
    return "\n".join(lines)


def run_interactive(session: ShellSession, lines: Iterator[str], out: TextIO = sys.stdout) -> None:
    out.write("Type as a customer; !PAYLOAD taps a button; Ctrl-D quits.\n> ")
    out.flush()
    for line in lines:
        text = line.rstrip("\n")
        payload_line = json.dumps({"postback": text[1:]}) if text.startswith("!") else text
        for message in session.send(payload_line):
            out.write(render_text(message) + "\n")
        out.write("> ")
        out.flush()
