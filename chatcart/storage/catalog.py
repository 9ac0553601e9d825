"""Reading and writing the catalog, coupons, FAQ and workspaces as domain values."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from chatcart.commerce.catalog import Category, Need, Product, Variant
from chatcart.commerce.content import FaqEntry, ShopIntent, ShopIntents, Workspace
from chatcart.commerce.coupons import Coupon, CouponKind
from chatcart.core.errors import NotFound
from chatcart.core.money import Money
from chatcart.storage.tables import (
    Base,
    CategoryRow,
    CouponRow,
    FaqRow,
    ProductRow,
    ShopIntentRow,
    VariantRow,
    WorkspaceRow,
)

#: Values per `IN (...)` list, under SQLite's bound-parameter limit.
_IN_CHUNK = 500

#: The tables bulk writes go to through Core, without the ORM's per-object bookkeeping.
_CATEGORIES = Base.metadata.tables[CategoryRow.__tablename__]
_PRODUCTS = Base.metadata.tables[ProductRow.__tablename__]
_VARIANTS = Base.metadata.tables[VariantRow.__tablename__]


def workspace_of(row: WorkspaceRow) -> Workspace:
    return Workspace(row.id, dict(row.name), row.lang, row.currency, row.timezone)


_WORKSPACE = select(WorkspaceRow).where(WorkspaceRow.id == bindparam("workspace_id"))


def workspace_row(session: Session, workspace_id: str) -> WorkspaceRow | None:
    """The row with its catalog and stock versions and flows; one prebuilt statement."""
    return session.execute(_WORKSPACE, {"workspace_id": workspace_id}).scalar_one_or_none()


def get_workspace(session: Session, workspace_id: str) -> Workspace | None:
    row = workspace_row(session, workspace_id)
    return workspace_of(row) if row else None


def list_workspaces(session: Session) -> list[Workspace]:
    return [workspace_of(r) for r in session.scalars(select(WorkspaceRow).order_by(WorkspaceRow.id))]


def add_workspace(session: Session, workspace: Workspace, now: datetime) -> None:
    session.add(
        WorkspaceRow(
            id=workspace.id,
            name=dict(workspace.name),
            lang=workspace.lang,
            currency=workspace.currency,
            timezone=workspace.timezone,
            created_at=now,
        )
    )


def load_categories(session: Session, workspace_id: str) -> list[Category]:
    rows = session.scalars(
        select(CategoryRow)
        .where(CategoryRow.workspace_id == workspace_id)
        .order_by(CategoryRow.position, CategoryRow.id)
    )
    return [Category(r.id, dict(r.name), tuple(Need(n["id"], n["name"]) for n in r.needs)) for r in rows]


def load_products(session: Session, workspace_id: str) -> list[Product]:
    variants: dict[str, list[Variant]] = {}
    variant_rows = session.scalars(
        select(VariantRow)
        .where(VariantRow.workspace_id == workspace_id)
        .order_by(VariantRow.position, VariantRow.sku)
    )
    product_rows = list(
        session.scalars(
            select(ProductRow)
            .where(ProductRow.workspace_id == workspace_id, ProductRow.active.is_(True))
            .order_by(ProductRow.position)
        )
    )
    currency = {r.id: r.currency for r in product_rows}
    for v in variant_rows:
        price = Money(v.price, currency.get(v.product_id, "USD")) if v.price is not None else None
        variants.setdefault(v.product_id, []).append(Variant(v.sku, v.stock, v.size, v.color, price))
    return [_product_of(r, tuple(variants.get(r.id, ()))) for r in product_rows]


#: The key a product's size names are kept under in its `title` JSON: not a language tag,
#: so no title can take it, and the names need no column of their own.
_SIZE_NAMES_KEY = "@sizes"


def _product_of(row: ProductRow, variants: tuple[Variant, ...]) -> Product:
    title = dict(row.title)
    size_names = title.pop(_SIZE_NAMES_KEY, None) or {}
    return Product(
        id=row.id,
        category_id=row.category_id,
        title=title,
        price=Money(row.price, row.currency),
        variants=variants,
        description=dict(row.description),
        brand=row.brand,
        image_url=row.image_url,
        link=row.link,
        needs=tuple(row.needs),
        keywords=tuple(row.keywords),
        size_names=size_names,
    )


def save_category(session: Session, workspace_id: str, category: Category, position: int) -> None:
    """Inserts or replaces one category at `position`; see `save_categories`."""
    save_categories(session, workspace_id, [category], position)


def save_categories(
    session: Session, workspace_id: str, categories: Sequence[Category], first_position: int = 0
) -> None:
    """Inserts or replaces categories by id, numbered from `first_position` in the given
    order, with one upsert for all of them."""
    rows = [
        {
            "workspace_id": workspace_id,
            "id": category.id,
            "name": dict(category.name),
            "needs": [{"id": n.id, "name": dict(n.name)} for n in category.needs],
            "position": first_position + index,
        }
        for index, category in enumerate(categories)
    ]
    _upsert(session, _CATEGORIES, rows)


def save_product(session: Session, workspace_id: str, product: Product, position: int) -> None:
    """Inserts or replaces one product at `position`; see `save_products`."""
    save_products(session, workspace_id, [product], position)


def save_products(
    session: Session, workspace_id: str, products: Sequence[Product], first_position: int = 0
) -> None:
    """Inserts or replaces products by id and all their variants (an import is the source of
    truth), numbered from `first_position`. A SKU held by a product outside `products`
    collides: the caller checks `variant_owners` first."""
    clear_variants(session, workspace_id, [p.id for p in products])
    write_products(session, workspace_id, products, first_position)


def write_products(
    session: Session, workspace_id: str, products: Sequence[Product], first_position: int = 0
) -> None:
    """Upserts products and inserts their variants: two statements for any number of
    products, not a few per product. Their old variants must be gone (`clear_variants`);
    clearing a whole file's products first lets an import write them in batches, and a SKU
    that moved to a product of an earlier batch never meets its old row."""
    rows = [_product_row(workspace_id, p, first_position + i) for i, p in enumerate(products)]
    _upsert(session, _PRODUCTS, rows)
    variants = [row for p in products for row in _variant_rows(workspace_id, p)]
    if variants:
        session.execute(insert(_VARIANTS), variants)


def _product_row(workspace_id: str, product: Product, position: int) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "id": product.id,
        "category_id": product.category_id,
        "title": _title_column(product),
        "description": dict(product.description),
        "brand": product.brand,
        "price": product.price.amount,
        "currency": product.price.currency,
        "image_url": product.image_url,
        "link": product.link,
        "needs": list(product.needs),
        "keywords": list(product.keywords),
        "active": True,
        "position": position,
    }


def _title_column(product: Product) -> dict[str, Any]:
    """The titles by language, with the size names beside them when the shop gives any."""
    column: dict[str, Any] = dict(product.title)
    if product.size_names:
        column[_SIZE_NAMES_KEY] = {size: dict(names) for size, names in product.size_names.items()}
    return column


def _variant_rows(workspace_id: str, product: Product) -> list[dict[str, Any]]:
    return [
        {
            "workspace_id": workspace_id,
            "sku": v.sku,
            "product_id": product.id,
            "size": v.size,
            "color": v.color,
            "stock": v.stock,
            "price": v.price.amount if v.price else None,
            "position": index,
        }
        for index, v in enumerate(product.variants)
    ]


def _upsert(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """`INSERT … ON CONFLICT (primary key) DO UPDATE` as one executemany; a conflicting row
    takes the new values of the columns `rows` give and keeps the others (SQLite and
    PostgreSQL spell the upsert alike, but SQLAlchemy builds it per dialect)."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    statement = (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)
    key = [c.name for c in table.primary_key]
    changes = {
        c.name: statement.excluded[c.name] for c in table.columns if c.name not in key and c.name in rows[0]
    }
    session.execute(statement.on_conflict_do_update(index_elements=key, set_=changes), rows)


