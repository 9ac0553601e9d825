"""The demo shop: a workspace loaded from `shop.yaml`, with images served locally.

It adds data only: the flows, search and checkout are the same built-ins every workspace
gets, so the demo proves what a new shop has after an import.
"""

from __future__ import annotations

from datetime import UTC, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from chatcart.commerce.catalog import Category, Need, Product, SizeNames, Variant
from chatcart.commerce.content import FaqEntry, Workspace
from chatcart.commerce.coupons import Coupon, CouponKind
from chatcart.core.money import Money
from chatcart.services.runtime import Runtime
from chatcart.storage.catalog import (
    add_workspace,
    bump_catalog_version,
    get_workspace,
    save_categories,
    save_coupon,
    save_faq,
    save_products,
)

SHOP_FILE = Path(__file__).parent / "shop.yaml"
IMAGES_DIR = Path(__file__).parent / "images"
IMAGES_URL = "/demo-images"


def read_demo(path: Path = SHOP_FILE) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def ensure_demo(rt: Runtime, workspace_id: str = "demo") -> tuple[Workspace, bool]:
    """Creates the demo workspace once; on later starts it is loaded as it is (sales kept)."""
    data = read_demo()
    spec = data["workspace"]
    workspace = Workspace(workspace_id, spec["name"], spec["lang"], spec["currency"], spec["timezone"])
    with rt.db.transaction() as session:
        existing = get_workspace(session, workspace_id)
        if existing is not None:
            return existing, False
        add_workspace(session, workspace, rt.clock())
        session.flush()
        save_categories(session, workspace_id, _categories(data))
        save_products(session, workspace_id, _products(data, workspace.currency))
        bump_catalog_version(session, workspace_id)
        for coupon in _coupons(data, workspace_id):
            save_coupon(session, coupon)
        save_faq(session, workspace_id, _faq(data))
    return workspace, True


def _categories(data: dict[str, Any]) -> list[Category]:
    return [
        Category(c["id"], c["name"], tuple(Need(n["id"], n["name"]) for n in c.get("needs", [])))
        for c in data["categories"]
    ]


def _products(data: dict[str, Any], currency: str) -> list[Product]:
    size_names: SizeNames = data.get("size_names") or {}
    return [_product(p, currency, size_names) for p in data["products"]]


def _product(spec: dict[str, Any], currency: str, size_names: SizeNames) -> Product:
    """One product; of the shop's size names it keeps those of its own sizes."""
    keywords = tuple(word for words in (spec.get("keywords") or {}).values() for word in words)
    variants = tuple(
        Variant(v["sku"], int(v["stock"]), v.get("size"), v.get("color")) for v in spec["variants"]
    )
    sizes = {v.size for v in variants if v.size}
    return Product(
        id=spec["id"],
        category_id=spec["category"],
        title=spec["title"],
        price=Money.of(spec["price"], currency),
        variants=variants,
        description=spec.get("description", {}),
        brand=spec.get("brand", ""),
        image_url=f"{IMAGES_URL}/{spec['image']}",
        needs=tuple(spec.get("needs", [])),
        keywords=keywords,
        size_names={size: dict(names) for size, names in size_names.items() if size in sizes},
    )


def _coupons(data: dict[str, Any], workspace_id: str) -> list[Coupon]:
    return [
        Coupon(
            code=c["code"],
            workspace_id=workspace_id,
            kind=CouponKind(c["kind"]),
            value=Decimal(str(c["value"])),
            min_spend=Decimal(str(c.get("min_spend", 0))),
            expires_at=_end_of_day(c.get("expires")),
            usage_limit=c.get("usage_limit"),
            first_purchase_only=bool(c.get("first_purchase_only")),
        )
        for c in data.get("coupons", [])
    ]


def _end_of_day(value: str | None) -> datetime | None:
    if not value:
        return None
    return datetime.combine(datetime.fromisoformat(str(value)).date(), time(23, 59, 59), tzinfo=UTC)


def _faq(data: dict[str, Any]) -> list[FaqEntry]:
    return [FaqEntry(f["id"], f["questions"], f["answer"]) for f in data.get("faq", [])]
