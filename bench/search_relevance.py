"""Product search relevance: do the products a customer is shown first answer what they typed?

The labelled searches are in YAML files beside this file (catalog → language → query →
{product id: grade}, 2 = exactly what was asked, 1 = acceptable), in four sets (`SETS`):

- `tuned`: `search_queries.yaml`, searches by name, kind, need, person and price;
- `held-out`: `search_queries_held_out.yaml`, written after the search was tuned on the first
  and never tuned on (its figures say how the changes carry over);
- `described`: `search_queries_described.yaml`, searches that only a description or an
  attribute answers ("caffeine free", 洗碗機可以洗的杯子, "xl t-shirt");
- `described-held-out`: more of those, never looked at while tuning.

They are asked of two catalogs: the demo shop's (separate English and Chinese titles and
descriptions, keywords on every product) and the tea house of `search_catalog.yaml` (one
title field mixing Chinese and English, few keywords, descriptions in Chinese and about half
in English too). Each query goes the way a typed message goes: the default understander takes
out the intent words and the entities (price range, colour), then discovery's `find_products`
searches the catalog's index with them and orders what it found, exactly as the bot would.

Figures, per catalog and language, per catalog and overall (means over queries):

- nDCG@5: graded gain (2^grade − 1) of the first five, discounted by log2(rank + 1), over the
  best possible order of the labelled products;
- recall@5: relevant products (grade ≥ 1) among the first five, over min(5, their number);
- hit@1: the first product shown is a 2.

The catalog's index is built once, as the bot's cache keeps it; latency is per query, from
the typed text to the ordered products (understanding included), p50/p99 on a warm index.

    PYTHONPATH=. .venv/bin/python -m bench.search_relevance [--set NAME ...] [--misses] [--json]
        [--baseline OLD_SEARCH_PY]

`--baseline` loads `CatalogIndex` from another copy of `chatcart/nlu/search.py` (say
`git show f565c3e:chatcart/nlu/search.py > /tmp/old_search.py`) and reports it beside the
current one, on the same data in the same process: the "before" of a change.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import statistics
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import yaml

from chatcart.commerce.catalog import Catalog, Category, Need, Product, Variant
from chatcart.core.money import Money
from chatcart.engine.skills.discovery import find_products
from chatcart.nlu.interface import Context
from chatcart.nlu.keywords import KeywordUnderstander
from chatcart.nlu.search import CatalogIndex, SearchQuery

HERE = Path(__file__).parent
QUERIES = HERE / "search_queries.yaml"
HELD_OUT = HERE / "search_queries_held_out.yaml"
DESCRIBED = HERE / "search_queries_described.yaml"
DESCRIBED_HELD_OUT = HERE / "search_queries_described_held_out.yaml"
SETS = {
    "tuned": QUERIES,
    "held-out": HELD_OUT,
    "described": DESCRIBED,
    "described-held-out": DESCRIBED_HELD_OUT,
}
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


class Index(Protocol):
    """What the bench asks of an index: the current `CatalogIndex` or a baseline's."""

    def search(
        self, query: SearchQuery, limit: int = 10, catalog: Catalog | None = None
    ) -> list[Product]: ...


#: Builds an index over a catalog's products and categories (`CatalogIndex`, or a baseline's).
IndexType = Any


@dataclass(frozen=True)
class Shop:
    index: Index
    catalog: Catalog


def _keywords(raw: Sequence[str] | Mapping[str, Sequence[str]] | None) -> tuple[str, ...]:
    """The demo writes keywords per language, the tea house as one list: either is accepted."""
    if raw is None:
        return ()
    if isinstance(raw, Mapping):
        return tuple(str(word) for words in raw.values() for word in words)
    return tuple(str(word) for word in raw)


def _product(spec: Mapping[str, Any], size_names: Mapping[str, Mapping[str, str]]) -> Product:
    """One product as the shop's loader builds it; of the shop's size names it keeps its own."""
    variants = tuple(
        Variant(str(v["sku"]), int(v["stock"]), _size(v.get("size")), v.get("color"))
        for v in spec["variants"]
    )
    sizes = {v.size for v in variants if v.size}
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
        size_names={size: dict(names) for size, names in size_names.items() if size in sizes},
    )


def _size(raw: object) -> str | None:
    """YAML reads a bare 150g as text but 75 as a number: a size is kept as written."""
    return None if raw is None else str(raw)


def _categories(raw: Sequence[Mapping[str, Any]]) -> list[Category]:
    return [Category(str(c["id"]), dict(c["name"]), _needs(c.get("needs") or ())) for c in raw]


def _needs(raw: Sequence[Mapping[str, Any]]) -> tuple[Need, ...]:
    return tuple(Need(str(n["id"]), dict(n["name"])) for n in raw)


def catalog_named(name: str) -> tuple[list[Product], list[Category]]:
    """The products and categories of one of the two catalogs, in shop order."""
    data = yaml.safe_load(CATALOGS[name].read_text(encoding="utf-8"))
    size_names = data.get("size_names") or {}
    return [_product(p, size_names) for p in data["products"]], _categories(data["categories"])


@cache
def shop_named(name: str, index_type: IndexType = CatalogIndex) -> Shop:
    """The catalog's index and stock snapshot, built once as the bot's cache builds them."""
    products, categories = catalog_named(name)
    return Shop(index_type(products, categories), Catalog(products, categories))


