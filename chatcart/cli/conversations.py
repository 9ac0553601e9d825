"""`chatcart conversations`: a person takes a conversation from the bot, writes in it and
hands it back, from the terminal, until the agent console exists. Every command goes
through the ownership doors (services/ownership.py), as the console will."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated

import typer

from chatcart.cli.context import DataDir, explain, fail, load_settings, open_runtime
from chatcart.core.errors import DomainError
from chatcart.engine.state import Owner
from chatcart.services import ownership
from chatcart.services.runtime import Runtime

conversations_app = typer.Typer(
    help="Open conversations: take one over as a person, reply, hand it back.", no_args_is_help=True
)
ConversationId = Annotated[str, typer.Argument(help="Conversation id (see `conversations list`).")]
Agent = Annotated[str, typer.Option("--agent", help="Who you are, e.g. your name or e-mail.")]


@conversations_app.command("list")
def list_conversations(
    workspace: Annotated[str, typer.Option("--workspace", "-w", help="Workspace id.")],
    owner: Annotated[Owner | None, typer.Option(help="Only those the bot or a person owns.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Open conversations, most recently active first: id, owner, assignee, last activity."""
    found = ownership.open_conversations(open_runtime(load_settings(data_dir)), workspace, owner)
    rows = [
        {
            "id": c.id,
            "contact": c.contact_id,
            "owner": c.owner,
            "assignee": c.assignee or "",
            "last_activity": c.last_activity_at.isoformat(),
        }
        for c in found
    ]
    if as_json:
        typer.echo(json.dumps(rows))
        return
    for row in rows:
        typer.echo("\t".join(str(v) for v in row.values()))


@conversations_app.command("assign")
def assign(conversation: ConversationId, agent: Agent, data_dir: DataDir = None) -> None:
    """Take the conversation: the bot falls silent in it."""
    _door(lambda rt: ownership.assign(rt, conversation, agent), data_dir)
    typer.echo(f"{conversation} is yours, {agent}; the bot is silent in it")


@conversations_app.command("reply")
def reply(
    conversation: ConversationId,
    agent: Agent,
    message: Annotated[str, typer.Argument(help="What the customer will read.")],
    data_dir: DataDir = None,
) -> None:
    """Write to the customer in a conversation assigned to you."""
    _door(lambda rt: ownership.reply_as_agent(rt, conversation, agent, message), data_dir)
    typer.echo("sent")


@conversations_app.command("hand-back")
def hand_back(conversation: ConversationId, agent: Agent, data_dir: DataDir = None) -> None:
    """Give the conversation back to the bot."""
    _door(lambda rt: ownership.hand_back(rt, conversation, agent), data_dir)
    typer.echo(f"{conversation} is back with the bot")


def _door(change: Callable[[Runtime], None], data_dir: DataDir) -> None:
    rt = open_runtime(load_settings(data_dir))
    try:
        change(rt)
    except DomainError as refusal:
        fail(explain(refusal))
