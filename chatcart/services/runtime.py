"""Everything a running chatcart needs, built once from settings and passed explicitly."""

from __future__ import annotations

from dataclasses import dataclass

from chatcart.core.clock import Clock, system_clock
from chatcart.engine.core import Engine
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.payments.registry import Providers, default_providers
from chatcart.services.links import Links
from chatcart.services.notify import LocalNotifier, Notifier
from chatcart.storage.db import Database


@dataclass
class Runtime:
    db: Database
    engine: Engine
    links: Links
    providers: Providers
    notifier: Notifier
    clock: Clock = system_clock


def build_runtime(
    database_url: str,
    base_url: str,
    clock: Clock = system_clock,
    bank: tuple[str, str] = ("Demo Bank (812)", "0000-1234-5678"),
) -> Runtime:
    base = base_url.rstrip("/")
    return Runtime(
        db=Database(database_url),
        engine=Engine(KeywordUnderstander()),
        links=Links(base),
        providers=default_providers(base, *bank),
        notifier=LocalNotifier(),
        clock=clock,
    )
