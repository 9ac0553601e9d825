"""What every catalog format shares: the results, the errors and the rules for turning rows
into products.

The feed and Shopify parsers read different files but must reach the same answers: the same
category id for the same name, the same colour key for "Gray" and "灰色", the same price
rules and the same product built from the same variants. Keeping those rules here, apart
from either format, is what makes a product imported from a feed and one imported from
Shopify land in one catalog alike. Everything here is pure: text in, domain values out.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache, lru_cache
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from chatcart.commerce.catalog import Category, Product, Variant
from chatcart.core.errors import DomainError
from chatcart.core.money import Money
from chatcart.nlu.entities import color_words

#: The category for products whose feed row names none; the importer names it, not the shop,
#: so it is named in every language replies come in.
UNCATEGORISED = Category("uncategorised", {"en": "Other", "zh-TW": "其他", "ja": "その他", "pl": "Inne"})

_AMOUNT = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")
_SLUG_JUNK = re.compile(r"[^a-z0-9]+")
_MAX_SLUG = 64
#: Category names whose ids are remembered: a feed repeats the same few on every row.
_NAMES_REMEMBERED = 1024


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


class RowError(Exception):
    """A row is rejected; carries the reason key and the human text of its `Rejection`."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class Priced:
    """A variant before the product price is known (it is the lowest of its variants)."""

    sku: str
    stock: int
    price: Money
    size: str | None = None
    color: str | None = None


@dataclass
class Draft:
    """A product being gathered from rows; its first row decides title, category and links."""

    id: str
    category: Category
    title: str
    description: str
    brand: str
    image_url: str
    link: str
    variants: list[Priced] = field(default_factory=list)


# --- links and images --------------------------------------------------------------------

#: Schemes a product link or image may use: anything else (`javascript:`, `data:`, `file:`)
#: would run or read something in the customer's browser when the widget or a page shows it.
WEB_SCHEMES = ("http", "https")
_MAX_URL = 2048


def web_url(value: str, field_name: str) -> str:
    """`value` (trimmed) if it is an http(s) URL with a host, or a path on this server
    (`/images/a.jpg`); empty stays empty. Anything else rejects the row. Whitespace and
    control characters inside are refused outright: browsers drop them while parsing, so
    `java\tscript:` would run as `javascript:`."""
    url = value.strip()
    if not url:
        return ""
    shown = url if len(url) <= 80 else url[:77] + "..."
    if len(url) > _MAX_URL or any(c.isspace() or unicodedata.category(c) == "Cc" for c in url):
        raise RowError("invalid_url", f"{field_name} {shown!r} is not a usable URL")
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. an unclosed IPv6 bracket
        raise RowError("invalid_url", f"{field_name} {shown!r} is not a usable URL") from None
    if parts.scheme.lower() in WEB_SCHEMES and parts.netloc:
        return url
    if not parts.scheme and url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    raise RowError("invalid_url", f"{field_name} {shown!r} must be an http(s) URL or a path starting with /")


# --- categories and colours ----------------------------------------------------------------


def category_for(product_type: str, lang: str) -> Category:
    """The category named by the last segment of a `A > B > C` path.

    The last segment is the most specific and is what a customer browses by; the id is
    derived from the name alone so re-imports and other files land in the same category."""
    name = product_type.split(">")[-1].strip()
    if not name:
        return UNCATEGORISED
    return Category(category_id(name), {lang: name})


@lru_cache(maxsize=_NAMES_REMEMBERED)
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
    return _color_keys().get(value, value)


@cache
def _color_keys() -> dict[str, str]:
    """Every lower-cased colour word and key → its key, the first key winning a word two
    share; one lookup per feed row instead of a walk through the colour table."""
    keys: dict[str, str] = {}
    for key, words in color_words().items():
        for word in (key, *words):
            keys.setdefault(word.lower(), key)
    return keys


# --- amounts -------------------------------------------------------------------------------


def parse_amount(text: str, shown: str | None = None) -> Decimal:
    """`1290`, `1,290.00` → Decimal; thousands commas only where they group three digits,
    so `1,29` is an error rather than silently 129. `shown` is the price as the file wrote it."""
    value = text.strip()
    problem = RowError("invalid_price", f"price {text if shown is None else shown!r} is not a number")
    if not _AMOUNT.fullmatch(value):
        raise problem
    try:
        return Decimal(value.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
        raise problem from exc


def money(amount: Decimal, currency: str) -> Money:
    if amount < 0:
        raise RowError("negative_price", f"price {amount} {currency} is negative")
    return Money.of(amount, currency)


# --- descriptions --------------------------------------------------------------------------


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


# --- drafts into products ------------------------------------------------------------------


def build_product(draft: Draft, lang: str) -> Product:
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


def assemble(drafts: Sequence[Draft], lang: str, rejected: list[Rejection]) -> ParsedCatalog:
    """The parsed catalog: a product for every draft that kept at least one variant, and
    the categories those products use, in the order they first appear."""
    products = [build_product(d, lang) for d in drafts if d.variants]
    categories: dict[str, Category] = {}
    for draft in drafts:
        if draft.variants:
            categories.setdefault(draft.category.id, draft.category)
    return ParsedCatalog(products, list(categories.values()), rejected)
