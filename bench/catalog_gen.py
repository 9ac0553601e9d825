"""A generator of large bilingual catalogs, written as the Meta/Google product feed that
`chatcart catalog import` reads, for the import and turn benchmarks and for tests.

Real shops are too small or too private to measure a 50,000-product import with, so this
makes one up: a product is an adjective and a noun, each with its English and Traditional
Chinese words ("Linen shirt 1234" / "亞麻襯衫 1234"), the noun decides the category and
whether it comes in sizes and colours, and the rest (prices, stock, brand) is drawn from a
seeded random generator, so the same count and seed always give the same file.

The feed has one title per row, so the title cell carries both languages ("Linen shirt 1234 /
亞麻襯衫 1234") and the catalog can be searched in either whatever the workspace's language;
the keywords go into the description. A feed has no column for a category's needs or
its other-language name: `categories()` gives them, with the ids the importer derives from
the feed's `product_type`, so a benchmark can save them before importing and the import
keeps them (an import merges into existing categories).

    .venv/bin/python -m bench.catalog_gen feed.csv 50000 [--seed 7]
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from chatcart.commerce.catalog import Category, Need
from chatcart.services.catalog_import import category_id

COLUMNS = (
    "id",
    "title",
    "description",
    "availability",
    "condition",
    "price",
    "link",
    "image_link",
    "brand",
    "item_group_id",
    "size",
    "color",
    "product_type",
)

#: Out of a hundred variants, how many the feed lists as sold out.
SOLD_OUT_PERCENT = 8


@dataclass(frozen=True)
class Word:
    en: str
    zh: str


@dataclass(frozen=True)
class Section:
    """A category as the generator knows it: its feed path and the needs it offers."""

    path: str
    name: Word
    needs: tuple[tuple[str, Word], ...]

    @property
    def id(self) -> str:
        return category_id(self.path.split(">")[-1].strip())


@dataclass(frozen=True)
class Noun:
    word: Word
    section: Section
    base_price: int
    #: Sizes it can come in (empty: one size), and whether it comes in colours.
    sizes: tuple[str, ...] = ()
    coloured: bool = False


APPAREL = Section(
    "Apparel > Clothing",
    Word("Clothing", "服飾"),
    (("everyday", Word("Everyday wear", "日常穿搭")), ("office", Word("For the office", "上班通勤"))),
)
ACCESSORIES = Section(
    "Apparel > Accessories",
    Word("Accessories", "配件"),
    (("gifts", Word("Gifts", "送禮")), ("travel", Word("Travel", "旅行"))),
)
HOME = Section(
    "Home > Living",
    Word("Living", "居家生活"),
    (("decor", Word("Decor & storage", "佈置收納")), ("relaxing", Word("Relaxing", "放鬆"))),
)
KITCHEN = Section(
    "Home > Kitchen",
    Word("Kitchen", "廚房餐桌"),
    (("cooking", Word("Cooking", "料理")), ("table", Word("At the table", "餐桌"))),
)
TEA = Section(
    "Food > Tea & Snacks",
    Word("Tea & Snacks", "茶飲點心"),
    (("tea", Word("Tea", "好茶")), ("souvenirs", Word("Gifts & souvenirs", "伴手禮"))),
)
SKINCARE = Section(
    "Beauty > Skincare",
    Word("Skincare", "保養"),
    (("moisturising", Word("Moisturising", "保濕")), ("sensitive-skin", Word("Sensitive skin", "敏感肌"))),
)
OUTDOOR = Section(
    "Sports > Outdoor",
    Word("Outdoor", "戶外"),
    (("hiking", Word("Hiking", "登山")), ("camping", Word("Camping", "露營"))),
)
SECTIONS = (APPAREL, ACCESSORIES, HOME, KITCHEN, TEA, SKINCARE, OUTDOOR)

CLOTHES = ("S", "M", "L", "XL")
SHOES = ("38", "40", "42", "44")
VOLUMES = ("30ml", "50ml", "100ml")
WEIGHTS = ("75g", "150g", "300g")

NOUNS = (
    Noun(Word("shirt", "襯衫"), APPAREL, 890, CLOTHES, True),
    Noun(Word("dress", "洋裝"), APPAREL, 1490, CLOTHES, True),
    Noun(Word("jacket", "外套"), APPAREL, 2290, CLOTHES, True),
    Noun(Word("skirt", "裙子"), APPAREL, 990, CLOTHES, True),
    Noun(Word("trousers", "長褲"), APPAREL, 1190, CLOTHES, True),
    Noun(Word("sweater", "毛衣"), APPAREL, 1590, CLOTHES, True),
    Noun(Word("hoodie", "帽T"), APPAREL, 1290, CLOTHES, True),
    Noun(Word("scarf", "圍巾"), ACCESSORIES, 690, (), True),
    Noun(Word("tote bag", "托特包"), ACCESSORIES, 990, (), True),
    Noun(Word("cap", "棒球帽"), ACCESSORIES, 590, (), True),
    Noun(Word("wallet", "皮夾"), ACCESSORIES, 1290, (), True),
    Noun(Word("backpack", "後背包"), ACCESSORIES, 1890, (), True),
    Noun(Word("socks", "襪子"), ACCESSORIES, 290, ("M", "L"), True),
    Noun(Word("cushion", "抱枕"), HOME, 590, (), True),
    Noun(Word("blanket", "毯子"), HOME, 1390, (), True),
    Noun(Word("candle", "香氛蠟燭"), HOME, 650),
    Noun(Word("vase", "花瓶"), HOME, 880, (), True),
    Noun(Word("basket", "收納籃"), HOME, 520),
    Noun(Word("lamp", "檯燈"), HOME, 1680, (), True),
    Noun(Word("mug", "馬克杯"), KITCHEN, 450, (), True),
    Noun(Word("bowl", "碗"), KITCHEN, 380, (), True),
    Noun(Word("plate", "盤子"), KITCHEN, 420),
    Noun(Word("teapot", "茶壺"), KITCHEN, 1280),
    Noun(Word("chopsticks", "筷子"), KITCHEN, 260),
    Noun(Word("lunch box", "便當盒"), KITCHEN, 690, (), True),
    Noun(Word("oolong tea", "烏龍茶"), TEA, 480, WEIGHTS),
    Noun(Word("black tea", "紅茶"), TEA, 420, WEIGHTS),
    Noun(Word("green tea", "綠茶"), TEA, 390, WEIGHTS),
    Noun(Word("pineapple cake", "鳳梨酥"), TEA, 360),
    Noun(Word("nougat", "牛軋糖"), TEA, 280),
    Noun(Word("dried mango", "芒果乾"), TEA, 250),
    Noun(Word("face cream", "面霜"), SKINCARE, 980, VOLUMES),
    Noun(Word("serum", "精華液"), SKINCARE, 1280, VOLUMES),
    Noun(Word("sunscreen", "防曬乳"), SKINCARE, 580, VOLUMES),
    Noun(Word("lip balm", "護唇膏"), SKINCARE, 220),
    Noun(Word("hand cream", "護手霜"), SKINCARE, 320, VOLUMES),
    Noun(Word("tent", "帳篷"), OUTDOOR, 4990, (), True),
    Noun(Word("sleeping bag", "睡袋"), OUTDOOR, 2490, (), True),
    Noun(Word("hiking shoes", "登山鞋"), OUTDOOR, 3290, SHOES, True),
    Noun(Word("water bottle", "水壺"), OUTDOOR, 690, (), True),
)
ADJECTIVES = (
    Word("Linen", "亞麻"),
    Word("Cotton", "純棉"),
    Word("Wool", "羊毛"),
    Word("Bamboo", "竹"),
    Word("Classic", "經典"),
    Word("Light", "輕量"),
    Word("Handmade", "手作"),
    Word("Organic", "有機"),
    Word("Vintage", "復古"),
    Word("Premium", "頂級"),
    Word("Mini", "迷你"),
    Word("Island", "島嶼"),
)
#: Feed spellings the importer maps to its colour keys.
COLORS = ("Navy", "Black", "White", "Grey", "Beige", "Green", "Red", "Blue")
BRANDS = ("Island Select", "Formosa Goods", "Harbor & Co", "Lantern Studio", "Alishan Works")


@dataclass(frozen=True)
class FeedProduct:
    """One generated product: what becomes its feed rows."""

    number: int
    adjective: Word
    noun: Noun
    brand: str
    price: int
    sizes: tuple[str, ...]
    colors: tuple[str, ...]

    @property
    def group(self) -> str:
        return f"P{self.number:06d}"

    @property
    def title(self) -> str:
        en = f"{self.adjective.en} {self.noun.word.en} {self.number}"
        return f"{en} / {self.adjective.zh}{self.noun.word.zh} {self.number}"


def categories() -> list[Category]:
    """The generated catalog's categories with both names and their needs, under the ids the
    importer gives the feed's `product_type`."""
    return [
        Category(
            s.id,
            {"en": s.name.en, "zh-TW": s.name.zh},
            tuple(Need(key, {"en": w.en, "zh-TW": w.zh}) for key, w in s.needs),
        )
        for s in SECTIONS
    ]


