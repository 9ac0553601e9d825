"""Product search at scale: build time, memory and per-query latency of `Catalog` and
`CatalogIndex` over generated bilingual catalogs of 36 to 50,000 products.

A turn must stay fast with 50,000 products, so a search must cost about the same whatever
the catalog's size. The catalogs are made up in memory (no database, no feed): a product is
an adjective, a noun and a number in English and Traditional Chinese ("Linen shirt 1234" /
"亞麻襯衫 1234"); the noun decides the category, needs and keywords; colours, sizes, prices,
brands and stock come from a seeded generator, so a size always gives the same catalog.
Every product has a description in both languages (about 30 words and 40 characters) built
from a place, a material, a care note, a benefit and a maker's name made of random
syllables, so that the descriptions' vocabulary grows with the catalog as real ones do
(about 19,000 distinct words at 50,000 products).

    .venv/bin/python bench/search_bench.py [--sizes 36 1000 10000 50000] [--rounds 50]
        [--baseline OLD_SEARCH_PY]

`--baseline` loads `CatalogIndex` from another copy of `chatcart/nlu/search.py` and times it
on the same catalogs in the same process, each query's rounds alternating between the two,
so that the machine's noise falls on both alike.

Memory is measured with tracemalloc for the products themselves (what loading them costs)
and for each structure built over them, the products excluded: "kept" is what the structure
holds once built (what the cache keeps per catalog version), "peak" the most it held while
building. Searches run against a stock snapshot (`Catalog.with_stock`), as turns will.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

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
#: What a description is made of: (English, Chinese) pieces.
PLACES = (
    ("Alishan", "阿里山"),
    ("Nantou", "南投"),
    ("Hualien", "花蓮"),
    ("Tainan", "台南"),
    ("Yingge", "鶯歌"),
    ("Pinglin", "坪林"),
    ("Kyoto", "京都"),
    ("Osaka", "大阪"),
    ("Lyon", "里昂"),
    ("Porto", "波多"),
)
MATERIALS = (
    ("organic cotton", "有機棉"),
    ("washed linen", "水洗亞麻"),
    ("stoneware", "陶土"),
    ("stainless steel", "不鏽鋼"),
    ("recycled glass", "回收玻璃"),
    ("bamboo", "竹子"),
    ("shea butter", "乳油木果脂"),
    ("camellia oil", "苦茶油"),
)
CARE = (
    ("Dishwasher safe.", "可放洗碗機。"),
    ("Hand wash only.", "建議手洗。"),
    ("Machine washable.", "可機洗。"),
    ("Fragrance-free and hypoallergenic.", "無香料、低敏配方。"),
    ("Caffeine-free, good before bed.", "無咖啡因，睡前也能喝。"),
)
BENEFITS = (
    ("light and breathable for hot summers", "輕薄透氣，夏天穿剛好"),
    ("keeps its shape after many washes", "洗了也不變形"),
    ("a thoughtful gift for elders", "送長輩很體面"),
    ("smooth, floral and never bitter", "花香清雅不苦澀"),
    ("gentle on sensitive skin", "敏感肌也安心"),
)
SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ren",
    "ta",
    "vo",
    "shi",
    "pen",
    "ru",
    "da",
    "ki",
    "no",
    "sa",
    "bel",
    "tor",
    "qui",
)


def title(number: int) -> tuple[str, str]:
    """The English and Chinese titles of the `number`-th generated product."""
    noun = NOUNS[number % len(NOUNS)]
    adjective_en, adjective_zh = ADJECTIVES[(number // len(NOUNS)) % len(ADJECTIVES)]
    return f"{adjective_en} {noun.en} {number}", f"{adjective_zh}{noun.zh} {number}"


#: What customers type; the titled product (number 25) exists in every catalog size. The last
#: ones are answered by descriptions and sizes.
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
    ("en description", SearchQuery("dishwasher safe mug")),
    ("en description typo", SearchQuery("hypoalergenic lotion")),
    ("zh description", SearchQuery("無咖啡因的茶")),
    ("description only", SearchQuery("something light and floral")),
    ("size", SearchQuery("xl hoodie")),
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
        description=_description(noun, rng),
        brand=rng.choice(BRANDS),
        needs=noun.needs,
        keywords=noun.keywords,
    )


def _description(noun: Noun, rng: random.Random) -> dict[str, str]:
    """An English and a Chinese description of about 30 words and 40 characters."""
    place, material, care, benefit = (rng.choice(c) for c in (PLACES, MATERIALS, CARE, BENEFITS))
    maker = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()
    batch = rng.randrange(100, 999)
    return {
        "en": (
            f"A {noun.en} made in {place[0]} by the {maker} workshop from {material[0]}, "
            f"{benefit[0]}. {care[0]} Each piece from batch {batch} is checked by hand before it ships."
        ),
        "zh-TW": (
            f"{place[1]}{maker}工坊以{material[1]}製作的{noun.zh}，{benefit[1]}。"
            f"{care[1]}第{batch}批，出貨前逐一檢查。"
        ),
    }


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
    #: The same for the baseline's index, when one is measured.
    baseline_index: Build | None = None
    baseline_latencies_ms: dict[str, tuple[float, float]] | None = None

    @property
    def p50_median(self) -> float:
        return statistics.median(p50 for p50, _ in self.latencies_ms.values())

    @property
    def p99_max(self) -> float:
        return max(p99 for _, p99 in self.latencies_ms.values())


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


def measure(count: int, rounds: int, baseline: Any = None) -> SizeResult:
    """One catalog size: builds, then each query's latency (with the baseline's index, when
    given, its rounds alternating with the current one's)."""
    products, loading = _built(lambda: generate(count))
    catalog, catalog_build = _built(lambda: Catalog(products, CATEGORIES))
    index, index_build = _built(lambda: CatalogIndex(products, CATEGORIES))
    indexes = [index]
    base_build = None
    if baseline is not None:
        base_index, base_build = _built(lambda: baseline(products, CATEGORIES))
        indexes.append(base_index)
    sold_out = {v.sku: 0 for v in products[min(5, count - 1)].variants}
    current = catalog.with_stock(sold_out)
    latencies: list[dict[str, tuple[float, float]]] = [{} for _ in indexes]
    for name, query in QUERIES:
        samples: list[list[float]] = [[] for _ in indexes]
        for searched in indexes:
            searched.search(query, catalog=current)
        for _ in range(rounds):
            for searched, times in zip(indexes, samples, strict=True):
                started = time.perf_counter()
                searched.search(query, catalog=current)
                times.append((time.perf_counter() - started) * 1000)
        for found, times in zip(latencies, samples, strict=True):
            found[name] = _percentiles(times)
    base_latencies = latencies[1] if baseline is not None else None
    return SizeResult(count, loading, catalog_build, index_build, latencies[0], base_build, base_latencies)


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
    if all(r.baseline_latencies_ms is not None for r in results):
        lines += ["", compared(results)]
    return "\n".join(lines)


