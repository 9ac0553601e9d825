"""The catalog: categories, products and their sellable variants (size × colour)."""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from itertools import chain, islice

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


#: A size's display names by language, keyed by the size value its variants store.
SizeNames = Mapping[str, LocalizedText]

#: BCP 47's "undetermined" language: in `size_in`, the stored size value itself.
_STORED_VALUE = "und"


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
    #: Names the shop gives its sizes per language ("20-pack" → {"zh-TW": "20入"}); the
    #: size value itself stays as stored, because SKUs and postbacks carry it.
    size_names: SizeNames = field(default_factory=dict)

    def title_in(self, lang: str) -> str:
        return pick(self.title, lang)

    def size_in(self, size: str, lang: str) -> str:
        """The size as a customer of `lang` reads it: the shop's name for it in that language
        (or its Chinese sibling), else the stored value, never another language's name."""
        names = {**self.size_names.get(size, {}), _STORED_VALUE: size}
        return pick(names, lang, fallback=_STORED_VALUE)

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


def alternatives(product: Product, catalog: Iterable[Product], limit: int = 3) -> list[Product]:
    """In-stock products a customer could take instead: same category, shared needs first."""
    return _closest(product, (p for p in catalog if p.category_id == product.category_id), limit)


def _closest(product: Product, same_category: Iterable[Product], limit: int) -> list[Product]:
    """Most shared needs first, then the closest price; equals keep shop order (`nsmallest` is stable)."""
    wanted = frozenset(product.needs)
    candidates = (p for p in same_category if p.id != product.id and p.in_stock)
    return heapq.nsmallest(
        limit,
        candidates,
        key=lambda p: (-len(wanted.intersection(p.needs)), abs(p.price.amount - product.price.amount)),
    )


def in_stock_first(products: Iterable[Product], limit: int | None = None) -> list[Product]:
    """In-stock products, then sold-out ones, each in the order given (the shop's display order).

    One lazy pass that stops at the `limit`-th in-stock product: six cards out of a category
    of 10,000 look at a handful of products instead of sorting them all.
    """
    sold_out: list[Product] = []

    def available() -> Iterator[Product]:
        for product in products:
            if product.in_stock:
                yield product
            elif limit is None or len(sold_out) < limit:
                sold_out.append(product)

    return list(islice(chain(available(), sold_out), limit))


@dataclass(frozen=True)
class _Layout:
    """What stock never changes, built once per catalog version and shared by its stock snapshots.

    Positions (the shop's display order) are kept in compact `array`s, not lists of ints: at
    50,000 products that is 4 bytes an entry instead of about 36.
    """

    products: tuple[Product, ...]
    categories: tuple[Category, ...]
    category: dict[str, Category]
    position: dict[str, int]
    sku_position: dict[str, int]
    in_category: dict[str, array[int]]
    with_need: dict[tuple[str, str], array[int]]
    in_stock_when_built: array[int]

    @classmethod
    def of(cls, products: Sequence[Product], categories: Sequence[Category]) -> _Layout:
        layout = cls(
            tuple(products), tuple(categories), {c.id: c for c in categories}, {}, {}, {}, {}, array("i")
        )
        for position, product in enumerate(layout.products):
            layout._file(position, product)
        if len(layout.position) != len(layout.products):
            raise ValueError("a catalog lists each product id once")
        return layout

    def _file(self, position: int, product: Product) -> None:
        """Files one product under its id, SKUs, category and needs; only `of` calls it."""
        self.position[product.id] = position
        self.sku_position.update(dict.fromkeys((v.sku for v in product.variants), position))
        self.in_category.setdefault(product.category_id, array("i")).append(position)
        for need in dict.fromkeys(product.needs):
            self.with_need.setdefault((product.category_id, need), array("i")).append(position)
        if product.in_stock:
            self.in_stock_when_built.append(position)


