"""Reading and writing the catalog, coupons, FAQ and workspaces as domain values."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from chatcart.commerce.catalog import Category, Need, Product, Variant
from chatcart.commerce.content import FaqEntry, Workspace
from chatcart.commerce.coupons import Coupon, CouponKind
from chatcart.core.money import Money
from chatcart.storage.tables import CategoryRow, CouponRow, FaqRow, ProductRow, VariantRow, WorkspaceRow

#: Values per `IN (...)` list, under SQLite's bound-parameter limit.
_IN_CHUNK = 500


def workspace_of(row: WorkspaceRow) -> Workspace:
    return Workspace(row.id, dict(row.name), row.lang, row.currency, row.timezone)


def get_workspace(session: Session, workspace_id: str) -> Workspace | None:
    row = session.get(WorkspaceRow, workspace_id)
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


def _product_of(row: ProductRow, variants: tuple[Variant, ...]) -> Product:
    return Product(
        id=row.id,
        category_id=row.category_id,
        title=dict(row.title),
        price=Money(row.price, row.currency),
        variants=variants,
        description=dict(row.description),
        brand=row.brand,
        image_url=row.image_url,
        link=row.link,
        needs=tuple(row.needs),
        keywords=tuple(row.keywords),
    )


def save_category(session: Session, workspace_id: str, category: Category, position: int) -> None:
    needs = [{"id": n.id, "name": dict(n.name)} for n in category.needs]
    session.merge(
        CategoryRow(
            workspace_id=workspace_id,
            id=category.id,
            name=dict(category.name),
            needs=needs,
            position=position,
        )
    )


def save_product(session: Session, workspace_id: str, product: Product, position: int) -> None:
    """Inserts or replaces a product and all its variants (an import is the source of truth)."""
    session.merge(
        ProductRow(
            workspace_id=workspace_id,
            id=product.id,
            category_id=product.category_id,
            title=dict(product.title),
            description=dict(product.description),
            brand=product.brand,
            price=product.price.amount,
            currency=product.price.currency,
            image_url=product.image_url,
            link=product.link,
            needs=list(product.needs),
            keywords=list(product.keywords),
            active=True,
            position=position,
        )
    )
    session.execute(
        delete(VariantRow).where(VariantRow.workspace_id == workspace_id, VariantRow.product_id == product.id)
    )
    for index, v in enumerate(product.variants):
        session.add(
            VariantRow(
                workspace_id=workspace_id,
                sku=v.sku,
                product_id=product.id,
                size=v.size,
                color=v.color,
                stock=v.stock,
                price=v.price.amount if v.price else None,
                position=index,
            )
        )


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


def take_stock(session: Session, workspace_id: str, sku: str, quantity: int) -> bool:
    """Atomically takes `quantity` if that many are left; False if not (someone was faster)."""
    result = session.execute(
        update(VariantRow)
        .where(VariantRow.workspace_id == workspace_id, VariantRow.sku == sku, VariantRow.stock >= quantity)
        .values(stock=VariantRow.stock - quantity)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def return_stock(session: Session, workspace_id: str, sku: str, quantity: int) -> None:
    session.execute(
        update(VariantRow)
        .where(VariantRow.workspace_id == workspace_id, VariantRow.sku == sku)
        .values(stock=VariantRow.stock + quantity)
    )


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
