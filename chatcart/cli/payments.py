"""`chatcart payments`: a shop's payment methods and stock holds, and opening a held
(high-value) order for payment once a person has agreed it with the customer. Until the
console exists, this is where an owner sets them; every command goes through the services."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from chatcart.cli.context import DataDir, explain, fail, load_settings, open_runtime
from chatcart.commerce.payment import PaymentPolicy
from chatcart.core.errors import DomainError
from chatcart.services.payments import release_held_order
from chatcart.services.workspaces import find_payment_policy, set_payment_policy

payments_app = typer.Typer(
    help="A shop's payment methods, stock holds and held orders.", no_args_is_help=True
)
Workspace = Annotated[str, typer.Option("--workspace", "-w", help="Workspace id.")]


@payments_app.command("show")
def show(workspace: Workspace, data_dir: DataDir = None) -> None:
    """The methods the shop takes and how long an unpaid order holds its stock (JSON)."""
    rt = open_runtime(load_settings(data_dir))
    try:
        policy = find_payment_policy(rt, workspace)
    except DomainError as refusal:
        fail(explain(refusal))
    typer.echo(json.dumps(_as_json(policy)))


@payments_app.command("set")
def set_policy(
    workspace: Workspace,
    methods: Annotated[
        str | None, typer.Option(help="Comma-separated: sandbox, cod, bank_transfer (default: all offered).")
    ] = None,
    hold: Annotated[
        list[str] | None,
        typer.Option(help="METHOD=MINUTES (or person=MINUTES), repeatable, e.g. --hold bank_transfer=360."),
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Choose the shop's payment methods and holds; nothing is stored if one is wrong."""
    rt = open_runtime(load_settings(data_dir))
    chosen = [m.strip() for m in methods.split(",") if m.strip()] if methods is not None else None
    try:
        policy = set_payment_policy(rt, workspace, chosen, _holds(hold) if hold else None)
    except DomainError as refusal:
        fail(explain(refusal))
    typer.echo(json.dumps(_as_json(policy)))


@payments_app.command("release")
def release(
    number: Annotated[str, typer.Argument(help="The order number, e.g. CC-7K3M-9QFA.")],
    workspace: Workspace,
    data_dir: DataDir = None,
) -> None:
    """Open a held order for payment: its payment link works from now on."""
    if not release_held_order(open_runtime(load_settings(data_dir)), workspace, number.upper()):
        fail(f"order {number} is unknown here or is not held")
    typer.echo(f"{number.upper()} can be paid now")


def _holds(pairs: list[str]) -> dict[str, int]:
    holds: dict[str, int] = {}
    for pair in pairs:
        name, _, minutes = pair.partition("=")
        if not minutes.strip().isdigit():
            fail(f"--hold takes METHOD=MINUTES, not {pair!r}")
        holds[name.strip()] = int(minutes)
    return holds


def _as_json(policy: PaymentPolicy) -> dict[str, object]:
    return {
        "methods": None if policy.methods is None else [m.value for m in policy.methods],
        "hold_minutes": {m.value: int(t.total_seconds() // 60) for m, t in policy.holds.items()},
        "person_hold_minutes": int(policy.person_hold.total_seconds() // 60),
    }