def clear_variants(session: Session, workspace_id: str, product_ids: Sequence[str]) -> None:
    """Deletes every variant of these products (before an import writes them afresh)."""
    for ids in _chunks(product_ids):
        session.execute(
            delete(VariantRow).where(VariantRow.workspace_id == workspace_id, VariantRow.product_id.in_(ids))
        )


def variant_owners(session: Session, workspace_id: str, skus: Sequence[str]) -> list[tuple[str, str]]:
    """(sku, product id) for each of these SKUs that a variant in the workspace holds."""
    owners: list[tuple[str, str]] = []
    for chunk in _chunks(skus):
        query = select(VariantRow.sku, VariantRow.product_id).where(
            VariantRow.workspace_id == workspace_id, VariantRow.sku.in_(chunk)
        )
        owners.extend((sku, product_id) for sku, product_id in session.execute(query))
    return owners


def _chunks(values: Sequence[str]) -> Iterator[Sequence[str]]:
    """Slices for `IN (...)` lists, under SQLite's bound-parameter limit."""
    for start in range(0, len(values), _IN_CHUNK):
        yield values[start : start + _IN_CHUNK]


def bump_catalog_version(session: Session, workspace_id: str) -> int:
    """Counts one more change of the workspace's catalog and returns the new version.

    Processes cache the catalog and its search index per version, so every write of catalog
    content calls this in its own transaction: a missed bump is a stale catalog. Called
    first, it also locks the workspace row, so two imports into one workspace take turns."""
    bumped = session.execute(
        update(WorkspaceRow)
        .where(WorkspaceRow.id == workspace_id)
        .values(catalog_version=WorkspaceRow.catalog_version + 1)
        .returning(WorkspaceRow.catalog_version)
    ).scalar_one_or_none()
    if bumped is None:
        raise NotFound("unknown_workspace", workspace=workspace_id)
    return int(bumped)


