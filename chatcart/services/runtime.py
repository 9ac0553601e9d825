"""Everything a running chatcart needs, built once from settings and passed explicitly."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from chatcart.assistant.endpoint import Endpoint
from chatcart.assistant.openai_compatible import model_for
from chatcart.core.clock import Clock, system_clock
from chatcart.engine.core import Engine
from chatcart.messaging.delivery import Sender
from chatcart.nlu.registry import understander_named
from chatcart.payments.registry import Providers, default_providers
from chatcart.services.catalogs import CatalogCache
from chatcart.services.fanout import RedisNotifier
from chatcart.services.links import Links
from chatcart.services.notify import LocalNotifier, Notifier
from chatcart.services.receipts import SentReceipts
from chatcart.storage.db import Database


def ephemeral_secret() -> str:
    """A random secret for a runtime given none (tests, one-off commands): what it signs is
    valid only while it lives. Servers are given a lasting one (`chatcart serve` refuses to
    start without CHATCART_SECRET_KEY; `chatcart demo` keeps one in its data directory)."""
    return secrets.token_urlsafe(32)


@dataclass
class Runtime:
    db: Database
    engine: Engine
    links: Links
    providers: Providers
    #: Where "new messages for this contact" is announced (locally, or over Redis).
    notifier: Notifier
    #: This process's hub that open web chat connections wait on.
    live: LocalNotifier
    #: Catalogs and search indexes per workspace, rebuilt only when the catalog version moves.
    catalogs: CatalogCache
    #: Messages handed to a channel, marked `sent` in batches.
    receipts: SentReceipts
    #: Signs what the server hands out and must recognise later (web chat sessions, the
    #: sandbox payment callback). Never a constant: see `ephemeral_secret`.
    secret_key: str
    #: Channels the server pushes to, by name; a reply on one of them is delivered by a job.
    senders: dict[str, Sender] = field(default_factory=dict)
    clock: Clock = system_clock


def build_runtime(
    database_url: str,
    base_url: str,
    clock: Clock = system_clock,
    bank: tuple[str, str] = ("Demo Bank (812)", "0000-1234-5678"),
    redis_url: str = "",
    secret_key: str | None = None,
    understander: str = "trained",
    production: bool = False,
    llm: Endpoint | None = None,
) -> Runtime:
    """With a Redis URL, new-message signals reach every API process; without, this one.
    Production offers no sandbox card (payments/registry.py). Without a secret the runtime
    signs with a random one of its own (`ephemeral_secret`). With an `llm` endpoint the
    engine asks that model the open questions its rules leave (ADR 14); without, none."""
    base = base_url.rstrip("/")
    secret = secret_key or ephemeral_secret()
    live = LocalNotifier()
    notifier: Notifier = RedisNotifier(redis_url, live) if redis_url else live
    db = Database(database_url)
    engine = Engine(understander_named(understander), assistant=model_for(llm))
    return Runtime(
        db=db,
        engine=engine,
        links=Links(base),
        providers=default_providers(base, secret, *bank, sandbox=not production),
        notifier=notifier,
        live=live,
        catalogs=CatalogCache(learn=engine.understander.learn),
        receipts=SentReceipts(db),
        secret_key=secret,
        clock=clock,
    )
