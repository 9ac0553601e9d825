"""The catalog: categories, products and their sellable variants (size × colour)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from chatcart.core.errors import NotFound
from chatcart.core.money import Money
from chatcart.core.text import LocalizedText, pick


@dataclass(frozen=True)
class Need:
    """What a customer is looking for inside a category ("moisturising", "for the office")."""

    id: str
    name: LocalizedText


@dataclass(frozen=True)
class Category:
    id: str
    name: LocalizedText
    needs: tuple[Need, ...] = ()


@dataclass(frozen=True)
class Variant:
    """One sellable unit. Stock is the count left to sell, already net of placed orders."""

    sku: str
    stock: int
    size: str | None = None
    color: str | None = None
    price: Money | None = None

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


@dataclass(frozen=True)
class Product:
    id: str
    category_id: str
    title: LocalizedText
    price: Money
    variants: tuple[Variant, ...]
    description: LocalizedText = field(default_factory=dict)
    brand: str = ""
    image_url: str = ""
    link: str = ""
    needs: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()

    def title_in(self, lang: str) -> str:
        return pick(self.title, lang)

    def variant(self, sku: str) -> Variant:
        for variant in self.variants:
            if variant.sku == sku:
                return variant
        raise NotFound("unknown_variant", sku=sku)

    def unit_price(self, sku: str) -> Money:
        return self.variant(sku).price or self.price

    @property
    def in_stock(self) -> bool:
        return any(v.in_stock for v in self.variants)

    @property
    def sizes(self) -> tuple[str, ...]:
        return _distinct(v.size for v in self.variants)

    @property
    def colors(self) -> tuple[str, ...]:
        return _distinct(v.color for v in self.variants)

    @property
    def needs_choice(self) -> bool:
        """True when the customer must pick a size or colour before buying."""
        return len(self.variants) > 1

    def matching_variants(self, size: str | None = None, color: str | None = None) -> tuple[Variant, ...]:
        return tuple(
            v
            for v in self.variants
            if (size is None or v.size == size) and (color is None or v.color == color)
        )


def _distinct(values: Iterable[str | None]) -> tuple[str, ...]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return tuple(seen)


def alternatives(product: Product, catalog: list[Product], limit: int = 3) -> list[Product]:
    """In-stock products a customer could take instead: same category, shared needs first."""
    candidates = [
        p for p in catalog if p.id != product.id and p.category_id == product.category_id and p.in_stock
    ]
    candidates.sort(
        key=lambda p: (-len(set(p.needs) & set(product.needs)), abs(p.price.amount - product.price.amount))
    )
    return candidates[:limit]