def compared(results: list[SizeResult]) -> str:
    """The baseline's index beside the current one: build, memory, and per query p50 / p99."""
    lines = [
        "| products | index build ms: baseline → now | kept MB: baseline → now"
        " | median p50 ms: baseline → now | median p99 ms: baseline → now | max p99 ms: baseline → now |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        base, base_times = r.baseline_index, r.baseline_latencies_ms
        assert base is not None and base_times is not None
        p50s = [statistics.median(p[0] for p in times.values()) for times in (base_times, r.latencies_ms)]
        p99s = [statistics.median(p[1] for p in times.values()) for times in (base_times, r.latencies_ms)]
        worst = [max(p[1] for p in times.values()) for times in (base_times, r.latencies_ms)]
        lines.append(
            f"| {r.products:,} | {base.milliseconds:.0f} → {r.index.milliseconds:.0f}"
            f" | {base.retained_mb:.1f} → {r.index.retained_mb:.1f}"
            f" | {p50s[0]:.3f} → {p50s[1]:.3f} | {p99s[0]:.3f} → {p99s[1]:.3f}"
            f" | {worst[0]:.3f} → {worst[1]:.3f} |"
        )
    lines += [
        "",
        "| query | " + " | ".join(f"{r.products:,}: p50 / p99 ms, baseline → now" for r in results) + " |",
    ]
    lines.append("|---|" + "---:|" * len(results))
    for name, _ in QUERIES:
        cells = []
        for r in results:
            base_times = r.baseline_latencies_ms
            assert base_times is not None
            (b50, b99), (n50, n99) = base_times[name], r.latencies_ms[name]
            cells.append(f"{b50:.3f} / {b99:.3f} → {n50:.3f} / {n99:.3f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def baseline_index(path: Path) -> Any:
    """`CatalogIndex` of another copy of the search module, loaded under its own name."""
    spec = importlib.util.spec_from_file_location("search_baseline", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module.CatalogIndex


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(DEFAULT_SIZES))
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--baseline", type=Path, help="another search.py to time beside this one")
    args = parser.parse_args()
    baseline = baseline_index(args.baseline) if args.baseline else None
    CatalogIndex(generate(1), CATEGORIES)  # loads OpenCC and the colour words, once per process
    print(report([measure(count, args.rounds, baseline) for count in args.sizes]))


if __name__ == "__main__":
    main()
