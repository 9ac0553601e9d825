"""Reading a Shopify storefront `/products.json`, which every Shopify shop publishes.

A shop moving from Shopify can bring its whole catalog over from a URL it already has, with
no export step. The endpoint is nested JSON (products with options, variants and images)
rather than flat rows, and written loosely (ids as numbers, `null`s, HTML descriptions,
a `Title: Default Title` placeholder option), so it needs its own reader; this module turns
it into the same `ParsedCatalog` the feed gives. A bad product or variant is rejected with
its position, never fatal; only a file that is not a products list raises `CatalogFileError`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from chatcart.commerce.content import Workspace
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
    html_to_text,
    money,
    parse_amount,
    web_url,
)

_SIZE_OPTIONS = frozenset({"size", "尺寸", "尺碼"})
_COLOR_OPTIONS = frozenset({"color", "colour", "顏色"})
_SHOPIFY_DEFAULT_OPTION = ("title", "Default Title")


def parse_shopify_json(text: str, workspace: Workspace, default_stock: int = 100) -> ParsedCatalog:
    """A Shopify storefront `/products.json`.

    The product id is the Shopify `handle` (`merino-crew-sweater`), not the numeric id: it is
    what appears in the shop's URLs, so people recognise it in links, logs and reports, and
    it stays the same if the shop re-creates the product. A product without a handle uses
    its numeric id. Prices are in the workspace currency (the endpoint names none); stock
    is `default_stock` for an available variant, as the endpoint has no quantities."""
    products = _shopify_products(text)
    drafts: dict[str, Draft] = {}
    rejected: list[Rejection] = []
    skus: set[str] = set()
    handles: set[str] = set()
    for position, item in enumerate(products, start=1):
        row_id = _shopify_product_id(item)
        try:
            draft = _shopify_draft(item, row_id, handles, workspace)
        except RowError as err:
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
    return assemble(list(drafts.values()), workspace.lang, rejected)


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


def _shopify_draft(item: Any, row_id: str, handles: set[str], workspace: Workspace) -> Draft:
    if not isinstance(item, dict):
        raise RowError("invalid_product", "the product is not a JSON object")
    if not row_id:
        raise RowError("missing_id", "the product has neither a handle nor an id")
    if row_id in handles:
        raise RowError("duplicate_id", f"handle {row_id!r} is already used by an earlier product")
    title = _text(item.get("title"))
    if not title:
        raise RowError("missing_title", "title is empty")
    images = [i for i in _list(item.get("images")) if isinstance(i, dict)]
    return Draft(
        id=row_id,
        category=category_for(_text(item.get("product_type")), workspace.lang),
        title=title,
        description=html_to_text(_text(item.get("body_html"))),
        brand=_text(item.get("vendor")),
        image_url=web_url(_text(images[0].get("src")), "image src") if images else "",
        link="",
    )


def _options(item: Mapping[str, Any]) -> list[str]:
    """Option names by position (`option1` is the first), lower-cased for matching."""
    return [_text(o.get("name")).lower() if isinstance(o, dict) else "" for o in _list(item.get("options"))]


def _add_shopify_variant(
    draft: Draft,
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
            raise RowError("invalid_variant", "a variant is not a JSON object")
        sku = _text(variant.get("sku")) or _text(variant.get("id"))
        if not sku:
            raise RowError("missing_id", "a variant has neither a SKU nor an id")
        if sku in skus:
            raise RowError("duplicate_id", f"SKU {sku!r} is already used by an earlier variant")
        skus.add(sku)
        price = money(parse_amount(_text(variant.get("price"))), workspace.currency)
        stock = 0 if variant.get("available") is False else default_stock
        size, color = _size_and_color(variant, options)
        draft.variants.append(Priced(sku, stock, price, size, color))
    except RowError as err:
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


def _text(value: Any) -> str:
    """A JSON scalar as trimmed text (`null` → empty; numeric ids and prices → digits)."""
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return str(value).strip()


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []
