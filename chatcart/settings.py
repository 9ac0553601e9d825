"""One typed settings object, read from the environment (CHATCART_*) or a `.env` file.

The embedded default needs none of it but a secret key, which `chatcart demo` makes and
keeps in its data directory; production sets the database URL, the public base URL and
the secret key (`chatcart serve` refuses to start without one).
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from chatcart.assistant.endpoint import DEFAULT_TIMEOUT_SECONDS, Endpoint
from chatcart.channels.webchat.session import DEFAULT_SESSION_RATE


def default_data_dir() -> Path:
    """`$XDG_DATA_HOME/chatcart`, else `~/.local/share/chatcart`."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "chatcart"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CHATCART_", env_file=".env", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    database_url: str = ""
    #: Production: Redis for fan-out between API processes. Empty in the embedded default.
    redis_url: str = ""
    base_url: str = ""
    host: str = "127.0.0.1"
    port: int = 8000
    #: Signs web chat sessions and payment callbacks; empty = not configured.
    secret_key: str = ""
    production: bool = False
    #: Development mode: the API explorer at /docs (it loads its assets from a CDN) is served.
    development: bool = False
    #: New web chat visitors one client address may create, per window (`limits` notation).
    webchat_session_rate: str = DEFAULT_SESSION_RATE
    default_workspace: str = "demo"
    #: Run background jobs inside the API process (the embedded default). Off when
    #: `chatcart worker` processes run them; leaving it on beside them is safe (leases).
    run_jobs: bool = True
    #: How customers' messages are understood (chatcart/nlu/registry.py), offline either way:
    #: "trained" (keywords for commands, a classifier for intents: ADR 13) or "keyword".
    understander: str = "trained"
    invite_after_seconds: int = 20
    bank_name: str = "Demo Bank (812)"
    bank_account: str = "0000-1234-5678"
    #: An OpenAI-compatible endpoint for open questions (ADR 14), e.g. a local server's
    #: `http://127.0.0.1:8080/v1`. Empty (the default) = no model: nothing is ever sent.
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: SecretStr = SecretStr("")
    llm_timeout_seconds: float = Field(default=DEFAULT_TIMEOUT_SECONDS, gt=0)

    @model_validator(mode="after")
    def _refuse_no_secret_in_production(self) -> Settings:
        if self.production and not self.secret_key:
            raise ValueError("CHATCART_SECRET_KEY must be set to a real secret when CHATCART_PRODUCTION=1")
        return self

    @model_validator(mode="after")
    def _refuse_an_endpoint_without_a_model(self) -> Settings:
        if self.llm_base_url.strip() and not self.llm_model.strip():
            raise ValueError("CHATCART_LLM_MODEL must be set when CHATCART_LLM_BASE_URL is")
        return self

    @property
    def llm_endpoint(self) -> Endpoint | None:
        """The language model's endpoint, or None when none is configured."""
        if not self.llm_base_url.strip():
            return None
        return Endpoint(
            self.llm_base_url.strip(),
            self.llm_model.strip(),
            self.llm_api_key.get_secret_value(),
            self.llm_timeout_seconds,
        )

    @property
    def resolved_database_url(self) -> str:
        """CHATCART_DATABASE_URL if set, else a SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{self.data_dir / 'chatcart.db'}"

    @property
    def resolved_base_url(self) -> str:
        return (self.base_url or f"http://{self.host}:{self.port}").rstrip("/")
