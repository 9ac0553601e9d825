"""Bringing a catalog file into a workspace: choosing the parser, then writing the result.

The parsers only turn text into values; this module is where a file on disk becomes rows in
the database. It picks the format from the file's extension, reads the file before any
write begins, and saves categories and products in one transaction through
`chatcart.storage.catalog`, so the catalog is either all old or all new, a re-import
changes nothing, and a SKU still owned by a product the file leaves out is refused rather
than silently taken.
"""

from __future__ import annotations

from collections.abc import Sequence
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
    clear_variants,
    get_workspace,
    load_categories,
    save_category,
    save_product,
    variant_owners,
)

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


def import_catalog_file(rt: Runtime, workspace_id: str, path: Path, default_stock: int = 100) -> ImportReport:
    """Parses the file, then writes its categories and products in one transaction, so the
    catalog is either all old or all new.

    Products are replaced by id (re-importing the same file changes nothing, and stock is
    reset to what the file says); products and categories the file does not mention are
    kept. The file is read before the write transaction begins so a slow disk never holds
    the database's write lock."""
    with rt.db.transaction() as session:
        workspace = get_workspace(session, workspace_id)
    if workspace is None:
        raise NotFound("unknown_workspace", workspace=workspace_id)
    parsed = parse_catalog_file(path, workspace, default_stock)
    with rt.db.transaction() as session:
        _save_categories(session, workspace_id, parsed.categories)
        _save_products(session, workspace_id, parsed.products)
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
    for position, category in enumerate(merged.values()):
        save_category(session, workspace_id, category, position)


def _save_products(session: Session, workspace_id: str, products: Sequence[Product]) -> None:
    """Clears the variants of every imported product first, so a SKU that moved from one
    product to another in the file does not collide with its old row; a SKU still held by
    a product the file does not mention is refused rather than taken from that product."""
    clear_variants(session, workspace_id, [p.id for p in products])
    _refuse_taken_skus(session, workspace_id, [v.sku for p in products for v in p.variants])
    for position, product in enumerate(products):
        save_product(session, workspace_id, product, position)


def _refuse_taken_skus(session: Session, workspace_id: str, skus: Sequence[str]) -> None:
    taken = variant_owners(session, workspace_id, skus)
    if taken:
        listed = ", ".join(f"{sku} (product {product_id})" for sku, product_id in sorted(taken)[:5])
        raise CatalogFileError(
            "sku_in_other_product",
            f"{len(taken)} SKU(s) already belong to products this file does not contain: {listed}",
            skus=[sku for sku, _ in taken],
        )
