"""Reading the Meta/Google product feed, the CSV or TSV file that shops already keep for ads.

It is the one format almost every small shop already has, whatever it sells on, so it is
the cheapest way to bring a catalog into chat without retyping it. The feed has one row per
variant, grouped into products by `item_group_id`; this module knows the feed's columns,
its spellings (Meta's `in stock`, Google's `in_stock`, `g:price`) and its price format, and
turns rows into a `ParsedCatalog`. A bad row is rejected with its line number, never fatal;
only a file that is not a feed at all raises `CatalogFileError`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from chatcart.commerce.content import Workspace
from chatcart.core.money import Money
from chatcart.services.catalog_import.common import (
    CatalogFileError,
    Draft,
    ParsedCatalog,
    Priced,
    Rejection,
    RowError,
    assemble,
    category_for,
    color_key,
    money,
    parse_amount,
    web_url,
)

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

_CURRENCY = re.compile(r"[A-Za-z]{3}")
#: Distinct price texts remembered: a large feed repeats a few hundred prices on every row.
_PRICES_REMEMBERED = 4096


def parse_feed_csv(text: str, workspace: Workspace, default_stock: int = 100) -> ParsedCatalog:
    """A Meta/Google product feed: one row per variant, grouped into products by
    `item_group_id` (a row without one is a product of its own)."""
    rows = _feed_rows(text)
    drafts: dict[str, Draft] = {}
    rejected: list[Rejection] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        row_id = row.get("id", "")
        try:
            _check_new_id(row_id, seen)
            _add_feed_row(drafts, row, workspace, default_stock)
        except RowError as err:
            rejected.append(Rejection(line, row_id, err.reason, err.detail))
        finally:
            if row_id:
                seen.setdefault(row_id, line)
    return assemble(list(drafts.values()), workspace.lang, rejected)


def _check_new_id(row_id: str, seen: Mapping[str, int]) -> None:
    """An id may appear once; the first row wins even if it was itself rejected, so fixing
    a typo in the first row never silently swaps in a different second row."""
    if not row_id:
        raise RowError("missing_id", "id is empty")
    if row_id in seen:
        raise RowError("duplicate_id", f"id {row_id!r} is already used on line {seen[row_id]}")


def _add_feed_row(drafts: dict[str, Draft], row: Mapping[str, str], workspace: Workspace, stock: int) -> None:
    if not row.get("title"):
        raise RowError("missing_title", "title is empty")
    price = _feed_price(row.get("price", ""), workspace.currency)
    in_stock = _availability(row.get("availability", ""))
    image_url, link = web_url(row.get("image_link", ""), "image_link"), web_url(row.get("link", ""), "link")
    product_id = row.get("item_group_id") or row["id"]
    draft = drafts.get(product_id)
    if draft is None:
        draft = drafts[product_id] = Draft(
            id=product_id,
            category=category_for(row.get("product_type", ""), workspace.lang),
            title=row["title"],
            description=row.get("description", ""),
            brand=row.get("brand", ""),
            image_url=image_url,
            link=link,
        )
    variant = Priced(
        row["id"], stock if in_stock else 0, price, row.get("size") or None, color_key(row.get("color", ""))
    )
    draft.variants.append(variant)
    draft.title = _shared_title(draft.title, row["title"])


def _shared_title(first: str, other: str) -> str:
    """The product's title when its variants' rows name the variant too ("… Oolong 150g",
    "… Oolong 300g"): the words they share from the start, without a dangling separator;
    the first title when they share none."""
    shared: list[str] = []
    for mine, theirs in zip(first.split(), other.split(), strict=False):
        if mine != theirs:
            break
        shared.append(mine)
    title = " ".join(shared).rstrip(" -–—|/,:")
    return title or first


@lru_cache(maxsize=_PRICES_REMEMBERED)
def _feed_price(text: str, currency: str) -> Money:
    """A feed price `1290 TWD`: amount, then the ISO currency, which must be the shop's own
    (the importer never converts: a wrong currency is a wrong file, not a rate problem)."""
    parts = text.split()
    if not parts:
        raise RowError("invalid_price", "price is empty")
    if len(parts) == 1:
        parse_amount(parts[0], text)
        raise RowError("missing_currency", f"price {text!r} has no currency; write it like '1290 {currency}'")
    if len(parts) != 2 or not _CURRENCY.fullmatch(parts[1]):
        raise RowError("invalid_price", f"price {text!r} is not an amount followed by a currency")
    amount = parse_amount(parts[0], text)
    found = parts[1].upper()
    if found != currency:
        raise RowError("currency_mismatch", f"price is in {found} but the shop sells in {currency}")
    return money(amount, currency)


def _availability(text: str) -> bool:
    value = text.strip().lower().replace("_", " ")
    if value not in _AVAILABILITY:
        raise RowError(
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
        if "".join(values).strip():
            yield start, dict(zip(header, map(str.strip, values), strict=False))


def _column_name(raw: str) -> str:
    """Header names as feeds write them: `Price`, ` price `, Google's `g:price`."""
    name = raw.strip().lower()
    return name[2:] if name.startswith("g:") else name
