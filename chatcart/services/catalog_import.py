"""Importing a shop's existing catalog so it can sell in chat on day one.

Two formats cover most small shops without asking them to retype anything:

* the Meta/Google product feed (CSV or TSV) that shops already keep for ads, one row per
  variant, and
* the Shopify storefront `/products.json`, which every Shopify shop publishes.

Parsing is pure (text in, domain values out) so it can be tested without a database and
so a bad file never leaves half a catalog behind. A bad row is reported, never fatal: one
typo in row 300 must not stop 299 good products. Only a file that is not a catalog at all
raises `CatalogFileError`. `import_catalog_file` then writes everything in one transaction.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from chatcart.commerce.catalog import Category, Product, Variant
from chatcart.commerce.content import Workspace
from chatcart.core.errors import DomainError, NotFound
from chatcart.core.money import Money
from chatcart.nlu.entities import color_words
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import get_workspace, load_categories, save_category, save_product
from chatcart.storage.tables import VariantRow

#: Columns without which no product can be built; the other feed columns are optional so a
#: lean Google feed (no `condition`, no `item_group_id`) still imports.
REQUIRED_FEED_COLUMNS = ("id", "title", "price", "availability")

#: Feed availability values (Meta spells them with spaces, Google with underscores) and
#: whether the item can be sold now. The feed has no quantity, so "now" means the default stock.
_AVAILABILITY: dict[str, bool] = {
    "in stock": True,
    "out of stock": False,
    "discontinued": False,
    "preorder": False,
    "backorder": False,
    "available for order": False,
}

#: The category for products whose feed row names none.
UNCATEGORISED = Category("uncategorised", {"en": "Other", "zh-TW": "其他"})

_SIZE_OPTIONS = frozenset({"size", "尺寸", "尺碼"})
_COLOR_OPTIONS = frozenset({"color", "colour", "顏色"})
_SHOPIFY_DEFAULT_OPTION = ("title", "Default Title")
_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_CURRENCY = re.compile(r"[A-Za-z]{3}")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 64
_IN_CHUNK = 500


class CatalogFileError(DomainError):
    """The file is not a catalog this importer reads (or cannot go into this workspace).

    `reason` is a stable key for programs; `detail` says in plain words what to fix."""

    def __init__(self, reason: str, detail: str, **params: Any) -> None:
        super().__init__(reason, **params)
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.reason}: {self.detail}"


@dataclass(frozen=True)
class Rejection:
    """One row the importer left out, and why, so the shop can fix its file.

    `line` is, for a CSV feed, the file line where the row starts (the header is line 1,
    as an editor shows it); for Shopify JSON, the product's 1-based position in `products`.
    `row_id` is the feed row id, or the Shopify handle / variant SKU."""

    line: int
    row_id: str
    reason: str
    detail: str


@dataclass(frozen=True)
class ParsedCatalog:
    products: list[Product]
    categories: list[Category]
    rejected: list[Rejection]


@dataclass(frozen=True)
class ImportReport:
    imported_products: int
    imported_variants: int
    categories: int
    rejected: list[Rejection]


class _RowError(Exception):
    """A row is rejected; carries the reason key and the human text of its `Rejection`."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class _Priced:
    """A variant before the product price is known (it is the lowest of its variants)."""

    sku: str
    stock: int
    price: Money
    size: str | None = None
    color: str | None = None


@dataclass
class _Draft:
    """A product being gathered from rows; its first row decides title, category and links."""

    id: str
    category: Category
    title: str
    description: str
    brand: str
    image_url: str
    link: str
    variants: list[_Priced] = field(default_factory=list)


# --- shared rules --------------------------------------------------------------------------


def category_for(product_type: str, lang: str) -> Category:
    """The category named by the last segment of a `A > B > C` path.

    The last segment is the most specific and is what a customer browses by; the id is
    derived from the name alone so re-imports and other files land in the same category."""
    name = product_type.split(">")[-1].strip()
    if not name:
        return UNCATEGORISED
    return Category(category_id(name), {lang: name})


def category_id(name: str) -> str:
    """A URL-safe id for a category name: a readable slug for Latin names (`Sleeping Bags`
    → `sleeping-bags`, `Café` → `cafe`), a short stable hash for others (`茶葉` → `cat-…`),
    because a transliteration of Chinese would be neither short nor unambiguous."""
    folded = "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))
    slug = _SLUG_JUNK.sub("-", folded.lower()).strip("-")[:_MAX_SLUG].strip("-")
    if folded.isascii() and slug:
        return slug
    return "cat-" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:8]