def baseline_index(path: Path) -> IndexType:
    """`CatalogIndex` of another copy of the search module, loaded under its own name."""
    spec = importlib.util.spec_from_file_location("search_baseline", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module.CatalogIndex


def load_cases(path: Path = QUERIES) -> list[Case]:
    raw: dict[str, dict[str, dict[str, dict[str, int]]]] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [
        Case(catalog, lang, str(text), {str(k): int(v) for k, v in grades.items()})
        for catalog, by_lang in raw.items()
        for lang, queries in by_lang.items()
        for text, grades in queries.items()
    ]


# ----------------------------------------------------------------------------- measuring


def shown_for(case: Case, index_type: IndexType = CatalogIndex) -> list[Product]:
    """What the bot shows for the typed text: understood, then found and ordered by discovery."""
    shop = shop_named(case.catalog, index_type)
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


def outcome(case: Case, index_type: IndexType = CatalogIndex) -> Outcome:
    started = time.perf_counter()
    shown = tuple(p.id for p in shown_for(case, index_type))
    milliseconds = (time.perf_counter() - started) * 1000
    return Outcome(case, shown, ndcg_at(case.grades, shown), recall_at(case.grades, shown), milliseconds)


def evaluate(cases: Sequence[Case], index_type: IndexType = CatalogIndex) -> dict[str, Figures]:
    """Figures keyed "catalog/lang", "catalog" and "all"."""
    for name in {case.catalog for case in cases}:
        shop_named(name, index_type)  # built before any query is timed
    groups: dict[str, Figures] = {}
    for case in cases:
        result = outcome(case, index_type)
        for key in (f"{case.catalog}/{case.lang}", case.catalog, "all"):
            groups.setdefault(key, Figures()).outcomes.append(result)
    return groups


def latency_ms(
    cases: Sequence[Case], rounds: int = 20, index_type: IndexType = CatalogIndex
) -> tuple[float, float]:
    """p50 and p99 of a query on a warm index, understanding included."""
    samples = []
    for _ in range(rounds):
        for case in cases:
            samples.append(outcome(case, index_type).milliseconds)
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


# ----------------------------------------------------------------------------- report


def _ordered_keys(groups: Mapping[str, Figures]) -> Iterator[str]:
    catalogs = sorted(k for k in groups if "/" not in k and k != "all")
    for catalog in catalogs:
        yield from sorted(k for k in groups if k.startswith(f"{catalog}/"))
        yield catalog
    yield "all"


def report(groups: Mapping[str, Figures], before: Mapping[str, Figures] | None = None) -> str:
    """A table per catalog and language; with `before` (a baseline's figures), both side by side."""
    if before is None:
        lines = ["| catalog / language | queries | nDCG@5 | recall@5 | hit@1 |", "|---|---:|---:|---:|---:|"]
    else:
        lines = [
            "| catalog / language | queries | nDCG@5 before → after | recall@5 before → after"
            " | hit@1 before → after |",
            "|---|---:|---:|---:|---:|",
        ]
    for key in _ordered_keys(groups):
        f = groups[key]
        name = f"**{key}**" if "/" not in key else key
        if before is None:
            lines.append(f"| {name} | {len(f.outcomes)} | {f.ndcg:.3f} | {f.recall:.3f} | {f.hit_at_1:.3f} |")
            continue
        b = before[key]
        lines.append(
            f"| {name} | {len(f.outcomes)} | {b.ndcg:.3f} → {f.ndcg:.3f} | {b.recall:.3f} → {f.recall:.3f}"
            f" | {b.hit_at_1:.3f} → {f.hit_at_1:.3f} |"
        )
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
    parser.add_argument(
        "--set", action="append", choices=[*SETS, "all"], help="the query sets (repeatable; default tuned)"
    )
    parser.add_argument("--baseline", type=Path, help="another search.py to report as 'before'")
    parser.add_argument("--misses", action="store_true", help="print every query short of perfect")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    names = list(SETS) if "all" in (args.set or []) else args.set or ["tuned"]
    baseline = baseline_index(args.baseline) if args.baseline else None
    out: dict[str, Any] = {}
    for name in [*names, "together"] if len(names) > 1 else names:
        cases = (
            [c for n in names for c in load_cases(SETS[n])] if name == "together" else load_cases(SETS[name])
        )
        out[name] = _measured(cases, baseline, args.misses)
    if args.json:
        print(json.dumps({name: figures for name, (figures, _) in out.items()}, indent=2, ensure_ascii=False))
        return
    for name, (_, text) in out.items():
        print(f"## {name}\n\n{text}\n")


def _measured(
    cases: Sequence[Case], baseline: IndexType | None, with_misses: bool
) -> tuple[dict[str, Any], str]:
    """One set's figures (as JSON, and as text), the baseline's beside them when there is one."""
    groups = evaluate(cases)
    p50, p99 = latency_ms(cases)
    figures: dict[str, Any] = {key: groups[key].as_dict() for key in _ordered_keys(groups)}
    figures.update(p50_ms=round(p50, 3), p99_ms=round(p99, 3))
    before = None
    if baseline is not None:
        before = evaluate(cases, baseline)
        base_p50, base_p99 = latency_ms(cases, index_type=baseline)
        figures["before"] = {key: before[key].as_dict() for key in _ordered_keys(before)}
        figures["before"].update(p50_ms=round(base_p50, 3), p99_ms=round(base_p99, 3))
    text = report(groups, before)
    text += f"\n\nper query, understanding + search + ordering: p50 {p50:.3f} ms, p99 {p99:.3f} ms"
    if baseline is not None:
        text += f" (before: p50 {base_p50:.3f} ms, p99 {base_p99:.3f} ms)"
    if with_misses:
        text += "\n\n" + misses(groups)
    return figures, text


if __name__ == "__main__":
    main()
