"""The `chatcart` command line."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated

import typer

from chatcart.cli.context import DataDir, explain, fail, load_settings, open_runtime
from chatcart.cli.conversations import conversations_app
from chatcart.cli.nlu import nlu_app
from chatcart.cli.payments import payments_app
from chatcart.cli.secret_key import HOW_TO_SET, demo_secret
from chatcart.cli.shell import ShellSession, run_interactive, run_json
from chatcart.cli.worker import jobs_app, worker
from chatcart.core.errors import DomainError
from chatcart.services.schema import schema_revision
from chatcart.services.workspaces import find_workspace
from chatcart.settings import Settings

app = typer.Typer(
    help="chatcart: conversational commerce. Sell, support and keep customers in chat.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
workspace_app = typer.Typer(help="Create and list workspaces (one per shop).", no_args_is_help=True)
catalog_app = typer.Typer(help="Manage a workspace's catalog.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
content_app = typer.Typer(help="Customise a workspace's flows and FAQ.", no_args_is_help=True)
app.add_typer(workspace_app, name="workspace")
app.add_typer(catalog_app, name="catalog")
app.add_typer(db_app, name="db")
app.add_typer(content_app, name="content")
app.add_typer(jobs_app, name="jobs")
app.add_typer(conversations_app, name="conversations")
app.add_typer(payments_app, name="payments")
app.add_typer(nlu_app, name="nlu")
app.command()(worker)

WorkspaceOpt = Annotated[str, typer.Option("--workspace", "-w", help="Workspace id.")]


def _serve(settings: Settings, workspace: str) -> None:
    import uvicorn

    from chatcart.api.app import create_app

    rt = open_runtime(settings)
    web = create_app(
        rt, settings.model_copy(update={"default_workspace": workspace}), run_jobs=settings.run_jobs
    )
    typer.echo(f"chatcart is running: open {settings.resolved_base_url}/ (Ctrl-C stops it)")
    uvicorn.run(web, host=settings.host, port=settings.port, log_level="warning")


@app.command()
def demo(
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    data_dir: DataDir = None,
) -> None:
    """Create (first time) or load the demo shop and serve it with its chat in the foreground."""
    from chatcart.demo.loader import ensure_demo

    settings = load_settings(data_dir, port=port, host=host)
    if not settings.secret_key:
        settings = settings.model_copy(update={"secret_key": demo_secret(settings.data_dir)})
    rt = open_runtime(settings)
    _workspace, created = ensure_demo(rt)
    typer.echo("demo shop created" if created else "demo shop loaded")
    rt.db.dispose()
    _serve(settings, "demo")


@app.command()
def serve(
    port: Annotated[int | None, typer.Option(help="Port (default CHATCART_PORT or 8000).")] = None,
    host: Annotated[str | None, typer.Option(help="Interface (default CHATCART_HOST or 127.0.0.1).")] = None,
    workspace: Annotated[
        str | None, typer.Option(help="Workspace shown at / (default CHATCART_DEFAULT_WORKSPACE).")
    ] = None,
    data_dir: DataDir = None,
) -> None:
    """Serve real workspaces; configured by CHATCART_* environment variables or a .env file.
    Requires CHATCART_SECRET_KEY."""
    settings = load_settings(data_dir, port=port, host=host)
    if not settings.secret_key:
        fail(HOW_TO_SET)
    _serve(settings, workspace or settings.default_workspace)


@workspace_app.command("create")
def workspace_create(
    workspace_id: Annotated[str, typer.Argument(help="Id: lower-case letters, digits and dashes.")],
    name: Annotated[str, typer.Option(help="The shop's name as customers see it.")] = "",
    lang: Annotated[str, typer.Option(help="Default language of the shop's customers.")] = "zh-TW",
    currency: Annotated[str, typer.Option(help="ISO 4217 currency of the prices.")] = "TWD",
    timezone: Annotated[str, typer.Option(help="IANA time zone of the shop.")] = "Asia/Taipei",
    data_dir: DataDir = None,
) -> None:
    """Create a workspace. It can sell as soon as a catalog is imported."""
    from chatcart.services.workspaces import create_workspace

    rt = open_runtime(load_settings(data_dir))
    try:
        created = create_workspace(rt, workspace_id, name, lang, currency, timezone)
    except DomainError as error:
        fail(explain(error))
    else:
        typer.echo(f"created workspace {created.id} ({created.lang}, {created.currency}, {created.timezone})")


@workspace_app.command("list")
def workspace_list(data_dir: DataDir = None) -> None:
    """List workspaces."""
    from chatcart.services.workspaces import all_workspaces

    for ws in all_workspaces(open_runtime(load_settings(data_dir))):
        typer.echo(f"{ws.id}\t{ws.lang}\t{ws.currency}\t{ws.timezone}\t{next(iter(ws.name.values()), '')}")


@catalog_app.command("import")
def catalog_import(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="Product feed CSV or Shopify products.json.")
    ],
    workspace: WorkspaceOpt,
    default_stock: Annotated[
        int, typer.Option(help="Stock for 'in stock' rows (feeds carry no quantity).")
    ] = 100,
    data_dir: DataDir = None,
) -> None:
    """Import products from a Meta/Google product-feed CSV or a Shopify products.json."""
    from chatcart.cli.progress import progress_bar
    from chatcart.services.catalog_import import CatalogFileError, import_catalog_file

    rt = open_runtime(load_settings(data_dir))
    try:
        with progress_bar(f"Importing {file.name}") as progress:
            report = import_catalog_file(rt, workspace, file, default_stock, progress)
    except (CatalogFileError, DomainError) as error:
        fail(str(error) if isinstance(error, CatalogFileError) else explain(error))
        return
    typer.echo(
        f"imported {report.imported_products} products ({report.imported_variants} variants) "
        f"in {report.categories} categories; rejected {len(report.rejected)} rows"
    )
    for rejection in report.rejected:
        typer.echo(f"  line {rejection.line} id={rejection.row_id!r}: {rejection.reason}: {rejection.detail}")


@app.command()
def shell(
    workspace: WorkspaceOpt,
    contact: Annotated[
        str, typer.Option(help="Who you are (a shell identity); same id = same customer.")
    ] = "shell-customer",
    lang: Annotated[str, typer.Option(help="Your language, e.g. en or zh-TW (else detected).")] = "",
    as_json: Annotated[
        bool, typer.Option("--json", help="Scripting protocol: JSON lines in and out.")
    ] = False,
    data_dir: DataDir = None,
) -> None:
    """Talk to the bot from the terminal, like a customer."""
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    rt = open_runtime(load_settings(data_dir))
    if find_workspace(rt, workspace) is None:
        fail(f"no workspace {workspace!r}; create it with `chatcart workspace create`")
    session_ = ShellSession(rt, workspace, contact, lang)
    (run_json if as_json else run_interactive)(session_, iter(sys.stdin))


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = None) -> None:
    """Create or migrate the schema to the latest version (Alembic)."""
    rt = open_runtime(load_settings(data_dir))
    typer.echo(f"database at revision {schema_revision(rt)}")


@app.command()
def stats(
    workspace: WorkspaceOpt,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    data_dir: DataDir = None,
) -> None:
    """Conversations, orders, revenue, containment, conversion and revenue per conversation."""
    from chatcart.analytics.stats import workspace_stats

    try:
        figures = workspace_stats(open_runtime(load_settings(data_dir)), workspace)
    except DomainError as error:
        fail(explain(error))
        return
    if as_json:
        typer.echo(json.dumps(figures.as_dict(), ensure_ascii=False))
        return
    for key, value in figures.as_dict().items():
        typer.echo(f"{key:28} {value}")


@content_app.command("flows")
def content_flows(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="YAML laid over the default flows.")
    ],
    workspace: WorkspaceOpt,
    data_dir: DataDir = None,
) -> None:
    """Set a workspace's flow overrides (texts, questions, thresholds); see docs/flows.md."""
    from chatcart.services.workspaces import set_flows

    try:
        flows = set_flows(open_runtime(load_settings(data_dir)), workspace, file.read_text(encoding="utf-8"))
    except DomainError as error:
        fail(explain(error))
        return
    typer.echo(f"flows set: {len(flows.welcome)} welcome messages, {len(flows.checkout)} checkout questions")


