"""What every command shares: settings from the environment, `--data-dir`, the runtime."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError

from chatcart.core.errors import DomainError
from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.schema import migrate as migrate_schema
from chatcart.settings import Settings


def load_settings(data_dir: Path | None = None, **overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    try:
        settings = Settings(**values)  # type: ignore[arg-type]
    except ValidationError as invalid:  # e.g. production without a secret key: say so, no traceback
        fail("; ".join(str(problem["msg"]) for problem in invalid.errors()))
    if not settings.database_url:
        # The database is personal data: its folder is the owner's alone (0700).
        settings.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    return settings


def open_runtime(settings: Settings, migrate: bool = True) -> Runtime:
    """The runtime for these settings; the schema is brought up to date first (idempotent)."""
    rt = build_runtime(
        settings.resolved_database_url,
        settings.resolved_base_url,
        bank=(settings.bank_name, settings.bank_account),
        redis_url=settings.redis_url,
        secret_key=settings.secret_key,
        understander=settings.understander,
        production=settings.production,
        llm=settings.llm_endpoint,
    )
    if migrate:
        migrate_schema(rt)
    return rt


DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        help="Where the embedded database lives (default: ~/.local/share/chatcart). "
        "Ignored when CHATCART_DATABASE_URL is set.",
        envvar="CHATCART_DATA_DIR",
    ),
]


def explain(error: DomainError) -> str:
    """`workspace exists (workspace=outdoor)`: the reason key in words, with its details."""
    details = ", ".join(f"{key}={value}" for key, value in error.params.items())
    return error.reason.replace("_", " ") + (f" ({details})" if details else "")


def fail(message: str) -> NoReturn:
    """Stops the command with `error: …` on stderr and exit status 1."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)
