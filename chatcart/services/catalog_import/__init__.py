"""Importing a shop's existing catalog so it can sell in chat on day one.

Two formats cover most small shops without asking them to retype anything: the Meta/Google
product feed (CSV or TSV) that shops already keep for ads, read by `feed_csv`, and the
Shopify storefront `/products.json`, read by `shopify`. Parsing is pure (text in, domain
values out, with the shared rules in `common`) so it can be tested without a database and a
bad file never leaves half a catalog behind; `importer` then writes everything in one
transaction. This package only gathers the public names, so callers need not know which
module holds what.
"""

from chatcart.services.catalog_import.common import (
    UNCATEGORISED,
    CatalogFileError,
    ImportReport,
    ParsedCatalog,
    Rejection,
    category_for,
    category_id,
    color_key,
    html_to_text,
)
from chatcart.services.catalog_import.feed_csv import REQUIRED_FEED_COLUMNS, parse_feed_csv
from chatcart.services.catalog_import.importer import import_catalog_file, parse_catalog_file
from chatcart.services.catalog_import.shopify import parse_shopify_json

__all__ = [
    "REQUIRED_FEED_COLUMNS",
    "UNCATEGORISED",
    "CatalogFileError",
    "ImportReport",
    "ParsedCatalog",
    "Rejection",
    "category_for",
    "category_id",
    "color_key",
    "html_to_text",
    "import_catalog_file",
    "parse_catalog_file",
    "parse_feed_csv",
    "parse_shopify_json",
]
