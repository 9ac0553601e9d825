"""Product search at scale: build time, memory and per-query latency of `Catalog` and
`CatalogIndex` over generated bilingual catalogs of 36 to 50,000 products.

A turn must stay fast with 50,000 products, so a search must cost about the same whatever
the catalog's size. The catalogs are made up in memory (no database, no feed): a product is
an adjective, a noun and a number in English and Traditional Chinese ("Linen shirt 1234" /
"亞麻襯衫 1234"); the noun decides the category, needs and keywords; colours, sizes, prices,
brands and stock come from a seeded generator, so a size always gives the same catalog.

    .venv/bin/python bench/search_bench.py [--sizes 36 1000 10000 50000] [--rounds 50]

Memory is measured with tracemalloc for the products themselves (what loading them costs)
and for each structure built over them, the products excluded: "kept" is what the structure
holds once built (what the cache keeps per catalog version), "peak" the most it held while
building. Searches run against a stock snapshot (`Catalog.with_stock`), as turns will.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from chatcart.commerce.catalog import Catalog, Category, Need, Product, Variant
from chatcart.core.money import Money
from chatcart.nlu.search import CatalogIndex, SearchQuery

DEFAULT_SIZES = (36, 1_000, 10_000, 50_000)
T = TypeVar("T")


@dataclass(frozen=True)
class Noun:
    en: str
    zh: str
    category: str
    keywords: tuple[str, ...]
    needs: tuple[str, ...] = ()


CATEGORIES = (
    Category(
        "apparel",
        {"en": "Apparel", "zh-TW": "服飾"},
        (
            Need("office", {"en": "Office", "zh-TW": "上班"}),
            Need("casual", {"en": "Casual", "zh-TW": "休閒"}),
        ),
    ),
    Category(
        "skincare",
        {"en": "Skincare", "zh-TW": "保養"},
        (
            Need("moisturising", {"en": "Moisturising", "zh-TW": "保濕"}),
            Need("sun", {"en": "Sun protection", "zh-TW": "防曬"}),
        ),
    ),
    Category(
        "makeup",
        {"en": "Makeup", "zh-TW": "彩妝"},
        (Need("lasting", {"en": "Long lasting", "zh-TW": "持久"}),),
    ),
    Category("tea", {"en": "Tea", "zh-TW": "茶葉"}, (Need("gift", {"en": "Gift", "zh-TW": "送禮"}),)),
    Category("snacks", {"en": "Snacks", "zh-TW": "零食"}, (Need("gift", {"en": "Gift", "zh-TW": "送禮"}),)),
    Category("home", {"en": "Home", "zh-TW": "居家"}, (Need("bedroom", {"en": "Bedroom", "zh-TW": "臥室"}),)),
)

NOUNS = (
    Noun("shirt", "襯衫", "apparel", ("shirt", "blouse", "襯衫"), ("office",)),
    Noun("dress", "洋裝", "apparel", ("dress", "洋裝", "連身裙"), ("casual",)),
    Noun("jacket", "外套", "apparel", ("jacket", "coat", "外套"), ("office",)),
    Noun("skirt", "裙子", "apparel", ("skirt", "裙"), ("office", "casual")),
    Noun("trousers", "長褲", "apparel", ("trousers", "pants", "褲子"), ("office",)),
    Noun("sweater", "毛衣", "apparel", ("sweater", "jumper", "毛衣"), ("casual",)),
    Noun("scarf", "圍巾", "apparel", ("scarf", "圍巾"), ("casual",)),
    Noun("hoodie", "連帽衫", "apparel", ("hoodie", "帽T"), ("casual",)),
    Noun("moisturizer", "乳液", "skincare", ("moisturizer", "lotion", "乳液"), ("moisturising",)),
    Noun("sunscreen", "防曬乳", "skincare", ("sunscreen", "spf", "防曬"), ("sun",)),
    Noun("serum", "精華液", "skincare", ("serum", "essence", "精華"), ("moisturising",)),
    Noun("cleanser", "洗面乳", "skincare", ("cleanser", "face wash", "洗面乳")),
    Noun("toner", "化妝水", "skincare", ("toner", "化妝水"), ("moisturising",)),
    Noun("mask", "面膜", "skincare", ("mask", "sheet mask", "面膜"), ("moisturising",)),
    Noun("lip balm", "護唇膏", "skincare", ("lip balm", "lipstick", "唇膏"), ("moisturising",)),
    Noun("lipstick", "口紅", "makeup", ("lipstick", "唇膏", "口紅"), ("lasting",)),
    Noun("mascara", "睫毛膏", "makeup", ("mascara", "睫毛膏"), ("lasting",)),
    Noun("foundation", "粉底液", "makeup", ("foundation", "粉底"), ("lasting",)),
    Noun("eyeliner", "眼線筆", "makeup", ("eyeliner", "眼線"), ("lasting",)),
    Noun("blush", "腮紅", "makeup", ("blush", "腮紅")),
    Noun("oolong tea", "烏龍茶", "tea", ("oolong", "烏龍"), ("gift",)),
    Noun("green tea", "綠茶", "tea", ("green tea", "綠茶")),
    Noun("black tea", "紅茶", "tea", ("black tea", "紅茶"), ("gift",)),
    Noun("jasmine tea", "茉莉花茶", "tea", ("jasmine", "花茶")),
    Noun("pu-erh tea", "普洱茶", "tea", ("puerh", "普洱"), ("gift",)),
    Noun("chocolate", "巧克力", "snacks", ("chocolate", "cocoa", "巧克力"), ("gift",)),
    Noun("pineapple cake", "鳳梨酥", "snacks", ("pineapple cake", "鳳梨酥"), ("gift",)),
    Noun("nougat", "牛軋糖", "snacks", ("nougat", "牛軋糖"), ("gift",)),
    Noun("cookies", "餅乾", "snacks", ("cookies", "biscuits", "餅乾")),
    Noun("dried mango", "芒果乾", "snacks", ("mango", "芒果")),
    Noun("crackers", "蘇打餅", "snacks", ("crackers", "蘇打餅")),
    Noun("mug", "馬克杯", "home", ("mug", "cup", "杯子")),
    Noun("candle", "香氛蠟燭", "home", ("candle", "蠟燭"), ("bedroom",)),
    Noun("pillow", "枕頭", "home", ("pillow", "枕頭"), ("bedroom",)),
    Noun("blanket", "毯子", "home", ("blanket", "throw", "毯子"), ("bedroom",)),
    Noun("towel", "毛巾", "home", ("towel", "毛巾")),
    Noun("vase", "花瓶", "home", ("vase", "花瓶")),
    Noun("teapot", "茶壺", "home", ("teapot", "茶壺")),
    Noun("lamp", "檯燈", "home", ("lamp", "燈"), ("bedroom",)),
    Noun("tote bag", "托特包", "apparel", ("tote", "bag", "包包"), ("casual",)),
)

ADJECTIVES = (
    ("Linen", "亞麻"),
    ("Silk", "絲質"),
    ("Cotton", "棉質"),
    ("Classic", "經典"),
    ("Organic", "有機"),
    ("Hydrating", "保濕"),
    ("Velvet", "絲絨"),
    ("Handmade", "手工"),
    ("Premium", "頂級"),
    ("Daily", "每日"),
    ("Gentle", "溫和"),
    ("Rose", "玫瑰"),
    ("Alishan", "阿里山"),
    ("Vintage", "復古"),
    ("Light", "輕盈"),
    ("Deluxe", "豪華"),
)
COLORS = ("red", "pink", "white", "black", "blue", "green", "beige", "grey", "navy", "brown")
BRANDS = ("Formosa", "Lotus", "Jade Hill", "Sunmoon", "Keelung Co", "Harbor")
SIZES = ("S", "M", "L")
SOLD_OUT_PERCENT = 8


def title(number: int) -> tuple[str, str]:
    """The English and Chinese titles of the `number`-th generated product."""
    noun = NOUNS[number % len(NOUNS)]
    adjective_en, adjective_zh = ADJECTIVES[(number // len(NOUNS)) % len(ADJECTIVES)]
    return f"{adjective_en} {noun.en} {number}", f"{adjective_zh}{noun.zh} {number}"


#: What customers type; the titled product (number 25) exists in every catalog size.
QUERIES: tuple[tuple[str, SearchQuery], ...] = (
    ("en word", SearchQuery("sunscreen")),
    ("en phrase", SearchQuery("a linen shirt for the office")),
    ("en title", SearchQuery(title(25)[0].lower())),
    ("zh title", SearchQuery(title(25)[1])),
    ("zh need + noun", SearchQuery("我想買保濕乳液")),
    ("zh piece", SearchQuery("有烏龍茶嗎")),
    ("zh simplified", SearchQuery("我想买口红")),
    ("typo chocolat", SearchQuery("chocolat")),
    ("typo dresss", SearchQuery("dresss")),
    ("typo moisturizng", SearchQuery("moisturizng")),
    ("brand", SearchQuery("formosa")),
    ("category word", SearchQuery("skincare")),
    ("words+colour+price", SearchQuery("dress", color="red", price_max=Decimal(800))),
    ("filters only", SearchQuery("", color="navy", price_min=Decimal(500), price_max=Decimal(900))),
    ("category+need", SearchQuery("", category_id="tea", need="gift")),
    ("no match", SearchQuery("kayak paddle")),
)


def generate(count: int, seed: int = 7) -> list[Product]:
    """`count` products in shop order; the same count and seed always give the same catalog."""
    rng = random.Random(seed)
    return [_product(number, rng) for number in range(count)]


def _product(number: int, rng: random.Random) -> Product:
    noun = NOUNS[number % len(NOUNS)]
    en, zh = title(number)
    return Product(
        id=f"P{number:05d}",
        category_id=noun.category,
        title={"en": en, "zh-TW": zh},
        price=Money.of(rng.randrange(150, 3000, 10), "TWD"),
        variants=_variants(number, noun, rng),
        brand=rng.choice(BRANDS),
        needs=noun.needs,
        keywords=noun.keywords,
    )


def _variants(number: int, noun: Noun, rng: random.Random) -> tuple[Variant, ...]:
    colors = rng.sample(COLORS, rng.randint(1, 3))
    sizes = SIZES if noun.category == "apparel" else (None,)
    return tuple(
        Variant(
            f"P{number:05d}-{color}-{size or 'one'}",
            stock=0 if rng.randrange(100) < SOLD_OUT_PERCENT else rng.randint(1, 50),
            size=size,
            color=color,
        )
        for color in colors
        for size in sizes
    )


@dataclass(frozen=True)
class Build:
    milliseconds: float
    #: tracemalloc: what the built object keeps, and the peak while building it (MB).
    retained_mb: float
    peak_mb: float


@dataclass(frozen=True)
class SizeResult:
    products: int
    loading: Build
    catalog: Build
    index: Build
    latencies_ms: dict[str, tuple[float, float]]

    @property
    def p50_median(self) -> float:
        return statistics.median(p50 for p50, _ in self.latencies_ms.values())


def _built(build: Callable[[], T]) -> tuple[T, Build]:
    """Timed without tracing (tracemalloc slows allocation down), then traced in a second build."""
    started = time.perf_counter()
    built = build()
    milliseconds = (time.perf_counter() - started) * 1000
    gc.collect()
    tracemalloc.start()
    traced = build()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    return built, Build(milliseconds, retained / 1e6, peak / 1e6)


def _percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return ordered[len(ordered) // 2], ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


def measure(count: int, rounds: int) -> SizeResult:
    products, loading = _built(lambda: generate(count))
    catalog, catalog_build = _built(lambda: Catalog(products, CATEGORIES))
    index, index_build = _built(lambda: CatalogIndex(products, CATEGORIES))
    sold_out = {v.sku: 0 for v in products[min(5, count - 1)].variants}
    current = catalog.with_stock(sold_out)
    latencies: dict[str, tuple[float, float]] = {}
    for name, query in QUERIES:
        index.search(query, catalog=current)
        samples = []
        for _ in range(rounds):
            started = time.perf_counter()
            index.search(query, catalog=current)
            samples.append((time.perf_counter() - started) * 1000)
        latencies[name] = _percentiles(samples)
    return SizeResult(count, loading, catalog_build, index_build, latencies)


def _build_cells(build: Build) -> str:
    return f"{build.milliseconds:.1f} | {build.retained_mb:.1f} / {build.peak_mb:.1f}"


def report(results: list[SizeResult]) -> str:
    lines = [
        "| products | generate ms | products kept MB | Catalog build ms | Catalog kept / peak MB"
        " | index build ms | index kept / peak MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.products:,} | {r.loading.milliseconds:.0f} | {r.loading.retained_mb:.1f}"
        f" | {_build_cells(r.catalog)} | {_build_cells(r.index)} |"
        for r in results
    ]
    lines += ["", "| query | " + " | ".join(f"{r.products:,}: p50 / p99 ms" for r in results) + " |"]
    lines.append("|---|" + "---:|" * len(results))
    for name, _ in QUERIES:
        cells = " | ".join(f"{r.latencies_ms[name][0]:.3f} / {r.latencies_ms[name][1]:.3f}" for r in results)
        lines.append(f"| {name} | {cells} |")
    lines.append("| median of the p50s | " + " | ".join(f"{r.p50_median:.3f}" for r in results) + " |")
    first, last = results[0], results[-1]
    ratio = last.p50_median / first.p50_median
    lines += ["", f"median p50 at {last.products:,} products / at {first.products:,}: {ratio:.1f}x"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    CatalogIndex(generate(1), CATEGORIES)  # loads OpenCC and the colour words, once per process
    print(report([measure(count, args.rounds) for count in args.sizes]))


if __name__ == "__main__":
    main()
