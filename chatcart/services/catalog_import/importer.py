"""Bringing a catalog file into a workspace: choosing the parser, then writing the result.

The parsers only turn text into values; this module is where a file on disk becomes rows in
the database. It picks the format from the file's extension, reads the file before any
write begins, and saves categories and products in one transaction through
`chatcart.storage.catalog`, so the catalog is either all old or all new, a re-import
changes nothing, and a SKU still owned by a product the file leaves out is refused rather
than silently taken. The same transaction counts one more catalog version, which is what
tells every running process to rebuild its cached catalog.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.orm import Session

from chatcart.commerce.catalog import Category, Product
from chatcart.commerce.content import Workspace
from chatcart.core.errors import NotFound
from chatcart.services.catalog_import.common import CatalogFileError, ImportReport, ParsedCatalog
from chatcart.services.catalog_import.feed_csv import parse_feed_csv
from chatcart.services.catalog_import.shopify import parse_shopify_json
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import (
    bump_catalog_version,
    clear_variants,
    get_workspace,
    load_categories,
    save_categories,
    variant_owners,
    write_products,
)

#: Told (products written, products in the file) as an import goes, e.g. to draw a progress bar.
Progress = Callable[[int, int], None]

#: Products per batch of bulk statements: a progress step, and few enough rows to hold at once.
_BATCH = 1_000

_PARSERS = {
    ".csv": parse_feed_csv,
    ".tsv": parse_feed_csv,
    ".txt": parse_feed_csv,
    ".json": parse_shopify_json,
}


def parse_catalog_file(path: Path, workspace: Workspace, default_stock: int = 100) -> ParsedCatalog:
    """Reads and parses a catalog file; the extension says which format (`.csv`, `.tsv`,
    `.txt` are feeds, `.json` is Shopify), since sniffing content would guess wrong on an
    empty or broken file and report a confusing reason."""
    parser = _PARSERS.get(path.suffix.lower())
    if parser is None:
        raise CatalogFileError(
            "unknown_format",
            f"{path.name}: expected a .csv/.tsv product feed or a Shopify .json",
            path=str(path),
        )
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise CatalogFileError("unreadable_file", f"{path}: {exc.strerror or exc}", path=str(path)) from exc
    except UnicodeDecodeError as exc:
        raise CatalogFileError(
            "not_utf8", f"{path.name} is not UTF-8 text ({exc.reason})", path=str(path)
        ) from exc
    return parser(text, workspace, default_stock)


def import_catalog_file(
    rt: Runtime,
    workspace_id: str,
    path: Path,
    default_stock: int = 100,
    progress: Progress | None = None,
) -> ImportReport:
    """Parses the file, then writes its categories and products in one transaction, so the
    catalog is either all old or all new, and counts one more catalog version with it.

    Products are replaced by id (re-importing the same file changes nothing, and stock is
    reset to what the file says); products and categories the file does not mention are
    kept. The file is read before the write transaction begins so a slow disk never holds
    the database's write lock. `progress` hears how many products are written so far."""
    with rt.db.transaction() as session:
        workspace = get_workspace(session, workspace_id)
    if workspace is None:
        raise NotFound("unknown_workspace", workspace=workspace_id)
    with _cycle_collector_paused():
        parsed = parse_catalog_file(path, workspace, default_stock)
        with rt.db.transaction() as session:
            bump_catalog_version(session, workspace_id)
            _refuse_taken_skus(session, workspace_id, parsed.products)
            _save_categories(session, workspace_id, parsed.categories)
            _save_products(session, workspace_id, parsed.products, progress or _unheard)
    return ImportReport(
        imported_products=len(parsed.products),
        imported_variants=sum(len(p.variants) for p in parsed.products),
        categories=len(parsed.categories),
        rejected=parsed.rejected,
    )


def _save_categories(session: Session, workspace_id: str, imported: Sequence[Category]) -> None:
    """Existing categories keep their place, their needs and their names in other languages
    (the shop may have written them by hand); new ones follow in file order."""
    merged = {c.id: c for c in load_categories(session, workspace_id)}
    for category in imported:
        old = merged.get(category.id)
        merged[category.id] = (
            category if old is None else Category(old.id, {**old.name, **category.name}, old.needs)
        )
    save_categories(session, workspace_id, list(merged.values()))


def _save_products(
    session: Session, workspace_id: str, products: Sequence[Product], progress: Progress
) -> None:
    """Clears the variants of every imported product first, so a SKU that moved from one
    product to another in the file does not collide with its old row, then writes the
    products a batch of bulk statements at a time: a large catalog costs a few hundred
    round trips, and the caller hears how far it got."""
    clear_variants(session, workspace_id, [p.id for p in products])
    progress(0, len(products))
    for start in range(0, len(products), _BATCH):
        write_products(session, workspace_id, products[start : start + _BATCH], first_position=start)
        progress(min(start + _BATCH, len(products)), len(products))


def _refuse_taken_skus(session: Session, workspace_id: str, products: Sequence[Product]) -> None:
    """A SKU the file gives one product but the database holds for a product the file does
    not mention is refused rather than taken from that product; a SKU held by a product in
    the file is fine, even by another one (its variants are written afresh)."""
    in_file = {p.id for p in products}
    owners = variant_owners(session, workspace_id, [v.sku for p in products for v in p.variants])
    taken = [(sku, product_id) for sku, product_id in owners if product_id not in in_file]
    if taken:
        listed = ", ".join(f"{sku} (product {product_id})" for sku, product_id in sorted(taken)[:5])
        raise CatalogFileError(
            "sku_in_other_product",
            f"{len(taken)} SKU(s) already belong to products this file does not contain: {listed}",
            skus=[sku for sku, _ in taken],
        )


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    """A large file becomes a million small objects (rows, products, variants, statement
    parameters) that form no cycles and are freed by reference counting; while they pile up,
    Python's cycle collector keeps re-scanning them all, which cost a quarter of the CPU
    time of a 50,000-product import. So it waits until the import is done."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _unheard(done: int, total: int) -> None:
    """The progress callback when nobody listens."""