def color_key(text: str) -> str | None:
    """The catalog's colour key for a feed colour (`Navy` → `navy`, `灰色` → `grey`), so a
    customer asking for "gray" finds it; unknown colours are kept, lower-cased."""
    value = text.strip().lower()
    if not value:
        return None
    for key, words in color_words().items():
        if value == key.lower() or value in (w.lower() for w in words):
            return key
    return value


def _parse_amount(text: str, shown: str | None = None) -> Decimal:
    """`1290`, `1,290.00` → Decimal; thousands commas only where they group three digits,
    so `1,29` is an error rather than silently 129. `shown` is the price as the file wrote it."""
    value = text.strip()
    problem = _RowError("invalid_price", f"price {text if shown is None else shown!r} is not a number")
    if not _AMOUNT.fullmatch(value):
        raise problem
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise problem from exc


def _money(amount: Decimal, currency: str) -> Money:
    if amount < 0:
        raise _RowError("negative_price", f"price {amount} {currency} is negative")
    return Money.of(amount, currency)


def _feed_price(text: str, currency: str) -> Money:
    """A feed price `1290 TWD`: amount, then the ISO currency, which must be the shop's own
    (the importer never converts: a wrong currency is a wrong file, not a rate problem)."""
    parts = text.split()
    if not parts:
        raise _RowError("invalid_price", "price is empty")
    if len(parts) == 1:
        _parse_amount(parts[0], text)
        raise _RowError(
            "missing_currency", f"price {text!r} has no currency; write it like '1290 {currency}'"
        )
    if len(parts) != 2 or not _CURRENCY.fullmatch(parts[1]):
        raise _RowError("invalid_price", f"price {text!r} is not an amount followed by a currency")
    amount = _parse_amount(parts[0], text)
    found = parts[1].upper()
    if found != currency:
        raise _RowError("currency_mismatch", f"price is in {found} but the shop sells in {currency}")
    return _money(amount, currency)


def _build_product(draft: _Draft, lang: str) -> Product:
    """The product price is its cheapest variant (what "from NT$980" shows); a variant that
    costs more carries its own price."""
    price = min(v.price for v in draft.variants)
    variants = tuple(
        Variant(v.sku, v.stock, v.size, v.color, None if v.price == price else v.price)
        for v in draft.variants
    )
    return Product(
        id=draft.id,
        category_id=draft.category.id,
        title={lang: draft.title},
        price=price,
        variants=variants,
        description={lang: draft.description} if draft.description else {},
        brand=draft.brand,
        image_url=draft.image_url,
        link=draft.link,
    )


def _assemble(drafts: Sequence[_Draft], lang: str, rejected: list[Rejection]) -> ParsedCatalog:
    products = [_build_product(d, lang) for d in drafts if d.variants]
    categories: dict[str, Category] = {}
    for draft in drafts:
        if draft.variants:
            categories.setdefault(draft.category.id, draft.category)
    return ParsedCatalog(products, list(categories.values()), rejected)


# --- Meta / Google feed --------------------------------------------------------------------


def parse_feed_csv(text: str, workspace: Workspace, default_stock: int = 100) -> ParsedCatalog:
    """A Meta/Google product feed: one row per variant, grouped into products by
    `item_group_id` (a row without one is a product of its own)."""
    rows = _feed_rows(text)
    drafts: dict[str, _Draft] = {}
    rejected: list[Rejection] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        row_id = row.get("id", "")
        try:
            _check_new_id(row_id, seen)
            _add_feed_row(drafts, row, workspace, default_stock)
        except _RowError as err:
            rejected.append(Rejection(line, row_id, err.reason, err.detail))
        finally:
            if row_id:
                seen.setdefault(row_id, line)
    return _assemble(list(drafts.values()), workspace.lang, rejected)


def _check_new_id(row_id: str, seen: Mapping[str, int]) -> None:
    """An id may appear once; the first row wins even if it was itself rejected, so fixing
    a typo in the first row never silently swaps in a different second row."""
    if not row_id:
        raise _RowError("missing_id", "id is empty")
    if row_id in seen:
        raise _RowError("duplicate_id", f"id {row_id!r} is already used on line {seen[row_id]}")