@content_app.command("faq")
def content_faq(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="YAML list of id/questions/answer.")
    ],
    workspace: WorkspaceOpt,
    data_dir: DataDir = None,
) -> None:
    """Replace a workspace's FAQ entries (questions and answers per language)."""
    from chatcart.services.workspaces import set_faq

    try:
        count = set_faq(open_runtime(load_settings(data_dir)), workspace, file.read_text(encoding="utf-8"))
    except DomainError as error:
        fail(explain(error))
        return
    typer.echo(f"{count} FAQ entries set")


@content_app.command("intents")
def content_intents(
    file: Annotated[
        Path, typer.Argument(exists=True, dir_okay=False, help="YAML list of id/examples/answer[/hand_off].")
    ],
    workspace: WorkspaceOpt,
    data_dir: DataDir = None,
) -> None:
    """Replace the intents the shop teaches the bot from example phrases (docs/nlu.md).
    Running servers learn them on their next catalog refresh: no restart."""
    from chatcart.services.intents import set_intents

    try:
        rt = open_runtime(load_settings(data_dir))
        intents = set_intents(rt, workspace, file.read_text(encoding="utf-8"))
    except DomainError as error:
        fail(explain(error))
        return
    names = ", ".join(i.id for i in intents.intents) or "none"
    typer.echo(f"{len(intents.intents)} intents set: {names}")
