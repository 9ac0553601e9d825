"""The catalog a turn reads, cached per process and per catalog version.

Loading 50,000 products and building their search index takes seconds; a turn must take
milliseconds. So each process keeps one `CachedCatalog` per workspace and rebuilds it only
when the workspace's `catalog_version` moves (an import, a FAQ or intents change). Stock moves with
every order, so it is refreshed separately and cheaply: variants carry the stock version
of their last change, and only the SKUs changed since the cached version are read and laid
over the cached catalog (`Catalog.with_stock`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chatcart.commerce.catalog import Catalog
from chatcart.commerce.content import FaqEntry, ShopIntents
from chatcart.nlu.search import CatalogIndex
from chatcart.storage.catalog import (
    load_categories,
    load_faq,
    load_products,
    load_shop_intents,
    stock_changes_since,
)
from chatcart.storage.db import Database
from chatcart.storage.tables import WorkspaceRow


@dataclass(frozen=True)
class CachedCatalog:
    workspace_id: str
    catalog: Catalog
    index: CatalogIndex
    faq: tuple[FaqEntry, ...]
    #: The intents the shop taught; the understander has learnt them when the entry is built.
    intents: ShopIntents
    catalog_version: int
    stock_version: int


class CatalogCache:
    """Safe to share between threads. One build per workspace and version (threads that
    meet a new version wait for the one building it, rather than each building it), and a
    cache never goes back to an older version than it holds: a turn whose snapshot is a
    moment older than the cache uses the newer catalog."""

    def __init__(self, learn: Callable[[ShopIntents], None] | None = None) -> None:
        """`learn` is given each new set of shop intents while the entry is built (the
        understander trains on them there, in the warm-up pass or the first turn after an
        edit, not in every turn)."""
        self._learn = learn
        self._entries: dict[str, CachedCatalog] = {}
        self._lock = threading.Lock()
        self._builds: dict[str, threading.Lock] = {}

    def get(self, session: Session, workspace: WorkspaceRow) -> CachedCatalog:
        cached = self._entries.get(workspace.id)
        if cached is None or cached.catalog_version < workspace.catalog_version:
            return self._build(session, workspace)
        if cached.stock_version < workspace.stock_version:
            return self._store(_refresh_stock(session, cached, workspace.stock_version))
        return cached

    def _build(self, session: Session, workspace: WorkspaceRow) -> CachedCatalog:
        with self._lock:
            building = self._builds.setdefault(workspace.id, threading.Lock())
        with building:
            cached = self._entries.get(workspace.id)
            if cached is not None and cached.catalog_version >= workspace.catalog_version:
                return cached
            loaded = _load(session, workspace)
            if self._learn is not None and loaded.intents:
                self._learn(loaded.intents)
            fresh = self._store(loaded)
        # A large catalog is millions of long-lived objects; the cyclic garbage collector
        # would walk them all on every full collection (a p99 spike per turn that meets
        # one). Frozen, they are skipped; refcounting still frees them on the next version.
        gc.freeze()
        return fresh

    def _store(self, cached: CachedCatalog) -> CachedCatalog:
        with self._lock:
            current = self._entries.get(cached.workspace_id)
            if current is None or _newer(cached, current):
                self._entries[cached.workspace_id] = cached
                return cached
            return current


def _newer(candidate: CachedCatalog, current: CachedCatalog) -> bool:
    return (candidate.catalog_version, candidate.stock_version) > (
        current.catalog_version,
        current.stock_version,
    )


def warm_catalogs(db: Database, cache: CatalogCache) -> int:
    """Builds every workspace's catalog and index that is missing or behind (seconds for a
    large shop): at start-up, and on every pass of the job loop, so that after an import
    by another process no customer's turn waits for the rebuild; returns how many exist."""
    with db.snapshot() as session:
        workspaces = list(session.scalars(select(WorkspaceRow)))
        for workspace in workspaces:
            cache.get(session, workspace)
    return len(workspaces)


def _load(session: Session, workspace: WorkspaceRow) -> CachedCatalog:
    products = load_products(session, workspace.id)
    categories = load_categories(session, workspace.id)
    return CachedCatalog(
        workspace_id=workspace.id,
        catalog=Catalog(products, categories, version=workspace.catalog_version),
        index=CatalogIndex(products, categories),
        faq=tuple(load_faq(session, workspace.id)),
        intents=load_shop_intents(session, workspace.id),
        catalog_version=workspace.catalog_version,
        stock_version=workspace.stock_version,
    )


def _refresh_stock(session: Session, cached: CachedCatalog, stock_version: int) -> CachedCatalog:
    changes = stock_changes_since(session, cached.workspace_id, cached.stock_version)
    return CachedCatalog(
        workspace_id=cached.workspace_id,
        catalog=cached.catalog.with_stock(changes),
        index=cached.index,
        faq=cached.faq,
        intents=cached.intents,
        catalog_version=cached.catalog_version,
        stock_version=stock_version,
    )