def _add_feed_row(
    drafts: dict[str, _Draft], row: Mapping[str, str], workspace: Workspace, stock: int
) -> None:
    if not row.get("title"):
        raise _RowError("missing_title", "title is empty")
    price = _feed_price(row.get("price", ""), workspace.currency)
    in_stock = _availability(row.get("availability", ""))
    product_id = row.get("item_group_id") or row["id"]
    draft = drafts.get(product_id)
    if draft is None:
        draft = drafts[product_id] = _Draft(
            id=product_id,
            category=category_for(row.get("product_type", ""), workspace.lang),
            title=row["title"],
            description=row.get("description", ""),
            brand=row.get("brand", ""),
            image_url=row.get("image_link", ""),
            link=row.get("link", ""),
        )
    variant = _Priced(
        row["id"], stock if in_stock else 0, price, row.get("size") or None, color_key(row.get("color", ""))
    )
    draft.variants.append(variant)


def _availability(text: str) -> bool:
    value = text.strip().lower().replace("_", " ")
    if value not in _AVAILABILITY:
        raise _RowError(
            "invalid_availability", f"availability {text!r} is not one of: {', '.join(_AVAILABILITY)}"
        )
    return _AVAILABILITY[value]


def _feed_rows(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """(line where the row starts, column → trimmed value), blank lines skipped.

    The line is counted by the csv reader itself, so a description with a line break inside
    quotes does not shift the numbers reported for later rows."""
    text = text.lstrip("\ufeff")
    header_line = text.split("\n", 1)[0]
    if not header_line.strip():
        raise CatalogFileError("empty_file", "the file is empty or starts with a blank line")
    delimiter = "\t" if header_line.count("\t") > header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [_column_name(c) for c in next(reader)]
    missing = [c for c in REQUIRED_FEED_COLUMNS if c not in header]
    if missing:
        raise CatalogFileError(
            "missing_columns",
            f"not a product feed: the header lacks {', '.join(missing)} (found: {', '.join(header)})",
            missing=missing,
        )
    return _data_rows(reader, header)


def _data_rows(reader: Any, header: Sequence[str]) -> Iterator[tuple[int, dict[str, str]]]:
    while True:
        start = reader.line_num + 1
        try:
            values: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise CatalogFileError("malformed_csv", f"line {start}: {exc}", line=start) from exc
        if any(v.strip() for v in values):
            yield start, {name: value.strip() for name, value in zip(header, values, strict=False)}


def _column_name(raw: str) -> str:
    """Header names as feeds write them: `Price`, ` price `, Google's `g:price`."""
    name = raw.strip().lower()
    return name[2:] if name.startswith("g:") else name


# --- Shopify products.json -----------------------------------------------------------------


def parse_shopify_json(text: str, workspace: Workspace, default_stock: int = 100) -> ParsedCatalog:
    """A Shopify storefront `/products.json`.

    The product id is the Shopify `handle` (`merino-crew-sweater`), not the numeric id: it is
    what appears in the shop's URLs, so people recognise it in links, logs and reports, and
    it stays the same if the shop re-creates the product. A product without a handle uses
    its numeric id. Prices are in the workspace currency (the endpoint names none); stock
    is `default_stock` for an available variant, as the endpoint has no quantities."""
    products = _shopify_products(text)
    drafts: dict[str, _Draft] = {}
    rejected: list[Rejection] = []
    skus: set[str] = set()
    handles: set[str] = set()
    for position, item in enumerate(products, start=1):
        row_id = _shopify_product_id(item)
        try:
            draft = _shopify_draft(item, row_id, handles, workspace)
        except _RowError as err:
            rejected.append(Rejection(position, row_id, err.reason, err.detail))
            continue
        finally:
            handles.add(row_id)
        for variant in _list(item.get("variants")):
            _add_shopify_variant(
                draft, variant, _options(item), skus, workspace, default_stock, position, rejected
            )
        if draft.variants:
            drafts[draft.id] = draft
        else:
            rejected.append(
                Rejection(position, row_id, "no_variants", "the product has no importable variant")
            )
    return _assemble(list(drafts.values()), workspace.lang, rejected)


def _shopify_products(text: str) -> list[Any]:
    try:
        document = json.loads(text.lstrip("\ufeff"))
    except json.JSONDecodeError as exc:
        raise CatalogFileError("invalid_json", f"not JSON: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("products"), list):
        raise CatalogFileError(
            "not_a_products_list", 'not a Shopify products.json: expected {"products": [...]}'
        )
    return list(document["products"])


def _shopify_product_id(item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    return _text(item.get("handle")) or _text(item.get("id"))


def _shopify_draft(item: Any, row_id: str, handles: set[str], workspace: Workspace) -> _Draft:
    if not isinstance(item, dict):
        raise _RowError("invalid_product", "the product is not a JSON object")
    if not row_id:
        raise _RowError("missing_id", "the product has neither a handle nor an id")
    if row_id in handles:
        raise _RowError("duplicate_id", f"handle {row_id!r} is already used by an earlier product")
    title = _text(item.get("title"))
    if not title:
        raise _RowError("missing_title", "title is empty")
    images = [i for i in _list(item.get("images")) if isinstance(i, dict)]
    return _Draft(
        id=row_id,
        category=category_for(_text(item.get("product_type")), workspace.lang),
        title=title,
        description=html_to_text(_text(item.get("body_html"))),
        brand=_text(item.get("vendor")),
        image_url=_text(images[0].get("src")) if images else "",
        link="",
    )


def _options(item: Mapping[str, Any]) -> list[str]:
    """Option names by position (`option1` is the first), lower-cased for matching."""
    return [_text(o.get("name")).lower() if isinstance(o, dict) else "" for o in _list(item.get("options"))]


def _add_shopify_variant(
    draft: _Draft,
    variant: Any,
    options: Sequence[str],
    skus: set[str],
    workspace: Workspace,
    default_stock: int,
    position: int,
    rejected: list[Rejection],
) -> None:
    """Adds one variant to the draft, or records why it was left out (the rest of the
    product still imports)."""
    sku = ""
    try:
        if not isinstance(variant, dict):
            raise _RowError("invalid_variant", "a variant is not a JSON object")
        sku = _text(variant.get("sku")) or _text(variant.get("id"))
        if not sku:
            raise _RowError("missing_id", "a variant has neither a SKU nor an id")
        if sku in skus:
            raise _RowError("duplicate_id", f"SKU {sku!r} is already used by an earlier variant")
        skus.add(sku)
        price = _money(_parse_amount(_text(variant.get("price"))), workspace.currency)
        stock = 0 if variant.get("available") is False else default_stock
        size, color = _size_and_color(variant, options)
        draft.variants.append(_Priced(sku, stock, price, size, color))
    except _RowError as err:
        rejected.append(Rejection(position, sku or draft.id, err.reason, err.detail))


def _size_and_color(variant: Mapping[str, Any], options: Sequence[str]) -> tuple[str | None, str | None]:
    """Size and colour from the variant's option values; other options (material, …) and
    Shopify's placeholder `Title: Default Title` of single-variant products are neither."""
    size = color = None
    for index, name in enumerate(options, start=1):
        value = _text(variant.get(f"option{index}"))
        if not value or (name, value) == _SHOPIFY_DEFAULT_OPTION:
            continue
        if name in _SIZE_OPTIONS:
            size = value
        elif name in _COLOR_OPTIONS:
            color = color_key(value)
    return size, color


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment; block elements become line breaks so list
    items do not run into each other in a chat bubble."""

    _BLOCKS = frozenset({"p", "br", "li", "div", "ul", "ol", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    _SKIPPED = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIPPED:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """Plain text of a product's HTML description (tags removed, entities decoded)."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)


def _text(value: Any) -> str:
    """A JSON scalar as trimmed text (`null` → empty; numeric ids and prices → digits)."""
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return str(value).strip()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


# --- files and the database ----------------------------------------------------------------

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
    for ids in _chunks([p.id for p in products]):
        session.execute(
            delete(VariantRow).where(VariantRow.workspace_id == workspace_id, VariantRow.product_id.in_(ids))
        )
    _refuse_taken_skus(session, workspace_id, [v.sku for p in products for v in p.variants])
    for position, product in enumerate(products):
        save_product(session, workspace_id, product, position)


def _refuse_taken_skus(session: Session, workspace_id: str, skus: Sequence[str]) -> None:
    taken: list[tuple[str, str]] = []
    for chunk in _chunks(skus):
        query = select(VariantRow.sku, VariantRow.product_id).where(
            VariantRow.workspace_id == workspace_id, VariantRow.sku.in_(chunk)
        )
        taken.extend((sku, product_id) for sku, product_id in session.execute(query))
    if taken:
        listed = ", ".join(f"{sku} (product {product_id})" for sku, product_id in sorted(taken)[:5])
        raise CatalogFileError(
            "sku_in_other_product",
            f"{len(taken)} SKU(s) already belong to products this file does not contain: {listed}",
            skus=[sku for sku, _ in taken],
        )


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    """Slices for `IN (...)` lists, under SQLite's bound-parameter limit."""
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]
