"""Product search relevance: do the products a customer is shown first answer what they typed?

The labelled searches are in `search_queries.yaml` beside this file (catalog → language →
query → {product id: grade}, 2 = exactly what was asked, 1 = acceptable), and a held-out set
in `search_queries_held_out.yaml` written after the search was tuned on the first and never
tuned on (its figures say how the changes carry over). They are asked of two
catalogs: the demo shop's (separate English and Chinese titles, keywords on every product)
and the tea house of `search_catalog.yaml` (one title field mixing Chinese and English, few
keywords). Each query goes the way a typed message goes: the default understander takes out
the intent words and the entities (price range, colour), then discovery's `find_products`
searches the catalog's index with them and orders what it found, exactly as the bot would.

Figures, per catalog and language, per catalog and overall (means over queries):

- nDCG@5: graded gain (2^grade − 1) of the first five, discounted by log2(rank + 1), over the
  best possible order of the labelled products;
- recall@5: relevant products (grade ≥ 1) among the first five, over min(5, their number);
- hit@1: the first product shown is a 2.

The catalog's index is built once, as the bot's cache keeps it; latency is per query, from
the typed text to the ordered products (understanding included), p50/p99 on a warm index.

    PYTHONPATH=. .venv/bin/python -m bench.search_relevance [--held-out] [--misses] [--json]
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from chatcart.commerce.catalog import Catalog, Category, Need, Product, Variant
from chatcart.core.money import Money
from chatcart.engine.skills.discovery import find_products
from chatcart.nlu.interface import Context
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.search import CatalogIndex

HERE = Path(__file__).parent
QUERIES = HERE / "search_queries.yaml"
HELD_OUT = HERE / "search_queries_held_out.yaml"
CATALOGS = {
    "demo": HERE.parent / "chatcart" / "demo" / "shop.yaml",
    "teahouse": HERE / "search_catalog.yaml",
}
CURRENCY = "TWD"
DEPTH = 5
#: Products a search may return, as the bot asks for them (one message of cards).
LIMIT = 10


@dataclass(frozen=True)
class Case:
    catalog: str
    lang: str
    text: str
    #: Product id → grade (2 exact, 1 acceptable); products not named are 0.
    grades: Mapping[str, int]


@dataclass(frozen=True)
class Outcome:
    case: Case
    shown: tuple[str, ...]
    ndcg: float
    recall: float
    milliseconds: float

    @property
    def hit(self) -> bool:
        return bool(self.shown) and self.case.grades.get(self.shown[0], 0) == 2


@dataclass
class Figures:
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def ndcg(self) -> float:
        return statistics.fmean(o.ndcg for o in self.outcomes)

    @property
    def recall(self) -> float:
        return statistics.fmean(o.recall for o in self.outcomes)

    @property
    def hit_at_1(self) -> float:
        return statistics.fmean(o.hit for o in self.outcomes)

    def as_dict(self) -> dict[str, float | int]:
        return {
            "queries": len(self.outcomes),
            "ndcg_at_5": round(self.ndcg, 3),
            "recall_at_5": round(self.recall, 3),
            "hit_at_1": round(self.hit_at_1, 3),
        }


# ----------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Shop:
    index: CatalogIndex
    catalog: Catalog


def _keywords(raw: Sequence[str] | Mapping[str, Sequence[str]] | None) -> tuple[str, ...]:
    """The demo writes keywords per language, the tea house as one list: either is accepted."""
    if raw is None:
        return ()
    if isinstance(raw, Mapping):
        return tuple(str(word) for words in raw.values() for word in words)
    return tuple(str(word) for word in raw)


def _product(spec: Mapping[str, Any]) -> Product:
    variants = tuple(
        Variant(str(v["sku"]), int(v["stock"]), v.get("size"), v.get("color")) for v in spec["variants"]
    )
    return Product(
        id=str(spec["id"]),
        category_id=str(spec["category"]),
        title=dict(spec["title"]),
        price=Money.of(spec["price"], CURRENCY),
        variants=variants,
        description=dict(spec.get("description") or {}),
        brand=str(spec.get("brand") or ""),
        needs=tuple(spec.get("needs") or ()),
        keywords=_keywords(spec.get("keywords")),
    )


def _categories(raw: Sequence[Mapping[str, Any]]) -> list[Category]:
    return [Category(str(c["id"]), dict(c["name"]), _needs(c.get("needs") or ())) for c in raw]


def _needs(raw: Sequence[Mapping[str, Any]]) -> tuple[Need, ...]:
    return tuple(Need(str(n["id"]), dict(n["name"])) for n in raw)


def catalog_named(name: str) -> tuple[list[Product], list[Category]]:
    """The products and categories of one of the two catalogs, in shop order."""
    data = yaml.safe_load(CATALOGS[name].read_text(encoding="utf-8"))
    return [_product(p) for p in data["products"]], _categories(data["categories"])


@cache
def shop_named(name: str) -> Shop:
    """The catalog's index and stock snapshot, built once as the bot's cache builds them."""
    products, categories = catalog_named(name)
    return Shop(CatalogIndex(products, categories), Catalog(products, categories))


def load_cases(path: Path = QUERIES) -> list[Case]:
    raw: dict[str, dict[str, dict[str, dict[str, int]]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(catalog, lang, str(text), {str(k): int(v) for k, v in grades.items()})
        for catalog, by_lang in raw.items()
        for lang, queries in by_lang.items()
        for text, grades in queries.items()
    ]


# ----------------------------------------------------------------------------- measuring


def shown_for(case: Case) -> list[Product]:
    """What the bot shows for the typed text: understood, then found and ordered by discovery."""
    shop = shop_named(case.catalog)
    said = KeywordUnderstander().understand(case.text, Context("en" if case.lang == "en" else "zh-TW"))
    return find_products(
        lambda query: shop.index.search(query, LIMIT, catalog=shop.catalog), said.remainder, said.entities
    )


def ndcg_at(grades: Mapping[str, int], shown: Sequence[str], depth: int = DEPTH) -> float:
    """Normalised discounted cumulative gain of the first `depth` shown, gains 2^grade − 1."""
    gained = _dcg(grades.get(pid, 0) for pid in shown[:depth])
    best = _dcg(sorted(grades.values(), reverse=True)[:depth])
    return gained / best if best else 0.0


def _dcg(grades: Iterable[int]) -> float:
    return float(sum((2**grade - 1) / math.log2(rank + 2) for rank, grade in enumerate(grades)))


def recall_at(grades: Mapping[str, int], shown: Sequence[str], depth: int = DEPTH) -> float:
    """Relevant products among the first `depth`, over as many as could fit there."""
    relevant = {pid for pid, grade in grades.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(shown[:depth])) / min(depth, len(relevant))


def outcome(case: Case) -> Outcome:
    started = time.perf_counter()
    shown = tuple(p.id for p in shown_for(case))
    milliseconds = (time.perf_counter() - started) * 1000
    return Outcome(case, shown, ndcg_at(case.grades, shown), recall_at(case.grades, shown), milliseconds)


def evaluate(cases: Sequence[Case]) -> dict[str, Figures]:
    """Figures keyed "catalog/lang", "catalog" and "all"."""
    for name in {case.catalog for case in cases}:
        shop_named(name)  # built before any query is timed
    groups: dict[str, Figures] = {}
    for case in cases:
        result = outcome(case)
        for key in (f"{case.catalog}/{case.lang}", case.catalog, "all"):
            groups.setdefault(key, Figures()).outcomes.append(result)
    return groups


def latency_ms(cases: Sequence[Case], rounds: int = 20) -> tuple[float, float]:
    """p50 and p99 of a query on a warm index, understanding included."""
    samples = []
    for _ in range(rounds):
        for case in cases:
            samples.append(outcome(case).milliseconds)
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


# ----------------------------------------------------------------------------- report


def _ordered_keys(groups: Mapping[str, Figures]) -> Iterator[str]:
    catalogs = sorted(k for k in groups if "/" not in k and k != "all")
    for catalog in catalogs:
        yield from sorted(k for k in groups if k.startswith(f"{catalog}/"))
        yield catalog
    yield "all"


def report(groups: Mapping[str, Figures]) -> str:
    lines = ["| catalog / language | queries | nDCG@5 | recall@5 | hit@1 |", "|---|---:|---:|---:|---:|"]
    for key in _ordered_keys(groups):
        f = groups[key]
        name = f"**{key}**" if "/" not in key else key
        lines.append(f"| {name} | {len(f.outcomes)} | {f.ndcg:.3f} | {f.recall:.3f} | {f.hit_at_1:.3f} |")
    return "\n".join(lines)


def misses(groups: Mapping[str, Figures]) -> str:
    """Every query short of a perfect first five, with what it showed and the grades."""
    lines = []
    for result in groups["all"].outcomes:
        if result.ndcg >= 0.999 and result.recall >= 0.999:
            continue
        case = result.case
        shown = ", ".join(f"{pid}:{case.grades.get(pid, 0)}" for pid in result.shown[:DEPTH]) or "nothing"
        wanted = ", ".join(f"{pid}:{grade}" for pid, grade in case.grades.items())
        lines.append(
            f"{case.catalog}/{case.lang} {case.text!r}: nDCG {result.ndcg:.2f} recall {result.recall:.2f}\n"
            f"    shown  {shown}\n    wanted {wanted}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--held-out", action="store_true", help="the held-out set instead of the tuned one")
    parser.add_argument("--misses", action="store_true", help="print every query short of perfect")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    cases = load_cases(HELD_OUT if args.held_out else QUERIES)
    groups = evaluate(cases)
    p50, p99 = latency_ms(cases)
    if args.json:
        figures = {key: groups[key].as_dict() for key in _ordered_keys(groups)}
        print(json.dumps({"figures": figures, "p50_ms": round(p50, 3), "p99_ms": round(p99, 3)}, indent=2))
        return
    print(report(groups))
    print(f"\nper query, understanding + search + ordering: p50 {p50:.3f} ms, p99 {p99:.3f} ms")
    if args.misses:
        print("\n" + misses(groups))


if __name__ == "__main__":
    main()