def take_stock(session: Session, workspace_id: str, sku: str, quantity: int) -> bool:
    """Atomically takes `quantity` if that many are left; False if not (someone was faster)."""
    result = session.execute(
        update(VariantRow)
        .where(VariantRow.workspace_id == workspace_id, VariantRow.sku == sku, VariantRow.stock >= quantity)
        .values(stock=VariantRow.stock - quantity, stock_version=_next_stock_version(session, workspace_id))
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def return_stock(session: Session, workspace_id: str, sku: str, quantity: int) -> None:
    session.execute(
        update(VariantRow)
        .where(VariantRow.workspace_id == workspace_id, VariantRow.sku == sku)
        .values(stock=VariantRow.stock + quantity, stock_version=_next_stock_version(session, workspace_id))
    )


def _next_stock_version(session: Session, workspace_id: str) -> int:
    """Bumps the workspace's stock version; cached catalogs refresh what changed after it."""
    bumped = session.execute(
        update(WorkspaceRow)
        .where(WorkspaceRow.id == workspace_id)
        .values(stock_version=WorkspaceRow.stock_version + 1)
        .returning(WorkspaceRow.stock_version)
    )
    return int(bumped.scalar_one())


def stock_changes_since(session: Session, workspace_id: str, version: int) -> dict[str, int]:
    """SKU → stock of the variants whose stock changed after `version`."""
    rows = session.execute(
        select(VariantRow.sku, VariantRow.stock).where(
            VariantRow.workspace_id == workspace_id, VariantRow.stock_version > version
        )
    )
    return {str(sku): int(stock) for sku, stock in rows}


def load_coupon(session: Session, workspace_id: str, code: str) -> Coupon | None:
    row = session.get(CouponRow, (workspace_id, code))
    if row is None:
        return None
    return Coupon(
        row.code,
        row.workspace_id,
        CouponKind(row.kind),
        row.value,
        row.min_spend,
        row.expires_at,
        row.usage_limit,
        row.used,
        row.first_purchase_only,
    )


def save_coupon(session: Session, coupon: Coupon) -> None:
    session.merge(
        CouponRow(
            workspace_id=coupon.workspace_id,
            code=coupon.code,
            kind=coupon.kind.value,
            value=coupon.value,
            min_spend=coupon.min_spend,
            expires_at=coupon.expires_at,
            usage_limit=coupon.usage_limit,
            used=coupon.used,
            first_purchase_only=coupon.first_purchase_only,
        )
    )


def use_coupon(session: Session, workspace_id: str, code: str) -> bool:
    """Counts one use unless the limit is reached; False means it was used up meanwhile."""
    limit_ok = (CouponRow.usage_limit.is_(None)) | (CouponRow.used < CouponRow.usage_limit)
    result = session.execute(
        update(CouponRow)
        .where(CouponRow.workspace_id == workspace_id, CouponRow.code == code, limit_ok)
        .values(used=CouponRow.used + 1)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def load_faq(session: Session, workspace_id: str) -> list[FaqEntry]:
    rows = session.scalars(
        select(FaqRow).where(FaqRow.workspace_id == workspace_id).order_by(FaqRow.position)
    )
    return [FaqEntry(r.id, dict(r.questions), dict(r.answer)) for r in rows]


def replace_faq(session: Session, workspace_id: str, entries: Sequence[FaqEntry]) -> None:
    session.execute(delete(FaqRow).where(FaqRow.workspace_id == workspace_id))
    save_faq(session, workspace_id, entries)


def save_faq(session: Session, workspace_id: str, entries: Sequence[FaqEntry]) -> None:
    for position, entry in enumerate(entries):
        session.merge(
            FaqRow(
                workspace_id=workspace_id,
                id=entry.id,
                questions=dict(entry.questions),
                answer=dict(entry.answer),
                position=position,
            )
        )


def load_shop_intents(session: Session, workspace_id: str) -> ShopIntents:
    rows = session.scalars(
        select(ShopIntentRow)
        .where(ShopIntentRow.workspace_id == workspace_id)
        .order_by(ShopIntentRow.position)
    )
    return ShopIntents(
        tuple(
            ShopIntent(
                r.id,
                {lang: tuple(phrases) for lang, phrases in r.examples.items()},
                dict(r.answer),
                r.hand_off,
            )
            for r in rows
        )
    )


def replace_shop_intents(session: Session, workspace_id: str, intents: ShopIntents) -> None:
    session.execute(delete(ShopIntentRow).where(ShopIntentRow.workspace_id == workspace_id))
    for position, intent in enumerate(intents.intents):
        session.add(
            ShopIntentRow(
                workspace_id=workspace_id,
                id=intent.id,
                examples={lang: list(phrases) for lang, phrases in intent.examples.items()},
                answer=dict(intent.answer),
                hand_off=intent.hand_off,
                position=position,
            )
        )
