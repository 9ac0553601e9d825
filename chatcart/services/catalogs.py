"""The catalog a turn reads, cached per process and per catalog version.

Loading 50,000 products and building their search index takes seconds; a turn must take
milliseconds. So each process keeps one `CachedCatalog` per workspace and rebuilds it only
when the workspace's `catalog_version` moves (an import, a FAQ change). Stock moves with
every order, so it is refreshed separately and cheaply: variants carry the stock version
of their last change, and only the SKUs changed since the cached version are read and laid
over the cached catalog (`Catalog.with_stock`).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from chatcart.commerce.catalog import Catalog
from chatcart.commerce.content import FaqEntry
from chatcart.nlu.search import CatalogIndex
from chatcart.storage.catalog import load_categories, load_faq, load_products, stock_changes_since
from chatcart.storage.db import Database
from chatcart.storage.tables import WorkspaceRow


@dataclass(frozen=True)
class CachedCatalog:
    workspace_id: str
    catalog: Catalog
    index: CatalogIndex
    faq: tuple[FaqEntry, ...]
    catalog_version: int
    stock_version: int


class CatalogCache:
    """Safe to share between threads: a rebuild replaces the entry, readers keep theirs."""

    def __init__(self) -> None:
        self._entries: dict[str, CachedCatalog] = {}
        self._lock = threading.Lock()

    def get(self, session: Session, workspace: WorkspaceRow) -> CachedCatalog:
        cached = self._entries.get(workspace.id)
        if cached is None or cached.catalog_version != workspace.catalog_version:
            cached = _load(session, workspace)
        elif cached.stock_version != workspace.stock_version:
            cached = _refresh_stock(session, cached, workspace.stock_version)
        else:
            return cached
        with self._lock:
            self._entries[workspace.id] = cached
        return cached


def warm_catalogs(db: Database, cache: CatalogCache) -> int:
    """Builds every workspace's catalog and index at start-up (seconds for a large shop),
    so no customer's turn waits for it; returns how many were built."""
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
        catalog_version=cached.catalog_version,
        stock_version=stock_version,
    )
