"""What every command shares: settings from the environment, `--data-dir`, the runtime."""

from __future__ import annotations

from pathlib import Path

from chatcart.services.runtime import Runtime, build_runtime
from chatcart.services.schema import migrate as migrate_schema
from chatcart.settings import Settings


def load_settings(data_dir: Path | None = None, **overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    settings = Settings(**values)  # type: ignore[arg-type]
    if not settings.database_url:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
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
    )
    if migrate:
        migrate_schema(rt)
    return rt