def _product(number: int, rng: random.Random) -> FeedProduct:
    """Sizes × colours stay within six variants: up to five colours, fewer the more sizes."""
    noun = rng.choice(NOUNS)
    sizes = noun.sizes[: rng.randint(1, len(noun.sizes))] if noun.sizes else ()
    most_colors = min(5, 6 // max(len(sizes), 1))
    colors = tuple(rng.sample(COLORS, rng.randint(1, most_colors))) if noun.coloured else ()
    price = noun.base_price + 10 * rng.randrange(-20, 40)
    return FeedProduct(number, rng.choice(ADJECTIVES), noun, rng.choice(BRANDS), price, sizes, colors)


def _rows(product: FeedProduct, rng: random.Random) -> Iterator[dict[str, str]]:
    """One row per variant, all in the product's item group; a bigger size costs a little
    more, so some variants carry their own price above the product's."""
    group = product.group
    description = _description(product)
    for step, size in enumerate(product.sizes or ("",)):
        for color in product.colors or ("",):
            yield {
                "id": "-".join(part for part in (group, size, color.upper()) if part),
                "title": product.title,
                "description": description,
                "availability": "out of stock" if rng.randrange(100) < SOLD_OUT_PERCENT else "in stock",
                "condition": "new",
                "price": f"{product.price + 50 * step} TWD",
                "link": f"https://shop.example/products/{group.lower()}",
                "image_link": f"https://shop.example/images/{group.lower()}.jpg",
                "brand": product.brand,
                "item_group_id": group,
                "size": size,
                "color": color,
                "product_type": product.noun.section.path,
            }


def _description(product: FeedProduct) -> str:
    noun, adjective, section = product.noun.word, product.adjective, product.noun.section
    keywords = ", ".join((noun.en, noun.zh, adjective.en.lower(), adjective.zh, section.name.zh))
    return (
        f"{adjective.en} {noun.en} from {product.brand}. {adjective.zh}{noun.zh}，{section.name.zh}精選。"
        f" Keywords: {keywords}"
    )


def write_feed(path: Path, count: int, seed: int = 7) -> None:
    """Writes a feed of `count` products (one row per variant, 1–6 each) to `path`."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, COLUMNS, lineterminator="\n")
        writer.writeheader()
        for number in range(1, count + 1):
            writer.writerows(_rows(_product(number, rng), rng))


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a generated bilingual product feed (CSV).")
    parser.add_argument("path", type=Path, help="where to write the feed")
    parser.add_argument("count", type=int, help="how many products")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_feed(args.path, args.count, args.seed)


if __name__ == "__main__":
    main()