class Catalog:
    """One catalog version as an immutable, in-memory view that answers a turn's questions
    without scanning every product: lookups are O(1), listings O(result).

    The service builds it once per catalog version and caches it across turns. Stock moves
    with every order, so `with_stock` lays the changed variants over it in a new snapshot that
    shares everything stock cannot change; only the changed products are copied.
    """

    def __init__(self, products: Sequence[Product], categories: Sequence[Category], version: int = 0) -> None:
        self._layout = _Layout.of(products, categories)
        self._changed: dict[int, Product] = {}
        self._version = version

    @classmethod
    def _snapshot(cls, layout: _Layout, changed: dict[int, Product], version: int) -> Catalog:
        catalog = cls.__new__(cls)
        catalog._layout, catalog._changed, catalog._version = layout, changed, version
        return catalog

    @property
    def version(self) -> int:
        """The catalog version it was built from; stock snapshots keep it."""
        return self._version

    @cached_property
    def products(self) -> tuple[Product, ...]:
        """Every product in shop order; after `with_stock` the tuple is rebuilt once, on first use."""
        if not self._changed:
            return self._layout.products
        current = list(self._layout.products)
        for position, product in self._changed.items():
            current[position] = product
        return tuple(current)

    @property
    def categories(self) -> tuple[Category, ...]:
        return self._layout.categories

    def product(self, product_id: str) -> Product | None:
        position = self._layout.position.get(product_id)
        return None if position is None else self._at(position)

    def product_of_sku(self, sku: str) -> Product | None:
        position = self._layout.sku_position.get(sku)
        return None if position is None else self._at(position)

    def products_in(
        self, category_id: str, need: str | None = None, limit: int | None = None
    ) -> list[Product]:
        """The category's products (with that need), in stock first, each part in shop order."""
        layout = self._layout
        positions = (
            layout.in_category.get(category_id) if need is None else layout.with_need.get((category_id, need))
        )
        return in_stock_first(map(self._at, positions or ()), limit)

    def categories_with_products(self) -> list[Category]:
        """Categories worth offering: those with at least one product, sold out or not."""
        return [c for c in self._layout.categories if c.id in self._layout.in_category]

    def needs_with_products(self, category_id: str) -> list[Need]:
        """The category's needs that one of its own products meets (a need no product has is a dead end)."""
        category = self._layout.category.get(category_id)
        needs = category.needs if category is not None else ()
        return [n for n in needs if (category_id, n.id) in self._layout.with_need]

    def alternatives(self, product: Product, limit: int = 3) -> list[Product]:
        """Like the module's `alternatives`, over the product's category only."""
        return _closest(product, map(self._at, self._layout.in_category.get(product.category_id, ())), limit)

    def goes_with(self, product: Product, exclude: Collection[str] = (), limit: int = 3) -> list[Product]:
        """In-stock products of other categories that meet one of the product's needs (cups
        for a tea): what goes with it, not what could replace it. What a shop with no orders
        yet can honestly suggest; looks only at the lists of the product's needs."""
        found: dict[str, Product] = {}
        for need in product.needs:
            for category_id in self._layout.in_category:
                if category_id == product.category_id:
                    continue
                for position in self._layout.with_need.get((category_id, need), ()):
                    candidate = self._at(position)
                    if candidate.in_stock and candidate.id not in exclude:
                        found.setdefault(candidate.id, candidate)
                    if len(found) >= limit:
                        return list(found.values())
        return list(found.values())

    def cheaper_than(self, product: Product, limit: int = 3) -> list[Product]:
        """In-stock products of the product's category that cost less: shared needs first,
        then the closest price (the next step down, not the cheapest thing in the shop)."""
        same = map(self._at, self._layout.in_category.get(product.category_id, ()))
        return _closest(product, (p for p in same if p.price.amount < product.price.amount), limit)

    def first_in_stock(self) -> Product | None:
        """The first product in shop order that can be sold. Looks only at the changed products
        and at the first product in stock when the version was built that has not changed since."""
        candidates = [position for position, product in self._changed.items() if product.in_stock]
        unchanged = next((p for p in self._layout.in_stock_when_built if p not in self._changed), None)
        if unchanged is not None:
            candidates.append(unchanged)
        return self._at(min(candidates)) if candidates else None

    def with_stock(self, stock: Mapping[str, int]) -> Catalog:
        """A snapshot where the variants with these SKUs have the new stock; unknown SKUs are ignored.

        Costs the changed products plus a copy of the earlier overlay (a C-level dict copy of
        the products changed since this version was built, small between two versions).
        """
        counts: dict[int, dict[str, int]] = {}
        for sku, count in stock.items():
            position = self._layout.sku_position.get(sku)
            if position is not None:
                counts.setdefault(position, {})[sku] = count
        if not counts:
            return self
        changed = dict(self._changed)
        for position, by_sku in counts.items():
            changed[position] = _restocked(self._at(position), by_sku)
        return Catalog._snapshot(self._layout, changed, self._version)

    def _at(self, position: int) -> Product:
        return self._changed.get(position, self._layout.products[position])


def _restocked(product: Product, stock: Mapping[str, int]) -> Product:
    variants = tuple(replace(v, stock=stock[v.sku]) if v.sku in stock else v for v in product.variants)
    return replace(product, variants=variants)
